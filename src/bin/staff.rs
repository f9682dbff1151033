//! The union officers' desk, a bundle of its own under `/staff`: members never
//! download these screens.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(unioncard_app::staff_app::StaffApp);
}
