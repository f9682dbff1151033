//! Service centres (职工服务中心) and help stations (服务站): where a member
//! goes for rights advice, hardship aid, job referrals, training and
//! counselling. The province counts 1,884 of them, in townships,
//! communities and firms; a member finds the nearest, calls it with a tap
//! and opens the way there in the phone's map app. Officers keep their
//! unions' centres.

use serde::{Deserialize, Serialize};

use crate::error::{FieldProblem, FieldProblems};
use crate::offers::{done, text};
use crate::Lang;

/// What a centre offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// 维权: advice on rights at work, the 12351 hotline's cases.
    Rights,
    /// 困难帮扶: hardship files and aid.
    Hardship,
    /// 就业: job referrals.
    Jobs,
    /// 培训: training.
    Training,
    /// 心理咨询: counselling.
    Counselling,
}

impl Service {
    /// Every service, in the order a member reads them.
    pub const ALL: [Service; 5] = [
        Service::Rights,
        Service::Hardship,
        Service::Jobs,
        Service::Training,
        Service::Counselling,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Rights => "rights",
            Service::Hardship => "hardship",
            Service::Jobs => "jobs",
            Service::Training => "training",
            Service::Counselling => "counselling",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Its name on the screen.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Service::Rights => lang.pick("法律维权", "Rights at work"),
            Service::Hardship => lang.pick("困难帮扶", "Hardship aid"),
            Service::Jobs => lang.pick("就业服务", "Job referrals"),
            Service::Training => lang.pick("技能培训", "Training"),
            Service::Counselling => lang.pick("心理咨询", "Counselling"),
        }
    }
}

/// Stored as a comma-separated list in [`Service::ALL`]'s order.
pub fn services_to_db(services: &[Service]) -> String {
    Service::ALL
        .iter()
        .filter(|s| services.contains(s))
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads the stored list; unknown names are skipped (a newer server's).
pub fn services_from_db(s: &str) -> Vec<Service> {
    s.split(',').filter_map(Service::from_db).collect()
}

/// Where a centre sits in the union network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CentreLevel {
    /// A city or district union's 职工服务中心.
    Centre,
    /// A township's or street's 服务站.
    Station,
    /// A community's or firm's 服务点.
    Point,
}

impl CentreLevel {
    /// Every level.
    pub const ALL: [CentreLevel; 3] = [
        CentreLevel::Centre,
        CentreLevel::Station,
        CentreLevel::Point,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CentreLevel::Centre => "centre",
            CentreLevel::Station => "station",
            CentreLevel::Point => "point",
        }
    }

    /// Parses the stored name.
    pub fn from_db(s: &str) -> Option<CentreLevel> {
        CentreLevel::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Its name on the screen.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CentreLevel::Centre => lang.pick("职工服务中心", "Service centre"),
            CentreLevel::Station => lang.pick("街道（乡镇）服务站", "Township help station"),
            CentreLevel::Point => lang.pick("社区（企业）服务点", "Community or workplace point"),
        }
    }
}

/// A centre as an officer enters it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CentreInput {
    /// e.g. `武昌区职工服务中心`.
    pub name: String,
    /// Its level; none is a field error.
    #[serde(default)]
    pub level: Option<CentreLevel>,
    /// District, e.g. `武昌区`.
    pub district: String,
    /// Street address.
    pub address: String,
    /// Latitude (WGS-84).
    pub lat: f64,
    /// Longitude.
    pub lng: f64,
    /// Opening hours as people write them, e.g. `周一至周五 9:00-17:00`.
    pub hours: String,
    /// The phone to call: a landline `027-85551234`, a mobile, or `12351`.
    pub phone: String,
    /// What it offers; at least one.
    pub services: Vec<Service>,
    /// The union it belongs to (the officer's own when absent).
    #[serde(default)]
    pub union_id: Option<i64>,
}

/// A phone number as a centre's sign writes it: digits with at most a few
/// dashes or spaces between, 5 (a hotline like 12351) to 15 digits.
pub fn phone_ok(s: &str) -> bool {
    let s = s.trim();
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (5..=15).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        && s.starts_with(|c: char| c.is_ascii_digit())
}

impl CentreInput {
    /// Checks every field, collecting all problems.
    pub fn check(&self) -> Result<(), FieldProblems> {
        let mut p = FieldProblems::default();
        text(&mut p, "name", &self.name, 40, true);
        if self.level.is_none() {
            p.0.push(("level", FieldProblem::ChooseOne));
        }
        text(&mut p, "district", &self.district, 20, true);
        text(&mut p, "address", &self.address, 80, true);
        // Inside China's mainland bounding box: catches swapped or zero coordinates.
        if !(3.0..=54.0).contains(&self.lat) {
            p.0.push(("lat", FieldProblem::TooLarge));
        }
        if !(73.0..=136.0).contains(&self.lng) {
            p.0.push(("lng", FieldProblem::TooLarge));
        }
        text(&mut p, "hours", &self.hours, 40, true);
        if self.phone.trim().is_empty() {
            p.0.push(("phone", FieldProblem::Required));
        } else if !phone_ok(&self.phone) {
            p.0.push(("phone", FieldProblem::PhoneFormat));
        }
        if self.services.is_empty() {
            p.0.push(("services", FieldProblem::ChooseOne));
        }
        done(p)
    }
}

/// A centre as the directory shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CentreView {
    /// The centre.
    pub id: i64,
    /// The union it belongs to.
    pub union_id: i64,
    /// That union's name.
    pub union_name: String,
    /// Its name.
    pub name: String,
    /// Its level.
    pub level: CentreLevel,
    /// District.
    pub district: String,
    /// Street address.
    pub address: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lng: f64,
    /// Opening hours.
    pub hours: String,
    /// The phone to call.
    pub phone: String,
    /// What it offers.
    pub services: Vec<Service>,
    /// Metres from the position asked about, when one was.
    pub distance_m: Option<i64>,
    /// Closed centres are kept for the record and shown to officers only.
    pub open: bool,
}

/// `POST /api/staff/centres/{id}/status`: close a centre (kept for the
/// record, gone from the members' list) or open it again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CentreOpen {
    /// Open (`true`) or closed.
    pub open: bool,
}

/// The `tel:` link of a phone as written (dashes and spaces dropped).
pub fn tel_link(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    format!("tel:{digits}")
}

/// The link that opens the phone's map app at a centre (`geo:`, which
/// Android hands to the map app the member uses), named for the pin.
pub fn map_link(lat: f64, lng: f64, name: &str) -> String {
    let label: String = name
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '&' | '#' | '?'))
        .collect();
    format!("geo:{lat:.6},{lng:.6}?q={lat:.6},{lng:.6}({label})")
}

/// A distance as a member reads it: `850 米`, `1.2 公里`, `12 公里`.
pub fn distance_text(m: i64, lang: Lang) -> String {
    match (m < 1_000, m < 10_000, lang) {
        (true, _, Lang::Zh) => format!("{m} 米"),
        (true, _, Lang::En) => format!("{m} m"),
        (false, true, Lang::Zh) => format!("{:.1} 公里", m as f64 / 1000.0),
        (false, true, Lang::En) => format!("{:.1} km", m as f64 / 1000.0),
        (false, false, Lang::Zh) => format!("{} 公里", (m + 500) / 1000),
        (false, false, Lang::En) => format!("{} km", (m + 500) / 1000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CentreInput {
        CentreInput {
            name: "武昌区职工服务中心".into(),
            level: Some(CentreLevel::Centre),
            district: "武昌区".into(),
            address: "武昌区中南路 99 号".into(),
            lat: 30.5446,
            lng: 114.3025,
            hours: "周一至周五 9:00-17:00".into(),
            phone: "027-87654321".into(),
            services: vec![Service::Rights, Service::Hardship],
            union_id: None,
        }
    }

    #[test]
    fn a_good_centre_passes_and_a_bad_one_names_each_field() {
        assert!(input().check().is_ok());
        let bad = CentreInput {
            name: String::new(),
            level: None,
            lat: 114.3,
            lng: 30.5,
            phone: "call us".into(),
            services: vec![],
            ..input()
        };
        let p = bad.check().unwrap_err();
        let fields: Vec<&str> = p.0.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["name", "level", "lat", "lng", "phone", "services"]);
    }

    #[test]
    fn phones_as_signs_write_them() {
        for ok in ["12351", "027-87654321", "027 8765 4321", "13800000002"] {
            assert!(phone_ok(ok), "{ok}");
        }
        for bad in ["", "1235", "+86 27 8765", "027-8765-4321-0000-1", "电话"] {
            assert!(!phone_ok(bad), "{bad}");
        }
        assert_eq!(tel_link("027-8765 4321"), "tel:02787654321");
    }

    #[test]
    fn services_round_trip_in_order() {
        let stored = services_to_db(&[Service::Counselling, Service::Rights]);
        assert_eq!(stored, "rights,counselling");
        assert_eq!(
            services_from_db(&stored),
            vec![Service::Rights, Service::Counselling]
        );
        assert_eq!(services_from_db("rights,teleport"), vec![Service::Rights]);
    }

    #[test]
    fn links_and_distances() {
        assert_eq!(
            map_link(30.5446, 114.3025, "武昌区职工服务中心（中南路）"),
            "geo:30.544600,114.302500?q=30.544600,114.302500(武昌区职工服务中心（中南路）)"
        );
        assert_eq!(distance_text(850, Lang::Zh), "850 米");
        assert_eq!(distance_text(1_234, Lang::Zh), "1.2 公里");
        assert_eq!(distance_text(12_600, Lang::En), "13 km");
    }
}
