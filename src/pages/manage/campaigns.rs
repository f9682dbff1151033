//! 首页活动: the banners the officer's unions show members on 首页 (what
//! is running, until when, where a tap goes), taking one down, and a new
//! one for the officer's own union, checked by the shared rules.

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::campaigns::{CampaignInput, CampaignStatus, SECTIONS};

use crate::api;
use crate::components::choice::Choice;
use crate::components::field::{InputKind, TextField};
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n};
use crate::pages::format_date;

/// `/manage/campaigns`.
#[component]
pub fn CampaignsPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(api::staff_campaigns);
    let reload = Callback::new(move |_| list.refetch());
    view! {
        <section class="page">
            <h2>{tr(|s| s.manage_campaigns)}</h2>
            <p class="intro">{tr(|s| s.manage_campaigns_help)}</p>
            <NewCampaign reload=reload/>
            {loaded(list, move |p| {
                if p.items.is_empty() {
                    return view! { <p class="panel">{both("还没有活动横幅。", "No campaign banners yet.")}</p> }.into_any();
                }
                view! {
                    <ul class="queue" data-test="campaigns">
                        {p.items.into_iter().map(|c| {
                            let id = c.id;
                            let live = c.status == CampaignStatus::Live;
                            let end = move |_| spawn_local(async move {
                                let _ = api::end_campaign(id).await;
                                reload.run(());
                            });
                            view! {
                                <li class="panel request" data-test="campaign">
                                    <h3>{c.title.clone()}</h3>
                                    <p class="hint">{c.union_name.clone()}" · "
                                        <span class="date">{let d = c.starts_on.clone(); move || format_date(&d, i18n.lang.get())}</span>" – "
                                        <span class="date">{let d = c.ends_on.clone(); move || format_date(&d, i18n.lang.get())}</span>" · "{c.link.clone()}</p>
                                    {if live {
                                        view! { <button type="button" class="btn btn-secondary" data-test="end-campaign" on:click=end>{both("下线", "Take down")}</button> }.into_any()
                                    } else {
                                        view! { <p class="status-pill rejected">{both("已下线", "Taken down")}</p> }.into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}

#[component]
fn NewCampaign(reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let title = RwSignal::new(String::new());
    let title_en = RwSignal::new(String::new());
    let link = RwSignal::new(SECTIONS[0].0.to_string());
    let starts = RwSignal::new(crate::clock::today().iso());
    let ends = RwSignal::new(String::new());
    let errors = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let message = RwSignal::new(None::<String>);
    // Said in the colour of success, apart from the errors.
    let published = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let err = move |f: &'static str| Signal::derive(move || errors.get().get(f).cloned());
    let clear = move |f: &'static str| {
        Callback::new(move |_| {
            errors.update(|e| {
                e.remove(f);
            })
        })
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        published.set(false);
        let input = CampaignInput {
            title: title.get_untracked(),
            title_en: title_en.get_untracked(),
            link: link.get_untracked(),
            starts_on: starts.get_untracked(),
            ends_on: ends.get_untracked(),
        };
        // The shared rules first: every problem at once, nothing sent.
        if let Err(p) = input.check(crate::clock::today()) {
            errors.set(
                p.0.iter()
                    .map(|(f, problem)| {
                        (
                            f.to_string(),
                            problem.message(i18n.lang.get_untracked()).to_string(),
                        )
                    })
                    .collect(),
            );
            message.set(Some(i18n.t().form_has_errors.into()));
            return;
        }
        pending.set(true);
        spawn_local(async move {
            match api::publish_campaign(&input).await {
                Ok(_) => {
                    title.set(String::new());
                    title_en.set(String::new());
                    ends.set(String::new());
                    message.set(None);
                    published.set(true);
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
    view! {
        <form class="panel" on:submit=save novalidate data-test="campaign-form">
            <h3>{both("发布新活动", "New banner")}</h3>
            <TextField id="campaign_title" label=both("标题（中文）", "Title (Chinese)")
                hint=both("一行字，最多 30 个字", "One line, at most 30 characters")
                value=title error=err("title") kind=InputKind::TEXT on_input=clear("title")/>
            <TextField id="campaign_title_en" label=both("标题（英文，可不填）", "Title in English (optional)") hint=Signal::derive(|| "")
                value=title_en error=err("title_en") kind=InputKind::TEXT on_input=clear("title_en")/>
            <Choice id="campaign_link" label=both("点开后去", "A tap opens") value=link
                options=SECTIONS.iter().map(|&(path, zh, en)| (path, Signal::derive(move || i18n.lang.get().pick(zh, en).to_string()))).collect()/>
            <TextField id="campaign_starts" label=both("开始显示日期", "First day shown") hint=Signal::derive(|| "")
                value=starts error=err("starts_on") kind=InputKind::DATE on_input=clear("starts_on")/>
            <TextField id="campaign_ends" label=both("最后显示日期", "Last day shown") hint=Signal::derive(|| "")
                value=ends error=err("ends_on") kind=InputKind::DATE on_input=clear("ends_on")/>
            <p class="form-message" role="alert" data-test="campaign-message">{move || message.get()}</p>
            <p class="ok-text" role="status" data-test="campaign-published">{move || published.get().then(|| i18n.t().campaign_published)}</p>
            <button type="submit" class="btn btn-primary btn-block" data-test="publish-campaign" disabled=move || pending.get()>
                {both("发布", "Publish")}
            </button>
        </form>
    }
}
