//! 咨询预约 (`/counselling`): the free times of the union's counsellors
//! (at a service centre or by phone), day by day, for anyone to see and a
//! member to book; above them, the member's open booking with the way to
//! cancel it, and the bookings before. Nothing said is recorded, and a
//! booking is seen only by its member, its counsellor and administrators.
//!
//! Its words are written here in both languages (`both`): the screen lives
//! in the `counselling` chunk, so the first load never carries them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::counselling::{BookingStatus, BookingView, Mode, SlotView};
use unioncard_api::identity::Date;
use unioncard_api::offers::weekday_of;

use crate::api;
use crate::components::shell::SignInFor;
use crate::components::status::{fetched, loaded};
use crate::i18n::{both, tr, use_i18n, Lang};
use crate::session::{use_session, SessionState};

/// Minutes in a day, and China's offset from UTC in minutes.
const DAY_MINUTES: i64 = 1440;
const CHINA_MINUTES: i64 = 480;

/// An RFC 3339 instant as minutes since 1970-01-01 00:00 China time (the
/// contract writes China time; any other offset is turned into it).
fn china_minutes(rfc3339: &str) -> Option<i64> {
    let date = Date::parse_iso(rfc3339.get(..10)?)?;
    let hour: i64 = rfc3339.get(11..13)?.parse().ok()?;
    let minute: i64 = rfc3339.get(14..16)?.parse().ok()?;
    let zone = rfc3339.get(16..)?;
    let offset = match zone.find(['Z', 'z', '+', '-']).map(|i| &zone[i..]) {
        None => CHINA_MINUTES,
        Some(z) if z.starts_with(['Z', 'z']) => 0,
        Some(z) => {
            let h: i64 = z.get(1..3)?.parse().ok()?;
            let m: i64 = z.get(4..6)?.parse().ok()?;
            if z.starts_with('-') {
                -(h * 60 + m)
            } else {
                h * 60 + m
            }
        }
    };
    Some(date.to_days() * DAY_MINUTES + hour * 60 + minute - offset + CHINA_MINUTES)
}

/// The day of a slot as people write it: `12月5日 周六`, `Sat 5 Dec`.
fn day_text(day: i64, lang: Lang) -> String {
    const ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let d = Date::from_days(day);
    let w = weekday_of(day) as usize % 7;
    match lang {
        Lang::Zh => format!("{}月{}日 {}", d.month, d.day, ZH[w]),
        Lang::En => format!(
            "{} {} {}",
            EN[w],
            d.day,
            MONTHS[usize::from(d.month.clamp(1, 12)) - 1]
        ),
    }
}

/// When a slot is: its China day (days since 1970-01-01) and `14:00–14:45`.
fn when(s: &SlotView) -> (i64, String) {
    let start = china_minutes(&s.starts_at).unwrap_or(0);
    let end = start + s.minutes;
    let hm = |m: i64| {
        let m = m.rem_euclid(DAY_MINUTES);
        format!("{:02}:{:02}", m / 60, m % 60)
    };
    (
        start.div_euclid(DAY_MINUTES),
        format!("{}–{}", hm(start), hm(end)),
    )
}

/// The free slots fetched so far and the cursor of the next page.
#[derive(Clone)]
struct Slots {
    items: Vec<SlotView>,
    next: Option<String>,
}

/// `/counselling`.
#[component]
pub fn CounsellingPage() -> impl IntoView {
    let session = use_session();
    let signed_in = Memo::new(move |_| matches!(session.state.get(), SessionState::User(_)));
    let bookings = LocalResource::new(move || {
        let signed_in = signed_in.get();
        async move {
            if !signed_in {
                return Ok(None);
            }
            api::my_bookings().await.map(|p| Some(p.items))
        }
    });
    // Free slots: the first page, then more appended on request.
    let slots = RwSignal::new(None::<Result<Slots, api::Failure>>);
    let more_pending = RwSignal::new(false);
    let fetch = Callback::new(move |after: Option<String>| {
        let more = after.is_some();
        if more {
            more_pending.set(true);
        } else {
            slots.set(None);
        }
        spawn_local(async move {
            let page = api::counselling_slots(after).await;
            slots.update(|s| {
                *s = Some(match (page, s.take()) {
                    (Ok(p), Some(Ok(mut have))) if more => {
                        have.items.extend(p.items);
                        have.next = p.next_cursor;
                        Ok(have)
                    }
                    (Ok(p), _) => Ok(Slots {
                        items: p.items,
                        next: p.next_cursor,
                    }),
                    (Err(f), _) => Err(f),
                })
            });
            more_pending.set(false);
        });
    });
    fetch.run(None);
    // After a booking or a cancel: my bookings and the free slots anew.
    let reload = Callback::new(move |_| {
        bookings.refetch();
        fetch.run(None);
    });
    // Whether the member holds a booking still to come (one at a time).
    let has_open = Signal::derive(move || {
        bookings.get().is_some_and(|r| {
            r.ok()
                .flatten()
                .is_some_and(|b| b.iter().any(|b| b.status == BookingStatus::Booked))
        })
    });
    let just_booked = RwSignal::new(false);
    view! {
        <section class="page">
            <h2>{both("咨询预约", "Book a counsellor")}</h2>
            <p class="intro">{both(
                "工会的心理咨询师和法律顾问免费为职工答疑解惑。可以到服务站点面谈，也可以电话咨询。",
                "The union's counsellors and legal advisers help workers free of charge, in person at a service centre or by phone.",
            )}</p>
            <p class="panel ok-note" data-test="privacy-note">{both(
                "谈话内容不做记录，预约只有您、咨询师和管理员能看到。",
                "Nothing said is recorded; only you, the counsellor and administrators can see a booking.",
            )}</p>
            <div class="load-slot">
                {loaded(bookings, move |mine| match mine {
                    None => view! {
                        <SignInFor why=both("登录后可以预约咨询", "Sign in to book a time")/>
                    }.into_any(),
                    Some(list) => view! { <MyBookings list=list reload=reload just_booked=just_booked/> }.into_any(),
                })}
            </div>
            <h3>{both("可预约的时段", "Times free")}</h3>
            {fetched(
                move || slots.get(),
                Callback::new(move |_| fetch.run(None)),
                |_| None,
                move |s: Slots| {
                    let next = s.next.clone();
                    view! {
                        <FreeSlots items=s.items signed_in=signed_in has_open=has_open reload=reload just_booked=just_booked/>
                        {next.map(|after| view! {
                            <button type="button" class="btn btn-secondary btn-block" data-test="more-slots"
                                disabled=move || more_pending.get()
                                on:click=move |_| fetch.run(Some(after.clone()))>
                                {tr(|s| s.load_more)}
                            </button>
                        })}
                    }
                },
            )}
        </section>
    }
}

/// The member's open booking, then the ones before.
#[component]
fn MyBookings(
    list: Vec<BookingView>,
    reload: Callback<()>,
    just_booked: RwSignal<bool>,
) -> impl IntoView {
    let (open, before): (Vec<_>, Vec<_>) = list
        .into_iter()
        .partition(|b| b.status == BookingStatus::Booked);
    view! {
        {open.into_iter().next().map(|b| view! { <OpenBooking b=b reload=reload just_booked=just_booked/> })}
        {(!before.is_empty()).then(|| view! {
            <h3>{both("以往预约", "Earlier bookings")}</h3>
            <ul class="claim-list" data-test="past-bookings">
                {before.into_iter().map(|b| view! { <PastBooking b=b/> }).collect_view()}
            </ul>
        })}
    }
}

/// Where a slot is: the centre and its address, or by phone.
#[component]
fn Place(s: SlotView) -> impl IntoView {
    let i18n = use_i18n();
    let mode = s.mode;
    view! {
        <p>
            {move || mode.label(i18n.lang.get())}
            {s.centre_name.clone().map(|c| view! { " · "<strong>{c}</strong> })}
            {s.centre_address.clone().map(|a| view! { <br/><small class="hint">{a}</small> })}
        </p>
        <p class="hint">{both("咨询师：", "Counsellor: ")}{s.counsellor.clone()}</p>
    }
}

/// The booking still to come: when, where, with whom; cancelling it.
#[component]
fn OpenBooking(b: BookingView, reload: Callback<()>, just_booked: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let (day, time) = when(&b.slot);
    let confirming = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let id = b.id;
    let by_phone = b.slot.mode == Mode::Phone;
    let cancel = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        spawn_local(async move {
            match api::cancel_booking(id).await {
                Ok(_) => {
                    just_booked.set(false);
                    reload.run(());
                }
                Err(f) => {
                    message.set(Some(f.message()));
                    confirming.set(false);
                    pending.set(false);
                }
            }
        });
    };
    view! {
        <section class="panel status-banner booked" data-test="my-booking">
            <h3>{both("我的预约", "My booking")}</h3>
            <p class="ok-text" role="status" data-test="booked-now">
                {move || just_booked.get().then(|| i18n.lang.get().pick("预约成功", "Booked"))}
            </p>
            <p><strong><span class="date">{move || day_text(day, i18n.lang.get())}</span>" "<span class="num">{time}</span></strong></p>
            <Place s=b.slot.clone()/>
            {by_phone.then(|| view! {
                <p class="hint">{both("咨询师会在约定时间拨打您注册的手机号。", "The counsellor will call your registered mobile at that time.")}</p>
            })}
            {if b.may_cancel {
                view! {
                    <Show when=move || confirming.get() fallback=move || view! {
                        <button type="button" class="btn btn-secondary btn-block" data-test="cancel-booking"
                            on:click=move |_| confirming.set(true)>{both("取消预约", "Cancel the booking")}</button>
                    }>
                        <p class="warn" role="alert">{both("确认取消？这个时段会让给其他职工。", "Cancel it? The time goes to someone else.")}</p>
                        <div class="actions two">
                            <button type="button" class="btn btn-danger" data-test="confirm-cancel"
                                disabled=move || pending.get() on:click=cancel>{both("确认取消", "Yes, cancel")}</button>
                            <button type="button" class="btn btn-secondary" on:click=move |_| confirming.set(false)>
                                {both("不取消", "Keep it")}
                            </button>
                        </div>
                    </Show>
                }.into_any()
            } else {
                view! {
                    <p class="hint" data-test="no-cancel">{both(
                        "开始前 2 小时内不能在线取消，请致电服务站点",
                        "Within two hours of the start it cannot be cancelled here; call the service centre",
                    )}</p>
                }.into_any()
            }}
            <p class="form-message" role="alert" data-test="cancel-message">{move || message.get()}</p>
        </section>
    }
}

/// A booking past or cancelled.
#[component]
fn PastBooking(b: BookingView) -> impl IntoView {
    let i18n = use_i18n();
    let (day, time) = when(&b.slot);
    let (status, mode) = (b.status, b.slot.mode);
    let class = match status {
        BookingStatus::Booked => "booked",
        BookingStatus::Past => "past",
        BookingStatus::Cancelled => "cancelled",
    };
    view! {
        <li class="claim-line">
            <span>
                <span class="date">{move || day_text(day, i18n.lang.get())}</span>" "<span class="num">{time}</span>
                <br/><small>{move || mode.label(i18n.lang.get())}" · "{b.slot.counsellor.clone()}</small>
            </span>
            <span class="claim-right">
                <span class=format!("status-pill {class}")>{move || status.label(i18n.lang.get())}</span>
            </span>
        </li>
    }
}

/// The free slots, day by day, each with its 预约 button for a member.
#[component]
fn FreeSlots(
    items: Vec<SlotView>,
    signed_in: Memo<bool>,
    has_open: Signal<bool>,
    reload: Callback<()>,
    just_booked: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    // The slot being booked, and what the server said of one.
    let booking = RwSignal::new(None::<i64>);
    let said = RwSignal::new(None::<(i64, String)>);
    let book = move |slot: i64| {
        if booking.get_untracked().is_some() {
            return;
        }
        booking.set(Some(slot));
        said.set(None);
        spawn_local(async move {
            match api::book_slot(slot).await {
                Ok(_) => {
                    just_booked.set(true);
                    reload.run(());
                    window().scroll_to_with_x_and_y(0.0, 0.0);
                }
                Err(f) => said.set(Some((slot, f.message()))),
            }
            booking.set(None);
        });
    };
    if items.is_empty() {
        return view! {
            <p class="panel" data-test="no-slots">{both(
                "近期没有空闲的时段，请过几天再来看，或拨打 12351 咨询。",
                "No free times soon; look again in a few days, or call 12351.",
            )}</p>
        }
        .into_any();
    }
    // Consecutive slots of one day under one heading (they come in order).
    let mut days: Vec<(i64, Vec<(SlotView, String)>)> = Vec::new();
    for s in items {
        let (day, time) = when(&s);
        match days.last_mut() {
            Some((d, list)) if *d == day => list.push((s, time)),
            _ => days.push((day, vec![(s, time)])),
        }
    }
    view! {
        {move || has_open.get().then(|| view! {
            <p class="hint" data-test="one-booking">{both(
                "您已有一个预约，取消后才能再约。",
                "You have a booking already; cancel it to book another.",
            )}</p>
        })}
        {days.into_iter().map(|(day, slots)| view! {
            <section class="panel" data-test="slot-day">
                <h4>{move || day_text(day, i18n.lang.get())}</h4>
                <ul class="slot-list">
                    {slots.into_iter().map(|(s, time)| {
                        let id = s.id;
                        view! {
                            <li class="slot" data-test="slot">
                                <div>
                                    <p><strong class="num">{time}</strong></p>
                                    <Place s=s/>
                                </div>
                                {move || signed_in.get().then(|| view! {
                                    <button type="button" class="btn btn-primary" data-test="book"
                                        disabled=move || has_open.get() || booking.get().is_some()
                                        on:click=move |_| book(id)>
                                        {move || if booking.get() == Some(id) {
                                            i18n.lang.get().pick("预约中…", "Booking…")
                                        } else {
                                            i18n.lang.get().pick("预约", "Book")
                                        }}
                                    </button>
                                })}
                                <p class="form-message" role="alert" data-test="book-message">
                                    {move || said.get().filter(|(s, _)| *s == id).map(|(_, m)| m)}
                                </p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }).collect_view()}
    }
    .into_any()
}
