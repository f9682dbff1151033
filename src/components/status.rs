//! The loading state and the retryable error state every request shows.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// A spinner with text, announced politely to screen readers.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{move || i18n.t().loading}</span>
        </div>
    }
}

/// An error message with a button that tries again.
#[component]
pub fn ErrorRetry(#[prop(into)] message: Signal<String>, on_retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="error-box" role="alert">
            <p>{message}</p>
            <button type="button" class="btn btn-secondary" on:click=move |_| on_retry.run(())>
                {move || i18n.t().retry}
            </button>
        </div>
    }
}
