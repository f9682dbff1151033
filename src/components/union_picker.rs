//! Finding a workplace union by name and choosing it: joining a union, and
//! moving to another (转会).

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::join::WorkplaceUnion;

use crate::api;
use crate::i18n::tr;

/// A search box over workplace unions, the matches as large buttons, and
/// the one chosen.
#[component]
pub fn UnionPicker(
    /// The union chosen.
    chosen: RwSignal<Option<WorkplaceUnion>>,
    /// The label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// A hint under the label.
    #[prop(into)]
    hint: Signal<&'static str>,
) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<WorkplaceUnion>::new());
    let searched = RwSignal::new(false);
    let do_search = move |_| {
        let q = search.get_untracked();
        spawn_local(async move {
            if let Ok(page) = api::workplace_unions(&q).await {
                found.set(page.items);
                searched.set(true);
            }
        });
    };
    view! {
        <div class="field">
            <label for="union_search">{label}</label>
            <span class="hint">{hint}</span>
            <div class="search-row">
                <input id="union_search" type="search" prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev))/>
                <button type="button" class="btn btn-secondary" data-test="union-search" on:click=do_search>
                    {tr(|s| s.search)}
                </button>
            </div>
            {move || chosen.get().map(|u| view! {
                <p class="chosen" data-test="chosen-union">{tr(|s| s.chosen)}{u.name.clone()}</p>
            })}
            <ul class="choices">
                {move || found.get().into_iter().map(|u| {
                    let pick = u.clone();
                    view! {
                        <li><button type="button" class="choice-btn" on:click=move |_| { chosen.set(Some(pick.clone())); found.set(vec![]); }>
                            <strong>{u.name.clone()}</strong><small>{u.district.clone()}</small>
                        </button></li>
                    }
                }).collect_view()}
            </ul>
            {move || (searched.get() && found.get().is_empty() && chosen.get().is_none())
                .then(|| view! { <p class="hint">{tr(|s| s.no_results)}</p> })}
        </div>
    }
}
