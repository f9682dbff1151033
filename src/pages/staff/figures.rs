//! 统计数据: the union's figures for a period, the units directly below it
//! ranked (weakest first on request), the monthly trend as a chart drawn here
//! with the same numbers as a table, and the CSV export.

use leptos::prelude::*;
use unioncard_api::offers::yuan;
use unioncard_api::stats::{percent_text, MonthRow, Stats};

use crate::api;
use crate::components::choice::Choice;
use crate::components::status::loaded;
use crate::components::tile::Text;
use crate::i18n::{both, tr, use_i18n};

/// Sortable columns: (query value, label).
const SORTS: [(&str, Text); 5] = [
    ("activation_rate", |s| s.activation_rate_label),
    ("usage_rate", |s| s.usage_rate_label),
    ("issued", |s| s.issued_label),
    ("redemptions", |s| s.redemptions_label),
    ("name", |s| s.union),
];

/// `/staff/figures`.
#[component]
pub fn FiguresPage() -> impl IntoView {
    let i18n = use_i18n();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let sort = RwSignal::new("activation_rate".to_string());
    let weakest = RwSignal::new(false);
    // The query actually shown: changes when the person asks (dates) or at
    // once (sorting), not on every keystroke.
    let period = RwSignal::new(String::new());
    let query = Memo::new(move |_| {
        format!(
            "{}&sort={}&weakest_first={}",
            period.get(),
            sort.get(),
            weakest.get()
        )
    });
    let stats = LocalResource::new(move || {
        let q = query.get();
        async move { api::staff_stats(&q).await }
    });
    let show = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        period.set(format!(
            "from={}&to={}",
            from.get_untracked(),
            to.get_untracked()
        ));
    };
    view! {
        <section class="page figures">
            <h2>{tr(|s| s.figures_title)}</h2>
            <p class="hint">{both("使用数：期内办过一次优惠核销、互助参加、互助金申请、贷款申请或培训报名的会员卡；激活率 = 激活数 ÷ 发卡数；使用率 = 使用数 ÷ 发卡数。", "Used: cards with at least one redemption, aid enrolment, claim, loan application or training sign-up in the period. Activation rate = activated ÷ issued; usage rate = used ÷ issued.")}</p>
            <form class="panel period" on:submit=show>
                <div class="field">
                    <label for="from">{both("开始日期", "From")}</label>
                    <input id="from" type="date" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="to">{both("结束日期", "To")}</label>
                    <input id="to" type="date" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="btn btn-primary">{both("查看", "Show")}</button>
            </form>
            {loaded(stats, move |s| {
                view! { <Figures s=s query=query.get_untracked()/> }.into_any()
            })}
            <h3>{both("下级单位", "Units below")}</h3>
            <div class="sort-row">
                <Choice id="sort" label=tr(|s| s.sort_by) value=sort
                    options=SORTS.into_iter().map(|(v, l)| (v, Signal::derive(move || l(i18n.t()).to_string()))).collect()/>
                <div class="field check">
                    <input type="checkbox" id="weakest_first" prop:checked=move || weakest.get()
                        on:change=move |ev| weakest.set(event_target_checked(&ev))/>
                    <label for="weakest_first">{both("最弱的排前面", "Weakest first")}</label>
                </div>
            </div>
            {move || stats.get().and_then(Result::ok).map(|s| view! { <Breakdown s=s/> })}
        </section>
    }
}

#[component]
fn Figures(s: Stats, query: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = s.totals.clone();
    let (from, to) = (s.from.clone(), s.to.clone());
    let tile = |label: Text, value: String, test: &'static str| figure(tr(label), value, test);
    let money_tile = |(zh, en): (&'static str, &'static str), value: String, test: &'static str| {
        figure(both(zh, en), value, test)
    };
    view! {
        // Each date whole, as people in China write it.
        <h3>{s.name.clone()}" · "
            <span class="date">{move || crate::pages::format_date(&from, i18n.lang.get())}</span>" – "
            <span class="date">{move || crate::pages::format_date(&to, i18n.lang.get())}</span>
        </h3>
        <div class="figure-grid" data-test="totals">
            {tile(|s| s.issued_label, t.issued.to_string(), "issued")}
            {tile(|s| s.activated_label, t.activated.to_string(), "activated")}
            {tile(|s| s.used_label, t.used.to_string(), "used")}
            {tile(|s| s.activation_rate_label, percent_text(t.activation_rate), "activation-rate")}
            {tile(|s| s.usage_rate_label, percent_text(t.usage_rate), "usage-rate")}
            {tile(|s| s.redemptions_label, t.redemptions.to_string(), "redemptions")}
            {tile(|s| s.savings_label, yuan(t.savings_fen), "savings")}
            {tile(|s| s.enrolments_label, t.enrolments.to_string(), "enrolments")}
            {tile(|s| s.claims_paid_label, format!("{} · {}", t.claims, yuan(t.claims_paid_fen)), "claims")}
            {tile(|s| s.loans_label, format!("{} · {}", t.loans, yuan(t.loans_fen)), "loans")}
            {tile(|s| s.signups_label, t.signups.to_string(), "signups")}
            // Union money onto cards: its words live in this chunk (`both`).
            {money_tile(("建档困难户", "Hardship households"), t.hardship_households.to_string(), "hardship-households")}
            {money_tile(("帮扶慰问到卡", "Aid and relief credited"), format!("{} · {}", t.relief_people, yuan(t.relief_fen)), "relief")}
            {money_tile(("金秋助学到卡", "Education aid credited"), format!("{} · {}", t.education_students, yuan(t.education_fen)), "education")}
            {money_tile(("劳模津补贴到卡", "Allowances credited"), format!("{} · {}", t.allowance_people, yuan(t.allowance_fen)), "allowances")}
        </div>
        <h3>{both("维权与服务", "Rights and help")}</h3>
        <div class="figure-grid" data-test="rights-totals">
            {money_tile(("维权案件", "Rights cases"), t.rights_cases.to_string(), "rights-cases")}
            {money_tile(("其中集体案件", "Of them collective"), t.rights_collective.to_string(), "rights-collective")}
            {money_tile(("涉及职工", "Workers"), t.rights_workers.to_string(), "rights-workers")}
            {money_tile(("办结案件", "Cases closed"), t.rights_closed.to_string(), "rights-closed")}
            {money_tile(("为职工追回", "Recovered for workers"), yuan(t.rights_recovered_fen), "rights-recovered")}
            {money_tile(("办结天数（中位数）", "Median days to close"), t.rights_median_days.to_string(), "rights-median-days")}
            {money_tile(("咨询预约", "Counselling bookings"), t.counselling_bookings.to_string(), "counselling-bookings")}
            {money_tile(("转入 / 转出会员", "Moved in / out"), format!("{} / {}", t.transfers_in, t.transfers_out), "transfers")}
        </div>
        {(!s.rights_by_kind.is_empty()).then(|| view! { <RightsByKind rows=s.rights_by_kind.clone()/> })}
        <a class="btn btn-secondary" href=format!("/api/staff/stats.csv?{query}") download data-test="csv">{both("导出 CSV", "Export CSV")}</a>
        <h3>{both("按月趋势", "Month by month")}</h3>
        <Trend months=s.months.clone()/>
    }
}

/// Issued, activated and used per month: grouped bars drawn as SVG, legible
/// on a phone, with the numbers in a table below.
#[component]
fn Trend(months: Vec<MonthRow>) -> impl IntoView {
    let n = months.len().max(1) as f64;
    let top = months
        .iter()
        .map(|m| m.issued.max(m.activated).max(m.used))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (w, h) = (320.0, 140.0);
    let slot = w / n;
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let x = i as f64 * slot;
            let bw = slot / 4.0;
            let bar = |k: f64, v: i64, class: &'static str| {
                let bh = v as f64 / top * (h - 16.0);
                view! { <rect x=x + bw * (0.5 + k) y=h - 14.0 - bh width=bw height=bh class=class/> }
            };
            view! {
                <g>
                    {bar(0.0, m.issued, "bar-issued")}
                    {bar(1.0, m.activated, "bar-activated")}
                    {bar(2.0, m.used, "bar-used")}
                    <text x=x + slot / 2.0 y=h - 2.0 text-anchor="middle" class="axis">{m.month[5..].trim_start_matches('0').to_string()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="panel chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=both("按月趋势", "Month by month")>{bars}</svg>
            <figcaption class="legend">
                <span class="key bar-issued"></span>{tr(|s| s.issued_label)}
                <span class="key bar-activated"></span>{tr(|s| s.activated_label)}
                <span class="key bar-used"></span>{tr(|s| s.used_label)}
            </figcaption>
        </figure>
        <div class="table-scroll" tabindex="0" role="region" aria-label=both("按月趋势", "Month by month")>
            <table class="schedule" data-test="months">
                <thead><tr>
                    <th scope="col">{both("月份", "Month")}</th>
                    <th scope="col">{tr(|s| s.issued_label)}</th>
                    <th scope="col">{tr(|s| s.activated_label)}</th>
                    <th scope="col">{tr(|s| s.used_label)}</th>
                    <th scope="col">{tr(|s| s.redemptions_label)}</th>
                    <th scope="col">{tr(|s| s.savings_label)}</th>
                </tr></thead>
                <tbody>
                    {months.into_iter().map(|m| view! {
                        <tr>
                            <td>{m.month}</td>
                            <td class="num">{m.issued}</td>
                            <td class="num">{m.activated}</td>
                            <td class="num">{m.used}</td>
                            <td class="num">{m.redemptions}</td>
                            <td class="num">{yuan(m.savings_fen)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Breakdown(s: Stats) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=both("下级单位", "Units below")>
            <table class="schedule" data-test="breakdown">
                <thead><tr>
                    <th scope="col">{tr(|s| s.union)}</th>
                    <th scope="col">{tr(|s| s.issued_label)}</th>
                    <th scope="col">{tr(|s| s.activation_rate_label)}</th>
                    <th scope="col">{tr(|s| s.usage_rate_label)}</th>
                    <th scope="col">{tr(|s| s.redemptions_label)}</th>
                    <th scope="col">{tr(|s| s.savings_label)}</th>
                    <th scope="col">{both("建档困难户", "Hardship households")}</th>
                    <th scope="col">{both("帮扶慰问到卡", "Aid and relief credited")}</th>
                    <th scope="col">{both("维权案件", "Rights cases")}</th>
                    <th scope="col">{both("追回金额", "Recovered")}</th>
                    <th scope="col">{both("转入 / 转出", "In / out")}</th>
                </tr></thead>
                <tbody>
                    {s.unions.into_iter().map(|u| view! {
                        <tr>
                            <th scope="row">{u.name}</th>
                            <td class="num">{u.counts.issued}</td>
                            <td class="num">{percent_text(u.counts.activation_rate)}</td>
                            <td class="num">{percent_text(u.counts.usage_rate)}</td>
                            <td class="num">{u.counts.redemptions}</td>
                            <td class="num">{yuan(u.counts.savings_fen)}</td>
                            <td class="num">{u.counts.hardship_households}</td>
                            <td class="num">{yuan(u.counts.relief_fen)}</td>
                            <td class="num">{u.counts.rights_cases}</td>
                            <td class="num">{yuan(u.counts.rights_recovered_fen)}</td>
                            <td class="num">{format!("{} / {}", u.counts.transfers_in, u.counts.transfers_out)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Rights cases reported in the period, by kind and where they stand.
#[component]
fn RightsByKind(rows: Vec<unioncard_api::stats::RightsKindRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=both("维权案件分类", "Rights cases by kind")>
            <table class="schedule" data-test="rights-by-kind">
                <thead><tr>
                    <th scope="col">{both("类别", "Kind")}</th>
                    <th scope="col">{both("待受理", "Waiting")}</th>
                    <th scope="col">{both("办理中", "In hand")}</th>
                    <th scope="col">{both("已转交", "Referred")}</th>
                    <th scope="col">{both("不予受理", "Not taken up")}</th>
                    <th scope="col">{both("已办结", "Closed")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{move || r.kind.label(i18n.lang.get())}</th>
                            <td class="num">{r.submitted}</td>
                            <td class="num">{r.in_progress}</td>
                            <td class="num">{r.referred}</td>
                            <td class="num">{r.declined}</td>
                            <td class="num">{r.closed}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// One figure's tile: its label, and its value (set smaller when too long
/// for the tile, see [`unbroken_len`]).
fn figure(label: impl IntoView, value: String, test: &'static str) -> impl IntoView {
    let long = unbroken_len(&value) > 12;
    view! { <div class="figure"><span>{label}</span><strong class:long=long data-test=test>{value}</strong></div> }
}

/// The longest stretch of a figure that cannot wrap (a number never breaks
/// across lines): a province's "¥567,257,184.77" is wider than a tile at
/// the usual size, so such a figure is set smaller to fit its tile.
fn unbroken_len(value: &str) -> usize {
    value
        .split(' ')
        .map(|part| part.chars().count())
        .max()
        .unwrap_or(0)
}
