//! Management (merchants, unions, officers), a bundle of its own under `/manage`.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(unioncard_app::manage_app::ManageApp);
}
