//! 咨询预约 at the desk (`/staff/counselling`), for counsellors (and
//! administrators, who see every counsellor in their unions): one day's
//! slots with who booked each, a day back or on; publishing slots (one, or
//! several in a row, at a service centre or by phone); withdrawing a slot
//! nobody has booked. What is said in a consultation is never written
//! down here. Its words are written here (`both`): the screen lives in its
//! own chunk.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::centres::{CentreView, Service};
use unioncard_api::counselling::{Mode, SlotInput, SlotView, MAX_SLOTS_AT_ONCE};
use unioncard_api::identity::Date;
use unioncard_api::join::Page;
use unioncard_api::Lang;

use crate::api;
use crate::components::reveal_phone::RevealPhone;
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n};
use crate::pages::format_date;

/// Problems by field, as the server's 422 and the shared checks give them.
type Fields = BTreeMap<String, String>;

/// The lengths offered, in minutes (the shared rule allows 15 to 180).
const LENGTHS: [i64; 6] = [30, 45, 50, 60, 90, 120];

/// Minutes in a day.
const DAY_MINUTES: i64 = 24 * 60;

/// `HH:MM` as minutes after midnight.
fn minutes_of(hm: &str) -> Option<i64> {
    let (h, m) = hm.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

/// Minutes after midnight as `HH:MM` (past midnight wraps).
fn clock(minutes: i64) -> String {
    let m = minutes.rem_euclid(DAY_MINUTES);
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// A slot's time as `09:00–09:50` (its start is China time, as the server
/// writes it).
fn slot_time(s: &SlotView) -> String {
    let start = s
        .starts_at
        .split_once('T')
        .and_then(|(_, t)| minutes_of(t.get(..5)?));
    match start {
        Some(m) => format!("{}–{}", clock(m), clock(m + s.minutes)),
        None => s.starts_at.clone(),
    }
}

/// The start times of `count` slots in a row from `date` at `start`, each
/// `minutes` long, in RFC 3339 China time (a row past midnight goes on
/// into the next day).
fn starts(date: Date, start: i64, minutes: i64, count: i64) -> Vec<String> {
    (0..count)
        .map(|i| {
            let at = start + i * minutes;
            format!(
                "{}T{}:00+08:00",
                date.add_days(at.div_euclid(DAY_MINUTES)).iso(),
                clock(at)
            )
        })
        .collect()
}

/// `/staff/counselling`.
#[component]
pub fn CounsellingDeskPage() -> impl IntoView {
    let i18n = use_i18n();
    let day = RwSignal::new(crate::clock::today().iso());
    let slots = LocalResource::new(move || {
        let d = day.get();
        async move { api::staff_slots(&d).await }
    });
    let shift = move |days: i64| {
        if let Some(d) = Date::parse_iso(&day.get_untracked()) {
            day.set(d.add_days(days).iso());
        }
    };
    let published = Callback::new(move |date: String| {
        if day.get_untracked() == date {
            slots.refetch();
        } else {
            day.set(date);
        }
    });
    view! {
        <section class="page">
            <h2>{both("咨询预约", "Counselling")}</h2>
            <p class="intro" data-test="not-recorded">{both(
                "会员预约的咨询时段。预约只有会员本人、咨询师和管理员能看到；谈话内容不做记录。",
                "The slots members book. A booking is seen only by its member, the counsellor and administrators; what is said is not recorded.",
            )}</p>
            <div class="panel">
                <div class="field">
                    <label for="slots-day">{both("日期", "Day")}</label>
                    <input id="slots-day" type="date" data-test="slots-day" prop:value=move || day.get()
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if Date::parse_iso(&v).is_some() {
                                day.set(v);
                            }
                        }/>
                </div>
                <div class="actions two">
                    <button type="button" class="btn btn-secondary" data-test="prev-day" on:click=move |_| shift(-1)>{both("‹ 前一天", "‹ Day before")}</button>
                    <button type="button" class="btn btn-secondary" data-test="next-day" on:click=move |_| shift(1)>{both("后一天 ›", "Day after ›")}</button>
                </div>
            </div>
            <h3>{move || format_date(&day.get(), i18n.lang.get())}</h3>
            {loaded(slots, move |p: Page<SlotView>| match p.items.is_empty() {
                true => view! { <p class="panel">{both("这一天没有发布的时段", "No slots on this day")}</p> }.into_any(),
                false => view! {
                    <ul class="queue" data-test="slots">
                        {p.items.into_iter().map(|s| view! { <SlotRow s=s reload=Callback::new(move |_| slots.refetch())/> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
            <Publish day=day published=published/>
        </section>
    }
}

#[component]
fn SlotRow(s: SlotView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (id, mode, booked) = (s.id, s.mode, s.booked);
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let withdraw = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        message.set(None);
        spawn_local(async move {
            match api::withdraw_slot(id).await {
                Ok(()) => reload.run(()),
                Err(f) => {
                    message.set(Some(f.message()));
                    pending.set(false);
                }
            }
        });
    };
    let place = [s.centre_name.clone(), s.centre_address.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <li class="panel request" data-test="slot-row">
            <h3><span class="num">{slot_time(&s)}</span>" · "{move || mode.label(i18n.lang.get())}</h3>
            {(!place.is_empty()).then(|| view! { <p class="hint">{place}</p> })}
            <p class="hint">{both("咨询师", "Counsellor")}" "{s.counsellor.clone()}</p>
            {if booked {
                view! {
                    <p>
                        <span class="status-pill approved" data-test="slot-booked">{both("已预约", "Booked")}</span>" "
                        <strong>{s.member.clone()}</strong>
                        {s.member_phone.clone().map(|p| view! { " · "<span class="num">{p}</span> })}
                    </p>
                    <RevealPhone fetch=move || api::slot_contact(id) test="member-phone"/>
                }.into_any()
            } else {
                view! {
                    <p><span class="status-pill" data-test="slot-free">{both("空闲", "Free")}</span></p>
                    <button type="button" class="btn btn-secondary" data-test="withdraw-slot"
                        disabled=move || pending.get() on:click=withdraw>{both("撤回这个时段", "Withdraw this slot")}</button>
                    <p class="form-message" role="alert">{move || message.get()}</p>
                }.into_any()
            }}
        </li>
    }
}

/// Publishing slots: a day, the first start, how many in a row, how long,
/// and where.
#[component]
fn Publish(day: RwSignal<String>, published: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let date = RwSignal::new(day.get_untracked());
    // The form offers the day being looked at.
    Effect::new(move |_| date.set(day.get()));
    let start = RwSignal::new("09:00".to_string());
    let count = RwSignal::new("1".to_string());
    let minutes = RwSignal::new("45".to_string());
    let mode = RwSignal::new(Mode::Centre.as_str().to_string());
    let centre = RwSignal::new(String::new());
    let errors = RwSignal::new(Fields::new());
    let message = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let centres = LocalResource::new(|| api::centres(None, Some(Service::Counselling)));
    let in_person = move || mode.get() == Mode::Centre.as_str();
    let err = move |f: &'static str| move || errors.get().get(f).cloned();
    let invalid = move |f: &'static str| move || errors.with(|e| e.contains_key(f));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let lang = i18n.lang.get_untracked();
        let mut e = Fields::new();
        let on = Date::parse_iso(&date.get_untracked());
        if on.is_none() {
            e.insert(
                "date".into(),
                lang.pick("请选择日期", "Choose a day").into(),
            );
        }
        let at = minutes_of(&start.get_untracked());
        if at.is_none() {
            e.insert(
                "starts".into(),
                lang.pick(
                    "请填写开始时间，例如 09:00",
                    "Give a start time, e.g. 09:00",
                )
                .into(),
            );
        }
        let n = count
            .get_untracked()
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_SLOTS_AT_ONCE as i64).contains(n));
        if n.is_none() {
            e.insert(
                "count".into(),
                match lang {
                    Lang::Zh => format!("请填写 1 到 {MAX_SLOTS_AT_ONCE} 之间的数"),
                    Lang::En => format!("A number from 1 to {MAX_SLOTS_AT_ONCE}"),
                },
            );
        }
        let len = minutes.get_untracked().parse::<i64>().unwrap_or(0);
        let (Some(on), Some(at), Some(n)) = (on, at, n) else {
            errors.set(e);
            return;
        };
        let input = SlotInput {
            starts: starts(on, at, len, n),
            minutes: len,
            mode: mode.get_untracked(),
            centre_id: centre.get_untracked().parse().ok(),
        };
        // The shared rule: in the future, within the weeks ahead allowed,
        // a length allowed, a centre when in person.
        if let Err(p) = input.parse((js_sys::Date::now() / 1000.0) as i64) {
            errors.set(p.to_map(lang));
            return;
        }
        errors.set(Fields::new());
        message.set(None);
        done.set(None);
        pending.set(true);
        let published_on = on.iso();
        spawn_local(async move {
            match api::publish_slots(&input).await {
                Ok(p) => {
                    let n = p.items.len();
                    done.set(Some(match lang {
                        Lang::Zh => format!("已发布 {n} 个时段"),
                        Lang::En if n == 1 => "1 slot published".into(),
                        Lang::En => format!("{n} slots published"),
                    }));
                    published.run(published_on);
                }
                Err(f) => {
                    errors.set(f.fields());
                    message.set(Some(f.message()));
                }
            }
            pending.set(false);
        });
    };
    view! {
        <form class="panel" on:submit=submit novalidate data-test="publish-slots">
            <h3>{both("发布咨询时段", "Publish slots")}</h3>
            <p class="hint">{both(
                "可一次发布同一天连续的多个时段；会员在手机上预约，开始前 2 小时内不能在线取消。",
                "Several slots in a row can be published at once; members book on their phones and cannot cancel online within two hours of the start.",
            )}</p>
            <div class="field" class:invalid=invalid("date")>
                <label for="publish-date">{both("日期", "Day")}</label>
                <input id="publish-date" type="date" data-test="publish-date" aria-describedby="publish-date-error"
                    prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev))/>
                <span class="field-error" id="publish-date-error" aria-live="polite">{err("date")}</span>
            </div>
            <div class="field" class:invalid=invalid("starts")>
                <label for="publish-start">{both("第一个时段开始时间", "First slot starts at")}</label>
                <input id="publish-start" type="time" step="300" data-test="publish-start" aria-describedby="publish-start-error"
                    prop:value=move || start.get() on:input=move |ev| start.set(event_target_value(&ev))/>
                <span class="field-error" id="publish-start-error" aria-live="polite">{err("starts")}</span>
            </div>
            <div class="field" class:invalid=invalid("count")>
                <label for="publish-count">{both("连续时段数", "Slots in a row")}</label>
                <input id="publish-count" type="text" inputmode="numeric" maxlength="2" data-test="publish-count" aria-describedby="publish-count-error"
                    prop:value=move || count.get() on:input=move |ev| count.set(event_target_value(&ev))/>
                <span class="field-error" id="publish-count-error" aria-live="polite">{err("count")}</span>
            </div>
            <div class="field" class:invalid=invalid("minutes")>
                <label for="publish-minutes">{both("每个时段时长", "Length of each")}</label>
                <select id="publish-minutes" data-test="publish-minutes" aria-describedby="publish-minutes-error"
                    prop:value=move || minutes.get() on:change=move |ev| minutes.set(event_target_value(&ev))>
                    {LENGTHS.into_iter().map(|m| view! {
                        <option value=m.to_string()>{move || match i18n.lang.get() {
                            Lang::Zh => format!("{m} 分钟"),
                            Lang::En => format!("{m} minutes"),
                        }}</option>
                    }).collect_view()}
                </select>
                <span class="field-error" id="publish-minutes-error" aria-live="polite">{err("minutes")}</span>
            </div>
            <div class="field" class:invalid=invalid("mode")>
                <label for="publish-mode">{both("咨询方式", "How")}</label>
                <select id="publish-mode" data-test="publish-mode" aria-describedby="publish-mode-error"
                    prop:value=move || mode.get() on:change=move |ev| mode.set(event_target_value(&ev))>
                    {[Mode::Centre, Mode::Phone].into_iter().map(|m| view! {
                        <option value=m.as_str()>{move || m.label(i18n.lang.get())}</option>
                    }).collect_view()}
                </select>
                <span class="field-error" id="publish-mode-error" aria-live="polite">{err("mode")}</span>
            </div>
            <Show when=in_person>
                {loaded(centres, move |p: Page<CentreView>| view! {
                    <div class="field" class:invalid=invalid("centre_id")>
                        <label for="publish-centre">{both("服务站点", "Service centre")}</label>
                        <select id="publish-centre" data-test="publish-centre" aria-describedby="publish-centre-error"
                            prop:value=move || centre.get() on:change=move |ev| centre.set(event_target_value(&ev))>
                            <option value="" disabled=true>{tr(|s| s.choose)}</option>
                            {p.items.into_iter().map(|c| view! {
                                <option value=c.id.to_string()>{c.name}" · "{c.district}</option>
                            }).collect_view()}
                        </select>
                        <span class="field-error" id="publish-centre-error" aria-live="polite">{err("centre_id")}</span>
                    </div>
                })}
            </Show>
            <p class="form-message" role="alert" data-test="publish-message">{move || message.get()}</p>
            <p class="ok-text" role="status" data-test="publish-done">{move || done.get()}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="publish-submit" disabled=move || pending.get()>
                {both("发布", "Publish")}
            </button>
        </form>
    }
}
