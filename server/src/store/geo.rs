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

/// The rows of `table` matching `filters` (SQL conditions over `binds`, as
/// `$1`…) nearest to `(lat, lng)`: `(id, metres)`, nearest first, at least
/// the nearest `want` when there are that many. A box around the point
/// narrows the search in SQL; it starts at about 1 km and doubles until the
/// nearest `want` rows are certainly inside it (their distance is within
/// the box's half-width), so a dense city centre never loads the whole city.
pub async fn nearest(
    conn: &mut AnyConnection,
    table: &str,
    filters: &[String],
    binds: &[String],
    (lat, lng): (f64, f64),
    want: usize,
) -> AppResult<Vec<(i64, i64)>> {
    let (la, ln) = ((lat * 1e6) as i64, (lng * 1e6) as i64);
    let mut half_e6: i64 = 10_000;
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
        if inside >= want || half_e6 >= 640_000 {
            found.sort_by_key(|(id, d)| (*d, *id));
            return Ok(found);
        }
        half_e6 *= 2;
    }
}
