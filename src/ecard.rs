//! The e-card on this phone: the secret the server provisioned, the card to
//! show, and the clock correction, kept in local storage so the card and a
//! fresh code appear with no network at all. Cleared at sign-out.

use serde::{Deserialize, Serialize};
use unioncard_api::card::CardView;
use unioncard_api::ecard::{self, DeviceSecret, EcardCode};

use crate::api::{self, Failure};

const KEY: &str = "uc_ecard";

/// What this phone keeps to show the card offline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredEcard {
    /// The device id in every code.
    pub device_id: u64,
    /// The secret, hex.
    pub secret_hex: String,
    /// Server time minus phone time, in seconds (cheap phones' clocks drift).
    pub offset: i64,
    /// The card as last seen online.
    pub card: CardView,
}

impl StoredEcard {
    /// The phone's idea of the server's clock.
    pub fn now(&self) -> u64 {
        (phone_now() as i64 + self.offset).max(0) as u64
    }

    /// The code for this moment, as 20 digits.
    pub fn code(&self) -> Option<String> {
        let secret = ecard::from_hex(&self.secret_hex)?;
        Some(EcardCode::generate(&secret, self.device_id, ecard::step_at(self.now())).digits())
    }
}

/// The phone's clock, Unix seconds.
pub fn phone_now() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored e-card, if this phone has one.
pub fn load() -> Option<StoredEcard> {
    let text = storage()?.get_item(KEY).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

fn save(e: &StoredEcard) {
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(e)) {
        let _ = s.set_item(KEY, &text);
    }
}

/// Forgets the e-card (sign-out, card lost, another person signed in).
pub fn clear() {
    if let Some(s) = storage() {
        let _ = s.remove_item(KEY);
    }
}

/// Makes sure this phone holds a secret for the card; refreshes the card snapshot.
pub async fn ensure(card: &CardView) -> Result<StoredEcard, Failure> {
    if let Some(mut stored) = load() {
        if stored.card.card_no_masked == card.card_no_masked {
            stored.card = card.clone();
            save(&stored);
            return Ok(stored);
        }
    }
    let DeviceSecret {
        device_id,
        secret_hex,
        server_time,
        card,
        ..
    } = api::provision_device().await?;
    let stored = StoredEcard {
        device_id,
        secret_hex,
        offset: server_time as i64 - phone_now() as i64,
        card,
    };
    save(&stored);
    Ok(stored)
}

/// Groups a 20-digit code in fives for reading aloud or typing.
pub fn grouped(code: &str) -> String {
    code.as_bytes()
        .chunks(5)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ")
}
