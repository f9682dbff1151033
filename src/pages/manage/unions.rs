//! 工会与干部 (administrators): walk the union tree, open a union one level
//! below, and officer accounts.

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::auth::{OfficerInput, UnionInput};

use crate::api::{self, Failure};
use crate::components::field::{InputKind, TextField};
use crate::components::status::loaded_or;
use crate::i18n::{both, tr, use_i18n};
use unioncard_api::Lang;

/// The kinds of staff account an administrator opens, as `OfficerInput.role`
/// names them: officers run the desk; union lawyers and mediators see only
/// the rights cases assigned to them; counsellors publish and keep their
/// consultation slots.
const STAFF_ROLES: [&str; 3] = ["officer", "lawyer", "counsellor"];

/// A staff account's kind on the screen (`OfficerView.role`).
fn role_label(role: &str, lang: Lang) -> &'static str {
    match role {
        "admin" => lang.pick("系统管理员", "Administrator"),
        "lawyer" => lang.pick("工会律师·调解员", "Union lawyer or mediator"),
        "counsellor" => lang.pick("咨询师", "Counsellor"),
        _ => lang.pick("工会干部", "Union officer"),
    }
}

/// `/manage/unions`.
#[component]
pub fn UnionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let parent = RwSignal::new(None::<i64>);
    let tree = LocalResource::new(move || api::admin_unions(parent.get()));
    let officers = LocalResource::new(api::admin_officers);
    view! {
        <section class="page">
            <h2>{tr(|s| s.manage_unions)}</h2>
            {loaded_or(tree, admins_only, move |p| {
                let mut items = p.items.into_iter();
                let Some(top) = items.next() else { return ().into_any() };
                let up = top.parent_id;
                let top_id = top.id;
                view! {
                    <div class="panel">
                        <h3 data-test="union-top">{top.name.clone()}</h3>
                        {(parent.get_untracked().is_some()).then(|| view! {
                            <button type="button" class="btn btn-link" on:click=move |_| parent.set(up)>{both("返回上级", "Up one level")}</button>
                        })}
                        <ul class="claim-list" data-test="union-children">
                            {items.map(|u| {
                                let id = u.id;
                                view! {
                                    <li class="claim-line">
                                        <span>{u.name.clone()}<br/><small>{u.code.clone()}</small></span>
                                        {(u.children > 0).then(|| view! {
                                            <button type="button" class="btn btn-secondary" on:click=move |_| parent.set(Some(id))>
                                                {both("下级", "Below")}" ("{u.children}")"
                                            </button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                    {(top.level != "workplace").then(|| view! { <NewUnion parent=top_id reload=Callback::new(move |_| tree.refetch())/> })}
                    <NewOfficer union_id=top_id union_name=top.name.clone() reload=Callback::new(move |_| officers.refetch())/>
                }.into_any()
            })}
            {move || match officers.get() {
                Some(Ok(p)) => view! {
                    <h3>{both("干部与工作人员账号", "Officer and staff accounts")}</h3>
                    <ul class="claim-list" data-test="officers">
                        {p.items.into_iter().map(|o| {
                            let (id, disabled) = (o.id, o.disabled);
                            let role = o.role.clone();
                            let flip = move |_| spawn_local(async move {
                                let _ = api::set_officer_access(id, disabled).await;
                                officers.refetch();
                            });
                            view! {
                                <li class="claim-line">
                                    <span>{o.name}" · "{o.phone_masked}<br/><small>{o.union_name}</small></span>
                                    <span class="claim-right">
                                        <span class="status-pill" data-test="officer-role">{move || role_label(&role, i18n.lang.get())}</span>
                                        {disabled.then(|| view! { <span class="status-pill rejected">{tr(|s| s.disabled_label)}</span> })}
                                        // Administrators are kept by whoever runs the system, not here.
                                        {(o.role != "admin").then(|| view! {
                                            <button type="button" class="btn btn-secondary" on:click=flip>
                                                {move || if disabled { both("启用", "Enable")() } else { both("停用", "Disable")() }}
                                            </button>
                                        })}
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                _ => ().into_any(),
            }}
        </section>
    }
}

/// An officer who is not an administrator is told why, not offered a retry.
fn admins_only(f: &Failure) -> Option<AnyView> {
    (f.status() == Some(403))
        .then(|| view! { <p class="panel warn-note">{both("只有系统管理员可以管理工会和干部账号", "Only administrators manage unions and officer accounts")}</p> }.into_any())
}

#[component]
fn NewUnion(parent: i64, reload: Callback<()>) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let errors = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let message = RwSignal::new(None::<String>);
    let err = move |f: &'static str| Signal::derive(move || errors.get().get(f).cloned());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = UnionInput {
            parent_id: parent,
            code: code.get_untracked(),
            name: name.get_untracked(),
            district: String::new(),
        };
        spawn_local(async move {
            match api::create_union(&input).await {
                Ok(_) => {
                    code.set(String::new());
                    name.set(String::new());
                    reload.run(());
                }
                Err(f) => {
                    errors.set(f.fields());
                    message.set(Some(f.message()));
                }
            }
        });
    };
    view! {
        <form class="panel" on:submit=add novalidate data-test="union-form">
            <h3>{both("新设下级工会", "New union below")}</h3>
            <TextField id="union_code" label=both("工会编码", "Union code") hint=Signal::derive(|| "") value=code error=err("code") kind=InputKind::TEXT/>
            <TextField id="union_name" label=tr(|s| s.union_name) hint=Signal::derive(|| "") value=name error=err("name") kind=InputKind::TEXT/>
            <p class="form-message" role="alert">{move || message.get()}</p>
            <button type="submit" class="btn btn-primary btn-block">{both("新设下级工会", "New union below")}</button>
        </form>
    }
}

#[component]
fn NewOfficer(union_id: i64, union_name: String, reload: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(STAFF_ROLES[0].to_string());
    let errors = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let message = RwSignal::new(None::<String>);
    let err = move |f: &'static str| Signal::derive(move || errors.get().get(f).cloned());
    let i18n = use_i18n();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = OfficerInput {
            name: name.get_untracked(),
            phone: phone.get_untracked(),
            password: password.get_untracked(),
            union_id,
            role: Some(role.get_untracked()),
        };
        spawn_local(async move {
            match api::create_officer(&input).await {
                Ok(_) => {
                    errors.set(Default::default());
                    message.set(None);
                    name.set(String::new());
                    phone.set(String::new());
                    password.set(String::new());
                    reload.run(())
                }
                Err(f) => {
                    errors.set(f.fields());
                    message.set(Some(f.message()));
                }
            }
        });
    };
    view! {
        <form class="panel" on:submit=add novalidate data-test="officer-form">
            <h3>{both("开设工作人员账号", "New staff account")}" · "{union_name}</h3>
            <TextField id="officer_name" label=tr(|s| s.name) hint=Signal::derive(|| "") value=name error=err("name") kind=InputKind::NAME/>
            <TextField id="officer_phone" label=tr(|s| s.phone) hint=Signal::derive(|| "") value=phone error=err("phone") kind=InputKind::PHONE/>
            <TextField id="officer_password" label=both("初始密码", "First password") hint=tr(|s| s.password_hint) value=password error=err("password") kind=InputKind::NEW_PASSWORD/>
            <div class="field" class:invalid=move || errors.get().contains_key("role")>
                <label for="officer_role">{both("账号类型", "Kind of account")}</label>
                <span class="hint" id="officer_role-hint">{both(
                    "律师·调解员只看到指派给自己的维权案件；咨询师只管理自己的咨询时段",
                    "A lawyer or mediator sees only the rights cases assigned to them; a counsellor only their own consultation slots",
                )}</span>
                <select id="officer_role" data-test="role-select" aria-describedby="officer_role-hint officer_role-error"
                    prop:value=move || role.get() on:change=move |ev| role.set(event_target_value(&ev))>
                    {STAFF_ROLES.into_iter().map(|r| view! {
                        <option value=r>{move || role_label(r, i18n.lang.get())}</option>
                    }).collect_view()}
                </select>
                <span class="field-error" id="officer_role-error" aria-live="polite">{move || errors.get().get("role").cloned()}</span>
            </div>
            <p class="form-message" role="alert">{move || message.get()}</p>
            <button type="submit" class="btn btn-primary btn-block">{both("开设账号", "Open the account")}</button>
        </form>
    }
}
