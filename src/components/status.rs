//! The loading state and the retryable error state every request shows.

use leptos::prelude::*;

use crate::api::Failure;
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

/// What a screen shows of something it fetched: the spinner while it comes,
/// the error with a retry (which fetches again) when it failed, and `shown`
/// of the value once it is here. Every screen that loads one thing goes
/// through this, so none can forget the error or the way out of it.
pub fn loaded<T, V>(
    resource: LocalResource<Result<T, Failure>>,
    shown: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    move || match resource.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(f)) => view! {
            <ErrorRetry message=f.message() on_retry=Callback::new(move |_| resource.refetch())/>
        }
        .into_any(),
        Some(Ok(value)) => shown(value).into_any(),
    }
}
