//! The typed HTTP client over the shared wire types. Every request carries
//! the CSRF header and the chosen language; every failure becomes a
//! [`Failure`] the screens know how to show.

use std::collections::BTreeMap;

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use unioncard_api::auth::{LoginRequest, Me, RegisterRequest};
use unioncard_api::ErrorBody;

use crate::i18n::{current_lang, strings};

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
    match resp.json::<ErrorBody>().await {
        Ok(body) => Err(Failure::Api {
            status,
            code: body.error.code,
            message: body.error.message,
            fields: body.error.fields,
        }),
        Err(_) => Err(server_failure(status)),
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

/// `GET path`.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, Failure> {
    read(with_headers(Request::get(path)).send().await).await
}

/// `POST path` with a JSON body.
pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, Failure> {
    let req = with_headers(Request::post(path))
        .json(body)
        .map_err(|_| Failure::Network)?;
    read(req.send().await).await
}

/// The signed-in person, or `None` when nobody is.
pub async fn me() -> Result<Option<Me>, Failure> {
    match get::<Me>("/api/me").await {
        Ok(me) => Ok(Some(me)),
        Err(f) if f.status() == Some(401) => Ok(None),
        Err(f) => Err(f),
    }
}

/// Signs in.
pub async fn login(req: &LoginRequest) -> Result<Me, Failure> {
    post("/api/auth/login", req).await
}

/// Registers a roster member (and signs them in).
pub async fn register(req: &RegisterRequest) -> Result<Me, Failure> {
    post("/api/auth/register", req).await
}

/// Signs out.
pub async fn logout() -> Result<(), Failure> {
    post::<_, ()>("/api/auth/logout", &serde_json::json!({})).await
}
