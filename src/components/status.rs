//! The loading state and the retryable error state every request shows.

use leptos::prelude::*;

use crate::i18n::tr;

/// A spinner with text, announced politely to screen readers.
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{tr(|s| s.loading)}</span>
        </div>
    }
}

/// An error message with a button that tries again.
#[component]
pub fn ErrorRetry(#[prop(into)] message: Signal<String>, on_retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="error-box" role="alert">
            <p>{message}</p>
            <div class="actions">
                <button type="button" class="btn btn-secondary" on:click=move |_| on_retry.run(())>
                    {tr(|s| s.retry)}
                </button>
                // Something not found (or not one's own) will not appear on a
                // retry: the way out is back.
                <button type="button" class="btn btn-link" on:click=|_| { let _ = window().history().map(|h| h.back()); }>
                    {tr(|s| s.back)}
                </button>
            </div>
        </div>
    }
}
