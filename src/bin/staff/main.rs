//! The union officers' desk, a bundle of its own under `/staff`: members never
//! download these screens. Its router ([`desk`]) is in the first download
//! with the desk's home; each kind of work is a chunk of its own
//! ([`sections`]), fetched when its screen first opens.

mod desk;
mod sections;

fn main() {
    // Panic messages in the console while developing; the release build
    // leaves out the formatting they need.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    sections::english_on_demand();
    leptos::mount::mount_to_body(desk::StaffApp);
}
