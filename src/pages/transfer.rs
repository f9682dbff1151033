//! 转会 on the phone (`/me/transfer`): the member's union now, a request to
//! move to the new workplace's union (found by name), how a waiting one
//! stands (with the way to take it back), and the moves made before. Its
//! words are written here (`both`): the screen lives in the `me` chunk.

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::join::WorkplaceUnion;
use unioncard_api::transfers::{TransferInput, TransferStatus, TransferView};

use crate::api;
use crate::components::shell::SignInFor;
use crate::components::status::loaded;
use crate::components::union_picker::UnionPicker;
use crate::i18n::{both, use_i18n};
use crate::pages::format_date_time;
use crate::session::{use_session, SessionState};

/// `/me/transfer`.
#[component]
pub fn TransferPage() -> impl IntoView {
    let session = use_session();
    let data = LocalResource::new(move || {
        let signed_in = matches!(session.state.get(), SessionState::User(_));
        async move {
            if !signed_in {
                return Ok(None);
            }
            let me = api::me().await?;
            let mine = api::my_transfers().await?;
            let union = me.and_then(|m| m.union).map(|u| u.name);
            Ok::<_, api::Failure>(Some((union, mine.items)))
        }
    });
    let reload = Callback::new(move |_| data.refetch());
    view! {
        <section class="page">
            <h2>{both("转会", "Moving to another union")}</h2>
            <p class="intro">{both(
                "换了工作单位，可申请把会籍转到新单位的工会。新单位工会审核通过后即转入；会员卡、优惠记录和各项保障都不变。",
                "Changed jobs? Ask to move your membership to the new workplace's union. Once it accepts, you belong there; your card, savings and cover stay as they are.",
            )}</p>
            {loaded(data, move |v| match v {
                None => view! { <SignInFor why=both("登录后申请转会", "Sign in to ask for a move")/> }.into_any(),
                Some((union, mine)) => {
                    let waiting = mine.iter().find(|t| t.status == TransferStatus::Pending).cloned();
                    view! {
                        <dl class="facts panel">
                            <dt>{both("现在所在工会", "Your union now")}</dt>
                            <dd data-test="current-union">{union}</dd>
                        </dl>
                        {match waiting {
                            Some(t) => view! { <Waiting t=t reload=reload/> }.into_any(),
                            None => view! { <Ask reload=reload/> }.into_any(),
                        }}
                        {(!mine.is_empty()).then(|| view! {
                            <h3>{both("转会记录", "Requests")}</h3>
                            <ul class="claim-list" data-test="my-transfers">
                                {mine.into_iter().map(|t| view! { <Line t=t/> }).collect_view()}
                            </ul>
                        })}
                    }.into_any()
                }
            })}
        </section>
    }
}

/// The form: the new workplace's union and why.
#[component]
fn Ask(reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(None::<WorkplaceUnion>);
    let reason = RwSignal::new(String::new());
    let workplace = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Some(union) = chosen.get_untracked() else {
            message.set(Some(
                i18n.lang
                    .get_untracked()
                    .pick(
                        "请先查找并选择新单位的工会",
                        "Find and choose the new workplace's union first",
                    )
                    .into(),
            ));
            return;
        };
        let input = TransferInput {
            union_id: union.id,
            reason: reason.get_untracked(),
            workplace: workplace.get_untracked(),
        };
        pending.set(true);
        message.set(None);
        spawn_local(async move {
            match api::ask_transfer(&input).await {
                Ok(_) => reload.run(()),
                Err(f) => message.set(Some(f.message())),
            }
            pending.set(false);
        });
    };
    view! {
        <form class="panel" on:submit=send novalidate data-test="transfer-form">
            <h3>{both("申请转会", "Ask to move")}</h3>
            <UnionPicker chosen=chosen label=both("新单位的工会", "The new workplace's union")
                hint=both("输入新单位名称的几个字查找", "Type a few characters of the new workplace's name")/>
            <div class="field">
                <label for="transfer_workplace">{both("新工作单位（选填）", "New employer (optional)")}</label>
                <input id="transfer_workplace" maxlength="60" autocomplete="organization" prop:value=move || workplace.get()
                    on:input=move |ev| workplace.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="transfer_reason">{both("原因（选填）", "Why (optional)")}</label>
                <textarea id="transfer_reason" rows="2" maxlength="200" prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            </div>
            <p class="form-message" role="alert" data-test="transfer-message">{move || message.get()}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="send-transfer" disabled=move || pending.get()>
                {both("提交转会申请", "Send the request")}
            </button>
        </form>
    }
}

/// A request waiting for the new union, with the way to take it back.
#[component]
fn Waiting(t: TransferView, reload: Callback<()>) -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let id = t.id;
    let withdraw = move |_| {
        pending.set(true);
        spawn_local(async move {
            match api::withdraw_transfer(id).await {
                Ok(_) => reload.run(()),
                Err(f) => message.set(Some(f.message())),
            }
            pending.set(false);
        });
    };
    view! {
        <section class="panel notice" data-test="transfer-waiting">
            <p><strong>{both("转入 ", "Moving to ")}{t.to.name.clone()}</strong></p>
            <p>{both("等待新单位工会审核，结果会通过消息通知您。", "Waiting for the new union; you will be told in your messages.")}</p>
            <p class="form-message" role="alert">{move || message.get()}</p>
            <button type="button" class="btn btn-secondary btn-block" data-test="withdraw-transfer" disabled=move || pending.get() on:click=withdraw>
                {both("撤回申请", "Take it back")}
            </button>
        </section>
    }
}

/// One request in the record.
#[component]
fn Line(t: TransferView) -> impl IntoView {
    let i18n = use_i18n();
    let status = t.status;
    let asked = t.requested_at.clone();
    view! {
        <li class="panel">
            <p><strong>{t.from.name.clone()}" → "{t.to.name.clone()}</strong></p>
            <p class="hint">
                <span class="date">{move || format_date_time(&asked)}</span>" · "
                <span class=format!("status-pill {}", status.as_str()) data-test="transfer-status">{move || status.label(i18n.lang.get())}</span>
            </p>
            {t.note.clone().map(|n| view! { <p>{both("说明：", "Note: ")}{n}</p> })}
        </li>
    }
}
