//! The demo city's service centres: the city's own 职工服务中心, one in
//! each of Wuhan's 13 districts, two street help stations in each, and a
//! workplace service point in the central districts. Places and phones are
//! made up (plausible streets, coordinates near each district's centre).

use unioncard_api::centres::{CentreInput, CentreLevel, Service};

use super::merchants::{CENTRES, STREETS};
use super::{failed, Rng, DISTRICTS};
use crate::store::{centres, Conn};

/// Inserts the centres; `districts` are the district unions in DISTRICTS
/// order.
pub async fn insert(
    tx: &mut Conn,
    city: i64,
    districts: &[(i64, &str)],
    now: i64,
) -> anyhow::Result<()> {
    let mut rng = Rng::new(12351);
    let mut phone = || format!("027-8{:07}", rng.below(10_000_000));
    let all = Service::ALL.to_vec();
    let mut rows: Vec<(i64, CentreInput)> = vec![(
        city,
        CentreInput {
            name: "武汉市职工服务中心".into(),
            level: Some(CentreLevel::Centre),
            district: "江汉区".into(),
            address: "江汉区解放大道 1012 号".into(),
            lat: 30.5861,
            lng: 114.2752,
            hours: "周一至周六 9:00-17:30".into(),
            phone: "027-12351".into(),
            services: all.clone(),
            union_id: None,
        },
    )];
    for (i, ((name, _, _), (union_id, _))) in DISTRICTS.iter().zip(districts).enumerate() {
        let (lat, lng) = CENTRES[i];
        let short = name.trim_end_matches('区');
        rows.push((
            *union_id,
            CentreInput {
                name: format!("{short}区职工服务中心"),
                level: Some(CentreLevel::Centre),
                district: name.to_string(),
                address: format!("{name}{} {} 号", STREETS[i % STREETS.len()], 100 + i * 17),
                lat,
                lng,
                hours: "周一至周五 9:00-17:00".into(),
                phone: phone(),
                services: all.clone(),
                union_id: None,
            },
        ));
        for n in 0..2 {
            let street = STREETS[(i * 3 + n * 5 + 1) % STREETS.len()];
            let (dlat, dlng) = if n == 0 {
                (0.021, -0.013)
            } else {
                (-0.017, 0.024)
            };
            rows.push((
                *union_id,
                CentreInput {
                    name: format!(
                        "{short}区{}职工服务站",
                        street.trim_end_matches(['路', '道'])
                    ),
                    level: Some(CentreLevel::Station),
                    district: name.to_string(),
                    address: format!("{name}{street} {} 号", 20 + n * 41 + i),
                    lat: lat + dlat,
                    lng: lng + dlng,
                    hours: "周一至周五 8:30-17:00".into(),
                    phone: phone(),
                    services: vec![Service::Rights, Service::Hardship, Service::Jobs],
                    union_id: None,
                },
            ));
        }
        if i < 7 {
            rows.push((
                *union_id,
                CentreInput {
                    name: format!("{short}区新就业形态劳动者服务点"),
                    level: Some(CentreLevel::Point),
                    district: name.to_string(),
                    address: format!("{name}{} {} 号", STREETS[(i + 6) % STREETS.len()], 8 + i),
                    lat: lat - 0.006,
                    lng: lng - 0.009,
                    hours: "每天 10:00-20:00".into(),
                    phone: phone(),
                    services: vec![Service::Rights, Service::Counselling],
                    union_id: None,
                },
            ));
        }
    }
    for (union_id, c) in &rows {
        debug_assert!(c.check().is_ok(), "{}", c.name);
        centres::insert(tx, *union_id, c, None, now)
            .await
            .map_err(failed("service centre"))?;
    }
    Ok(())
}
