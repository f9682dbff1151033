//! What the phone keeps of the member's own records (my cover, my loans, my
//! training) so the screens still show them with no signal, saying as of
//! when. Each answer is kept whole under its path in local storage; it is
//! forgotten with the person (sign-out, a session gone) like the e-card.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{get, Failure};

const PREFIX: &str = "kept:";

/// An answer, fresh from the server (`as_of` empty) or the one this phone
/// kept, with when it came (RFC 3339 in China's time).
#[derive(Clone, Debug, PartialEq)]
pub struct Kept<T> {
    pub value: T,
    pub as_of: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Stored<T> {
    /// When it came, milliseconds since 1970.
    at: f64,
    value: T,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// `GET path`, keeping the answer; with no network, the answer kept last.
pub async fn get_kept<T: Serialize + DeserializeOwned>(path: &str) -> Result<Kept<T>, Failure> {
    match get::<T>(path).await {
        Ok(value) => {
            let stored = Stored {
                at: js_sys::Date::now(),
                value,
            };
            if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(&stored)) {
                let _ = s.set_item(&format!("{PREFIX}{path}"), &text);
            }
            Ok(Kept {
                value: stored.value,
                as_of: None,
            })
        }
        Err(Failure::Network) => {
            let text = storage()
                .and_then(|s| s.get_item(&format!("{PREFIX}{path}")).ok().flatten())
                .ok_or(Failure::Network)?;
            let stored: Stored<T> = serde_json::from_str(&text).map_err(|_| Failure::Network)?;
            Ok(Kept {
                value: stored.value,
                as_of: Some(china_time(stored.at)),
            })
        }
        Err(f) => Err(f),
    }
}

/// A moment as China's wall clock writes it, in RFC 3339 form.
fn china_time(ms: f64) -> String {
    let iso: String = js_sys::Date::new(&(ms + 8.0 * 3600.0 * 1000.0).into())
        .to_iso_string()
        .into();
    iso.trim_end_matches('Z').to_string() + "+08:00"
}

/// Forgets everything kept (the person is gone from this phone).
pub fn forget() {
    let Some(s) = storage() else { return };
    let keys: Vec<String> = (0..s.length().unwrap_or(0))
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(PREFIX))
        .collect();
    for k in keys {
        let _ = s.remove_item(&k);
    }
}
