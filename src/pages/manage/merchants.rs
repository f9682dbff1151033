//! 商户管理: find a merchant of the officer's unions, add one, edit it, pause
//! or end its contract, add or pause its offers, and disable or restore its
//! cashiers' accounts.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use unioncard_api::offers::{
    yuan, Category, MerchantInput, MerchantStatus, OfferInput, OfferStatus, StaffMerchant,
    EVERY_DAY,
};

use crate::api;
use crate::components::account_access::AccountAccessRow;
use crate::components::choice::Choice;
use crate::components::field::{InputKind, TextField};
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n};
use unioncard_api::money::parse_yuan;

/// `/manage/merchants`.
#[component]
pub fn MerchantsPage() -> impl IntoView {
    let i18n = use_i18n();
    let words = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let list = LocalResource::new(move || {
        let q = query.get();
        async move { api::staff_merchants(&q).await }
    });
    view! {
        <section class="page">
            <h2>{tr(|s| s.manage_merchants)}</h2>
            <A href="/manage/merchants/new" attr:class="btn btn-primary" attr:data-test="new-merchant">{tr(|s| s.new_merchant)}</A>
            <form class="search-row" role="search" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); query.set(words.get_untracked()); }>
                <input type="search" id="merchant_words" aria-label=tr(|s| s.search) prop:value=move || words.get()
                    on:input=move |ev| words.set(event_target_value(&ev))/>
                <button type="submit" class="btn btn-primary">{tr(|s| s.search)}</button>
            </form>
            {loaded(list, move |v| match v {
                p if p.items.is_empty() => view! { <p class="panel">{tr(|s| s.no_results)}</p> }.into_any(),
                p => view! {
                    <ul class="queue" data-test="merchants">
                        {p.items.into_iter().map(|m| {
                            let status = m.status;
                            let class = format!("status-pill {}", status.as_str());
                            view! {
                                <li class="panel request">
                                    <h3><A href=format!("/manage/merchants/{}", m.id) attr:class="list-link">{m.input.name.clone()}</A></h3>
                                    <p class="hint">{m.input.district.clone()}" · "{m.input.address.clone()}</p>
                                    <p><span class=class>{move || status.label(i18n.lang.get())}</span>
                                        " · "{both("优惠", "Offers")}" "<span class="num">{m.offers.len()}</span></p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}

/// `/manage/merchants/new` and `/manage/merchants/:id`.
#[component]
pub fn MerchantPage() -> impl IntoView {
    let params = use_params_map();
    let merchant = LocalResource::new(move || {
        let id: Option<i64> = params.with(|p| p.get("id").and_then(|v| v.parse().ok()));
        async move {
            match id {
                Some(id) => api::staff_merchant(id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let reload = Callback::new(move |_| merchant.refetch());
    view! {
        <section class="page">
            <A href="/manage/merchants" attr:class="back-link">"‹ "{tr(|s| s.manage_merchants)}</A>
            {loaded(merchant, move |m| view! { <MerchantForm existing=m reload=reload/> }.into_any())}
        </section>
    }
}

#[component]
fn MerchantForm(existing: Option<StaffMerchant>, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let base = existing
        .as_ref()
        .map(|m| m.input.clone())
        .unwrap_or(MerchantInput {
            category: "shopping".into(),
            lat: 30.5928,
            lng: 114.3055,
            contract_from: String::new(),
            contract_to: String::new(),
            typical_bill_fen: 10_000,
            ..MerchantInput::default()
        });
    let id = existing.as_ref().map(|m| m.id);
    let name = RwSignal::new(base.name.clone());
    let category = RwSignal::new(base.category.clone());
    let district = RwSignal::new(base.district.clone());
    let address = RwSignal::new(base.address.clone());
    let lat = RwSignal::new(base.lat.to_string());
    let lng = RwSignal::new(base.lng.to_string());
    let hours = RwSignal::new(base.hours.clone());
    let phone = RwSignal::new(base.phone.clone());
    let from = RwSignal::new(base.contract_from.clone());
    let to = RwSignal::new(base.contract_to.clone());
    let bill = RwSignal::new(format!("{}", base.typical_bill_fen / 100));
    let errors = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let message = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let err = move |f: &'static str| Signal::derive(move || errors.get().get(f).cloned());
    let union_id = base.union_id;
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = MerchantInput {
            name: name.get_untracked(),
            category: category.get_untracked(),
            district: district.get_untracked(),
            address: address.get_untracked(),
            lat: lat.get_untracked().trim().parse().unwrap_or(0.0),
            lng: lng.get_untracked().trim().parse().unwrap_or(0.0),
            hours: hours.get_untracked(),
            phone: phone.get_untracked(),
            contract_from: from.get_untracked(),
            contract_to: to.get_untracked(),
            typical_bill_fen: parse_yuan(&bill.get_untracked()).unwrap_or(0),
            union_id,
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            let done = match id {
                Some(id) => api::update_merchant(id, &input).await,
                None => api::create_merchant(&input).await,
            };
            match done {
                Ok(m) => {
                    errors.set(Default::default());
                    message.set(None);
                    saved.set(true);
                    if id.is_none() {
                        navigate(&format!("/manage/merchants/{}", m.id), Default::default());
                    } else {
                        reload.run(());
                    }
                }
                Err(f) => {
                    errors.set(f.fields());
                    saved.set(false);
                    message.set(Some(f.message()));
                }
            }
        });
    };
    let status = existing.as_ref().map(|m| m.status);
    let offers = existing
        .as_ref()
        .map(|m| m.offers.clone())
        .unwrap_or_default();
    let change = move |to: MerchantStatus| {
        if let Some(id) = id {
            spawn_local(async move {
                match api::merchant_status(id, to).await {
                    Ok(_) => reload.run(()),
                    Err(f) => message.set(Some(f.message())),
                }
            });
        }
    };
    view! {
        <h2>{move || if id.is_some() { name.get() } else { i18n.t().new_merchant.to_string() }}</h2>
        {status.map(|s| {
            // The buttons are the moves the shared rule allows from here.
            let moves = s.next().iter().map(|&to| match to {
                MerchantStatus::Paused => view! { <button type="button" class="btn btn-secondary" data-test="pause-merchant" on:click=move |_| change(to)>{tr(|s| s.pause)}</button> }.into_any(),
                MerchantStatus::Active => view! { <button type="button" class="btn btn-secondary" on:click=move |_| change(to)>{tr(|s| s.resume)}</button> }.into_any(),
                MerchantStatus::Ended => view! { <button type="button" class="btn btn-danger" on:click=move |_| change(to)>{both("终止合作", "End contract")}</button> }.into_any(),
            }).collect_view();
            view! {
                <div class="panel actions" data-test="merchant-status">
                    <span class=format!("status-pill {}", s.as_str())>{move || s.label(i18n.lang.get())}</span>
                    {moves}
                </div>
            }
        })}
        <form class="panel" on:submit=save novalidate data-test="merchant-form">
            <TextField id="name" label=tr(|s| s.merchant_name) hint=Signal::derive(|| "") value=name error=err("name") kind=InputKind::TEXT/>
            <Choice id="category" label=both("类别", "Category") value=category
                options=Category::ALL.into_iter().map(|c| (c.as_str(), Signal::derive(move || c.label(i18n.lang.get()).to_string()))).collect()/>
            <TextField id="district" label=both("所在区", "District") hint=Signal::derive(|| "") value=district error=err("district") kind=InputKind::TEXT/>
            <TextField id="address" label=tr(|s| s.address) hint=Signal::derive(|| "") value=address error=err("address") kind=InputKind::TEXT/>
            <TextField id="lat" label=tr(|s| s.latitude) hint=Signal::derive(|| "") value=lat error=err("lat") kind=InputKind::MONEY/>
            <TextField id="lng" label=tr(|s| s.longitude) hint=Signal::derive(|| "") value=lng error=err("lng") kind=InputKind::MONEY/>
            <TextField id="hours" label=tr(|s| s.hours) hint=Signal::derive(|| "") value=hours error=err("hours") kind=InputKind::TEXT/>
            <TextField id="phone" label=both("电话", "Phone") hint=Signal::derive(|| "") value=phone error=err("phone") kind=InputKind::TEXT/>
            <TextField id="contract_from" label=tr(|s| s.contract_from) hint=Signal::derive(|| "") value=from error=err("contract_from") kind=InputKind::DATE/>
            <TextField id="contract_to" label=tr(|s| s.contract_to) hint=Signal::derive(|| "") value=to error=err("contract_to") kind=InputKind::DATE/>
            <TextField id="typical_bill_fen" label=both("一般消费（元）", "Typical bill (yuan)") hint=Signal::derive(|| "") value=bill error=err("typical_bill_fen") kind=InputKind::MONEY/>
            <p class="form-message" role="alert">{move || message.get()}</p>
            <p class="ok-text" role="status">{move || saved.get().then(|| i18n.t().saved_note)}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="save-merchant">{both("保存", "Save")}</button>
        </form>
        {id.map(|id| view! {
            <h3>{both("优惠", "Offers")}</h3>
            <ul class="queue" data-test="merchant-offers">
                {offers.into_iter().map(|o| {
                    let oid = o.id;
                    let st = o.status;
                    let active = st == OfferStatus::Active;
                    let flip = move |_| spawn_local(async move {
                        let _ = api::offer_status(oid, st.toggled()).await;
                        reload.run(());
                    });
                    let class = format!("status-pill {}", st.as_str());
                    // Read in the closure above so the label follows the language switch.
                    let min_spend_fen = o.input.min_spend_fen;
                    view! {
                        <li class="panel request">
                            <strong>{o.input.title.clone()}</strong>" · "
                            <span class=class>{move || st.label(i18n.lang.get())}</span>
                            <p class="hint">{o.input.valid_from.clone()}" – "{o.input.valid_to.clone()}
                                {move || (min_spend_fen > 0).then(|| format!(" · {} {}", i18n.t().min_spend_short, yuan(min_spend_fen)))}</p>
                            <button type="button" class="btn btn-secondary" on:click=flip>
                                {move || if active { i18n.t().pause } else { i18n.t().resume }}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <NewOffer merchant=id reload=reload/>
            <Cashiers merchant=id/>
        })}
    }
}

#[component]
fn NewOffer(merchant: i64, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let title = RwSignal::new(String::new());
    let kind = RwSignal::new("percent".to_string());
    let figure = RwSignal::new(String::new());
    let min = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let errors = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let message = RwSignal::new(None::<String>);
    let err = move |f: &'static str| Signal::derive(move || errors.get().get(f).cloned());
    let figure_error = Signal::derive(move || {
        let e = errors.get();
        e.get("basis_points")
            .or(e.get("amount_fen"))
            .or(e.get("price_fen"))
            .cloned()
    });
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let k = kind.get_untracked();
        let f = figure.get_untracked();
        let input = OfferInput {
            title: title.get_untracked(),
            basis_points: (k == "percent").then(|| parse_yuan(&f).unwrap_or(0)),
            amount_fen: (k == "amount").then(|| parse_yuan(&f).unwrap_or(0)),
            price_fen: (k == "fixed").then(|| parse_yuan(&f).unwrap_or(0)),
            kind: k,
            min_spend_fen: parse_yuan(&min.get_untracked()).unwrap_or(0),
            max_discount_fen: None,
            valid_from: from.get_untracked(),
            valid_to: to.get_untracked(),
            weekdays: EVERY_DAY,
            limit_count: None,
            limit_period: None,
        };
        spawn_local(async move {
            match api::add_offer(merchant, &input).await {
                Ok(_) => reload.run(()),
                Err(f) => {
                    errors.set(f.fields());
                    message.set(Some(f.message()));
                }
            }
        });
    };
    view! {
        <form class="panel" on:submit=add novalidate data-test="offer-form">
            <h3>{both("新增优惠", "New offer")}</h3>
            <TextField id="offer_title" label=tr(|s| s.offer_title) hint=Signal::derive(|| "") value=title error=err("title") kind=InputKind::TEXT/>
            <Choice id="offer_kind" label=both("优惠方式", "Kind") value=kind
                options=vec![
                    ("percent", Signal::derive(move || i18n.t().kind_percent.to_string())),
                    ("amount", Signal::derive(move || i18n.t().kind_amount.to_string())),
                    ("fixed", Signal::derive(move || i18n.t().kind_fixed.to_string())),
                ]/>
            // A percentage is typed as "5" (5% off): basis points are that × 100.
            <TextField id="offer_figure"
                label=Signal::derive(move || match kind.get().as_str() {
                    "percent" => i18n.t().percent_off,
                    "amount" => i18n.t().amount_off,
                    _ => i18n.t().member_price,
                })
                hint=Signal::derive(|| "") value=figure error=figure_error kind=InputKind::MONEY/>
            <TextField id="offer_min" label=both("最低消费（元）", "Minimum spend (yuan)") hint=Signal::derive(|| "") value=min error=err("min_spend_fen") kind=InputKind::MONEY/>
            <TextField id="offer_from" label=tr(|s| s.valid_from) hint=Signal::derive(|| "") value=from error=err("valid_from") kind=InputKind::DATE/>
            <TextField id="offer_to" label=tr(|s| s.valid_to) hint=Signal::derive(|| "") value=to error=err("valid_to") kind=InputKind::DATE/>
            <p class="form-message" role="alert">{move || message.get()}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="add-offer">{both("新增优惠", "New offer")}</button>
        </form>
    }
}

/// The merchant's cashier accounts, each with its disable / restore button.
#[component]
fn Cashiers(merchant: i64) -> impl IntoView {
    let list = LocalResource::new(move || api::merchant_cashiers(merchant));
    view! {
        <section class="panel" data-test="cashiers" aria-labelledby="cashiers-title">
            <h3 id="cashiers-title">{both("收银员账号", "Cashier accounts")}</h3>
            {loaded(list, |accounts| match accounts {
                accounts if accounts.is_empty() => view! {
                    <p data-test="no-cashiers">{both("这家商户还没有收银员账号", "This merchant has no cashier accounts yet")}</p>
                }.into_any(),
                accounts => view! {
                    <ul class="account-list">
                        {accounts.into_iter().map(|a| view! {
                            <li><AccountAccessRow account=a/></li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}
