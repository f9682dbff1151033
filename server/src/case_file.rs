//! The one workflow every case file follows: a member's draft is sent, an
//! officer reviews and decides, the money is paid. An aid claim and a loan
//! application are two [`Programme`]s of it; a new programme (a hardship
//! file, 金秋助学, a rights case) is a third: its status type
//! ([`CaseStatus`]) says which moves exist, its [`Programme`] says where it
//! is stored, and its handlers take the steps here.
//!
//! What this module guarantees for every programme, so no handler repeats it:
//! - who may see a case: its member, and the officers over the member's
//!   union once it has been sent (a draft is the member's alone); anyone
//!   else gets 404, as if it did not exist;
//! - a step moves a case only from the status it was read in, only the way
//!   the rule allows, in one conditional update, and writes its timeline
//!   event and its audit entry (one shape: `{"status"}` before,
//!   `{"status", "note", "amount_fen"}` after) in the same transaction;
//! - documents are added while the status takes them (re-checked under the
//!   case's lock), removed only while the case is the member's to change,
//!   and served only to who may see the case.

use std::marker::PhantomData;

use axum::extract::Multipart;
use axum::response::Response;
use serde_json::json;
use unioncard_api::aid::{ClaimStatus, DocumentView};
use unioncard_api::audit::AuditAction;
use unioncard_api::auth::Role;
use unioncard_api::case_file::CaseStatus;
use unioncard_api::inbox::Letter;
use unioncard_api::loans::LoanStatus;
use unioncard_api::Lang;

use crate::audit::{self, Entry};
use crate::documents::{self, Documents};
use crate::error::{AppError, AppResult};
use crate::extract::{CurrentUser, Officer};
use crate::scope::Scope;
use crate::store::cases::{self, CaseTables, NewEvent};
use crate::store::is_unique_violation;
use crate::{store, time, uploads, AppState};

/// One programme's case files.
pub struct Programme<S> {
    /// Where its cases and timelines are stored.
    pub tables: CaseTables,
    /// Its documents.
    pub documents: &'static Documents,
    /// The audit log's name for one case, before `:id` (`aid_claim:17`).
    pub target: &'static str,
    /// What members call the programme, in Chinese and English, for the
    /// messages its steps send them.
    pub title: (&'static str, &'static str),
    /// The member app's path of one case, before its id (`/aid/claims/`).
    pub page: &'static str,
    /// The answer when the member changes a case that is no longer theirs
    /// to change.
    pub not_editable: fn() -> AppError,
    /// The answer when the store refuses a case because the member already
    /// has one open (a unique key, for programmes that allow only one).
    pub one_open: Option<fn() -> AppError>,
    status: PhantomData<fn() -> S>,
}

/// Aid claims.
pub const CLAIMS: Programme<ClaimStatus> = Programme {
    tables: cases::CLAIMS,
    documents: &documents::CLAIMS,
    target: "aid_claim",
    title: ("医疗互助申请", "Aid claim"),
    page: "/aid/claims/",
    not_editable: || unioncard_api::aid::AidRefusal::ClaimNotEditable.into(),
    one_open: None,
    status: PhantomData,
};

/// Loan applications.
pub const LOANS: Programme<LoanStatus> = Programme {
    tables: cases::LOANS,
    documents: &documents::LOANS,
    target: "loan",
    title: ("创业担保贷款申请", "Loan application"),
    page: "/loans/",
    not_editable: || unioncard_api::loans::LoanStepRefusal::AlreadySent.into(),
    one_open: Some(crate::routes::loans::open_loan),
    status: PhantomData,
};

/// Hardship files.
pub const HARDSHIP: Programme<unioncard_api::hardship::HardshipStatus> = Programme {
    tables: cases::HARDSHIP,
    documents: &documents::HARDSHIP,
    target: "hardship_file",
    title: ("困难档案", "Hardship file"),
    page: "/hardship/files/",
    not_editable: || unioncard_api::hardship::HardshipRefusal::FileDecided.into(),
    one_open: Some(|| unioncard_api::hardship::HardshipRefusal::OpenFile.into()),
    status: PhantomData,
};

/// 金秋助学 applications.
pub const EDUCATION: Programme<unioncard_api::education::EducationStatus> = Programme {
    tables: cases::EDUCATION,
    documents: &documents::EDUCATION,
    target: "education_application",
    title: ("金秋助学申请", "金秋助学 application"),
    page: "/education/applications/",
    not_editable: || unioncard_api::education::EducationRefusal::Decided.into(),
    one_open: Some(|| unioncard_api::education::EducationRefusal::AlreadyApplied.into()),
    status: PhantomData,
};

/// Where a case belongs and stands.
#[derive(Debug)]
pub struct Place<S> {
    /// The case.
    pub id: i64,
    /// Its member's roster entry.
    pub roster_id: i64,
    /// Its member's union.
    pub union_id: i64,
    /// That union's path.
    pub path: String,
    /// Its status when read.
    pub status: S,
}

/// A step an officer or the member takes on a case.
#[derive(Debug)]
pub struct Step<'a, S> {
    /// The status the case was read in; the step lands only if it still is.
    pub from: S,
    /// Where it moves.
    pub to: S,
    /// Who takes it.
    pub actor: i64,
    /// The note or reason, if any (empty is none).
    pub note: Option<&'a str>,
    /// The amount the step fixes (approved, paid), if any.
    pub amount_fen: Option<i64>,
}

impl<S: CaseStatus> Programme<S> {
    /// Where the case stands; 404 when there is none.
    pub async fn place(&self, conn: &mut store::Conn, id: i64) -> AppResult<Place<S>> {
        let row = cases::place(conn, self.tables, id)
            .await?
            .ok_or_else(AppError::not_found)?;
        let status = S::parse(&row.status).ok_or_else(|| {
            AppError::internal(format!("{} {id} has status {:?}", self.target, row.status))
        })?;
        Ok(Place {
            id,
            roster_id: row.roster_id,
            union_id: row.union_id,
            path: row.path,
            status,
        })
    }

    /// The member's own case; 404 for anyone else's.
    pub async fn own(&self, state: &AppState, roster_id: i64, id: i64) -> AppResult<Place<S>> {
        let place = self.place(&mut *state.db.reader().await?, id).await?;
        if place.roster_id != roster_id {
            return Err(AppError::not_found());
        }
        Ok(place)
    }

    /// A sent case in the officer's unions; 404 outside them, and for a draft.
    pub async fn in_scope(&self, state: &AppState, scope: &Scope, id: i64) -> AppResult<Place<S>> {
        let place = self.place(&mut *state.db.reader().await?, id).await?;
        if !place.status.seen_by_officers() || !scope.covers(&place.path) {
            return Err(AppError::not_found());
        }
        Ok(place)
    }

    /// A case this person may see: its member's, or a sent one in the
    /// officer's unions; 404 otherwise.
    pub async fn visible(
        &self,
        state: &AppState,
        user: &CurrentUser,
        officer: Option<&Officer>,
        id: i64,
    ) -> AppResult<Place<S>> {
        let place = self.place(&mut *state.db.reader().await?, id).await?;
        let own = user.role == Role::Member && user.roster_id == Some(place.roster_id);
        let officer =
            place.status.seen_by_officers() && officer.is_some_and(|o| o.scope.covers(&place.path));
        if own || officer {
            Ok(place)
        } else {
            Err(AppError::not_found())
        }
    }

    /// Takes the case for this transaction if it is still in `status`, so
    /// what is judged next (a send's checks) is the row as it now is;
    /// whether it was.
    pub async fn hold(&self, tx: &mut store::Conn, id: i64, status: S) -> AppResult<bool> {
        cases::hold(tx, self.tables, id, status).await
    }

    /// Starts a new case's timeline: its first event, in `status` (a draft,
    /// or a case filed and sent at once, moved on from the draft it was
    /// created as). The creation's audit entry is the handler's, with what
    /// the case was filed with. `false` when it was no longer a draft.
    pub async fn opened(
        &self,
        tx: &mut store::Conn,
        id: i64,
        status: S,
        actor: i64,
    ) -> AppResult<bool> {
        if status != S::DRAFT {
            match cases::move_status(tx, self.tables, id, S::DRAFT, status).await {
                Ok(true) => {}
                Ok(false) => return Ok(false),
                Err(e) if is_unique_violation(&e) => {
                    return Err(self.one_open.map_or_else(|| e.into(), |answer| answer()))
                }
                Err(e) => return Err(e.into()),
            }
        }
        cases::add_event(
            tx,
            self.tables,
            id,
            NewEvent {
                status: status.as_str(),
                at: time::now(),
                actor: Some(actor),
                note: None,
                amount_fen: None,
            },
        )
        .await?;
        Ok(true)
    }

    /// Takes a step inside the caller's transaction: the conditional move,
    /// its timeline event and its audit entry. `false`, and nothing
    /// written, when the case no longer stands at `from` (or the rule has
    /// no such move); the caller answers with its programme's refusal.
    pub async fn step(
        &self,
        tx: &mut store::Conn,
        place: &Place<S>,
        step: Step<'_, S>,
    ) -> AppResult<bool> {
        if !cases::move_status(tx, self.tables, place.id, step.from, step.to).await? {
            return Ok(false);
        }
        let before = json!({"status": step.from.as_str()});
        self.record(tx, place, step.to, step.to.action(), &step, Some(before))
            .await?;
        // The member hears of every step someone else takes on their case,
        // in this same transaction (their own sending needs no message).
        let letter = Letter::case_step(
            self.title,
            (step.to.label(Lang::Zh), step.to.label(Lang::En)),
            step.amount_fen,
            step.note,
            format!("{}{}", self.page, place.id),
        );
        store::inbox::send_to_member(tx, place.roster_id, step.actor, &letter, time::now()).await?;
        Ok(true)
    }

    /// Writes a note on the case's timeline without moving it (a follow-up
    /// visit), audited as `action`.
    pub async fn note(
        &self,
        tx: &mut store::Conn,
        place: &Place<S>,
        actor: i64,
        note: &str,
        action: AuditAction,
    ) -> AppResult<()> {
        let step = Step {
            from: place.status,
            to: place.status,
            actor,
            note: Some(note),
            amount_fen: None,
        };
        self.record(tx, place, place.status, action, &step, None)
            .await
    }

    /// The timeline event and the audit entry of a step, in one shape for
    /// every programme.
    async fn record(
        &self,
        tx: &mut store::Conn,
        place: &Place<S>,
        status: S,
        action: AuditAction,
        step: &Step<'_, S>,
        before: Option<serde_json::Value>,
    ) -> AppResult<()> {
        let note = step.note.filter(|n| !n.is_empty());
        cases::add_event(
            tx,
            self.tables,
            place.id,
            NewEvent {
                status: status.as_str(),
                at: time::now(),
                actor: Some(step.actor),
                note,
                amount_fen: step.amount_fen,
            },
        )
        .await?;
        audit::record(
            tx,
            Entry {
                actor: Some(step.actor),
                union_id: Some(place.union_id),
                action,
                target: format!("{}:{}", self.target, place.id),
                before,
                after: Some(json!({
                    "status": status.as_str(),
                    "note": note,
                    "amount_fen": step.amount_fen,
                })),
            },
        )
        .await?;
        Ok(())
    }

    /// Adds a document (JPEG, PNG or PDF, at most 10 MB) to the member's own
    /// case while its status takes documents.
    pub async fn add_document(
        &self,
        state: &AppState,
        roster_id: i64,
        id: i64,
        form: Multipart,
    ) -> AppResult<DocumentView> {
        let place = self.own(state, roster_id, id).await?;
        // An early answer before the upload; `attach` decides under the lock.
        if !place.status.takes_documents() {
            return Err(self.documents.closed());
        }
        self.documents.attach(state, form, id).await
    }

    /// Serves one of a case's documents to who may see the case.
    pub async fn document(
        &self,
        state: &AppState,
        user: &CurrentUser,
        officer: Option<&Officer>,
        id: i64,
        doc: i64,
    ) -> AppResult<Response> {
        self.visible(state, user, officer, id).await?;
        self.documents.serve(state, id, doc).await
    }

    /// Removes a document from the member's own case while it is theirs to
    /// change.
    pub async fn remove_document(
        &self,
        state: &AppState,
        roster_id: i64,
        id: i64,
        doc: i64,
    ) -> AppResult<()> {
        let place = self.own(state, roster_id, id).await?;
        if !place.status.member_may_edit() {
            return Err((self.not_editable)());
        }
        let editable: Vec<&'static str> = S::all()
            .iter()
            .filter(|s| s.member_may_edit())
            .map(|s| s.as_str())
            .collect();
        let table = self.documents.table();
        let (name, _) = store::documents::file(&mut *state.db.reader().await?, table, id, doc)
            .await?
            .ok_or_else(AppError::not_found)?;
        if !store::documents::remove(&mut *state.db.writer().await?, table, id, doc, &editable)
            .await?
        {
            return Err((self.not_editable)());
        }
        uploads::remove(state, &name).await;
        Ok(())
    }
}
