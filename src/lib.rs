//! UnionCard in the browser: Leptos single-page apps. The member app
//! (members and cashiers) is the binary `main.rs` with its router (`app.rs`)
//! and the sections fetched on demand (`sections.rs`): those live in the
//! binary, not here, because a split point is an exported function and would
//! pull every member screen into the other apps. The officers' desk is the
//! binary `bin/staff/` in the same way (its router and its sections), and
//! `bin/manage.rs` mounts [`manage_app`]; [`pages`]
//! holds one module per screen; [`components`] the widgets shared by several
//! screens.

pub mod api;
pub mod clock;
pub mod components;
pub mod ecard;
pub mod i18n;
pub mod manage_app;
pub mod pages;
pub mod photo;
pub mod scan;
pub mod session;
pub mod slices;
