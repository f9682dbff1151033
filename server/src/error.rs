//! The one error type of the server and its mapping to status codes and the
//! contract's body `{"error": {"code", "message", "fields"}}`.
//!
//! Messages are written in both languages where the error is made; which one
//! is sent depends on the request's `Accept-Language`, which the
//! [`lang_scope`] middleware puts in a task-local so errors need no argument.

use std::borrow::Cow;
use std::collections::BTreeMap;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use unioncard_api::error::{FieldProblems, Refusal, Refused};
use unioncard_api::{ApiError, ErrorBody, Lang};

tokio::task_local! {
    static LANG: Lang;
}

/// The language of the request being handled (Chinese outside a request).
pub fn current_lang() -> Lang {
    LANG.try_with(|l| *l).unwrap_or_default()
}

/// Runs the rest of the stack with the request's language in scope.
pub async fn lang_scope(req: Request, next: Next) -> Response {
    let lang = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_tag)
        .unwrap_or_default();
    LANG.scope(lang, next.run(req)).await
}

/// A text in both languages.
#[derive(Clone, Debug)]
pub struct Text {
    zh: Cow<'static, str>,
    en: Cow<'static, str>,
}

impl Text {
    /// Both languages of one message.
    pub fn new(zh: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// An error a handler returns; its status code is decided where it is made.
#[derive(Debug)]
pub struct AppError {
    status: StatusCode,
    code: Cow<'static, str>,
    message: Text,
    fields: Vec<(String, Text)>,
    retry_after: Option<u64>,
}

impl AppError {
    /// The contract's error code (`in_another_batch`).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Any status with a code and a message.
    pub fn new(status: StatusCode, code: &'static str, zh: &'static str, en: &'static str) -> Self {
        AppError {
            status,
            code: Cow::Borrowed(code),
            message: Text::new(zh, en),
            fields: Vec::new(),
            retry_after: None,
        }
    }

    /// 400: the request could not be read.
    pub fn bad_request(code: &'static str, zh: &'static str, en: &'static str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, zh, en)
    }

    /// 400: one query parameter is malformed.
    pub fn bad_param(field: &str) -> Self {
        Self::bad_request(
            "bad_parameter",
            "查询参数不正确",
            "A query parameter is malformed",
        )
        .with_field(field, "格式不正确", "Malformed")
    }

    /// 401: not signed in.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "not_signed_in",
            "请先登录",
            "Please sign in",
        )
    }

    /// 403: signed in, but this is not theirs to do.
    pub fn forbidden(code: &'static str, zh: &'static str, en: &'static str) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, zh, en)
    }

    /// 404: not found, also for other people's records.
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "找不到该内容",
            "Not found",
        )
    }

    /// 409: conflicts with the current state.
    pub fn conflict(code: &'static str, zh: &'static str, en: &'static str) -> Self {
        Self::new(StatusCode::CONFLICT, code, zh, en)
    }

    /// 422 with a message made at run time (e.g. naming a date).
    pub fn unprocessable_text(code: &'static str, zh: String, en: String) -> Self {
        AppError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: Cow::Borrowed(code),
            message: Text::new(zh, en),
            fields: Vec::new(),
            retry_after: None,
        }
    }

    /// 422: well-formed but not acceptable.
    pub fn unprocessable(code: &'static str, zh: &'static str, en: &'static str) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, zh, en)
    }

    /// 422 with the problems of each field, as the shared crate's parsers found them.
    pub fn invalid(problems: &FieldProblems) -> Self {
        let mut err = Self::unprocessable(
            "validation_failed",
            "请检查标出的内容",
            "Please check the marked fields",
        );
        err.fields = problems
            .0
            .iter()
            .map(|(f, p)| {
                (
                    f.to_string(),
                    Text::new(p.message(Lang::Zh), p.message(Lang::En)),
                )
            })
            .collect();
        err
    }

    /// 429 with `Retry-After` in seconds.
    pub fn too_many(retry_after: u64) -> Self {
        let mut err = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "尝试次数过多，请稍后再试",
            "Too many attempts; please try again later",
        );
        err.retry_after = Some(retry_after.max(1));
        err
    }

    /// 503 with `Retry-After`: the server is busy (too much work at once).
    pub fn busy(retry_after: u64) -> Self {
        let mut err = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "当前使用人数较多，请稍后再试",
            "The service is busy; please try again shortly",
        );
        err.retry_after = Some(retry_after.max(1));
        err
    }

    /// 500: our fault. The cause is logged, never sent.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "服务暂时出了问题，请稍后重试",
            "Something went wrong on our side; please try again",
        )
    }

    /// A feature's refusal as the shared crate words it (see [`Refused`]).
    pub fn refused(r: &impl Refused) -> Self {
        let status = match r.refusal() {
            Refusal::BadRequest => StatusCode::BAD_REQUEST,
            Refusal::Unauthorized => StatusCode::UNAUTHORIZED,
            Refusal::Forbidden => StatusCode::FORBIDDEN,
            Refusal::NotFound => StatusCode::NOT_FOUND,
            Refusal::Conflict => StatusCode::CONFLICT,
            Refusal::Gone => StatusCode::GONE,
            Refusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::TooMany => StatusCode::TOO_MANY_REQUESTS,
        };
        let mut err = AppError {
            status,
            code: Cow::Borrowed(r.code()),
            message: Text::new(r.message(Lang::Zh), r.message(Lang::En)),
            fields: Vec::new(),
            retry_after: None,
        };
        if let (Some((field, zh)), Some((_, en))) = (r.field(Lang::Zh), r.field(Lang::En)) {
            err.fields.push((field.to_string(), Text::new(zh, en)));
        }
        err
    }

    /// A feature's refusal to try again later (a 429's `Retry-After`, in seconds).
    pub fn refused_retry(r: &impl Refused, retry_after: u64) -> Self {
        let mut err = Self::refused(r);
        err.retry_after = Some(retry_after.max(1));
        err
    }

    /// The status code this error answers with.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Adds one field's explanation.
    pub fn with_field(mut self, field: &str, zh: &'static str, en: &'static str) -> Self {
        self.fields.push((field.to_string(), Text::new(zh, en)));
        self
    }

    /// Adds one field's explanation made at run time (e.g. naming a course).
    pub fn with_field_text(mut self, field: &str, zh: String, en: String) -> Self {
        self.fields.push((field.to_string(), Text::new(zh, en)));
        self
    }

    /// The contract's body in the given language.
    pub fn body(&self, lang: Lang) -> ErrorBody {
        let fields: BTreeMap<String, String> = self
            .fields
            .iter()
            .map(|(f, t)| (f.clone(), t.get(lang).to_string()))
            .collect();
        ErrorBody {
            error: ApiError {
                code: self.code.to_string(),
                message: self.message.get(lang).to_string(),
                fields,
            },
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, axum::Json(self.body(current_lang()))).into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

/// Each feature's refusals become the contract's error with their own words.
macro_rules! refusals {
    ($($t:ty),* $(,)?) => {
        $(impl From<$t> for AppError {
            fn from(r: $t) -> Self {
                AppError::refused(&r)
            }
        })*
    };
}

refusals!(
    unioncard_api::training::TrainingRefusal,
    unioncard_api::join::NoteNeeded,
    unioncard_api::join::JoinRefusal,
    unioncard_api::loans::LoanStepRefusal,
    unioncard_api::aid::AidRefusal,
    unioncard_api::auth::AccessRefusal,
    unioncard_api::auth::AuthRefusal,
    unioncard_api::auth::AdminRefusal,
    unioncard_api::card::CardRefusal,
    unioncard_api::card::FreezeRefusal,
    unioncard_api::ecard::EcardRefusal,
    unioncard_api::offers::OfferRefusal,
    unioncard_api::offers::TillRefusal,
    unioncard_api::offers::NoDiscount,
    unioncard_api::offers::ComplaintRefusal,
    unioncard_api::offers::MerchantDeskRefusal,
    unioncard_api::offers::UnknownStatus,
    unioncard_api::roster::RosterRefusal,
    unioncard_api::request::RequestRefusal,
    unioncard_api::request::UploadRefusal,
    unioncard_api::request::IdempotencyRefusal,
    unioncard_api::campaigns::CampaignRefusal,
    unioncard_api::hardship::HardshipRefusal,
    unioncard_api::payments::PaymentRefusal,
    unioncard_api::transfers::TransferRefusal,
    unioncard_api::education::EducationRefusal,
    unioncard_api::allowances::ModelWorkerRefusal,
    unioncard_api::rights::RightsRefusal,
    unioncard_api::counselling::CounsellingRefusal,
);

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(e)
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::internal(format!("{e:#}"))
    }
}

/// Result of a handler.
pub type AppResult<T> = Result<T, AppError>;

/// Turns every error response that is not already the contract's JSON (the
/// router's own 404 and 405, a panic's 500, a layer's 413) into it, so no
/// client ever sees an HTML or empty error page.
pub async fn json_errors(req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return resp;
    }
    let (code, zh, en) = match status {
        StatusCode::NOT_FOUND => ("not_found", "找不到该内容", "Not found"),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "不支持该操作",
            "This method is not allowed here",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "内容太大", "The request is too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "不支持的内容类型",
            "Unsupported content type",
        ),
        s if s.is_server_error() => (
            "internal_error",
            "服务暂时出了问题，请稍后重试",
            "Something went wrong on our side; please try again",
        ),
        _ => ("bad_request", "请求有误", "Bad request"),
    };
    let mut err = AppError::new(status, code, zh, en);
    if let Some(v) = resp
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
    {
        err.retry_after = v.parse().ok();
    }
    err.into_response()
}
