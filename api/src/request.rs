//! How a request must be sent, whatever the feature: a JSON body, the CSRF
//! header, query parameters, an uploaded file, an `Idempotency-Key`. These
//! refusals come before any feature's rules run, so they are shared here.

use crate::error::{Refusal, Refused};
use crate::Lang;

/// Why the request itself could not be taken (its body, header or query).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestRefusal {
    /// A body without `Content-Type: application/json`.
    ExpectedJson,
    /// A body that is not JSON at all.
    MalformedJson,
    /// JSON with fields missing or of the wrong type.
    InvalidBody,
    /// A body over the route's limit.
    TooLarge,
    /// A body that could not be read for another reason.
    BadBody,
    /// A state-changing request without `X-Requested-With: unioncard`.
    CsrfHeaderMissing,
    /// A queue's `status` filter naming no status of that queue.
    BadStatus,
    /// A `cursor` that no page of this list gave out.
    BadCursor,
}

impl Refused for RequestRefusal {
    fn code(&self) -> &'static str {
        match self {
            RequestRefusal::ExpectedJson => "expected_json",
            RequestRefusal::MalformedJson => "malformed_json",
            RequestRefusal::InvalidBody => "invalid_body",
            RequestRefusal::TooLarge => "too_large",
            RequestRefusal::BadBody => "bad_body",
            RequestRefusal::CsrfHeaderMissing => "csrf_header_missing",
            RequestRefusal::BadStatus => "bad_status",
            RequestRefusal::BadCursor => "bad_cursor",
        }
    }

    fn refusal(&self) -> Refusal {
        match self {
            RequestRefusal::TooLarge => Refusal::TooLarge,
            RequestRefusal::CsrfHeaderMissing => Refusal::Forbidden,
            _ => Refusal::BadRequest,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            RequestRefusal::ExpectedJson => lang.pick(
                "请求内容应为 JSON",
                "The body must be JSON (Content-Type: application/json)",
            ),
            RequestRefusal::MalformedJson => {
                lang.pick("请求内容不是有效的 JSON", "The body is not valid JSON")
            }
            RequestRefusal::InvalidBody => lang.pick(
                "请求内容缺少字段或类型不对",
                "The body is missing fields or has fields of the wrong type",
            ),
            RequestRefusal::TooLarge => lang.pick("内容太大", "The request is too large"),
            RequestRefusal::BadBody => lang.pick("无法读取请求内容", "The body could not be read"),
            RequestRefusal::CsrfHeaderMissing => lang.pick(
                "请求缺少安全标头",
                "The request lacks the X-Requested-With: unioncard header",
            ),
            RequestRefusal::BadStatus => lang.pick("状态参数不正确", "Unknown status"),
            RequestRefusal::BadCursor => lang.pick("分页参数不正确", "Unknown cursor"),
        }
        .to_string()
    }
}

/// Why an uploaded file (a photo, a claim's or a loan's document) was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadRefusal {
    /// The form held no file, or it broke off.
    NoFile,
    /// Over the 10 MB a file may weigh.
    TooLarge,
    /// Not a kind this upload takes (checked by content, not name).
    WrongType,
    /// A record that already carries the most documents it may
    /// (`MAX_DOCUMENTS`).
    TooManyDocuments,
}

/// The most documents one record (a claim, an application) may carry.
pub const MAX_DOCUMENTS: i64 = 20;

impl Refused for UploadRefusal {
    fn code(&self) -> &'static str {
        match self {
            UploadRefusal::NoFile => "bad_upload",
            UploadRefusal::TooLarge => "too_large",
            UploadRefusal::WrongType => "wrong_file_type",
            UploadRefusal::TooManyDocuments => "too_many_documents",
        }
    }

    fn refusal(&self) -> Refusal {
        match self {
            UploadRefusal::NoFile => Refusal::BadRequest,
            UploadRefusal::TooLarge => Refusal::TooLarge,
            UploadRefusal::WrongType | UploadRefusal::TooManyDocuments => Refusal::Unprocessable,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            UploadRefusal::NoFile => lang.pick("没有收到文件", "No file was received"),
            UploadRefusal::TooLarge => lang.pick(
                "文件不能超过 10 MB，请压缩后再传",
                "Files may be at most 10 MB",
            ),
            UploadRefusal::WrongType => lang.pick(
                "只能上传 JPEG、PNG 图片或 PDF 文件",
                "Only JPEG or PNG images or PDF files",
            ),
            UploadRefusal::TooManyDocuments => {
                lang.pick("最多上传 20 份材料", "At most 20 documents")
            }
        }
        .to_string()
    }
}

/// Why a request with an `Idempotency-Key` was neither done nor replayed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdempotencyRefusal {
    /// The key came before with a different body (a client bug or a forgery).
    KeyReused,
    /// The first request with this key is still being handled.
    InProgress,
}

impl Refused for IdempotencyRefusal {
    fn code(&self) -> &'static str {
        match self {
            IdempotencyRefusal::KeyReused => "idempotency_key_reused",
            IdempotencyRefusal::InProgress => "in_progress",
        }
    }

    fn refusal(&self) -> Refusal {
        match self {
            IdempotencyRefusal::KeyReused => Refusal::Unprocessable,
            IdempotencyRefusal::InProgress => Refusal::Conflict,
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            IdempotencyRefusal::KeyReused => lang.pick(
                "这个请求编号已用于另一份内容，请重新提交",
                "This Idempotency-Key was used with a different request; send it again",
            ),
            IdempotencyRefusal::InProgress => {
                lang.pick("正在提交，请稍候", "Already being sent; please wait")
            }
        }
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::checks::assert_refusals;

    #[test]
    fn every_request_refusal_has_its_own_code_and_words_in_both_languages() {
        use RequestRefusal::*;
        assert_refusals(&[
            ExpectedJson,
            MalformedJson,
            InvalidBody,
            TooLarge,
            BadBody,
            CsrfHeaderMissing,
            BadStatus,
            BadCursor,
        ]);
        assert_refusals(&[
            UploadRefusal::NoFile,
            UploadRefusal::TooLarge,
            UploadRefusal::WrongType,
        ]);
        assert_refusals(&[
            IdempotencyRefusal::KeyReused,
            IdempotencyRefusal::InProgress,
        ]);
    }

    #[test]
    fn a_missing_csrf_header_is_forbidden_and_a_large_body_too_large() {
        assert_eq!(RequestRefusal::CsrfHeaderMissing.refusal().status(), 403);
        assert_eq!(RequestRefusal::TooLarge.refusal().status(), 413);
        assert_eq!(UploadRefusal::TooLarge.refusal().status(), 413);
        assert_eq!(RequestRefusal::BadCursor.refusal().status(), 400);
    }
}
