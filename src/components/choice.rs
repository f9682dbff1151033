//! Form controls beyond the text field: a labelled drop-down and a
//! labelled checkbox with a large target.

use leptos::prelude::*;

use crate::i18n::tr;

/// A labelled drop-down. With `ask`, it starts on a "请选择" that cannot be
/// chosen back, so no answer is presumed for the person.
#[component]
pub fn Choice(
    id: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    value: RwSignal<String>,
    options: Vec<(&'static str, Signal<String>)>,
    #[prop(optional)] ask: bool,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                {ask.then(|| view! { <option value="" disabled=true>{tr(|s| s.choose)}</option> })}
                {options.into_iter().map(|(v, text)| view! { <option value=v>{text}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// A labelled checkbox with a large target.
#[component]
pub fn Check(
    id: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    value: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <div class="field check">
            <input type="checkbox" id=id prop:checked=move || value.get() on:change=move |ev| value.set(event_target_checked(&ev))/>
            <label for=id>{label}</label>
        </div>
    }
}
