//! The union officers' desk, a bundle of its own under `/staff`: members never
//! download these screens.

fn main() {
    // Panic messages in the console while developing; the release build
    // leaves out the formatting they need.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    unioncard_app::i18n::english_is(unioncard_app::i18n::english_table());
    leptos::mount::mount_to_body(unioncard_app::staff_app::StaffApp);
}
