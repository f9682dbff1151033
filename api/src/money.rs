//! Money bounds shared by every amount the product takes in.
//!
//! Amounts are integer fen (`i64`). One ceiling for every amount a person
//! types (a bill, a claim's costs, a loan, an approved payout) keeps sums of
//! millions of records far from `i64::MAX` (10^8 rows × 10^10 fen = 10^18
//! < 9.2 × 10^18), so figures, histories and database sums never overflow.

/// The largest amount anywhere in the product: ¥100,000,000.00.
pub const MAX_FEN: i64 = 10_000_000_000;

/// Whether an amount someone typed is within the product's bounds
/// (zero allowed; negative and above [`MAX_FEN`] refused).
pub fn in_bounds(fen: i64) -> bool {
    (0..=MAX_FEN).contains(&fen)
}

/// Adds amounts without ever wrapping: a figure that would pass `i64::MAX`
/// stays at it (it cannot happen within [`MAX_FEN`], but a sum must never
/// become negative or panic).
pub fn sum<I: IntoIterator<Item = i64>>(amounts: I) -> i64 {
    amounts.into_iter().fold(0i64, |a, b| a.saturating_add(b))
}

/// Reads an amount of yuan as a person types it (`12`, `12.5`, `12.50`,
/// `¥12.50`, spaces around) into fen: at most two decimals, more than zero,
/// at most [`MAX_FEN`]. `None` for anything else (letters, a minus sign,
/// three decimals, `1,000`), so a form can say "enter an amount" instead of
/// guessing what was meant.
pub fn parse_yuan(s: &str) -> Option<i64> {
    let s = s.trim().trim_start_matches(['¥', '￥']).trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    whole
        .checked_mul(100)?
        .checked_add(frac)
        .filter(|f| *f > 0 && *f <= MAX_FEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_are_read_as_people_type_them() {
        assert_eq!(parse_yuan("12"), Some(1200));
        assert_eq!(parse_yuan(" 12.5 "), Some(1250));
        assert_eq!(parse_yuan("¥12.05"), Some(1205));
        assert_eq!(parse_yuan("￥0.01"), Some(1));
        assert_eq!(parse_yuan("100000000"), Some(MAX_FEN));
    }

    #[test]
    fn anything_else_is_no_amount() {
        for s in [
            "",
            "0",
            "0.00",
            "-5",
            "1.234",
            "1,000",
            "12a",
            ".5",
            "1e3",
            "100000000.01",
            "99999999999999999999",
        ] {
            assert_eq!(parse_yuan(s), None, "{s:?}");
        }
    }

    #[test]
    fn bounds_take_zero_and_the_ceiling_and_nothing_beyond() {
        assert!(in_bounds(0));
        assert!(in_bounds(MAX_FEN));
        assert!(!in_bounds(MAX_FEN + 1));
        assert!(!in_bounds(-1));
    }

    #[test]
    fn sums_saturate_instead_of_wrapping() {
        assert_eq!(sum([1, 2, 3]), 6);
        assert_eq!(sum([i64::MAX, 1]), i64::MAX);
    }
}
