//! The member benefits that are read and filled in at length (mutual medical
//! aid, micro-loans): a bundle of its own under `/aid`, so the app a member
//! opens at the till stays small.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(unioncard_app::benefits_app::BenefitsApp);
}
