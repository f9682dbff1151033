//! The loading state and the retryable error state every request shows, and
//! the few ways a screen draws something it fetched: [`loaded`] (one
//! resource), [`loaded_or`] (one resource with something better than an error
//! for some failures), [`fetched`] (a value the screen holds itself),
//! [`session_known`] (who is signed in) and [`Paged`] (a list that loads more).
//! No screen writes its own spinner, error or retry.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::auth::Me;
use unioncard_api::join::Page;

use crate::api::Failure;
use crate::i18n::{tr, Strings};
use crate::session::{use_session, SessionState};

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
    loaded_or(resource, |_| None, shown)
}

/// [`loaded`], where some failures have a better answer than the error:
/// `instead` may give a view for a failure (the e-card this phone kept, when
/// there is no network; a sentence for a 403); when it gives `None`, the
/// error and its retry show as usual.
pub fn loaded_or<T, V>(
    resource: LocalResource<Result<T, Failure>>,
    instead: impl Fn(&Failure) -> Option<AnyView> + Send + Sync + 'static,
    shown: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    fetched(
        move || resource.get(),
        Callback::new(move |_| resource.refetch()),
        instead,
        shown,
    )
}

/// The same three states for something fetched that is not one
/// `LocalResource`: a value the screen keeps in a signal (because its
/// buttons answer with a new one), or a retry that must fetch more than one
/// thing. `state` is `None` while it comes; `retry` fetches again.
pub fn fetched<T, V>(
    state: impl Fn() -> Option<Result<T, Failure>> + Send + Sync + 'static,
    retry: Callback<()>,
    instead: impl Fn(&Failure) -> Option<AnyView> + Send + Sync + 'static,
    shown: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: 'static,
    V: IntoView + 'static,
{
    move || match state() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(f)) => instead(&f).unwrap_or_else(|| failed(f, retry)),
        Some(Ok(value)) => shown(value).into_any(),
    }
}

/// The error and its retry (one copy in the wasm, whatever was fetched).
fn failed(f: Failure, retry: Callback<()>) -> AnyView {
    view! { <ErrorRetry message=f.message() on_retry=retry/> }.into_any()
}

/// Who is signed in, as something fetched: the spinner while the app asks the
/// server, the error with a retry (which asks again) when it could not, and
/// `shown` of the person once known (`None`: nobody is signed in). `state` is
/// the session's state, or a memo of it. `instead` as in [`loaded_or`].
pub fn session_known<V>(
    state: impl Fn() -> SessionState + Send + Sync + 'static,
    instead: impl Fn(&Failure) -> Option<AnyView> + Send + Sync + 'static,
    shown: impl Fn(Option<Me>) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    V: IntoView + 'static,
{
    let session = use_session();
    fetched(
        move || match state() {
            SessionState::Checking => None,
            SessionState::Unknown(f) => Some(Err(f)),
            SessionState::Guest => Some(Ok(None)),
            SessionState::User(me) => Some(Ok(Some(me))),
        },
        Callback::new(move |_| session.refresh()),
        instead,
        shown,
    )
}

/// One page of a list on its way.
type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>, Failure>>>>;

/// Asks for the page after a cursor (`None`: the first) under the current filter.
type PageFetch<T> = Box<dyn Fn(Option<String>) -> Option<PageFuture<T>>>;

/// Where a paged list stands.
#[derive(Clone, Debug, PartialEq)]
enum PageState {
    Loading,
    Ready,
    Failed(Failure),
}

/// A list fetched a page at a time (`{items, next_cursor}`), shown by
/// [`Paged::view`]: the pages so far, then the spinner while a page comes,
/// the error with a retry when one failed, a sentence when there is nothing,
/// or the "load more" button while there is more. It starts over from the
/// first page whenever what the filter reads changes. Every list that loads
/// more goes through this (the merchant directory, the audit log).
pub struct Paged<T: 'static> {
    items: RwSignal<Vec<T>>,
    cursor: RwSignal<Option<String>>,
    state: RwSignal<PageState>,
    /// Counts the restarts, so that a page asked for before the filter
    /// changed is dropped instead of appended to the new list.
    generation: StoredValue<u64>,
    fetch: StoredValue<PageFetch<T>, LocalStorage>,
}

impl<T: 'static> Clone for Paged<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Paged<T> {}

impl<T> Paged<T>
where
    T: Clone + Send + Sync + 'static,
{
    /// A list of what `fetch(filter, cursor)` answers. `filter` is read in
    /// an effect, so the signals it reads (the chosen category, the words
    /// searched) restart the list from its first page when they change.
    pub fn new<Q, Fut>(
        filter: impl Fn() -> Q + 'static,
        fetch: impl Fn(Q, Option<String>) -> Fut + 'static,
    ) -> Self
    where
        Q: Clone + 'static,
        Fut: Future<Output = Result<Page<T>, Failure>> + 'static,
    {
        let current = StoredValue::new_local(None::<Q>);
        let paged = Paged {
            items: RwSignal::new(Vec::new()),
            cursor: RwSignal::new(None),
            state: RwSignal::new(PageState::Loading),
            generation: StoredValue::new(0),
            fetch: StoredValue::new_local(Box::new(move |after: Option<String>| {
                // None only before the effect below has read the filter.
                let q = current.try_with_value(|q| q.clone()).flatten()?;
                Some(Box::pin(fetch(q, after)) as PageFuture<T>)
            }) as PageFetch<T>),
        };
        Effect::new(move |_| {
            let q = filter();
            current.set_value(Some(q));
            paged.reload();
        });
        paged
    }

    /// Starts over from the first page.
    fn reload(self) {
        self.generation.update_value(|g| *g += 1);
        self.items.set(Vec::new());
        self.cursor.set(None);
        self.ask(None);
    }

    /// Appends the next page, if there is one and none is on its way.
    pub fn more(self) {
        if self.state.get_untracked() == PageState::Loading {
            return;
        }
        if let Some(after) = self.cursor.get_untracked() {
            self.ask(Some(after));
        }
    }

    /// Whether the next page may be asked for now (the last one came and
    /// there is more): for lists that load more as they are scrolled, which
    /// must not retry a failure on their own.
    pub fn can_load_more(self) -> bool {
        self.state.get_untracked() == PageState::Ready && self.cursor.get_untracked().is_some()
    }

    fn ask(self, after: Option<String>) {
        let Some(page) = self.fetch.try_with_value(|fetch| fetch(after)).flatten() else {
            return;
        };
        let generation = self.generation.get_value();
        self.state.set(PageState::Loading);
        spawn_local(async move {
            let page = page.await;
            // Dropped when the filter changed meanwhile, or the screen is gone
            // (its stored values with it).
            if self.generation.try_get_value() != Some(generation) {
                return;
            }
            match page {
                Ok(page) => {
                    self.items.update(|v| v.extend(page.items));
                    self.cursor.set(page.next_cursor);
                    self.state.set(PageState::Ready);
                }
                Err(f) => self.state.set(PageState::Failed(f)),
            }
        });
    }

    /// The list as `list` draws the items so far, then its state: `empty`
    /// says there is nothing; a failed page is retried from where it failed.
    pub fn view<V>(
        self,
        list: impl Fn(Vec<T>) -> V + Send + Sync + 'static,
        empty: fn(&'static Strings) -> &'static str,
    ) -> impl IntoView
    where
        V: IntoView + 'static,
    {
        let retry = Callback::new(move |_| {
            if self.items.with_untracked(Vec::is_empty) {
                self.reload();
            } else {
                self.more();
            }
        });
        view! {
            {move || list(self.items.get())}
            {move || match self.state.get() {
                PageState::Loading => view! { <Loading/> }.into_any(),
                PageState::Failed(f) => failed(f, retry),
                PageState::Ready if self.items.with(Vec::is_empty) => view! { <p class="panel">{tr(empty)}</p> }.into_any(),
                PageState::Ready => view! {
                    <Show when=move || self.cursor.get().is_some()>
                        <button type="button" class="btn btn-secondary btn-block" on:click=move |_| self.more()>
                            {tr(|s| s.load_more)}
                        </button>
                    </Show>
                }.into_any(),
            }}
        }
    }
}

/// Says, when a screen shows what the phone kept (no signal), as of when.
#[component]
pub fn AsOf(as_of: Option<String>) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    as_of.map(|at| {
        view! {
            <p class="offline-note" role="status" data-test="as-of">
                {move || i18n.t().kept_as_of.replace("{time}", &crate::pages::format_date_time(&at))}
            </p>
        }
    })
}
