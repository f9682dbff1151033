//! 我的: the masked profile, the card, settings (language, large text), the
//! password change, sign-out.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use unioncard_api::auth::{Me, Role};
use unioncard_api::card::CardStatus;
use unioncard_api::identity::mask_name;
use unioncard_api::Lang;

use crate::components::card_face::CardFace;
use crate::components::status::session_known;
use crate::i18n::{both, endonym, tr};
use crate::i18n::{use_i18n, Strings};
use crate::session::{use_session, SessionState};

fn role_text(s: &Strings, lang: Lang, role: Role) -> &'static str {
    match role {
        Role::Member => s.role_member,
        Role::Cashier => s.role_cashier,
        Role::Officer => s.role_officer,
        Role::Admin => s.role_admin,
        // Few accounts hold these: their words stay out of the shared table.
        Role::Lawyer => lang.pick("工会律师·调解员", "Union lawyer or mediator"),
        Role::Counsellor => lang.pick("咨询师", "Counsellor"),
    }
}

/// The 我的 screen.
#[component]
pub fn MePage() -> impl IntoView {
    let session = use_session();
    // Back from 修改密码: say that it worked (and what it did).
    let query = use_query_map();
    let i18n = use_i18n();
    // Read once, then dropped from the address, so a reload or the back
    // button does not announce the change again.
    let notice = RwSignal::new(false);
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if query.with(|q| q.get("changed").as_deref() == Some("password")) {
            notice.set(true);
            navigate(
                "/me",
                leptos_router::NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    let password_changed =
        move || notice.get() && matches!(session.state.get(), SessionState::User(_));
    view! {
        <section class="page">
            <h2>{both("我的", "Me")}</h2>
            <p class="ok-text" role="status" data-test="me-notice">
                {move || password_changed().then(|| i18n.t().password_changed)}
            </p>
            // Holds a screen's height while the session is asked, so the
            // settings below do not jump when the profile arrives.
            <div class="load-slot">
                {session_known(move || session.state.get(), |_| None, |who| match who {
                    None => view! { <GuestPrompt/> }.into_any(),
                    Some(me) => view! { <Profile me=me/> }.into_any(),
                })}
            </div>
            <Settings/>
        </section>
    }
}

/// Sign in or register, for someone not signed in.
#[component]
pub fn GuestPrompt() -> impl IntoView {
    view! {
        <div class="panel guest">
            <p>{tr(|s| s.me_guest)}</p>
            <div class="actions">
                <A href="/login" attr:class="btn btn-primary">{tr(|s| s.sign_in)}</A>
                <A href="/register" attr:class="btn btn-secondary">{tr(|s| s.register)}</A>
            </div>
        </div>
    }
}

#[component]
fn Profile(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let union_name = me.union.as_ref().map(|u| u.name.clone());
    let role = me.roles.first().copied().unwrap_or(Role::Member);
    let card = me.card.clone().map(|card| {
        view! { <CardFace card=card holder=mask_name(&me.name) union_name=union_name.clone()/> }
    });
    let id_masked = me.id_number_masked.clone();
    let is_member = role == Role::Member;
    view! {
        {card}
        {is_member.then(|| {
            let history = LocalResource::new(crate::api::my_redemptions);
            view! {
                <A href="/me/savings" attr:class="panel saving-total link" attr:data-test="savings-link">
                    <span>{both("今年已省", "Saved this year")}</span>
                    <strong data-test="me-year-saving">
                        {move || history.get().and_then(Result::ok).map(|h| unioncard_api::offers::yuan(h.year_saving_fen))}
                    </strong>
                    <span aria-hidden="true">"›"</span>
                </A>
                <nav class="panel me-links" aria-label=tr(|s| s.services_title)>
                    <a href="/me/messages" data-test="inbox-link">{tr(|s| s.inbox_title)}<span aria-hidden="true">"›"</span></a>
                    <a href="/me/payments" data-test="payments-link">{crate::i18n::both("到账记录", "Money onto my card")}<span aria-hidden="true">"›"</span></a>
                    <a href="/aid/mine" data-test="my-cover-me">{both("我的保障", "My cover")}<span aria-hidden="true">"›"</span></a>
                    <a href="/loans">{both("我的贷款", "My loans")}<span aria-hidden="true">"›"</span></a>
                    <A href="/me/training">{both("我的培训", "My training")}<span aria-hidden="true">"›"</span></A>
                    <a href="/me/transfer" data-test="transfer-link">{crate::i18n::both("转会（换工作单位）", "Moving to another union")}<span aria-hidden="true">"›"</span></a>
                    <a href="/rights" data-test="my-rights-link">{both("我的维权案件", "My rights cases")}<span aria-hidden="true">"›"</span></a>
                    <a href="/counselling" data-test="my-counselling-link">{both("我的咨询预约", "My counselling bookings")}<span aria-hidden="true">"›"</span></a>
                </nav>
            }
        })}
        // Officers, administrators, union lawyers and counsellors work at
        // the desk: its door is here too.
        {matches!(role, Role::Officer | Role::Admin | Role::Lawyer | Role::Counsellor).then(|| view! {
            <nav class="panel me-links" aria-label=tr(|s| s.staff_title)>
                <a href="/staff" rel="external" data-test="desk-link">{tr(|s| s.open_desk)}<span aria-hidden="true">"›"</span></a>
                {(role == Role::Admin).then(|| view! {
                    <a href="/manage" rel="external">{both("管理", "Management")}<span aria-hidden="true">"›"</span></a>
                })}
            </nav>
        })}
        <div class="panel">
            <h3>{both("个人信息", "Profile")}</h3>
            <dl class="facts" data-test="profile">
                <dt>{tr(|s| s.name)}</dt>
                <dd data-test="profile-name">{me.name.clone()}</dd>
                <dt>{tr(|s| s.phone)}</dt>
                <dd data-test="profile-phone">{me.phone_masked.clone()}</dd>
                {id_masked.map(|id| view! {
                    <dt>{tr(|s| s.id_number)}</dt>
                    <dd data-test="profile-id">{id}</dd>
                })}
                <dt>{tr(|s| s.role)}</dt>
                <dd>{move || role_text(i18n.t(), i18n.lang.get(), role)}</dd>
                {union_name.clone().map(|name| view! {
                    <dt>{tr(|s| s.union)}</dt>
                    <dd>{name}</dd>
                })}
            </dl>
            <p class="note">{both("为保护您的隐私，身份证号和手机号只显示部分数字。", "To protect your privacy, only part of your ID and phone numbers is shown.")}</p>
            {me.card.as_ref().filter(|c| c.status != CardStatus::Lost).map(|_| view! { <ReportLost/> })}
            <A href="/me/password" attr:class="btn btn-secondary btn-block" attr:data-test="change-password">
                {tr(|s| s.change_password)}
            </A>
            <button type="button" class="btn btn-secondary btn-block" data-test="sign-out"
                on:click=move |_| session.sign_out()>
                {tr(|s| s.sign_out)}
            </button>
        </div>
    }
}

/// Reporting the card lost: two taps, so it cannot happen by accident.
#[component]
fn ReportLost() -> impl IntoView {
    let session = use_session();
    let confirming = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let confirm = move |_| {
        spawn_local(async move {
            match crate::api::report_lost().await {
                Ok(_) => {
                    crate::ecard::clear();
                    confirming.set(false);
                    session.refresh();
                }
                Err(f) => message.set(Some(f.message())),
            }
        });
    };
    view! {
        <div class="lost-box">
            <p class="note">{both("卡片或手机丢失时请立即挂失，会员码随即失效。", "If the card or phone is lost, report it: its codes stop working at once.")}</p>
            <Show when=move || confirming.get() fallback=move || view! {
                <button type="button" class="btn btn-secondary btn-block" data-test="report-lost"
                    on:click=move |_| confirming.set(true)>{both("挂失会员卡", "Report card lost")}</button>
            }>
                <p class="warn" role="alert">{both("确认挂失？挂失后卡片和会员码都将停止使用，需到所在单位工会补办。", "Report it lost? The card and its codes stop working; your workplace union can reissue it.")}</p>
                <div class="actions">
                    <button type="button" class="btn btn-danger" data-test="confirm-lost" on:click=confirm>
                        {both("确认", "Confirm")}
                    </button>
                    <button type="button" class="btn btn-secondary" on:click=move |_| confirming.set(false)>
                        {tr(|s| s.cancel)}
                    </button>
                </div>
            </Show>
            <p class="form-message" role="alert">{move || message.get()}</p>
        </div>
    }
}

/// Language and text size, available signed in or not.
#[component]
fn Settings() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="panel">
            <h3>{both("设置", "Settings")}</h3>
            <fieldset class="choice">
                <legend>{both("语言 / Language", "Language / 语言")}</legend>
                <label class="check">
                    <input type="radio" name="lang" value="zh-CN"
                        prop:checked=move || i18n.lang.get() == Lang::Zh
                        on:change=move |_| i18n.choose(Lang::Zh)/>
                    <span lang=Lang::Zh.tag()>{endonym(Lang::Zh)}</span>
                </label>
                <label class="check">
                    <input type="radio" name="lang" value="en"
                        prop:checked=move || i18n.lang.get() == Lang::En
                        on:change=move |_| i18n.choose(Lang::En)/>
                    <span lang=Lang::En.tag()>{endonym(Lang::En)}</span>
                </label>
            </fieldset>
            <label class="check switch">
                <input type="checkbox" role="switch" data-test="elder-mode"
                    prop:checked=move || i18n.elder.get()
                    on:change=move |ev| i18n.elder.set(event_target_checked(&ev))/>
                <span>
                    <strong>{tr(|s| s.elder_mode)}</strong>
                    <small>{both("放大全部文字，看得更清楚", "Makes all text bigger and easier to read")}</small>
                </span>
            </label>
        </div>
    }
}
