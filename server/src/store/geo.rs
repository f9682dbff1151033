//! Nearest first, for any table with `id`, `lat_e6` and `lng_e6` (degrees
//! × 10⁶): the merchant directory and the service centres.

use sqlx::{AnyConnection, FromRow};
use unioncard_api::offers::distance_m;

use crate::error::AppResult;

#[derive(Debug, FromRow)]
struct Point {
    id: i64,
    lat_e6: i64,
    lng_e6: i64,
}

/// Where the search for the nearest starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// A box of about 200 m across, grown until the nearest are certainly
    /// inside it: for rows spread over the city, so a dense centre reads a
    /// street's worth, not the city.
    Close,
    /// The widest box at once: the other conditions already leave few rows
    /// (a rare search word), and one read of them all is the cheapest.
    Wide,
}

/// The first box's half-width, in degrees × 10⁶ (about 110 m north-south).
const CLOSE_HALF_E6: i64 = 1_000;
/// The widest box's half-width (about 70 km: the city and its counties).
const WIDE_HALF_E6: i64 = 640_000;

/// The rows of `table` matching `filters` (SQL conditions over `binds`, as
/// `$1`…) nearest to `(lat, lng)`: `(id, metres)`, nearest first, at least the
/// nearest `want` when there are that many. A box around the point narrows
/// the search in SQL, read from the `(lat_e6, lng_e6)` index; it grows
/// until the nearest `want` rows are certainly inside it (their distance is
/// within the box's half-width), or is the widest.
pub async fn nearest(
    conn: &mut AnyConnection,
    table: &str,
    filters: &[String],
    binds: &[String],
    (lat, lng): (f64, f64),
    want: usize,
    start: Start,
) -> AppResult<Vec<(i64, i64)>> {
    let (la, ln) = ((lat * 1e6) as i64, (lng * 1e6) as i64);
    let mut half_e6 = match start {
        Start::Close => CLOSE_HALF_E6,
        Start::Wide => WIDE_HALF_E6,
    };
    loop {
        let mut f = filters.to_vec();
        f.push(format!(
            "lat_e6 BETWEEN {} AND {} AND lng_e6 BETWEEN {} AND {}",
            la - half_e6,
            la + half_e6,
            ln - half_e6,
            ln + half_e6
        ));
        let sql = format!(
            "SELECT id, lat_e6, lng_e6 FROM {table} WHERE {}",
            f.join(" AND ")
        );
        let mut query = sqlx::query_as::<_, Point>(&sql);
        for b in binds {
            query = query.bind(b);
        }
        let mut found: Vec<(i64, i64)> = query
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|p| {
                (
                    p.id,
                    distance_m(lat, lng, p.lat_e6 as f64 / 1e6, p.lng_e6 as f64 / 1e6).round()
                        as i64,
                )
            })
            .collect();
        // The smallest distance the box is sure to cover (longitude degrees shrink with latitude).
        let covered_m = half_e6 as f64 / 1e6 * 111_000.0 * lat.to_radians().cos();
        let inside = found
            .iter()
            .filter(|(_, d)| (*d as f64) <= covered_m)
            .count();
        if inside >= want || half_e6 >= WIDE_HALF_E6 {
            found.sort_by_key(|(id, d)| (*d, *id));
            return Ok(found);
        }
        // Rows per area: the side grows by the square root of what is
        // missing (with a margin), at least double; an empty box by four.
        let grow = if inside == 0 {
            4.0
        } else {
            ((want as f64 / inside as f64).sqrt() * 1.2).clamp(2.0, 8.0)
        };
        half_e6 = ((half_e6 as f64 * grow) as i64).min(WIDE_HALF_E6);
    }
}
