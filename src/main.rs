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
    use wasm_bindgen::JsCast;
    let draw =
        wasm_bindgen::closure::Closure::once_into_js(|| leptos::mount::mount_to_body(app::App));
    let later = web_sys::window()
        .and_then(|w| w.set_timeout_with_callback(draw.unchecked_ref()).ok())
        .is_some();
    if !later {
        leptos::mount::mount_to_body(app::App);
    }
}
