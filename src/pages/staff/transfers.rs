//! 转会 at the desk (`/staff/transfers`): members moving into or out of the
//! officer's unions, waiting ones first. The new union's officers accept
//! (the member belongs to it that day) or decline with a reason; the old
//! union's officers see the move and who decided it. Its words are written
//! here (`both`): the screen lives in its own chunk.

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::join::Decision;
use unioncard_api::transfers::TransferView;

use crate::api;
use crate::components::status::loaded;
use crate::i18n::{both, use_i18n};
use crate::pages::format_date_time;

/// `/staff/transfers`.
#[component]
pub fn TransfersPage() -> impl IntoView {
    let list = LocalResource::new(api::staff_transfers);
    view! {
        <section class="page">
            <h2>{both("转会", "Transfers")}</h2>
            <p class="intro">{both(
                "会员换工作后申请转入新单位工会：由新单位所在工会审核；转入后会员卡和记录不变，原单位工会不再看到其后的记录。",
                "Members who changed jobs ask the new workplace's union to take them: that union decides. The card and records stay the member's; the old union no longer sees what comes after.",
            )}</p>
            {loaded(list, move |p| match p.items.is_empty() {
                true => view! { <p class="panel">{both("没有转会申请", "No transfers")}</p> }.into_any(),
                false => view! {
                    <ul class="queue" data-test="transfers">
                        {p.items.into_iter().map(|t| view! { <Transfer t=t on_done=Callback::new(move |_| list.refetch())/> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn Transfer(t: TransferView, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let rejecting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let (id, status) = (t.id, t.status);
    let decide = move |decision: &'static str| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let d = Decision {
            decision: decision.into(),
            amount_fen: None,
            note: reason.get_untracked(),
        };
        spawn_local(async move {
            match api::decide_transfer(id, &d).await {
                Ok(_) => on_done.run(()),
                Err(f) => message.set(Some(f.message())),
            }
            pending.set(false);
        });
    };
    let reason_id = format!("transfer-reason-{id}");
    view! {
        <li class="panel request" data-test="transfer">
            <h3>{t.member_name.clone()}</h3>
            <p><span class=format!("status-pill {}", status.as_str()) data-test="transfer-status">{move || status.label(i18n.lang.get())}</span></p>
            <dl class="facts">
                <dt>{both("身份证号", "ID number")}</dt><dd><span class="num">{t.id_number_masked.clone()}</span></dd>
                <dt>{both("转出", "From")}</dt><dd>{t.from.name.clone()}</dd>
                <dt>{both("转入", "To")}</dt><dd>{t.to.name.clone()}</dd>
                <dt>{both("申请时间", "Asked")}</dt><dd>{format_date_time(&t.requested_at)}</dd>
                {(!t.workplace.is_empty()).then(|| view! { <dt>{both("新工作单位", "New employer")}</dt><dd>{t.workplace.clone()}</dd> })}
                {(!t.reason.is_empty()).then(|| view! { <dt>{both("原因", "Why")}</dt><dd>{t.reason.clone()}</dd> })}
                {t.decided_by.clone().map(|who| view! {
                    <dt>{both("审核", "Decided by")}</dt>
                    <dd>{who}" "{t.decided_at.as_deref().map(format_date_time)}</dd>
                })}
                {t.note.clone().map(|n| view! { <dt>{both("说明", "Note")}</dt><dd>{n}</dd> })}
            </dl>
            {t.you_may_decide.then(|| view! {
                <Show when=move || rejecting.get()>
                    <div class="field">
                        <label for=reason_id.clone()>{both("不予通过的原因（会员会看到）", "Why not (the member reads it)")}</label>
                        <textarea id=reason_id.clone() rows="2" prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    </div>
                </Show>
                <p class="form-message" role="alert">{move || message.get()}</p>
                <div class="actions">
                    <Show when=move || !rejecting.get() fallback=move || view! {
                        <button type="button" class="btn btn-primary" data-test="confirm-decline" disabled=move || pending.get()
                            on:click=move |_| decide("reject")>{both("确认不予通过", "Decline")}</button>
                        <button type="button" class="btn btn-secondary" on:click=move |_| rejecting.set(false)>{both("取消", "Cancel")}</button>
                    }>
                        <button type="button" class="btn btn-primary" data-test="accept-transfer" disabled=move || pending.get()
                            on:click=move |_| decide("approve")>{both("同意转入", "Accept")}</button>
                        <button type="button" class="btn btn-secondary" data-test="decline-transfer" on:click=move |_| rejecting.set(true)>{both("不予通过", "Decline")}</button>
                    </Show>
                </div>
            })}
        </li>
    }
}
