//! The demo city's training offer: dozens of courses over every category and
//! district, sessions in the past and the future, some full with a waiting
//! list, some with one seat left, most open to every member.

use anyhow::Context;
use unioncard_api::identity::Phone;
use unioncard_api::training::{CourseInput, SessionInput};

use super::{failed, Login, Rng, DISTRICTS};
use crate::crypto::Crypto;
use crate::store::search::{self, Indexed};
use crate::store::training::{self as store, Placed};
use crate::store::{accounts, seed, Conn};
use crate::time;

const COURSES: [(&str, &str, &str, &str, &str); 7] = [
    (
        "electrician",
        "低压电工上岗培训",
        "武汉市职业技能培训中心",
        "低压电工作业安全、电气线路安装与维修，考试合格取得特种作业操作证。",
        "低压电工作业操作证",
    ),
    (
        "fitter",
        "钳工中级技能培训",
        "武汉市第一技师学院",
        "划线、锯削、锉削、钻孔与装配，面向制造业在岗职工。",
        "钳工（四级）职业技能等级证书",
    ),
    (
        "computer",
        "计算机操作员培训",
        "江城职业培训学校",
        "办公软件、网络与信息安全基础，适合转岗职工。",
        "计算机操作员合格证",
    ),
    (
        "welding",
        "焊工（电焊）培训",
        "武汉焊接技术培训中心",
        "手工电弧焊、气体保护焊实操，考核后取得焊工证。",
        "熔化焊接与热切割作业操作证",
    ),
    (
        "housekeeping",
        "家政服务员（育婴、养老护理）",
        "楚天家政培训学校",
        "母婴护理、老人照护、家庭保洁实务。",
        "家政服务员职业技能证书",
    ),
    (
        "construction",
        "建筑砌筑与钢筋工培训",
        "武汉建设职工培训中心",
        "砌筑、钢筋绑扎、施工安全，面向建筑业职工。",
        "建筑工种岗位证书",
    ),
    (
        "entrepreneurship",
        "SYB 创业培训",
        "武汉市创业指导中心",
        "创业意识、市场评估、企业计划书，结业可申请创业担保贷款。",
        "SYB 创业培训合格证",
    ),
];

/// Inserts courses and sessions; sessions start from `now` (past and future).
pub async fn insert(
    tx: &mut Conn,
    districts: &[(i64, &'static str)],
    now: i64,
) -> anyhow::Result<()> {
    let mut rng = Rng::new(7_070);
    let day = 86_400;
    // Start at 09:00 Beijing on whole days, so sessions look like real ones.
    let today_9am = now - (now + 8 * 3600).rem_euclid(day) + 9 * 3600;
    let mut n = 0usize;
    for (d, (district_union, _code)) in districts.iter().enumerate() {
        for k in 0..3 {
            let (category, title, provider, description, certificate) =
                COURSES[(d * 3 + k) % COURSES.len()];
            // Most courses are for everyone; a few for migrant workers or the unemployed.
            let eligibility = match n % 9 {
                4 => "migrant_workers",
                7 => "unemployed",
                _ => "all",
            };
            let fee = if n % 5 == 3 { 20_000 } else { 0 };
            let district = DISTRICTS[d].0;
            let search = format!("{title} {provider} {district}").to_lowercase();
            let input = CourseInput {
                title: format!("{title}（{district}班）"),
                category: category.into(),
                provider: provider.into(),
                description: description.into(),
                fee_fen: fee,
                eligibility: eligibility.into(),
                certificate: certificate.into(),
            };
            // Written by the seed, not `store::training::create_course`: the
            // demo's search text (title without its class, provider, district)
            // is not the one the product makes (full title, provider).
            let course = seed::insert_course(tx, *district_union, &input, &search, now).await?;
            // One past session, two future ones.
            for (offset_days, capacity) in [
                (-40 - rng.below(20) as i64, 30),
                (5 + rng.below(10) as i64, 30),
                (20 + rng.below(20) as i64, 20),
            ] {
                let starts = today_9am + offset_days * day;
                let session = SessionInput {
                    starts_at: local_minute(starts),
                    ends_at: local_minute(starts + 7 * 3600),
                    place: format!("{provider}（{district}）"),
                    address: format!("武汉市{district}培训路 {} 号", 1 + rng.below(200)),
                    capacity,
                    signup_deadline: local_minute(starts - 2 * day),
                };
                // Read and checked as an officer's form is.
                let times = session
                    .times()
                    .map_err(|p| anyhow::anyhow!("session: {p:?}"))?;
                store::add_session(tx, course, times, &session, now)
                    .await
                    .map_err(failed("session"))?;
            }
            n += 1;
        }
    }
    search::index_all(tx, Indexed::Courses)
        .await
        .map_err(failed("course search"))?;
    // Some members are migrant workers or registered unemployed (never the
    // named demo members, whom outside checks expect to be eligible for all-member courses only).
    seed::mark_migrant_and_unemployed(tx).await?;
    // Some future sessions are full, some have one seat left (their seats are
    // taken by members who signed up at the workplace, counted on the session).
    seed::fill_first_future_sessions(tx, now).await?;
    Ok(())
}

/// An instant as a session form gives it: `YYYY-MM-DDTHH:MM`, China time.
fn local_minute(unix: i64) -> String {
    time::rfc3339(unix)[..16].to_string()
}

/// Six more demo members (13800000100-105, password Demo@2026) who signed up
/// in the app and wait for places in full sessions, so waiting lists are real.
pub async fn waiting_lists(
    tx: &mut Conn,
    crypto: &Crypto,
    password_hash: &str,
    now: i64,
) -> anyhow::Result<()> {
    let roster = seed::members_without_account(tx).await?;
    let mut users = Vec::new();
    for (i, r) in roster.iter().enumerate() {
        let phone = Phone::parse(&format!("138000001{i:02}")).expect("demo phones are valid");
        let login = Login::new(crypto, &phone);
        let id = accounts::insert_member(tx, &login.account(password_hash, &r.name), r.id, now)
            .await
            .context("waiting-list member")?;
        users.push(id);
    }
    let full = seed::full_sessions(tx, now).await?;
    for (k, session) in full.iter().enumerate() {
        // Two different people per session, so nobody waits for two sessions at once.
        let waiting: Vec<i64> = users.iter().skip(k % 3 * 2).take(2).copied().collect();
        for (pos, user) in waiting.iter().enumerate() {
            store::insert_signup(tx, *session, *user, Placed::Waitlisted(pos as i64 + 1), now)
                .await
                .context("waiting-list place")?;
        }
        seed::set_waiting(tx, *session, waiting.len() as i64).await?;
    }
    Ok(())
}
