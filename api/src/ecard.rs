//! The electronic member card's rotating code, designed like an offline
//! payment code: while online, the phone is given a per-device secret; from
//! then on it derives a fresh code every [`STEP_SECONDS`] from the secret and
//! the clock, with no network. The server, which holds the same secret,
//! recomputes it with a small clock allowance. A screenshot stops working
//! within a minute; signing out or reporting the card lost revokes the secret.
//!
//! A code is 20 digits, typeable by a cashier when the camera fails:
//! 9 digits of device id, the last 3 digits of the time step (so an old code
//! can be told apart from a forged one), and an 8-digit HMAC-SHA256 tag.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::FieldProblem;

/// How long one code is shown before the next.
pub const STEP_SECONDS: u64 = 30;
/// Steps behind the server's clock still accepted (a code shown just before it changed).
pub const PAST_STEPS: u64 = 1;
/// Steps ahead of the server's clock accepted (a phone whose clock runs fast).
pub const FUTURE_STEPS: u64 = 1;
/// How far back an old code is still recognised as expired rather than unknown.
const STEP_WRAP: u64 = 1000;

/// The time step of a Unix time.
pub fn step_at(unix_seconds: u64) -> u64 {
    unix_seconds / STEP_SECONDS
}

/// The parts of a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EcardCode {
    /// The device (secret) that made it.
    pub device_id: u64,
    /// The time step modulo 1000.
    pub step_low: u64,
    /// The 8-digit tag.
    pub tag: u64,
}

impl EcardCode {
    /// The code for a device at a time step.
    pub fn generate(secret: &[u8], device_id: u64, step: u64) -> EcardCode {
        EcardCode {
            device_id,
            step_low: step % STEP_WRAP,
            tag: tag(secret, device_id, step),
        }
    }

    /// The 20 digits.
    pub fn digits(&self) -> String {
        format!("{:09}{:03}{:08}", self.device_id, self.step_low, self.tag)
    }

    /// Parses 20 digits (spaces ignored).
    pub fn parse(input: &str) -> Result<EcardCode, FieldProblem> {
        let d: String = crate::identity::to_half_width(input)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if d.is_empty() {
            return Err(FieldProblem::Required);
        }
        if d.len() != 20 || !d.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldProblem::EcardCodeFormat);
        }
        let n = |r: std::ops::Range<usize>| {
            d[r].parse::<u64>()
                .map_err(|_| FieldProblem::EcardCodeFormat)
        };
        Ok(EcardCode {
            device_id: n(0..9)?,
            step_low: n(9..12)?,
            tag: n(12..20)?,
        })
    }

    /// The full time step this code claims, as seen from `now_step`: the
    /// latest step not beyond the allowed future whose last digits match.
    pub fn claimed_step(&self, now_step: u64) -> u64 {
        let latest = now_step + FUTURE_STEPS;
        let back = (latest % STEP_WRAP + STEP_WRAP - self.step_low) % STEP_WRAP;
        latest.saturating_sub(back)
    }

    /// Checks the code against the device's secret at the server's time.
    pub fn verify(&self, secret: &[u8], now_step: u64) -> Verdict {
        let step = self.claimed_step(now_step);
        if tag(secret, self.device_id, step) != self.tag {
            return Verdict::Invalid;
        }
        if step + PAST_STEPS < now_step {
            Verdict::Expired
        } else {
            Verdict::Valid
        }
    }
}

/// What the server concludes about a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Made by this device within the allowance.
    Valid,
    /// Made by this device, but too long ago (a screenshot).
    Expired,
    /// Not made by this device: mistyped or forged.
    Invalid,
}

/// Seconds until a code made at `now` stops being accepted.
pub fn seconds_valid(unix_seconds: u64) -> u64 {
    (step_at(unix_seconds) + PAST_STEPS + 1) * STEP_SECONDS - unix_seconds
}

/// Seconds until the phone shows the next code.
pub fn seconds_to_next(unix_seconds: u64) -> u64 {
    STEP_SECONDS - unix_seconds % STEP_SECONDS
}

fn tag(secret: &[u8], device_id: u64, step: u64) -> u64 {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&device_id.to_be_bytes());
    mac.update(&step.to_be_bytes());
    let out = mac.finalize().into_bytes();
    // Dynamic truncation as in HOTP (RFC 4226), to 8 decimal digits.
    let offset = (out[31] & 0x0f) as usize;
    let bin = u32::from_be_bytes([
        out[offset] & 0x7f,
        out[offset + 1],
        out[offset + 2],
        out[offset + 3],
    ]);
    u64::from(bin) % 100_000_000
}

/// Lower-case hex, for carrying a secret in JSON and local storage.
pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses lower- or upper-case hex.
pub fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// `POST /api/card/devices`: a phone's own secret, to make codes offline.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceSecret {
    /// The device id the codes carry.
    pub device_id: u64,
    /// The secret, in hex. Kept only on this phone and (encrypted) on the server.
    pub secret_hex: String,
    /// Seconds per code.
    pub step_seconds: u64,
    /// The server's clock (Unix seconds), so a phone with a wrong clock can correct it.
    pub server_time: u64,
    /// The card the codes are for, to show offline.
    pub card: crate::card::CardView,
}

/// Why a member's e-card code was not taken, or no phone could be given one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EcardRefusal {
    /// Forged, mistyped, or from a revoked phone ([`Verdict::Invalid`]).
    Invalid,
    /// Made too long ago, e.g. a screenshot ([`Verdict::Expired`]).
    Expired,
    /// A phone asked for a secret while the card is not active.
    CardNotActive,
}

impl crate::error::Refused for EcardRefusal {
    fn code(&self) -> &'static str {
        match self {
            EcardRefusal::Invalid => "invalid_code",
            EcardRefusal::Expired => "code_expired",
            EcardRefusal::CardNotActive => "card_not_active",
        }
    }

    fn refusal(&self) -> crate::error::Refusal {
        use crate::error::Refusal;
        match self {
            EcardRefusal::Invalid => Refusal::Unprocessable,
            EcardRefusal::Expired => Refusal::Gone,
            EcardRefusal::CardNotActive => Refusal::Conflict,
        }
    }

    fn message(&self, lang: crate::Lang) -> String {
        match self {
            EcardRefusal::Invalid => lang.pick(
                "会员码无效，请让会员刷新后重新出示",
                "This member code is not valid; ask the member to show a fresh one",
            ),
            EcardRefusal::Expired => lang.pick(
                "会员码已过期，请让会员刷新后重新出示",
                "This member code has expired; ask the member to show a fresh one",
            ),
            EcardRefusal::CardNotActive => lang.pick(
                "会员卡激活后才能出示电子卡",
                "The e-card works once the card is active",
            ),
        }
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ecard_refusal_has_its_own_code_and_words_in_both_languages() {
        crate::error::checks::assert_refusals(&[
            EcardRefusal::Invalid,
            EcardRefusal::Expired,
            EcardRefusal::CardNotActive,
        ]);
    }

    const SECRET: &[u8] = b"a phone's secret of thirty-two b";

    #[test]
    fn a_fresh_code_verifies_and_round_trips_through_its_digits() {
        let step = step_at(1_795_363_200);
        let code = EcardCode::generate(SECRET, 42, step);
        let digits = code.digits();
        assert_eq!(digits.len(), 20);
        assert!(digits.starts_with("000000042"));
        let parsed = EcardCode::parse(&digits).unwrap();
        assert_eq!(parsed, code);
        assert_eq!(parsed.verify(SECRET, step), Verdict::Valid);
    }

    #[test]
    fn clocks_may_differ_by_one_step_either_way() {
        let step = 59_845_440;
        let code = EcardCode::generate(SECRET, 7, step);
        assert_eq!(
            code.verify(SECRET, step + 1),
            Verdict::Valid,
            "shown just before it changed"
        );
        assert_eq!(
            code.verify(SECRET, step - 1),
            Verdict::Valid,
            "phone clock a little fast"
        );
    }

    #[test]
    fn a_screenshot_expires_within_a_minute() {
        let step = 59_845_440;
        let code = EcardCode::generate(SECRET, 7, step);
        assert_eq!(code.verify(SECRET, step + 2), Verdict::Expired);
        assert_eq!(code.verify(SECRET, step + 500), Verdict::Expired);
        // Even made at the very start of its step, a code dies within 60 seconds.
        let start = step * STEP_SECONDS;
        assert!(seconds_valid(start) <= 60);
        assert_eq!(seconds_valid(start), 60);
        assert_eq!(seconds_to_next(start + 10), 20);
    }

    #[test]
    fn forged_or_mistyped_codes_are_invalid() {
        let step = 59_845_440;
        let code = EcardCode::generate(SECRET, 7, step);
        let mut digits = code.digits().into_bytes();
        digits[15] = if digits[15] == b'9' {
            b'0'
        } else {
            digits[15] + 1
        };
        let typo = EcardCode::parse(std::str::from_utf8(&digits).unwrap()).unwrap();
        assert_eq!(typo.verify(SECRET, step), Verdict::Invalid);
        assert_eq!(
            code.verify(b"another device's secret", step),
            Verdict::Invalid
        );
        assert_eq!(EcardCode::parse("1234"), Err(FieldProblem::EcardCodeFormat));
        assert_eq!(EcardCode::parse(""), Err(FieldProblem::Required));
    }

    #[test]
    fn the_claimed_step_wraps_around_the_thousands() {
        let code = EcardCode::generate(SECRET, 7, 2_000);
        assert_eq!(code.step_low, 0);
        assert_eq!(code.claimed_step(1_999), 2_000, "one step in the future");
        assert_eq!(code.claimed_step(2_001), 2_000);
        assert_eq!(code.verify(SECRET, 1_999), Verdict::Valid);
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(from_hex(&to_hex(SECRET)).unwrap(), SECRET);
        assert_eq!(from_hex("zz"), None);
        assert_eq!(from_hex("abc"), None);
    }
}
