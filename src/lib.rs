//! UnionCard in the browser: Leptos single-page apps. `main.rs` only mounts
//! [`App`] (members and cashiers); `bin/staff.rs` mounts [`staff_app`] (officers); [`app`] holds the router and layout; [`pages`] one module per
//! screen; [`components`] the widgets shared by several screens.

pub mod api;
pub mod app;
pub mod benefits_app;
pub mod components;
pub mod ecard;
pub mod i18n;
pub mod manage_app;
pub mod pages;
pub mod photo;
pub mod scan;
pub mod session;
pub mod staff_app;

pub use app::App;
