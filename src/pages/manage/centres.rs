//! 服务站点 management (`/manage/centres`): the service centres and help
//! stations of the officer's unions, a form to add one or edit the one
//! chosen (every field checked by the shared rules, each problem beside its
//! field), and closing or reopening one. Closed centres stay listed here.
//!
//! Its words are written here in both languages (`both`), so the member
//! app's string table does not carry them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::centres::{CentreInput, CentreLevel, CentreView, Service};

use crate::api;
use crate::components::choice::Choice;
use crate::components::field::{InputKind, TextField};
use crate::components::status::loaded;
use crate::i18n::{both, use_i18n};

/// `/manage/centres`.
#[component]
pub fn CentresPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(api::staff_centres);
    let reload = Callback::new(move |_| list.refetch());
    // The centre being edited; none is a new one.
    let editing = RwSignal::new(None::<CentreView>);
    let message = RwSignal::new(None::<String>);
    let toggle = move |id: i64, open: bool| {
        spawn_local(async move {
            match api::set_centre_open(id, open).await {
                Ok(_) => {
                    message.set(None);
                    reload.run(());
                }
                Err(f) => message.set(Some(f.message())),
            }
        });
    };
    view! {
        <section class="page">
            <h2>{both("服务站点", "Service centres")}</h2>
            <p class="intro">{both(
                "本工会及下级的职工服务中心、服务站和服务点：会员在“服务站点”按距离查找，一键拨打、导航。",
                "The service centres and help stations of your unions: members find the nearest on the phone, call and get directions with a tap.",
            )}</p>
            {move || view! { <CentreForm existing=editing.get() reload=reload editing=editing/> }}
            <p class="form-message" role="alert">{move || message.get()}</p>
            {loaded(list, move |p| view! {
                <ul class="queue" data-test="staff-centres">
                    {p.items.into_iter().map(|c| {
                        let (id, open, level) = (c.id, c.open, c.level);
                        let chosen = c.clone();
                        view! {
                            <li class="panel request" data-test="staff-centre">
                                <h3>{c.name.clone()}</h3>
                                <p class="hint">{move || level.label(i18n.lang.get())}" · "{c.union_name.clone()}</p>
                                <p>{c.address.clone()}" · "<span class="num">{c.phone.clone()}</span></p>
                                <p>
                                    <span class=if open { "status-pill active" } else { "status-pill ended" }>
                                        {move || if open { i18n.lang.get().pick("开放中", "Open") } else { i18n.lang.get().pick("已关闭", "Closed") }}
                                    </span>
                                </p>
                                <div class="actions">
                                    <button type="button" class="btn btn-secondary" data-test="edit-centre"
                                        on:click=move |_| editing.set(Some(chosen.clone()))>{both("修改", "Edit")}</button>
                                    <button type="button" class=if open { "btn btn-danger" } else { "btn btn-secondary" } data-test="toggle-centre"
                                        on:click=move |_| toggle(id, !open)>
                                        {move || if open { i18n.lang.get().pick("关闭站点", "Close") } else { i18n.lang.get().pick("重新开放", "Reopen") }}
                                    </button>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any())}
        </section>
    }
}

/// The form: a new centre, or the one chosen from the list.
#[component]
fn CentreForm(
    existing: Option<CentreView>,
    reload: Callback<()>,
    editing: RwSignal<Option<CentreView>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = existing.as_ref().map(|c| c.id);
    let text =
        |f: fn(&CentreView) -> String| RwSignal::new(existing.as_ref().map(f).unwrap_or_default());
    let name = text(|c| c.name.clone());
    let district = text(|c| c.district.clone());
    let address = text(|c| c.address.clone());
    let hours = text(|c| c.hours.clone());
    let phone = text(|c| c.phone.clone());
    let lat = text(|c| format!("{:.6}", c.lat));
    let lng = text(|c| format!("{:.6}", c.lng));
    let level = RwSignal::new(
        existing
            .as_ref()
            .map(|c| c.level.as_str().to_string())
            .unwrap_or_default(),
    );
    let offered = Service::ALL
        .map(|s| RwSignal::new(existing.as_ref().is_some_and(|c| c.services.contains(&s))));
    let union_id = existing.as_ref().map(|c| c.union_id);
    let errors = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let message = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let err = move |f: &'static str| Signal::derive(move || errors.get().get(f).cloned());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse().unwrap_or(0.0);
        let input = CentreInput {
            name: name.get_untracked(),
            level: CentreLevel::from_db(&level.get_untracked()),
            district: district.get_untracked(),
            address: address.get_untracked(),
            lat: number(lat),
            lng: number(lng),
            hours: hours.get_untracked(),
            phone: phone.get_untracked(),
            services: Service::ALL
                .into_iter()
                .zip(offered)
                .filter(|(_, on)| on.get_untracked())
                .map(|(s, _)| s)
                .collect(),
            union_id,
        };
        // The shared rules first: every problem beside its field, nothing sent.
        if let Err(p) = input.check() {
            let lang = i18n.lang.get_untracked();
            errors.set(
                p.0.iter()
                    .map(|(f, why)| (f.to_string(), why.message(lang).to_string()))
                    .collect(),
            );
            message.set(Some(
                lang.pick("请按提示修改", "Please correct the fields marked")
                    .into(),
            ));
            return;
        }
        pending.set(true);
        spawn_local(async move {
            match api::save_centre(id, &input).await {
                Ok(_) => {
                    errors.set(Default::default());
                    message.set(None);
                    editing.set(None);
                    reload.run(());
                }
                Err(f) => {
                    errors.set(f.fields());
                    message.set(Some(f.message()));
                }
            }
            pending.set(false);
        });
    };
    let tr_level =
        move |l: CentreLevel| Signal::derive(move || l.label(i18n.lang.get()).to_string());
    view! {
        <form class="panel" on:submit=save novalidate data-test="centre-form">
            <h3>{move || if id.is_some() { i18n.lang.get().pick("修改站点", "Edit the centre") } else { i18n.lang.get().pick("新增站点", "Add a centre") }}</h3>
            <TextField id="centre_name" label=both("名称", "Name") hint=Signal::derive(|| "") value=name error=err("name") kind=InputKind::TEXT/>
            <Choice id="centre_level" label=both("类型", "Kind") value=level ask=true
                options=CentreLevel::ALL.into_iter().map(|l| (l.as_str(), tr_level(l))).collect()/>
            <p class="field-error" role="alert">{move || err("level").get()}</p>
            <TextField id="centre_district" label=both("所在区", "District") hint=Signal::derive(both("例如：武昌区", "e.g. 武昌区")) value=district error=err("district") kind=InputKind::TEXT/>
            <TextField id="centre_address" label=both("地址", "Address") hint=Signal::derive(|| "") value=address error=err("address") kind=InputKind::TEXT/>
            <TextField id="centre_lat" label=both("纬度", "Latitude") hint=Signal::derive(both("地图上取点，例如 30.554", "From a map, e.g. 30.554")) value=lat error=err("lat") kind=InputKind::MONEY/>
            <TextField id="centre_lng" label=both("经度", "Longitude") hint=Signal::derive(both("例如 114.316", "e.g. 114.316")) value=lng error=err("lng") kind=InputKind::MONEY/>
            <TextField id="centre_hours" label=both("开放时间", "Hours") hint=Signal::derive(both("例如：周一至周五 9:00-17:00", "e.g. 周一至周五 9:00-17:00")) value=hours error=err("hours") kind=InputKind::TEXT/>
            <TextField id="centre_phone" label=both("电话", "Phone") hint=Signal::derive(both("固定电话如 027-87654321，或手机号", "A landline like 027-87654321, or a mobile")) value=phone error=err("phone") kind=InputKind::TEXT/>
            <fieldset class="checks">
                <legend>{both("提供服务", "Services offered")}</legend>
                {Service::ALL.into_iter().zip(offered).map(|(s, on)| view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=move || on.get() on:change=move |ev| on.set(event_target_checked(&ev))/>
                        {move || s.label(i18n.lang.get())}
                    </label>
                }).collect_view()}
                <p class="field-error" role="alert">{move || err("services").get()}</p>
            </fieldset>
            <p class="form-message" role="alert">{move || message.get()}</p>
            <div class="actions">
                <button type="submit" class="btn btn-primary" data-test="save-centre" disabled=move || pending.get()>{both("保存", "Save")}</button>
                {id.is_some().then(|| view! {
                    <button type="button" class="btn btn-secondary" on:click=move |_| editing.set(None)>{both("取消修改", "Cancel")}</button>
                })}
            </div>
        </form>
    }
}
