//! The member app: its router and layout ([`app`]) and the screens fetched
//! on demand ([`sections`]), over the screens and widgets of the library.

mod app;
mod sections;

fn main() {
    // Panic messages in the console while developing; the release build
    // leaves out the formatting they need.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // Effects and answers after the first screen in short tasks, not in
    // the long one that draws it.
    unioncard_app::slices::init();
    // The app is drawn in a task of its own, not in the one that compiled
    // and started the module: two shorter tasks instead of one long one, so
    // a tap in between is answered (the page's first screen is already up).
    unioncard_app::slices::in_next_task(Box::new(|| leptos::mount::mount_to_body(app::App)));
}
