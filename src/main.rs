//! The member app: its router and layout ([`app`]) and the screens fetched
//! on demand ([`sections`]), over the screens and widgets of the library.

mod app;
mod sections;

fn main() {
    // Panic messages in the console while developing; the release build
    // leaves out the formatting they need.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
