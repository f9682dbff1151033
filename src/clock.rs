//! Today's date as the member lives it: China time (UTC+8, no daylight
//! saving), whatever zone the phone is set to. The shared rules take this
//! date, so the phone and the server agree on "today".

use unioncard_api::identity::Date;

/// Milliseconds in a day, and China's offset from UTC.
const DAY_MS: i64 = 86_400_000;
const CHINA_OFFSET_MS: i64 = 8 * 3_600_000;

/// The day in China of a Unix time in milliseconds.
pub fn china_day_of_ms(unix_ms: i64) -> Date {
    Date::from_days((unix_ms + CHINA_OFFSET_MS).div_euclid(DAY_MS))
}

/// Today in China, by the phone's clock.
pub fn today() -> Date {
    china_day_of_ms(js_sys::Date::now() as i64)
}
