//! Roster import: choose a CSV, watch it upload, read the report.

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::roster::ImportReport;

use crate::api;
use crate::i18n::{both, tr, use_i18n};

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
            <h2>{tr(|s| s.staff_roster)}</h2>
            <p class="intro">{both("上传 CSV 文件，第一行为 name,id_number,phone,workplace，可加 union_code 列指定下级工会。同一文件重复导入不会重复添加。", "Upload a CSV file whose first line is name,id_number,phone,workplace, optionally with a union_code column naming a union below yours. Importing the same file twice adds nothing.")}</p>
            <div class="panel">
                <div class="field">
                    <label for="roster_file">{tr(|s| s.choose_file)}</label>
                    <input id="roster_file" type="file" accept=".csv,text/csv" node_ref=file_input/>
                </div>
                <button type="button" class="btn btn-primary btn-block" data-test="upload" on:click=upload
                    disabled=move || progress.get().is_some()>{tr(|s| s.upload)}</button>
                {move || progress.get().map(|p| {
                    let done = p >= 1.0;
                    view! {
                        <div class="progress-wrap" role="status">
                            <progress max="100" value=format!("{:.0}", p * 100.0) aria-label=tr(|s| s.uploading)></progress>
                            <span>{move || if done { i18n.t().processing.to_string() } else { format!("{} {:.0}%", i18n.t().uploading, p * 100.0) }}</span>
                        </div>
                    }
                })}
                <p class="form-message" role="alert">{move || message.get()}</p>
            </div>
            {move || report.get().map(|r| view! {
                <section class="panel" data-test="import-report">
                    <h3>{both("导入完成", "Import finished")}</h3>
                    <dl class="facts counts">
                        <dt>{tr(|s| s.rows)}</dt><dd data-test="rows">{r.rows}</dd>
                        <dt>{tr(|s| s.added)}</dt><dd data-test="added">{r.added}</dd>
                        <dt>{tr(|s| s.updated)}</dt><dd>{r.updated}</dd>
                        <dt>{tr(|s| s.unchanged)}</dt><dd>{r.unchanged}</dd>
                        <dt>{both("未导入的行", "Lines not imported")}</dt><dd data-test="rejected-count">{r.rejected.len()}</dd>
                    </dl>
                    {(!r.rejected.is_empty()).then(|| view! {
                        <table class="report-table">
                            <caption>{both("未导入的行", "Lines not imported")}</caption>
                            <thead><tr><th scope="col">{tr(|s| s.line)}</th><th scope="col">{tr(|s| s.reason)}</th></tr></thead>
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
