//! Service centres' SQL: the members' directory (open centres, nearest
//! first or by district), the officers' list of their unions' centres, and
//! writing one.

use sqlx::{AnyConnection, FromRow};
use unioncard_api::centres::{
    services_from_db, services_to_db, CentreInput, CentreLevel, CentreView, Service,
};

use crate::error::{AppError, AppResult};

const COLUMNS: &str = "c.id, c.union_id, u.name AS union_name, u.path, c.name, c.level, c.district,
        c.address, c.lat_e6, c.lng_e6, c.hours, c.phone, c.services, c.closed_at";

/// A centre as stored, with its union.
#[derive(Debug, FromRow)]
pub struct CentreRow {
    pub id: i64,
    pub union_id: i64,
    pub union_name: String,
    /// Its union's path, for the officers' scope.
    pub path: String,
    name: String,
    level: String,
    district: String,
    address: String,
    lat_e6: i64,
    lng_e6: i64,
    hours: String,
    phone: String,
    services: String,
    pub closed_at: Option<i64>,
}

impl CentreRow {
    /// The directory's view; `distance_m` when asked from a position.
    pub fn view(self, distance_m: Option<i64>) -> AppResult<CentreView> {
        Ok(CentreView {
            id: self.id,
            union_id: self.union_id,
            union_name: self.union_name,
            name: self.name,
            level: CentreLevel::from_db(&self.level)
                .ok_or_else(|| AppError::internal("unknown centre level"))?,
            district: self.district,
            address: self.address,
            lat: self.lat_e6 as f64 / 1e6,
            lng: self.lng_e6 as f64 / 1e6,
            hours: self.hours,
            phone: self.phone,
            services: services_from_db(&self.services),
            distance_m,
            open: self.closed_at.is_none(),
        })
    }
}

/// What the members' directory asks for.
#[derive(Debug, Default)]
pub struct CentreFilter {
    /// Only centres offering this.
    pub service: Option<Service>,
    /// Only this district's.
    pub district: Option<String>,
    /// A `LIKE` pattern (see `contains_pattern`) on the name or address.
    pub words: Option<String>,
    /// Nearest first from here.
    pub near: Option<(f64, f64)>,
    /// How many to skip (a later page).
    pub offset: usize,
    /// How many.
    pub limit: usize,
}

/// Open centres matching the filter: nearest first with their distances,
/// or else by district and name.
pub async fn directory(
    conn: &mut AnyConnection,
    f: &CentreFilter,
) -> AppResult<Vec<(CentreRow, Option<i64>)>> {
    let mut filters = vec!["closed_at IS NULL".to_string()];
    let mut binds: Vec<String> = Vec::new();
    if let Some(s) = f.service {
        // Stored as a comma list: match the name between commas.
        binds.push(format!("%,{},%", s.as_str()));
        filters.push(format!("(',' || services || ',') LIKE ${}", binds.len()));
    }
    if let Some(d) = &f.district {
        binds.push(d.clone());
        filters.push(format!("district = ${}", binds.len()));
    }
    if let Some(w) = &f.words {
        binds.push(w.clone());
        filters.push(format!(
            "(LOWER(name) LIKE ${n} ESCAPE '\\' OR LOWER(address) LIKE ${n} ESCAPE '\\')",
            n = binds.len()
        ));
    }
    if let Some(near) = f.near {
        // A union has tens of centres, not thousands: one read of them all.
        let found = super::geo::nearest(
            conn,
            "service_centres",
            &filters,
            &binds,
            near,
            f.offset + f.limit,
            super::geo::Start::Wide,
        )
        .await?;
        let page: Vec<(i64, i64)> = found.into_iter().skip(f.offset).take(f.limit).collect();
        if page.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = page.iter().map(|(id, _)| *id).collect();
        let rows: Vec<CentreRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM service_centres c JOIN unions u ON u.id = c.union_id
              WHERE c.id IN ({})",
            super::id_list(&ids)
        ))
        .fetch_all(&mut *conn)
        .await?;
        let mut by_id: std::collections::HashMap<i64, CentreRow> =
            rows.into_iter().map(|r| (r.id, r)).collect();
        return Ok(page
            .into_iter()
            .filter_map(|(id, d)| by_id.remove(&id).map(|r| (r, Some(d))))
            .collect());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM (SELECT * FROM service_centres WHERE {}) c
           JOIN unions u ON u.id = c.union_id
          ORDER BY c.district, c.level, c.name, c.id LIMIT {} OFFSET {}",
        filters.join(" AND "),
        f.limit,
        f.offset
    );
    let mut q = sqlx::query_as::<_, CentreRow>(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    Ok(q.fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| (r, None))
        .collect())
}

/// One centre, open or closed.
pub async fn one(conn: &mut AnyConnection, id: i64) -> AppResult<Option<CentreRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM service_centres c JOIN unions u ON u.id = c.union_id WHERE c.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// The centres of the unions matching `like`, open ones first, by district
/// and name (a province has under 2,000: one page).
pub async fn of_unions(conn: &mut AnyConnection, like: &str) -> AppResult<Vec<CentreRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM service_centres c JOIN unions u ON u.id = c.union_id
          WHERE u.path LIKE $1
          ORDER BY CASE WHEN c.closed_at IS NULL THEN 0 ELSE 1 END, c.district, c.name, c.id
          LIMIT 2000"
    ))
    .bind(like)
    .fetch_all(conn)
    .await?)
}

/// Adds a centre; its id.
pub async fn insert(
    tx: &mut AnyConnection,
    union_id: i64,
    c: &CentreInput,
    by: Option<i64>,
    now: i64,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO service_centres (union_id, name, level, district, address, lat_e6, lng_e6,
            hours, phone, services, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(union_id)
    .bind(c.name.trim())
    .bind(c.level.map(CentreLevel::as_str).unwrap_or("centre"))
    .bind(c.district.trim())
    .bind(c.address.trim())
    .bind((c.lat * 1e6).round() as i64)
    .bind((c.lng * 1e6).round() as i64)
    .bind(c.hours.trim())
    .bind(c.phone.trim())
    .bind(services_to_db(&c.services))
    .bind(by)
    .bind(now)
    .fetch_one(tx)
    .await?)
}

/// Rewrites a centre's details (and its union); `false` when it is gone.
pub async fn update(
    tx: &mut AnyConnection,
    id: i64,
    union_id: i64,
    c: &CentreInput,
    by: i64,
    now: i64,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE service_centres SET union_id = $1, name = $2, level = $3, district = $4,
                address = $5, lat_e6 = $6, lng_e6 = $7, hours = $8, phone = $9, services = $10,
                updated_by = $11, updated_at = $12
          WHERE id = $13",
    )
    .bind(union_id)
    .bind(c.name.trim())
    .bind(c.level.map(CentreLevel::as_str).unwrap_or("centre"))
    .bind(c.district.trim())
    .bind(c.address.trim())
    .bind((c.lat * 1e6).round() as i64)
    .bind((c.lng * 1e6).round() as i64)
    .bind(c.hours.trim())
    .bind(c.phone.trim())
    .bind(services_to_db(&c.services))
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Closes (`open` false) or reopens a centre; `false` when it already was.
pub async fn set_open(
    tx: &mut AnyConnection,
    id: i64,
    open: bool,
    by: i64,
    now: i64,
) -> AppResult<bool> {
    let sql = if open {
        "UPDATE service_centres SET closed_at = NULL, updated_by = $1, updated_at = $2
          WHERE id = $3 AND closed_at IS NOT NULL"
    } else {
        "UPDATE service_centres SET closed_at = $2, updated_by = $1, updated_at = $2
          WHERE id = $3 AND closed_at IS NULL"
    };
    let done = sqlx::query(sql)
        .bind(by)
        .bind(now)
        .bind(id)
        .execute(tx)
        .await?;
    Ok(done.rows_affected() == 1)
}
