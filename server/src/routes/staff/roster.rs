//! Roster import: an officer uploads the CSV their workplace unions keep.
//! Good lines add or update roster entries (a new entry gets a card in status
//! `issued`); bad lines are reported with their number and reason. Importing
//! the same file twice adds nothing. The whole import is one transaction.

use std::collections::HashMap;
use unioncard_api::audit::AuditAction;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap};
use serde_json::json;
use unioncard_api::roster::{parse_roster, ImportReport, RosterRefusal, RosterRow, RowProblem};
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Entry};
use crate::error::{current_lang, AppError, AppResult};
use crate::extract::Officer;
use crate::roster::{allocate_card_numbers, insert_entries, NewEntry, BATCH};
use crate::store::join::{EntryUpdate, ExistingEntry};
use crate::{store, time, AppState};

/// Roster files may be large (100,000 lines is about 8 MB).
const ROSTER_LIMIT: usize = 64 * 1024 * 1024;

/// The import route, with its own body limit.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import))
        .layer(DefaultBodyLimit::max(ROSTER_LIMIT))
}

/// Imports a roster CSV (`name,id_number,phone,workplace[,union_code]`).
#[utoipa::path(
    post, path = "/api/staff/roster", tag = "staff",
    request_body(content = String, content_type = "text/csv",
        description = "Header `name,id_number,phone,workplace` and optionally `union_code`"),
    responses(
        (status = 200, description = "What was added, updated and refused", body = ImportReport),
        (status = 400, description = "Not CSV, or not UTF-8", body = ErrorBody),
        (status = 403, description = "Not an officer", body = ErrorBody),
        (status = 413, description = "Over 64 MB", body = ErrorBody),
        (status = 422, description = "Empty file or wrong header", body = ErrorBody),
    )
)]
async fn import(
    State(state): State<AppState>,
    Officer { user, scope }: Officer,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<axum::Json<ImportReport>> {
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !(ctype.starts_with("text/csv") || ctype.starts_with("text/plain")) {
        return Err(RosterRefusal::ExpectedCsv.into());
    }
    let text = std::str::from_utf8(&body).map_err(|_| RosterRefusal::NotUtf8)?;
    let lang = current_lang();
    let (rows, mut rejected) =
        parse_roster(text, lang).map_err(|p| AppError::from(RosterRefusal::from(p)))?;
    let total_rows = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count();

    // Union codes must name unions in the officer's scope.
    let codes: Vec<String> = unioncard_api::roster::union_codes(&rows)
        .into_iter()
        .collect();
    let unions: HashMap<String, i64> =
        store::unions::by_codes(&mut *state.db.reader().await?, &codes)
            .await?
            .into_iter()
            .filter(|u| scope.covers(&u.path))
            .map(|u| (u.code, u.id))
            .collect();
    let mut good: Vec<(RosterRow, i64)> = Vec::with_capacity(rows.len());
    for row in rows {
        match &row.union_code {
            None => good.push((row, scope.union_id)),
            Some(code) => match unions.get(code) {
                Some(id) => {
                    let id = *id;
                    good.push((row, id));
                }
                None => rejected.push(RowProblem::UnknownUnion.rejected(row.line, lang)),
            },
        }
    }

    let now = time::now();
    let mut report = ImportReport {
        rows: total_rows,
        ..ImportReport::default()
    };
    let mut tx = state.db.begin().await?;
    for chunk in good.chunks(BATCH) {
        let hashes: Vec<String> = chunk
            .iter()
            .map(|(r, _)| state.crypto.lookup_hash("id", r.id_number.expose()))
            .collect();
        let existing: HashMap<String, ExistingEntry> =
            store::join::entries_with_id_hashes(&mut tx, &hashes)
                .await?
                .into_iter()
                .map(|r| (r.id_hash.clone(), r))
                .collect();
        let mut new = Vec::new();
        for ((row, union_id), hash) in chunk.iter().zip(&hashes) {
            let Some(old) = existing.get(hash) else {
                new.push((row, *union_id));
                continue;
            };
            if !scope.covers(&old.path) {
                rejected.push(RowProblem::ElsewhereInRoster.rejected(row.line, lang));
                continue;
            }
            let old_phone = old
                .phone_enc
                .as_deref()
                .and_then(|p| state.crypto.decrypt(p).ok());
            let same = old.name == row.name.as_str()
                && old.workplace == row.workplace
                && old.union_id == *union_id
                && old_phone.as_deref() == Some(row.phone.expose());
            if same {
                report.unchanged += 1;
                continue;
            }
            store::join::update_entry(
                &mut tx,
                old.id,
                &EntryUpdate {
                    name: row.name.as_str(),
                    phone_enc: &state.crypto.encrypt(row.phone.expose()),
                    phone_masked: &row.phone.masked(),
                    workplace: &row.workplace,
                    union_id: *union_id,
                },
                now,
            )
            .await?;
            report.updated += 1;
        }
        let card_numbers = allocate_card_numbers(&mut tx, new.len()).await?;
        let entries: Vec<NewEntry> = new
            .into_iter()
            .zip(card_numbers)
            .map(|((row, union_id), card_no)| NewEntry {
                union_id,
                name: row.name.as_str().to_string(),
                id_number: row.id_number.clone(),
                phone: row.phone.clone(),
                workplace: row.workplace.clone(),
                card_no,
                bank: unioncard_api::card::ISSUING_BANK,
                status: unioncard_api::card::CardStatus::Issued,
                issued_at: now,
                activated_at: None,
            })
            .collect();
        report.added += entries.len();
        insert_entries(&mut tx, &state.crypto, &entries, now).await?;
    }
    rejected.sort_by_key(|r| r.line);
    report.rejected = rejected;
    audit::record(
        &mut tx,
        Entry {
            actor: Some(user.id),
            union_id: Some(scope.union_id),
            action: AuditAction::RosterImport,
            target: format!("union:{}", scope.union_id),
            before: None,
            after: Some(json!({
                "rows": report.rows, "added": report.added, "updated": report.updated,
                "unchanged": report.unchanged, "rejected": report.rejected.len(),
            })),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        rows = report.rows,
        added = report.added,
        updated = report.updated,
        "roster imported"
    );
    Ok(axum::Json(report))
}
