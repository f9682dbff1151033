//! Roster import: choose a CSV, watch it upload, read the report.

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::roster::ImportReport;

use crate::api;
use crate::i18n::use_i18n;

/// The import screen.
#[component]
pub fn RosterPage() -> impl IntoView {
    let i18n = use_i18n();
    let file_input = NodeRef::<Input>::new();
    let progress = RwSignal::new(None::<f64>);
    let report = RwSignal::new(None::<ImportReport>);
    let message = RwSignal::new(None::<String>);
    let upload = move |_| {
        let Some(file) = file_input
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        else {
            message.set(Some(i18n.t().choose_file.into()));
            return;
        };
        if progress.get_untracked().is_some() {
            return;
        }
        report.set(None);
        message.set(None);
        progress.set(Some(0.0));
        spawn_local(async move {
            let r = api::import_roster(file, move |p| progress.set(Some(p))).await;
            progress.set(None);
            match r {
                Ok(rep) => report.set(Some(rep)),
                Err(f) => message.set(Some(f.message())),
            }
        });
    };
    view! {
        <section class="page">
            <h2>{move || i18n.t().staff_roster}</h2>
            <p class="intro">{move || i18n.t().roster_intro}</p>
            <div class="panel">
                <div class="field">
                    <label for="roster_file">{move || i18n.t().choose_file}</label>
                    <input id="roster_file" type="file" accept=".csv,text/csv" node_ref=file_input/>
                </div>
                <button type="button" class="btn btn-primary btn-block" data-test="upload" on:click=upload
                    disabled=move || progress.get().is_some()>{move || i18n.t().upload}</button>
                {move || progress.get().map(|p| {
                    let done = p >= 1.0;
                    view! {
                        <div class="progress-wrap" role="status">
                            <progress max="100" value=format!("{:.0}", p * 100.0) aria-label=move || i18n.t().uploading></progress>
                            <span>{move || if done { i18n.t().processing.to_string() } else { format!("{} {:.0}%", i18n.t().uploading, p * 100.0) }}</span>
                        </div>
                    }
                })}
                <p class="form-message" role="alert">{move || message.get()}</p>
            </div>
            {move || report.get().map(|r| view! {
                <section class="panel" data-test="import-report">
                    <h3>{move || i18n.t().import_done}</h3>
                    <dl class="facts counts">
                        <dt>{move || i18n.t().rows}</dt><dd data-test="rows">{r.rows}</dd>
                        <dt>{move || i18n.t().added}</dt><dd data-test="added">{r.added}</dd>
                        <dt>{move || i18n.t().updated}</dt><dd>{r.updated}</dd>
                        <dt>{move || i18n.t().unchanged}</dt><dd>{r.unchanged}</dd>
                        <dt>{move || i18n.t().rejected_lines}</dt><dd data-test="rejected-count">{r.rejected.len()}</dd>
                    </dl>
                    {(!r.rejected.is_empty()).then(|| view! {
                        <table class="report-table">
                            <caption>{move || i18n.t().rejected_lines}</caption>
                            <thead><tr><th scope="col">{move || i18n.t().line}</th><th scope="col">{move || i18n.t().reason}</th></tr></thead>
                            <tbody>
                                {r.rejected.iter().map(|x| view! { <tr><td>{x.line}</td><td>{x.reason.clone()}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                    })}
                </section>
            })}
        </section>
    }
}
