//! 资金发放 on the desk: the batches of the officer's unions, a new batch
//! (every household on file with an amount per category, a list by ID
//! number, a month's allowances, 金秋助学 awards or mutual-aid claims not
//! yet paid, or the failed lines of a settled batch paid again), and one batch with its total on
//! every step: approval by a second officer (the preparer is told why they
//! cannot), the bank's payment file, the bank's answer, and its lines.
//!
//! Its words are written here in both languages (`both`): this screen lives
//! in its own chunk, and the member app never carries them.

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use unioncard_api::error::Refused;
use unioncard_api::hardship::Category;
use unioncard_api::join::Page;
use unioncard_api::money::parse_yuan;
use unioncard_api::offers::yuan;
use unioncard_api::payments::{
    read_id_list, BatchInput, BatchRule, BatchStatus, BatchView, PaymentLineView, Programme,
    ResultImported,
};

use crate::api;
use crate::components::choice::Choice;
use crate::components::status::loaded;
use crate::i18n::{both, use_i18n};
use crate::pages::format_date_time;
use unioncard_api::Lang;

/// The programmes a campaign or a list pays under; awards, allowances,
/// claims and retries carry their own.
const PROGRAMMES: [Programme; 2] = [Programme::Relief, Programme::Hardship];

/// Who a new batch pays, as the form's choice names it: the rule's
/// programme when the rule decides it.
fn fixed_programme(source: &str) -> Option<Programme> {
    match source {
        "education" => Some(Programme::Education),
        "allowances" => Some(Programme::Allowance),
        "aid_claims" => Some(Programme::AidClaim),
        _ => None,
    }
}

/// `/staff/payments`.
#[component]
pub fn PaymentsPage() -> impl IntoView {
    let batches = LocalResource::new(|| api::payment_batches(None));
    view! {
        <section class="page">
            <h2>{both("资金发放", "Payments onto cards")}</h2>
            <p class="intro">{both(
                "帮扶金、慰问金、助学金和劳模津贴发放到会员卡：一人制单，另一人复核；复核后下载银行代发文件，银行回盘后导入结果，会员随即收到到账消息。",
                "Aid, relief, education aid and allowances paid onto members' cards: one officer prepares, another approves; then the bank's payment file is downloaded, and the bank's answer imported, which tells each member.",
            )}</p>
            <NewBatch batches=batches/>
            <h3>{both("发放批次", "Batches")}</h3>
            {loaded(batches, move |p: Page<BatchView>| match p.items.is_empty() {
                true => view! { <p class="panel">{both("还没有发放批次", "No batches yet")}</p> }.into_any(),
                false => view! {
                    <ul class="queue" data-test="batches">
                        {p.items.into_iter().map(|b| view! { <BatchItem b=b/> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn BatchItem(b: BatchView) -> impl IntoView {
    let i18n = use_i18n();
    let (programme, status) = (b.programme, b.status);
    view! {
        <li class="panel request" data-test="batch">
            <h3><A href=format!("/staff/payments/{}", b.id)>{b.title.clone()}</A></h3>
            <p class="hint">{move || programme.label(i18n.lang.get())}" · "{b.union_name.clone()}</p>
            <p>
                <span class=format!("status-pill {}", status.as_str())>{move || status.label(i18n.lang.get())}</span>" "
                <span class="num">{b.count}</span>{both(" 笔，合计 ", " payments, total ")}<strong class="num">{yuan(b.total_fen)}</strong>
            </p>
        </li>
    }
}

/// An amount typed in yuan; empty is nothing for that category.
fn category_fen(typed: &str) -> Option<i64> {
    if typed.trim().is_empty() {
        Some(0)
    } else {
        parse_yuan(typed)
    }
}

/// A new batch: the households on file with an amount per category, or a
/// settled batch's failed lines paid again.
#[component]
fn NewBatch(batches: LocalResource<Result<Page<BatchView>, api::Failure>>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let programme = RwSignal::new(Programme::Relief.as_str().to_string());
    let title = RwSignal::new(String::new());
    let source = RwSignal::new("households".to_string());
    let deep = RwSignal::new(String::new());
    let relative = RwSignal::new(String::new());
    let accident = RwSignal::new(String::new());
    let retry_of = RwSignal::new(String::new());
    let list = RwSignal::new(String::new());
    // This month in China, whatever the browser's clock zone.
    let month = RwSignal::new({
        let d = crate::clock::today();
        format!("{:04}-{:02}", d.year, d.month)
    });
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    // One key for this form: a double tap or a retry makes one batch.
    let key = StoredValue::new(api::new_key());
    let retryable = move || {
        batches
            .get()
            .and_then(Result::ok)
            .map(|p| {
                p.items
                    .into_iter()
                    .filter(|b| b.status == BatchStatus::Settled && b.failed > 0)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let source_now = source.get_untracked();
        let lang = i18n.lang.get_untracked();
        let mut programme_now =
            Programme::from_db(&programme.get_untracked()).unwrap_or(Programme::Relief);
        let rule = if source_now == "education" {
            BatchRule::EducationAwards
        } else if source_now == "aid_claims" {
            BatchRule::AidClaims
        } else if source_now == "list" {
            match read_id_list(&list.get_untracked()) {
                Ok(lines) => BatchRule::IdList { lines },
                Err(e) => {
                    message.set(Some(e.message(lang)));
                    return;
                }
            }
        } else if source_now == "allowances" {
            BatchRule::Allowances {
                month: month.get_untracked(),
            }
        } else if source_now == "retry" {
            let chosen = retry_of
                .get_untracked()
                .parse()
                .ok()
                .and_then(|id: i64| retryable().into_iter().find(|b| b.id == id));
            match chosen {
                Some(b) => {
                    programme_now = b.programme;
                    BatchRule::Retry { batch_id: b.id }
                }
                None => {
                    message.set(Some(
                        lang.pick("请选择要补发的批次", "Choose the batch to pay again")
                            .into(),
                    ));
                    return;
                }
            }
        } else {
            let amounts = (
                category_fen(&deep.get_untracked()),
                category_fen(&relative.get_untracked()),
                category_fen(&accident.get_untracked()),
            );
            let (Some(deep_fen), Some(relative_fen), Some(accident_fen)) = amounts else {
                message.set(Some(
                    i18n.lang
                        .get_untracked()
                        .pick(
                            "金额请填写数字，例如 500 或 500.00",
                            "Amounts are numbers, e.g. 500 or 500.00",
                        )
                        .into(),
                ));
                return;
            };
            BatchRule::Households {
                deep_fen,
                relative_fen,
                accident_fen,
            }
        };
        let input = BatchInput {
            programme: fixed_programme(&source_now).unwrap_or(programme_now),
            title: title.get_untracked(),
            union_id: None,
            lines: Vec::new(),
            rule: Some(rule),
        };
        pending.set(true);
        message.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::prepare_batch(&input, &key.get_value()).await {
                Ok(made) => navigate(&format!("/staff/payments/{}", made.id), Default::default()),
                Err(e) => {
                    message.set(Some(e.message()));
                    pending.set(false);
                }
            }
        });
    };
    let money_field = move |id: &'static str, c: Category, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{move || c.label(i18n.lang.get())}</label>
                <input id=id inputmode="decimal" autocomplete="off" placeholder="¥"
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <form class="panel" data-test="new-batch" on:submit=submit>
            <h3>{both("新建发放批次", "New batch")}</h3>
            <Choice id="batch_source" label=both("发放对象", "Who is paid") value=source
                options=vec![
                    ("households", Signal::derive(move || i18n.lang.get().pick("建档困难职工（按类别定额）", "Households on file (by category)").to_string())),
                    ("list", Signal::derive(move || i18n.lang.get().pick("名单：按身份证号和金额", "A list by ID number and amount").to_string())),
                    ("allowances", Signal::derive(move || i18n.lang.get().pick("劳模津补贴：某月（按本单位标准）", "Model-worker allowances for a month").to_string())),
                    ("education", Signal::derive(move || i18n.lang.get().pick("金秋助学：已核准未发放", "金秋助学 awards not yet paid").to_string())),
                    ("aid_claims", Signal::derive(move || i18n.lang.get().pick("医疗互助金：已核准未打款", "Mutual-aid claims approved, not yet paid").to_string())),
                    ("retry", Signal::derive(move || i18n.lang.get().pick("补发：已回盘批次中未到账的笔数", "Pay again: a settled batch's failed payments").to_string())),
                ]/>
            {move || matches!(source.get().as_str(), "households" | "list").then(|| view! {
                <Choice id="batch_programme" label=both("发放项目", "Programme") value=programme
                    options=PROGRAMMES.iter().map(|&p| (p.as_str(), Signal::derive(move || p.label(i18n.lang.get()).to_string()))).collect()/>
            })}
            <div class="field">
                <label for="batch_title">{both("批次名称", "Title")}</label>
                <span class="hint" id="batch_title-hint">{both("会员在到账记录和消息里看到这个名称", "Members see this title in their credits and messages")}</span>
                <input id="batch_title" maxlength="60" aria-describedby="batch_title-hint" placeholder=both("例如：2027年春节送温暖", "e.g. 2027 Spring Festival relief")
                    prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            </div>
            {move || if source.get() == "allowances" {
                view! {
                    <div class="field">
                        <label for="allowance_month">{both("月份", "Month")}</label>
                        <input id="allowance_month" type="month" prop:value=move || month.get() on:input=move |ev| month.set(event_target_value(&ev))/>
                        <span class="hint">{both("每月 1 日已按本单位标准自动生成；这里补生成尚未发放的。", "Prepared by itself on the 1st from your standing rates; this prepares any not yet paid.")}</span>
                    </div>
                }.into_any()
            } else if source.get() == "list" {
                view! { <ListField list=list/> }.into_any()
            } else if source.get() == "aid_claims" {
                view! { <p class="hint">{both(
                    "本单位及下级已核准、尚未打款的医疗互助金，每笔按核准金额；银行回盘到账后，理赔自动记为已打款。",
                    "Every mutual-aid claim approved in your unions and not yet paid, each for its approved amount; when the bank credits it, the claim is marked paid.",
                )}</p> }.into_any()
            } else if source.get() == "education" {
                view! { <p class="hint">{both(
                    "本单位及下级已核准、尚未发放的金秋助学，每人按核准金额。",
                    "Every 金秋助学 award approved in your unions and not yet paid, each for its amount.",
                )}</p> }.into_any()
            } else if source.get() == "retry" {
                let options = retryable();
                view! {
                    <div class="field">
                        <label for="retry_of">{both("补发哪个批次", "Batch to pay again")}</label>
                        <select id="retry_of" prop:value=move || retry_of.get() on:change=move |ev| retry_of.set(event_target_value(&ev))>
                            <option value="" disabled=true>{both("请选择", "Choose")}</option>
                            {options.into_iter().map(|b| view! {
                                <option value=b.id.to_string()>{format!("{} · {}", b.title, b.failed)}</option>
                            }).collect_view()}
                        </select>
                        <span class="hint">{both("只补发会员卡已恢复正常（已补办或解冻）的笔数", "Only payments whose card works again (replaced or unfrozen)")}</span>
                    </div>
                }.into_any()
            } else {
                view! {
                    <fieldset class="amounts">
                        <legend>{both("每户金额（不填为不发）", "Amount per household (blank: not paid)")}</legend>
                        {money_field("amount_deep", Category::Deep, deep)}
                        {money_field("amount_relative", Category::Relative, relative)}
                        {money_field("amount_accident", Category::Accident, accident)}
                    </fieldset>
                }.into_any()
            }}
            <p class="form-message" role="alert" data-test="batch-message">{move || message.get()}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="prepare" disabled=move || pending.get()>
                {both("生成批次（待复核）", "Prepare the batch (for approval)")}
            </button>
        </form>
    }
}

/// The list pasted from a spreadsheet, read as it is typed: how many
/// members and what total, or the first row that does not read.
#[component]
fn ListField(list: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let summary = move || {
        let text = list.get();
        if text.trim().is_empty() {
            return None;
        }
        let lang = i18n.lang.get();
        Some(match read_id_list(&text) {
            Ok(lines) => {
                let total = yuan(lines.iter().map(|l| l.amount_fen).sum());
                match lang {
                    Lang::Zh => format!("共 {} 人，合计 {total}", lines.len()),
                    Lang::En => format!("{} members, total {total}", lines.len()),
                }
            }
            Err(e) => e.message(lang),
        })
    };
    view! {
        <div class="field">
            <label for="batch_list">{both("名单", "The list")}</label>
            <span class="hint" id="batch_list-hint">{both(
                "每行一人：“身份证号,金额”或“姓名,身份证号,金额”，可直接从表格粘贴；须为本单位及下级持卡会员，不需要注册过 App。",
                "One member a row: \"ID number, amount\" or \"name, ID number, amount\", pasted from a spreadsheet; card-holding members of your unions, with or without the app.",
            )}</span>
            <textarea id="batch_list" rows="6" aria-describedby="batch_list-hint batch_list-summary" spellcheck="false"
                placeholder="李娜,420106199207082342,500"
                prop:value=move || list.get() on:input=move |ev| list.set(event_target_value(&ev))></textarea>
            <span class="hint num" id="batch_list-summary" aria-live="polite" data-test="list-summary">{summary}</span>
        </div>
    }
}

/// `/staff/payments/:id`.
#[component]
pub fn BatchPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0i64));
    let batch = LocalResource::new(move || api::payment_batch(id()));
    // The bank answer's outcome outlives the reload its import causes.
    let outcome = RwSignal::new(None::<Result<ResultImported, String>>);
    view! {
        <section class="page">
            <A href="/staff/payments" attr:class="back-link">"‹ "{both("资金发放", "Payments onto cards")}</A>
            {loaded(batch, move |b| view! {
                <BatchHead b=b.clone()/>
                <Steps b=b.clone() outcome=outcome reload=Callback::new(move |_| batch.refetch())/>
                <Lines id=b.id/>
            }.into_any())}
        </section>
    }
}

/// The batch's figures and who did each step.
#[component]
fn BatchHead(b: BatchView) -> impl IntoView {
    let i18n = use_i18n();
    let (programme, status) = (b.programme, b.status);
    let when = |at: &Option<String>| at.as_deref().map(format_date_time);
    let approved = b
        .approved_by
        .clone()
        .map(|who| format!("{who} {}", when(&b.approved_at).unwrap_or_default()));
    let prepared = format!("{} {}", b.prepared_by, format_date_time(&b.prepared_at));
    view! {
        <h2 data-test="batch-title">{b.title.clone()}</h2>
        <p class="hint">{move || programme.label(i18n.lang.get())}" · "{b.union_name.clone()}</p>
        <p><span class=format!("status-pill {}", status.as_str()) data-test="batch-status">{move || status.label(i18n.lang.get())}</span></p>
        <dl class="facts panel" data-test="batch-figures">
            <dt>{both("合计", "Total")}</dt><dd class="num" data-test="batch-total">{yuan(b.total_fen)}</dd>
            <dt>{both("笔数", "Payments")}</dt><dd class="num">{b.count}</dd>
            <dt>{both("已到账", "Credited")}</dt><dd class="num" data-test="batch-credited">{format!("{} · {}", b.credited, yuan(b.credited_fen))}</dd>
            <dt>{both("未到账", "Not credited")}</dt><dd class="num" data-test="batch-failed">{b.failed}</dd>
            <dt>{both("卡片冻结或挂失", "Cards frozen or lost")}</dt><dd class="num">{b.flagged}</dd>
            <dt>{both("制单", "Prepared by")}</dt><dd>{prepared}</dd>
            <dt>{both("复核", "Approved by")}</dt><dd data-test="batch-approver">{approved.unwrap_or_else(|| "—".into())}</dd>
            {when(&b.sent_at).map(|t| view! { <dt>{both("报送银行", "Sent to the bank")}</dt><dd>{t}</dd> })}
            {when(&b.settled_at).map(|t| view! { <dt>{both("银行回盘", "Settled")}</dt><dd>{t}</dd> })}
            {b.retry_of.map(|r| view! { <dt>{both("补发自", "Pays again from")}</dt><dd><A href=format!("/staff/payments/{r}")>{format!("#{r}")}</A></dd> })}
        </dl>
    }
}

/// What can be done with the batch now.
#[component]
fn Steps(
    b: BatchView,
    outcome: RwSignal<Option<Result<ResultImported, String>>>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let id = b.id;
    let total = b.total_fen;
    let banks = b.banks.clone();
    let several = banks.len() > 1;
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let done = move |r: Result<BatchView, api::Failure>| {
        pending.set(false);
        match r {
            Ok(_) => reload.run(()),
            Err(e) => message.set(Some(e.message())),
        }
    };
    let approve = move |_| {
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        pending.set(true);
        message.set(None);
        spawn_local(async move { done(api::approve_batch(id, total).await) });
    };
    let cancel = move |_| {
        pending.set(true);
        message.set(None);
        spawn_local(async move { done(api::cancel_batch(id).await) });
    };
    let confirm_text = match i18n.lang.get_untracked() {
        crate::i18n::Lang::Zh => format!("确认复核：共 {} 笔，合计 {}", b.count, yuan(total)),
        crate::i18n::Lang::En => format!("Approve {} payments, {} in all", b.count, yuan(total)),
    };
    let retry_title = format!(
        "{}{}",
        b.title,
        i18n.lang.get_untracked().pick("（补发）", " (paid again)")
    );
    let programme = b.programme;
    let retry = move |_| {
        pending.set(true);
        message.set(None);
        let input = BatchInput {
            programme,
            title: retry_title.chars().take(60).collect(),
            union_id: None,
            lines: Vec::new(),
            rule: Some(BatchRule::Retry { batch_id: id }),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::prepare_batch(&input, &api::new_key()).await {
                Ok(made) => navigate(&format!("/staff/payments/{}", made.id), Default::default()),
                Err(e) => {
                    message.set(Some(e.message()));
                    pending.set(false);
                }
            }
        });
    };
    let flagged = b.flagged;
    let body = match b.status {
        BatchStatus::Prepared if b.you_may_approve => view! {
            <div class="panel decision" data-test="approve-panel">
                {(flagged > 0).then(|| view! {
                    <p class="warn-note" data-test="flagged">{move || match i18n.lang.get() {
                        crate::i18n::Lang::Zh => format!("其中 {flagged} 张会员卡已冻结或挂失，银行可能退回这些笔数，回盘后可补发。"),
                        crate::i18n::Lang::En => format!("{flagged} of these cards are frozen or lost: the bank may refuse them; they can be paid again after."),
                    }}</p>
                })}
                {move || confirming.get().then(|| view! { <p class="ok-note" data-test="confirm-total"><strong>{confirm_text.clone()}</strong></p> })}
                <div class="actions">
                    <button type="button" class="btn btn-primary" data-test="approve" disabled=move || pending.get() on:click=approve>
                        {move || if confirming.get() { i18n.lang.get().pick("确认无误，复核通过", "Confirm and approve") } else { i18n.lang.get().pick("复核通过", "Approve") }}
                    </button>
                    <button type="button" class="btn btn-secondary" data-test="cancel" disabled=move || pending.get() on:click=cancel>{both("撤销批次", "Withdraw")}</button>
                </div>
            </div>
        }.into_any(),
        BatchStatus::Prepared => view! {
            <div class="panel decision" data-test="approve-panel">
                <p class="hint" data-test="four-eyes">{both(
                    "您是这个批次的制单人：须由本工会或上级工会的另一位工作人员复核后才能发放。",
                    "You prepared this batch: another officer of this union or one above must approve it before it is paid.",
                )}</p>
                <button type="button" class="btn btn-secondary btn-block" data-test="cancel" disabled=move || pending.get() on:click=cancel>{both("撤销批次", "Withdraw")}</button>
            </div>
        }.into_any(),
        BatchStatus::Approved | BatchStatus::Sent | BatchStatus::Settled => view! {
            <div class="panel" data-test="bank-panel">
                <a class="btn btn-primary btn-block" data-test="bank-file" download=format!("unioncard-payments-{id}.csv")
                    href=format!("/api/staff/payments/batches/{id}/bank-file")
                    on:click=move |_| set_timeout(move || reload.run(()), std::time::Duration::from_millis(1500))>
                    {move || if several { i18n.lang.get().pick("下载全部代发文件（一个文件）", "Download one file for every bank") } else { i18n.lang.get().pick("下载银行代发文件", "Download the bank's payment file") }}
                </a>
                {several.then(|| view! {
                    <p class="hint">{both("会员卡分属几家银行，可按银行分别下载，各自报送；各家回盘文件分别导入即可。", "The cards are of several banks: download each bank's file to send to it, and import each bank's answer as it comes.")}</p>
                    <ul class="bank-files" data-test="bank-files">
                        {banks.iter().map(|share| {
                            let href = format!("/api/staff/payments/batches/{id}/bank-file?bank={}", js_sys::encode_uri_component(&share.bank));
                            let name = format!("unioncard-payments-{id}-{}.csv", share.bank);
                            view! {
                                <li><a class="btn btn-secondary btn-block" data-test="bank-file-part" href=href download=name
                                    on:click=move |_| set_timeout(move || reload.run(()), std::time::Duration::from_millis(1500))>
                                    {let (bank, count, total) = (share.bank.clone(), share.count, yuan(share.total_fen));
                                     move || match i18n.lang.get() {
                                        Lang::Zh => format!("{bank} · {count} 笔 · {total}"),
                                        Lang::En => format!("{bank} · {count} · {total}"),
                                    }}
                                </a></li>
                            }
                        }).collect_view()}
                    </ul>
                })}
                <p class="hint">{both(
                    "文件列：account,name,amount,reference（UTF-8）。银行回盘文件为同样的列再加 result 列：success 或银行的失败原因。",
                    "Columns: account,name,amount,reference (UTF-8). The bank's answer has the same columns plus result: success or its reason.",
                )}</p>
                {(b.status != BatchStatus::Approved).then(|| view! { <ImportResult id=id outcome=outcome reload=reload/> })}
                {(b.status == BatchStatus::Settled && b.failed > 0).then(|| view! {
                    <button type="button" class="btn btn-secondary btn-block" data-test="retry" disabled=move || pending.get() on:click=retry>
                        {both("补发未到账的笔数（新批次，需复核）", "Pay the failed ones again (a new batch, to approve)")}
                    </button>
                })}
            </div>
        }.into_any(),
        BatchStatus::Cancelled => view! { <p class="panel">{both("这个批次已撤销，没有发放。", "This batch was withdrawn; nothing was paid.")}</p> }.into_any(),
    };
    view! {
        {body}
        <p class="form-message" role="alert" data-test="step-message">{move || message.get()}</p>
    }
}

/// Importing the bank's answer.
#[component]
fn ImportResult(
    id: i64,
    outcome: RwSignal<Option<Result<ResultImported, String>>>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let file_input = NodeRef::<Input>::new();
    let pending = RwSignal::new(false);
    let upload = move |_| {
        let Some(file) = file_input
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        else {
            outcome.set(Some(Err(i18n.t().choose_file.into())));
            return;
        };
        pending.set(true);
        outcome.set(None);
        spawn_local(async move {
            let r = api::import_bank_result(id, &file).await;
            pending.set(false);
            let ok = r.is_ok();
            outcome.set(Some(r.map_err(|e| e.message())));
            if ok {
                reload.run(());
            }
        });
    };
    view! {
        <div class="field">
            <label for="bank_result">{both("导入银行回盘文件", "Import the bank's answer")}</label>
            <input id="bank_result" type="file" accept=".csv,text/csv" node_ref=file_input/>
        </div>
        <button type="button" class="btn btn-secondary btn-block" data-test="import-result" disabled=move || pending.get() on:click=upload>
            {both("导入", "Import")}
        </button>
        <p role="status" data-test="import-outcome">{move || outcome.get().map(|o| match o {
            Ok(r) => match i18n.lang.get() {
                crate::i18n::Lang::Zh => format!("到账 {} 笔，未到账 {} 笔，此前已处理 {} 笔", r.credited, r.failed, r.unchanged),
                crate::i18n::Lang::En => format!("{} credited, {} failed, {} already answered", r.credited, r.failed, r.unchanged),
            },
            Err(m) => m,
        })}</p>
    }
}

/// The batch's lines: all, the failed ones, or those on a frozen or lost card.
#[component]
fn Lines(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let only = RwSignal::new("");
    let lines = RwSignal::new(Vec::<PaymentLineView>::new());
    let next = RwSignal::new(None::<String>);
    let load = move |cursor: Option<String>| {
        spawn_local(async move {
            if let Ok(p) = api::payment_lines(id, only.get_untracked(), cursor.clone()).await {
                if cursor.is_none() {
                    lines.set(p.items);
                } else {
                    lines.update(|l| l.extend(p.items));
                }
                next.set(p.next_cursor);
            }
        });
    };
    Effect::new(move |_| {
        only.track();
        load(None);
    });
    let filters: [(&'static str, &'static str, &'static str); 3] = [
        ("", "全部", "All"),
        ("failed", "未到账", "Failed"),
        ("flagged", "卡片异常", "Card frozen or lost"),
    ];
    view! {
        <h3>{both("发放明细", "Payments")}</h3>
        <div class="chips" role="group" aria-label=both("筛选", "Filter")>
            {filters.into_iter().map(|(f, zh, en)| view! {
                <button type="button" class="chip" aria-pressed=move || (only.get() == f).to_string() on:click=move |_| only.set(f)>
                    {move || i18n.lang.get().pick(zh, en)}
                </button>
            }).collect_view()}
        </div>
        <ul class="queue" data-test="payment-lines">
            {move || lines.get().into_iter().map(|l| {
                let st = l.status;
                view! {
                    <li class="panel request" data-test="payment-line">
                        <p><strong>{l.member_name.clone()}</strong>" · "<span class="hint">{l.union_name.clone()}</span></p>
                        <p>
                            <span class="num">{l.card_no_masked.clone()}</span>
                            {l.card_flagged.then(|| view! { " "<span class="status-pill rejected">{both("卡片异常", "Card frozen or lost")}</span> })}
                        </p>
                        <p>
                            <strong class="num">{yuan(l.amount_fen)}</strong>" "
                            <span class=format!("status-pill {}", st.as_str())>{move || st.label(i18n.lang.get())}</span>
                            {l.reason.clone().map(|r| view! { " "<span data-test="line-reason">{r}</span> })}
                        </p>
                        <p class="hint num">{l.reference.clone()}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
        {move || next.get().map(|c| view! {
            <button type="button" class="btn btn-secondary btn-block" on:click=move |_| load(Some(c.clone()))>{both("加载更多", "Load more")}</button>
        })}
    }
}
