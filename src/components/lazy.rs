//! A screen whose code is a chunk of its own (a `#[wasm_split]` function in
//! an app's `sections`): the loading line while the chunk comes, the screen
//! once it is here, the network error with a retry if it could not come.
//! The member app and the officers' desk both cut their screens this way.

use std::future::Future;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::components::status::{ErrorRetry, Loading};
use crate::i18n::tr;

/// A section's code did not arrive (a weak signal): not a panic, a retry.
#[derive(Debug, Clone, Copy)]
pub struct NotLoaded;

impl From<SplitLoaderError> for NotLoaded {
    fn from(_: SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// What a section's split function gives: the screen, or that its code did
/// not arrive.
pub type Loaded = Result<AnyView, NotLoaded>;

/// Draws what `load` fetches. `quiet`: a part of another screen (a reminder
/// on 首页, the bell), which shows nothing until it is here, nor if it
/// cannot come.
#[component]
pub fn LazyView<F, Fut>(load: F, #[prop(optional)] quiet: bool) -> impl IntoView
where
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Loaded> + 'static,
{
    let attempt = RwSignal::new(0u32);
    let failed = tr(|s| s.network_error);
    // The first screen of a page opened here: what the page drew before
    // the code came stays until the screen is ready.
    let first = (!quiet)
        .then(crate::components::shell::take_first_screen)
        .flatten();
    let fallback = move || {
        (!quiet).then(|| match first.clone() {
            Some(html) => view! { <div class="first-screen" inner_html=html></div> }.into_any(),
            None => view! { <Loading/> }.into_any(),
        })
    };
    view! {
        <Suspense fallback=fallback>
            {move || {
                attempt.track();
                Suspend::new(leptos::__reexports::send_wrapper::SendWrapper::new(async move {
                    match load().await {
                        Ok(view) => view,
                        Err(NotLoaded) if quiet => ().into_any(),
                        Err(NotLoaded) => view! {
                            <ErrorRetry
                                message=Signal::derive(move || failed().to_string())
                                on_retry=Callback::new(move |_| attempt.update(|n| *n += 1))
                            />
                        }
                        .into_any(),
                    }
                }))
            }}
        </Suspense>
    }
}
