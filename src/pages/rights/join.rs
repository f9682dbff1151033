//! 加入集体维权 (`/rights/join`): a co-worker joins a collective case with
//! its number and the join code the reporter passed on; a member signed in,
//! or anyone with name, mobile and ID number (whose case then shows here).

use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use unioncard_api::identity::to_half_width;
use unioncard_api::rights::{CaseView, JoinCaseInput, JOIN_CODE_CHARS};

use super::case::CaseDetail;
use super::{Identity, IdentityFields, Problems};
use crate::api;
use crate::components::field::{InputKind, TextField};
use crate::components::status::session_known;
use crate::i18n::{both, use_i18n};
use crate::session::use_session;

/// A case's id from what was typed: its number as said on the phone
/// (`WQ2026-000123`) or the bare id (`123`).
pub fn case_id(typed: &str) -> Option<i64> {
    let s = to_half_width(typed.trim()).to_ascii_uppercase();
    let digits = match s.strip_prefix("WQ") {
        Some(rest) => rest.split_once('-')?.1.to_string(),
        None => s,
    };
    digits.parse().ok().filter(|&id: &i64| id > 0)
}

/// The join code as the reporter reads it out: capitals, no spaces.
fn clean_code(typed: &str) -> String {
    to_half_width(typed)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase()
}

const CASE_NUMBER: InputKind = InputKind {
    input_type: "text",
    inputmode: "text",
    autocomplete: "off",
    maxlength: 20,
};

const JOIN_CODE: InputKind = InputKind {
    input_type: "text",
    inputmode: "text",
    autocomplete: "off",
    maxlength: 8,
};

/// `/rights/join`.
#[component]
pub fn JoinCasePage() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="page narrow">
            <h2>{both("加入集体维权", "Join a collective case")}</h2>
            <p class="intro">{both(
                "工友已经为大家提交了维权案件？填写案件编号和工友发给您的加入码，一起维权，进展您也能看到。",
                "Has a co-worker reported a case for all of you? Enter its number and the join code they sent you to join it and follow how it goes.",
            )}</p>
            <div class="load-slot">
                {session_known(move || session.state.get(), |_| None, |who| view! {
                    <JoinForm signed_in=who.is_some()/>
                })}
            </div>
        </section>
    }
}

#[component]
fn JoinForm(signed_in: bool) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let given = use_query_map().with_untracked(|q| q.get("case").unwrap_or_default());
    let case_ref = RwSignal::new(given);
    let code = RwSignal::new(String::new());
    let who = Identity::new();
    let problems = Problems::new();
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let joined = RwSignal::new(None::<CaseView>);
    // A member already on the case: the way to it.
    let already = RwSignal::new(None::<i64>);
    let send = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let lang = i18n.lang.get_untracked();
        let mut found = BTreeMap::new();
        let id = case_id(&case_ref.get_untracked());
        if id.is_none() {
            found.insert(
                "case".to_string(),
                lang.pick(
                    "请填写案件编号，如 WQ2026-000123",
                    "Enter the case number, e.g. WQ2026-000123",
                )
                .to_string(),
            );
        }
        let typed_code = clean_code(&code.get_untracked());
        if typed_code.chars().count() != JOIN_CODE_CHARS {
            found.insert(
                "code".to_string(),
                lang.pick(
                    "加入码是 6 位字母或数字",
                    "The join code has 6 letters or digits",
                )
                .to_string(),
            );
        }
        if !signed_in {
            who.check(lang, &mut found);
        }
        let Some(id) = id.filter(|_| found.is_empty()) else {
            problems.set(found);
            message.set(Some(i18n.t().form_has_errors.into()));
            crate::pages::account::focus_first_invalid();
            return;
        };
        let [name, phone, id_number] = who.sent(signed_in);
        let input = JoinCaseInput {
            code: typed_code,
            name,
            phone,
            id_number,
        };
        problems.set(BTreeMap::new());
        message.set(None);
        already.set(None);
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::join_case(id, &input).await {
                Ok(c) if signed_in => navigate(&format!("/rights/{}", c.id), Default::default()),
                Ok(c) => {
                    joined.set(Some(c));
                    pending.set(false);
                }
                Err(f) => {
                    if f.code() == "already_joined" && signed_in {
                        already.set(Some(id));
                    }
                    problems.set(f.fields());
                    message.set(Some(f.message()));
                    pending.set(false);
                }
            }
        });
    };
    view! {
        {move || joined.get().map(|c| view! {
            <p class="panel ok-note" role="status" data-test="case-joined-now">{both(
                "已加入。以后在维权求助页面用手机号和身份证号查询进度。",
                "You are on the case. Later, look it up on 维权求助 (rights help) with your mobile and ID numbers.",
            )}</p>
            <CaseDetail c=c/>
        })}
        <form class="panel" on:submit=send novalidate data-test="join-form" hidden=move || joined.get().is_some()>
            <TextField id="case_ref" label=both("案件编号", "Case number")
                hint=both("工友发给您的编号，如 WQ2026-000123", "The number your co-worker sent, e.g. WQ2026-000123")
                value=case_ref error=problems.of("case") kind=CASE_NUMBER on_input=problems.clear("case")/>
            <TextField id="join_code" label=both("加入码", "Join code")
                hint=both("6 位字母或数字", "6 letters or digits")
                value=code error=problems.of("code") kind=JOIN_CODE on_input=problems.clear("code")/>
            {(!signed_in).then(|| view! { <IdentityFields who=who problems=problems/> })}
            <p class="form-message" role="alert" data-test="join-message">{move || message.get()}</p>
            {move || already.get().map(|id| view! {
                <A href=format!("/rights/{id}") attr:class="btn btn-secondary btn-block" attr:data-test="open-joined-case">
                    {both("查看这个案件", "See the case")}
                </A>
            })}
            <button type="submit" class="btn btn-primary btn-block" data-test="join-submit" disabled=move || pending.get()>
                {move || if pending.get() { i18n.t().submitting } else { i18n.lang.get().pick("加入案件", "Join the case") }}
            </button>
        </form>
    }
}
