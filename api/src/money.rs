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

#[cfg(test)]
mod tests {
    use super::*;

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
