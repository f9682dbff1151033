//! Instants are stored as Unix seconds (BIGINT in both databases) and sent as
//! RFC 3339 in China Standard Time, the time every user of the product lives in.

use std::time::{SystemTime, UNIX_EPOCH};

/// China Standard Time: UTC+8, no daylight saving.
const CST_OFFSET: i64 = 8 * 3600;

/// The current Unix time in seconds.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `(year, month, day)` of a count of days since 1970-01-01 (civil calendar).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Shift to an era starting on 1 March so leap days fall at the end of a year.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// An instant as RFC 3339 with the +08:00 offset: `2026-11-23T09:30:00+08:00`.
pub fn rfc3339(unix: i64) -> String {
    let local = unix + CST_OFFSET;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+08:00",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Today's date in China as ISO 8601.
pub fn today_iso(unix: i64) -> String {
    let (y, m, d) = civil_from_days((unix + CST_OFFSET).div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
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
    }

    #[test]
    fn leap_days_exist() {
        // 2024-02-29 is day 19782.
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }
}

/// Days since 1970-01-01 of a civil date (inverse of [`civil_from_days`]).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day in China (days since 1970-01-01) of an instant.
pub fn china_day(unix: i64) -> i64 {
    (unix + CST_OFFSET).div_euclid(86_400)
}

/// Today's date in China.
pub fn today() -> unioncard_api::identity::Date {
    unioncard_api::identity::Date::from_days(china_day(now()))
}

/// The instant that starts a day in China.
pub fn day_start(day: i64) -> i64 {
    day * 86_400 - CST_OFFSET
}

/// The instant that starts the month (in China) of an instant.
pub fn month_start(unix: i64) -> i64 {
    let (y, m, _) = civil_from_days(china_day(unix));
    day_start(days_from_civil(y, m, 1))
}

/// The instant that starts the year (in China) of an instant.
pub fn year_start(unix: i64) -> i64 {
    let (y, _, _) = civil_from_days(china_day(unix));
    day_start(days_from_civil(y, 1, 1))
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
