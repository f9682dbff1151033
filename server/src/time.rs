//! Instants are stored as Unix seconds (BIGINT in both databases) and sent as
//! RFC 3339 in China Standard Time, the time every user of the product lives in.
//! The calendar is chrono's; days are counted from 1970-01-01, as
//! [`unioncard_api::identity::Date::to_days`] counts them.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, SecondsFormat, Utc};

/// China Standard Time: UTC+8, no daylight saving.
const CHINA: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// The current Unix time in seconds.
pub fn now() -> i64 {
    Utc::now().timestamp()
}

/// An instant as a time in China. Instants beyond chrono's range (about
/// 262,000 years either way) stop at its first or last instant.
fn in_china(unix: i64) -> DateTime<FixedOffset> {
    let utc = DateTime::from_timestamp(unix, 0).unwrap_or(if unix < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    });
    utc.with_timezone(&CHINA)
}

/// The date a count of days after 1970-01-01, within chrono's range.
fn date_of_day(days: i64) -> NaiveDate {
    let date = i32::try_from(days)
        .ok()
        .and_then(NaiveDate::from_epoch_days);
    date.unwrap_or(if days < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// The instant that starts a date in China: its midnight at UTC+8, which
/// comes eight hours before midnight UTC.
fn start_of(date: NaiveDate) -> i64 {
    let utc_midnight = date.and_time(NaiveTime::MIN).and_utc().timestamp();
    utc_midnight - i64::from(CHINA.local_minus_utc())
}

/// `(year, month, day)` of a count of days since 1970-01-01 (civil calendar).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let date = date_of_day(days);
    (date.year().into(), date.month(), date.day())
}

/// Days since 1970-01-01 of a civil date (inverse of [`civil_from_days`]).
///
/// # Panics
/// When the date does not exist (30 February) or is beyond chrono's range.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    i32::try_from(y)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
        .expect("a civil date that exists")
        .to_epoch_days()
        .into()
}

/// An instant as RFC 3339 with the +08:00 offset: `2026-11-23T09:30:00+08:00`.
pub fn rfc3339(unix: i64) -> String {
    in_china(unix).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// An instant to the minute in China, as a message states it:
/// `2026-11-23 09:30`.
pub fn minute(unix: i64) -> String {
    in_china(unix).format("%Y-%m-%d %H:%M").to_string()
}

/// Today's date in China as ISO 8601.
pub fn today_iso(unix: i64) -> String {
    in_china(unix).date_naive().format("%Y-%m-%d").to_string()
}

/// The day in China (days since 1970-01-01) of an instant.
pub fn china_day(unix: i64) -> i64 {
    in_china(unix).date_naive().to_epoch_days().into()
}

/// Today's date in China.
pub fn today() -> unioncard_api::identity::Date {
    unioncard_api::identity::Date::from_days(china_day(now()))
}

/// The instant that starts a day in China.
pub fn day_start(day: i64) -> i64 {
    start_of(date_of_day(day))
}

/// The instant that starts the month (in China) of an instant.
pub fn month_start(unix: i64) -> i64 {
    let date = in_china(unix).date_naive();
    start_of(date.with_day(1).expect("every month has a first day"))
}

/// The instant that starts the year (in China) of an instant.
pub fn year_start(unix: i64) -> i64 {
    let date = in_china(unix).date_naive();
    start_of(date.with_ordinal(1).expect("every year has a first day"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_print_in_china_time() {
        assert_eq!(rfc3339(0), "1970-01-01T08:00:00+08:00");
        // 2026-11-22T16:00:00Z is midnight of the 23rd in Beijing.
        assert_eq!(rfc3339(1_795_363_200), "2026-11-23T00:00:00+08:00");
        assert_eq!(today_iso(1_795_363_199), "2026-11-22");
        assert_eq!(
            minute(1_795_363_200 + 9 * 3600 + 30 * 60),
            "2026-11-23 09:30"
        );
    }

    #[test]
    fn leap_days_exist() {
        // 2024-02-29 is day 19782.
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }
}

#[cfg(test)]
mod calendar_tests {
    use super::*;

    #[test]
    fn days_and_civil_dates_round_trip() {
        for day in [-1000, 0, 19_782, 20_780, 60_000] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        // 2026-11-23 10:00 Beijing: the month began 2026-11-01 00:00 Beijing.
        let t = 1_795_363_200 + 10 * 3600;
        assert_eq!(rfc3339(month_start(t)), "2026-11-01T00:00:00+08:00");
        assert_eq!(rfc3339(year_start(t)), "2026-01-01T00:00:00+08:00");
    }
}
