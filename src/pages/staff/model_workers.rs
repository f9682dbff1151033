//! 劳模津补贴 on the desk (`/staff/model-workers`): the union's standing
//! allowance per level (each month's batch is prepared from it in the name
//! of the officer who set it, for another to approve), the register of the
//! officer's unions with each worker's allowance, putting a member on it by
//! ID number, and taking one off. Its words are written here (`both`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::allowances::{ModelLevel, ModelWorkerInput, ModelWorkerView, Rates};
use unioncard_api::money::parse_yuan;
use unioncard_api::offers::yuan;

use crate::api;
use crate::components::choice::Choice;
use crate::components::status::loaded;
use crate::i18n::{both, use_i18n};

/// `/staff/model-workers`.
#[component]
pub fn ModelWorkersPage() -> impl IntoView {
    let register = LocalResource::new(api::model_workers);
    let reload = Callback::new(move |_| register.refetch());
    view! {
        <section class="page">
            <h2>{both("劳模津补贴", "Model-worker allowances")}</h2>
            <p class="intro">{both(
                "每月 1 日按本单位的津补贴标准自动生成当月发放批次，由另一位工作人员复核后发放到劳模的会员卡。",
                "On the 1st of each month a batch is prepared from your standing rates; another officer approves it and it is paid onto the cards.",
            )}</p>
            <RatesPanel reload=reload/>
            <AddWorker reload=reload/>
            <h3>{both("劳模名册", "The register")}</h3>
            {loaded(register, move |p| view! {
                <ul class="queue" data-test="model-workers">
                    {p.items.into_iter().map(|w| view! { <Worker w=w reload=reload/> }).collect_view()}
                </ul>
            }.into_any())}
        </section>
    }
}

#[component]
fn Worker(w: ModelWorkerView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let level = w.level;
    let id = w.id;
    let message = RwSignal::new(None::<String>);
    let end = move |_| {
        spawn_local(async move {
            match api::end_model_worker(id).await {
                Ok(()) => reload.run(()),
                Err(e) => message.set(Some(e.message())),
            }
        });
    };
    view! {
        <li class="panel request" data-test="model-worker">
            <h3>{w.name.clone()}" · "<span class="num">{w.id_number_masked.clone()}</span></h3>
            <p class="hint">{w.union_name.clone()}</p>
            <p>{move || level.label(i18n.lang.get())}" · "{w.honour.clone()}</p>
            <p>{both("每月 ", "A month ")}<strong class="num">{w.monthly_fen.map(yuan).unwrap_or_else(|| "—".into())}</strong></p>
            <button type="button" class="btn btn-secondary" on:click=end>{both("移出名册", "Take off the register")}</button>
            <p class="form-message" role="alert">{move || message.get()}</p>
        </li>
    }
}

/// The union's standing rates, and setting them.
#[component]
fn RatesPanel(reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let rates = LocalResource::new(api::allowance_rates);
    let fields = [
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    ];
    let message = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fen = |s: RwSignal<String>| {
            let t = s.get_untracked();
            if t.trim().is_empty() {
                Some(0)
            } else {
                parse_yuan(&t)
            }
        };
        let (Some(n), Some(p), Some(c)) = (fen(fields[0]), fen(fields[1]), fen(fields[2])) else {
            message.set(Some(
                i18n.lang
                    .get_untracked()
                    .pick("金额请填写数字，例如 500", "Amounts are numbers, e.g. 500")
                    .into(),
            ));
            return;
        };
        let r = Rates {
            national_fen: n,
            provincial_fen: p,
            city_fen: c,
        };
        spawn_local(async move {
            match api::set_allowance_rates(&r).await {
                Ok(_) => {
                    message.set(None);
                    rates.refetch();
                    reload.run(());
                }
                Err(e) => message.set(Some(e.message())),
            }
        });
    };
    view! {
        <div class="panel" data-test="allowance-rates">
            {move || rates.get().map(|r| match r {
                Ok(v) => view! {
                    <dl class="facts">
                        {ModelLevel::ALL.into_iter().map(|l| view! {
                            <dt>{move || l.label(i18n.lang.get())}</dt><dd class="num">{yuan(v.rates.for_level(l))}</dd>
                        }).collect_view()}
                        <dt>{both("标准设定人", "Set by")}</dt><dd>{v.set_by.clone()}</dd>
                    </dl>
                }.into_any(),
                Err(_) => view! { <p class="hint">{both("本单位尚未设定津补贴标准（按上级工会的标准发放）。", "Your union has set no rates (those of the union above apply).")}</p> }.into_any(),
            })}
            <details>
                <summary>{both("设定本单位每月津补贴标准", "Set your union's monthly rates")}</summary>
                <form on:submit=save>
                    {ModelLevel::ALL.into_iter().zip(fields).map(|(l, v)| {
                        let id = format!("rate_{}", l.as_str());
                        view! {
                            <div class="field">
                                <label for=id.clone()>{move || l.label(i18n.lang.get())}</label>
                                <input id=id inputmode="decimal" placeholder="¥" prop:value=move || v.get() on:input=move |ev| v.set(event_target_value(&ev))/>
                            </div>
                        }
                    }).collect_view()}
                    <p class="form-message" role="alert">{move || message.get()}</p>
                    <button type="submit" class="btn btn-secondary btn-block">{both("保存", "Save")}</button>
                </form>
            </details>
        </div>
    }
}

/// Putting a member on the register by ID number.
#[component]
fn AddWorker(reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id_number = RwSignal::new(String::new());
    let level = RwSignal::new(String::new());
    let honour = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ModelWorkerInput {
            id_number: id_number.get_untracked(),
            level: ModelLevel::from_db(&level.get_untracked()),
            honour: honour.get_untracked(),
        };
        spawn_local(async move {
            match api::add_model_worker(&input).await {
                Ok(_) => {
                    message.set(None);
                    id_number.set(String::new());
                    honour.set(String::new());
                    reload.run(());
                }
                Err(e) => message.set(Some(e.message())),
            }
        });
    };
    view! {
        <details class="panel">
            <summary>{both("添加劳模", "Add a model worker")}</summary>
            <form on:submit=add data-test="add-model-worker">
                <div class="field">
                    <label for="mw_id">{both("身份证号", "ID number")}</label>
                    <input id="mw_id" autocomplete="off" prop:value=move || id_number.get() on:input=move |ev| id_number.set(event_target_value(&ev))/>
                </div>
                <Choice id="mw_level" label=both("级别", "Level") value=level ask=true
                    options=ModelLevel::ALL.iter().map(|&l| (l.as_str(), Signal::derive(move || l.label(i18n.lang.get()).to_string()))).collect()/>
                <div class="field">
                    <label for="mw_honour">{both("荣誉称号", "Honour")}</label>
                    <input id="mw_honour" maxlength="40" placeholder=both("例如：2015年全国劳动模范", "e.g. 2015 national model worker")
                        prop:value=move || honour.get() on:input=move |ev| honour.set(event_target_value(&ev))/>
                </div>
                <p class="form-message" role="alert">{move || message.get()}</p>
                <button type="submit" class="btn btn-primary btn-block">{both("加入名册", "Add")}</button>
            </form>
        </details>
    }
}
