//! The demo city's training offer: dozens of courses over every category and
//! district, sessions in the past and the future, some full with a waiting
//! list, some with one seat left, most open to every member.

use anyhow::Context;
use sqlx::{Any, Transaction};

use unioncard_api::identity::Phone;

use super::{Rng, DISTRICTS};
use crate::crypto::Crypto;

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
    tx: &mut Transaction<'_, Any>,
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
            let course: i64 = sqlx::query_scalar(
                "INSERT INTO courses (union_id, title, category, provider, description, fee_fen, eligibility,
                     certificate, status, search_text, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10) RETURNING id",
            )
            .bind(*district_union)
            .bind(format!("{title}（{district}班）"))
            .bind(category)
            .bind(provider)
            .bind(description)
            .bind(fee)
            .bind(eligibility)
            .bind(certificate)
            .bind(search)
            .bind(now)
            .fetch_one(&mut **tx)
            .await
            .context("course")?;
            // One past session, two future ones.
            for (offset_days, capacity) in [
                (-40 - rng.below(20) as i64, 30),
                (5 + rng.below(10) as i64, 30),
                (20 + rng.below(20) as i64, 20),
            ] {
                let starts = today_9am + offset_days * day;
                sqlx::query(
                    "INSERT INTO training_sessions (course_id, starts_at, ends_at, place, address, capacity,
                         signup_deadline, status, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)",
                )
                .bind(course)
                .bind(starts)
                .bind(starts + 7 * 3600)
                .bind(format!("{provider}（{district}）"))
                .bind(format!("武汉市{district}培训路 {} 号", 1 + rng.below(200)))
                .bind(capacity)
                .bind(starts - 2 * day)
                .bind(now)
                .execute(&mut **tx)
                .await?;
            }
            n += 1;
        }
    }
    // Some members are migrant workers or registered unemployed (never the
    // named demo members, whom outside checks expect to be eligible for all-member courses only).
    sqlx::query(
        "UPDATE roster_entries SET migrant_worker = 1
          WHERE id % 5 = 0 AND name NOT IN ('张伟', '李娜', '王芳')",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE roster_entries SET unemployed = 1 WHERE id % 11 = 0 AND name NOT IN ('张伟', '李娜', '王芳')")
        .execute(&mut **tx)
        .await?;
    // Some future sessions are full, some have one seat left (their seats are
    // taken by members who signed up at the workplace, counted on the session).
    // Picked by course, not by session id: sessions of one category fall on
    // the same id remainder, which would make a whole category look full.
    let first_future =
        "id IN (SELECT MIN(id) FROM training_sessions WHERE starts_at > $1 GROUP BY course_id)";
    sqlx::query(&format!("UPDATE training_sessions SET confirmed = capacity WHERE {first_future} AND course_id % 4 = 1"))
        .bind(now)
        .execute(&mut **tx)
        .await?;
    sqlx::query(&format!("UPDATE training_sessions SET confirmed = capacity - 1 WHERE {first_future} AND course_id % 4 = 2"))
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Six more demo members (13800000100-105, password Demo@2026) who signed up
/// in the app and wait for places in full sessions, so waiting lists are real.
pub async fn waiting_lists(
    tx: &mut Transaction<'_, Any>,
    crypto: &Crypto,
    password_hash: &str,
    now: i64,
) -> anyhow::Result<()> {
    let roster = sqlx::query(
        "SELECT r.id, r.name FROM roster_entries r JOIN cards c ON c.roster_id = r.id
          WHERE c.status = 'active' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.roster_id = r.id)
          ORDER BY r.id LIMIT 6",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut users = Vec::new();
    for (i, r) in roster.iter().enumerate() {
        let phone = Phone::parse(&format!("138000001{i:02}")).expect("demo phones are valid");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (phone_hash, phone_enc, phone_masked, password_hash, name, role, roster_id, created_at)
             VALUES ($1, $2, $3, $4, $5, 'member', $6, $7) RETURNING id",
        )
        .bind(crypto.lookup_hash("phone", phone.expose()))
        .bind(crypto.encrypt(phone.expose()))
        .bind(phone.masked())
        .bind(password_hash)
        .bind(sqlx::Row::try_get::<String, _>(r, "name")?)
        .bind(sqlx::Row::try_get::<i64, _>(r, "id")?)
        .bind(now)
        .fetch_one(&mut **tx)
        .await
        .context("waiting-list member")?;
        users.push(id);
    }
    let full: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM training_sessions WHERE starts_at > $1 AND confirmed >= capacity ORDER BY id LIMIT 4",
    )
    .bind(now)
    .fetch_all(&mut **tx)
    .await?;
    for (k, session) in full.iter().enumerate() {
        // Two different people per session, so nobody waits for two sessions at once.
        let waiting: Vec<i64> = users.iter().skip(k % 3 * 2).take(2).copied().collect();
        for (pos, user) in waiting.iter().enumerate() {
            sqlx::query("INSERT INTO signups (session_id, user_id, status, position, created_at) VALUES ($1, $2, 'waitlisted', $3, $4)")
                .bind(*session)
                .bind(*user)
                .bind(pos as i64 + 1)
                .bind(now)
                .execute(&mut **tx)
                .await?;
        }
        sqlx::query("UPDATE training_sessions SET waiting = $1 WHERE id = $2")
            .bind(waiting.len() as i64)
            .bind(*session)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
