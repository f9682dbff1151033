//! 互助缴费登记: what the officer's unions owe the aid plans, one line per
//! union and plan; once a union has collected its members' parts and paid
//! the plan, the officer records them paid, confirming the count and sum.

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::aid::ContributionGroup;
use unioncard_api::offers::yuan;

use crate::api;
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n};
use crate::pages::format_date;

/// `/manage/contributions`.
#[component]
pub fn ContributionsPage() -> impl IntoView {
    let list = LocalResource::new(api::due_contributions);
    // What the last recording did, said above the list it left.
    let done = RwSignal::new(None::<String>);
    let recorded = Callback::new(move |said: String| {
        done.set(Some(said));
        list.refetch();
    });
    view! {
        <section class="page">
            <h2>{tr(|s| s.manage_contributions)}</h2>
            <p class="intro">{tr(|s| s.manage_contributions_help)}</p>
            {move || done.get().map(|said| view! { <p class="panel ok-note" role="status" data-test="contributions-recorded">{said}</p> })}
            {loaded(list, move |p| {
                if p.items.is_empty() {
                    return view! { <p class="panel">{both("没有待登记的缴费", "No contributions are due")}</p> }.into_any();
                }
                view! {
                    <ul class="queue" data-test="contribution-groups">
                        {p.items.into_iter().map(|g| view! { <Group g=g recorded=recorded/> }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}

/// One union's members due in one plan, with the two-step record.
#[component]
fn Group(g: ContributionGroup, recorded: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let confirming = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let request = StoredValue::new(g.record());
    let (n, total) = (g.due_count, g.due_fen());
    let record = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let r = request.get_value();
        spawn_local(async move {
            match api::record_contributions(&r).await {
                Ok(done) => {
                    let lang = i18n.lang.get_untracked();
                    recorded.run(
                        i18n.t()
                            .contributions_recorded
                            .replace("{n}", &done.count.to_string())
                            .replace("{amount}", &yuan(done.total_fen))
                            .replace("{date}", &format_date(&done.paid_on, lang)),
                    );
                }
                Err(f) => {
                    error.set(Some(f.message()));
                    confirming.set(false);
                }
            }
            pending.set(false);
        });
    };
    view! {
        <li class="panel request" data-test="contribution-group">
            <h3>{g.union_name.clone()}</h3>
            <p class="hint">{g.plan_name.clone()}</p>
            <dl class="facts">
                <dt>{both("待缴人数", "Members due")}</dt><dd class="num" data-test="due-count">{n}</dd>
                <dt>{both("每人缴费", "Each")}</dt><dd class="num">{yuan(g.contribution_fen)}</dd>
                <dt>{both("应缴合计", "Total due")}</dt><dd class="num" data-test="due-total"><strong>{yuan(total)}</strong></dd>
                <dt>{both("其中个人部分", "Of which members' parts")}</dt><dd class="num">{yuan(g.members_fen())}</dd>
            </dl>
            <p class="form-message" role="alert">{move || error.get()}</p>
            {move || if confirming.get() {
                view! {
                    <p><strong>{move || i18n.t().confirm_contributions.replace("{n}", &n.to_string()).replace("{amount}", &yuan(total))}</strong></p>
                    <div class="actions">
                        <button type="button" class="btn btn-primary" data-test="confirm-contributions"
                            disabled=move || pending.get() on:click=record>{both("确认", "Confirm")}</button>
                        <button type="button" class="btn btn-secondary" on:click=move |_| confirming.set(false)>{tr(|s| s.cancel)}</button>
                    </div>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="btn btn-primary" data-test="record-contributions"
                        on:click=move |_| { error.set(None); confirming.set(true); }>{both("登记已缴", "Record as paid")}</button>
                }.into_any()
            }}
        </li>
    }
}
