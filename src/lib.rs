//! UnionCard in the browser: a Leptos single-page app. `main.rs` only mounts
//! [`App`]; [`app`] holds the router and layout; [`pages`] one module per
//! screen; [`components`] the widgets shared by several screens.

pub mod api;
pub mod app;
pub mod components;
pub mod ecard;
pub mod i18n;
pub mod pages;
pub mod scan;
pub mod session;

pub use app::App;
