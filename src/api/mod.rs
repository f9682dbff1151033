//! The typed HTTP client over the shared wire types, one module per feature
//! (re-exported here, so a screen calls `api::claim`). Every request carries
//! the CSRF header and the chosen language; every failure becomes a
//! [`Failure`] the screens know how to show.

mod account;
mod admin;
mod aid;
mod campaigns;
mod card;
mod centres;
mod counselling;
mod counselling_desk;
mod desk;
mod early;
mod education;
mod hardship;
mod inbox;
mod join;
pub mod kept;
mod loans;
mod offers;
mod payments;
mod rights;
mod rights_desk;
mod training;

pub use account::*;
pub use admin::*;
pub use aid::*;
pub use campaigns::*;
pub use card::*;
pub use centres::*;
pub use counselling::*;
pub use counselling_desk::*;
pub use desk::*;
pub use education::*;
pub use hardship::*;
pub use inbox::*;
pub use join::*;
pub use loans::*;
pub use offers::*;
pub use payments::*;
pub use rights::*;
pub use rights_desk::*;
pub use training::*;

use std::collections::BTreeMap;

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use unioncard_api::ErrorBody;

use crate::i18n::{current_lang, strings};

/// The body of a request that carries nothing but its intent (`{}`).
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Empty {}

/// Why a request did not give what was asked.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// No answer: offline, a dropped connection, a timeout.
    Network,
    /// The server answered with an error in the contract's shape.
    Api {
        /// HTTP status.
        status: u16,
        /// The stable code, e.g. `wrong_credentials`.
        code: String,
        /// The sentence to show.
        message: String,
        /// Per-field explanations.
        fields: BTreeMap<String, String>,
    },
}

impl Failure {
    /// What to tell the person.
    pub fn message(&self) -> String {
        match self {
            Failure::Network => strings(current_lang()).network_error.to_string(),
            Failure::Api { message, .. } => message.clone(),
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Failure::Network => None,
            Failure::Api { status, .. } => Some(*status),
        }
    }

    /// The stable error code (`wrong_password`, `not_signed_in`…), empty when
    /// there was no answer.
    pub fn code(&self) -> &str {
        match self {
            Failure::Network => "",
            Failure::Api { code, .. } => code,
        }
    }

    /// Per-field explanations, empty unless the input was at fault.
    pub fn fields(&self) -> BTreeMap<String, String> {
        match self {
            Failure::Api { fields, .. } => fields.clone(),
            Failure::Network => BTreeMap::new(),
        }
    }
}

fn with_headers(req: RequestBuilder) -> RequestBuilder {
    req.header("X-Requested-With", "unioncard")
        .header("Accept-Language", current_lang().tag())
}

async fn read<T: DeserializeOwned>(resp: Result<Response, gloo_net::Error>) -> Result<T, Failure> {
    let resp = resp.map_err(|_| Failure::Network)?;
    if resp.ok() {
        // 204 and other empty answers decode from `null` (for `()` results).
        let text = resp.text().await.map_err(|_| Failure::Network)?;
        let text = if text.is_empty() {
            "null"
        } else {
            text.as_str()
        };
        return serde_json::from_str(text).map_err(|_| server_failure(resp.status()));
    }
    let status = resp.status();
    let wait = retry_after_minutes(&resp);
    match resp.json::<ErrorBody>().await {
        Ok(body) => Err(Failure::Api {
            status,
            code: body.error.code,
            message: with_wait(body.error.message, wait),
            fields: body.error.fields,
        }),
        Err(_) => Err(server_failure(status)),
    }
}

/// For a 429 (too many attempts), how many whole minutes `Retry-After` asks
/// to wait.
fn retry_after_minutes(resp: &Response) -> Option<u64> {
    if resp.status() != 429 {
        return None;
    }
    let secs: u64 = resp.headers().get("Retry-After")?.trim().parse().ok()?;
    Some(secs.div_ceil(60).max(1))
}

/// The server's sentence, with how long to wait when it said.
fn with_wait(message: String, minutes: Option<u64>) -> String {
    match minutes {
        Some(n) => {
            let wait = strings(current_lang())
                .try_again_in
                .replace("{n}", &n.to_string());
            format!("{message}{wait}")
        }
        None => message,
    }
}

fn server_failure(status: u16) -> Failure {
    Failure::Api {
        status,
        code: "unexpected_response".into(),
        message: strings(current_lang()).server_error.into(),
        fields: BTreeMap::new(),
    }
}

/// `GET path` (taking the page's early answer when it asked already).
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, Failure> {
    if let Some(resp) = early::take(path).await {
        return read(Ok(resp)).await;
    }
    read(with_headers(Request::get(path)).send().await).await
}

/// `POST path` with a JSON body.
pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, Failure> {
    let req = with_headers(Request::post(path))
        .json(body)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

/// `POST path` with a JSON body and an `Idempotency-Key`: a retry with the
/// same key (a double tap, a dropped answer) is done once.
pub async fn post_once<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
    key: &str,
) -> Result<T, Failure> {
    let req = with_headers(Request::post(path))
        .header("Idempotency-Key", key)
        .json(body)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

/// `POST path` with one file as the multipart field `field` (a document's
/// photo or PDF): every upload of every programme goes through here.
pub async fn upload<T: DeserializeOwned>(
    path: &str,
    field: &str,
    file: &web_sys::Blob,
) -> Result<T, Failure> {
    let form = web_sys::FormData::new().map_err(|_| Failure::Network)?;
    form.append_with_blob(field, file)
        .map_err(|_| Failure::Network)?;
    let req = with_headers(Request::post(path))
        .body(form)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

/// A random key for one user action (a tap), for `Idempotency-Key`.
pub fn new_key() -> String {
    format!(
        "{:x}{:x}",
        (js_sys::Math::random() * 1e15) as u64,
        js_sys::Date::now() as u64
    )
}

/// `PUT path` with a JSON body.
pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, Failure> {
    let req = with_headers(Request::put(path))
        .json(body)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}
