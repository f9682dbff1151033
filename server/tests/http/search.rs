//! Searching the directories by words through the gram index: exactly what
//! a `LIKE` over every row finds, for words of one, two and more
//! characters, found or not; in step with officers' edits; nearest first.

use reqwest::StatusCode;
use unioncard_api::join::Page;
use unioncard_api::offers::{distance_m, MerchantInput, MerchantView, StaffMerchant};
use unioncard_api::training::{CourseInput, CourseView, StaffCourse};
use unioncard_server::store::search::{self, Indexed};
use unioncard_server::store::seed::{self, NewMerchant};
use unioncard_server::store::{contains_pattern, Db};

use crate::both_databases;
use crate::fixtures::{corner_shop, district};
use crate::support::{Client, TestApp};

/// A word as a phone sends it in a query string.
fn encode(word: &str) -> String {
    word.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Every page of a directory query, seven at a time: the ids in order.
async fn all_pages<T: serde::de::DeserializeOwned>(
    c: &Client,
    query: &str,
    id: impl Fn(&T) -> i64,
) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(at) => format!("{query}&limit=7&cursor={at}"),
            None => format!("{query}&limit=7"),
        };
        let page = c.get_as::<Page<T>>(&path).await.expect(StatusCode::OK);
        ids.extend(page.items.iter().map(&id));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return ids,
        }
    }
}

/// What the plain `LIKE` over every active row of `table` finds, by id.
async fn scanned(db: &Db, table: &str, word: &str, category: Option<&str>) -> Vec<i64> {
    let pattern = contains_pattern(Some(word)).unwrap().unwrap();
    let sql = format!(
        "SELECT id FROM {table} WHERE status = 'active' AND search_text LIKE $1 ESCAPE '\\'
           AND ($2 = '' OR category = $2) ORDER BY id"
    );
    sqlx::query_scalar(&sql)
        .bind(pattern)
        .bind(category.unwrap_or(""))
        .fetch_all(db.read())
        .await
        .unwrap()
}

/// The same, nearest first from `(lat, lng)` (ties by id), as the directory measures.
async fn scanned_near(db: &Db, word: Option<&str>, (lat, lng): (f64, f64)) -> Vec<i64> {
    let pattern = word.map_or("%".to_string(), |w| {
        contains_pattern(Some(w)).unwrap().unwrap()
    });
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT id, lat_e6, lng_e6 FROM merchants WHERE status = 'active' AND search_text LIKE $1 ESCAPE '\\'",
    )
    .bind(pattern)
    .fetch_all(db.read())
    .await
    .unwrap();
    let mut by_distance: Vec<(i64, i64)> = rows
        .into_iter()
        .map(|(id, la, ln)| {
            let d = distance_m(lat, lng, la as f64 / 1e6, ln as f64 / 1e6).round() as i64;
            (d, id)
        })
        .collect();
    by_distance.sort();
    by_distance.into_iter().map(|(_, id)| id).collect()
}

/// Words of every kind: Chinese of one, two, three and more characters,
/// Latin letters, digits, `%`, `_`, `\`, spaces inside, and words found nowhere.
const WORDS: [&str; 26] = [
    "店",
    "超市",
    "热干面",
    "户部巷",
    "巷",
    "楚天优选超市（江汉路",
    "武汉市江汉区江汉路 168 号",
    "满 200 减 15",
    "会员 购物",
    "会员购物 95 折",
    "（",
    "折",
    "¥29.90",
    "a",
    "SYB",
    "9",
    "95",
    "%",
    "_",
    "\\",
    "zzzz",
    "鑫",
    "火锅",
    "海底捞",
    "汉江城",
    "江汉区",
];

async fn every_word_finds_what_a_scan_of_every_row_finds(app: &TestApp) {
    let c = app.client();
    let db = &app.state.db;
    let mut found_some = 0;
    for word in WORDS {
        let q = encode(word);
        let want = scanned(db, "merchants", word, None).await;
        let got = all_pages(&c, &format!("/api/merchants?q={q}"), |m: &MerchantView| {
            m.id
        })
        .await;
        assert_eq!(got, want, "merchants by {word:?}");
        found_some += usize::from(!want.is_empty());
        let want = scanned(db, "merchants", word, Some("dining")).await;
        let got = all_pages(
            &c,
            &format!("/api/merchants?q={q}&category=dining"),
            |m: &MerchantView| m.id,
        )
        .await;
        assert_eq!(got, want, "dining merchants by {word:?}");
        let here = (30.5446, 114.3025);
        let want = scanned_near(db, Some(word), here).await;
        let got = all_pages(
            &c,
            &format!("/api/merchants?q={q}&near=30.5446,114.3025"),
            |m: &MerchantView| m.id,
        )
        .await;
        assert_eq!(got, want, "merchants nearest first by {word:?}");
    }
    // The words are not all misses: most find something.
    assert!(found_some >= 15, "{found_some}");

    for word in WORDS
        .iter()
        .chain(&["焊", "培训", "计算机", "syb 创业", "烹饪", "中心"])
    {
        let q = encode(word);
        let want = scanned(db, "courses", word, None).await;
        let got = all_pages(&c, &format!("/api/courses?q={q}"), |c: &CourseView| c.id).await;
        assert_eq!(got, want, "courses by {word:?}");
    }
    // Nearest first without words: every merchant, in the order of a scan.
    let want = scanned_near(db, None, (30.5446, 114.3025)).await;
    let got = all_pages(
        &c,
        "/api/merchants?near=30.5446,114.3025",
        |m: &MerchantView| m.id,
    )
    .await;
    assert_eq!(got, want, "nearest first");
}
both_databases!(every_word_finds_what_a_scan_of_every_row_finds);

/// The names a search finds.
async fn names(c: &Client, word: &str) -> Vec<String> {
    c.merchants(&format!("q={}&limit=100", encode(word)))
        .await
        .expect(StatusCode::OK)
        .items
        .into_iter()
        .map(|m| m.name)
        .collect()
}

async fn words_of_one_two_and_three_characters_find_the_right_merchants(app: &TestApp) {
    let c = app.client();
    let lane = "汉味小馆（户部巷店）".to_string();
    let supermarket = "楚天优选超市（江汉路店）".to_string();
    // Three characters: the lane's restaurant alone.
    assert_eq!(names(&c, "户部巷").await, ["汉味小馆（户部巷店）"]);
    // Two: every supermarket, the demo's first.
    let supermarkets = names(&c, "超市").await;
    assert_eq!(supermarkets.first(), Some(&supermarket));
    assert!(supermarkets.iter().all(|n| n.contains("超市")));
    // One: the lane's restaurant by its address, and the supermarket by its name.
    assert!(names(&c, "巷").await.contains(&lane));
    let shops = names(&c, "店").await;
    assert!(
        shops.contains(&supermarket) && shops.contains(&lane),
        "{shops:?}"
    );
    // Nothing: none of the words is anywhere, or never together.
    for word in ["鑫", "火锅", "海底捞", "汉江城", "zzzz"] {
        assert_eq!(names(&c, word).await, Vec::<String>::new(), "{word}");
    }
}
both_databases!(words_of_one_two_and_three_characters_find_the_right_merchants);

async fn a_renamed_merchant_or_course_is_found_by_its_new_name_only(app: &TestApp) {
    let member = app.client();
    let wuchang = app.signed_in("13700000002").await;
    let wc = district(app, "武汉市武昌区总工会").await;
    let shop = wuchang
        .create_merchant(&corner_shop(Some(wc)))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(names(&member, "测试便").await, ["江城测试便利店"]);
    let renamed = MerchantInput {
        name: "晴川样板药房".into(),
        ..corner_shop(Some(wc))
    };
    wuchang
        .put_as::<_, StaffMerchant>(&format!("/api/staff/merchants/{}", shop.id), &renamed)
        .await
        .expect(StatusCode::OK);
    assert_eq!(names(&member, "测试便").await, Vec::<String>::new());
    assert_eq!(names(&member, "样板药").await, ["晴川样板药房"]);
    assert_eq!(names(&member, "样板").await, ["晴川样板药房"]);
    assert_eq!(names(&member, "样").await, ["晴川样板药房"]);
    // Its street is still what it is found by.
    assert!(names(&member, "中南路")
        .await
        .contains(&"晴川样板药房".to_string()));

    let city = app.signed_in("13700000001").await;
    let course = |title: &str| CourseInput {
        title: title.into(),
        category: "welding".into(),
        provider: "样板中心".into(),
        description: "".into(),
        fee_fen: 0,
        eligibility: "all".into(),
        certificate: "".into(),
    };
    let made = city
        .create_course(&course("氩弧焊速成班"))
        .await
        .expect(StatusCode::CREATED);
    let titles = |word: &'static str| {
        let member = &member;
        async move {
            member
                .get_as::<Page<CourseView>>(&format!("/api/courses?q={}", encode(word)))
                .await
                .expect(StatusCode::OK)
                .items
                .into_iter()
                .map(|c| c.title)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(titles("氩弧焊").await, ["氩弧焊速成班"]);
    city.put_as::<_, StaffCourse>(
        &format!("/api/staff/courses/{}", made.id),
        &course("样板茶艺课"),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(titles("氩弧焊").await, Vec::<String>::new());
    assert_eq!(titles("茶艺").await, ["样板茶艺课"]);
}
both_databases!(a_renamed_merchant_or_course_is_found_by_its_new_name_only);

/// 2,100 more merchants around 武昌, all named 样板社区超市 N: the word is
/// in more rows than a rare word's walk takes, so nearest first by it reads
/// the box around the point instead.
async fn add_a_crowd(db: &Db) {
    let union_id: i64 = sqlx::query_scalar("SELECT MIN(union_id) FROM merchants")
        .fetch_one(db.read())
        .await
        .unwrap();
    let texts: Vec<(String, String)> = (0..2_100)
        .map(|i| {
            let name = format!("样板社区超市{i}");
            let text = format!("{name} 武昌区 武汉市武昌区样板路 {i} 号");
            (name, text)
        })
        .collect();
    let crowd: Vec<NewMerchant> = texts
        .iter()
        .enumerate()
        .map(|(i, (name, text))| NewMerchant {
            name,
            category: if i % 3 == 0 { "dining" } else { "shopping" },
            district: "武昌区",
            address: "武汉市武昌区样板路",
            union_id,
            // Spread over about 4 km by 4 km, as a district's shops are.
            lat_e6: 30_520_000 + (i as i64 * 7_919) % 40_000,
            lng_e6: 114_290_000 + (i as i64 * 104_729) % 40_000,
            hours: "08:00-22:00",
            phone: "027-8000 0000",
            contract_from: "2026-01-01",
            contract_to: "2030-12-31",
            typical_bill_fen: 10_000,
            search_text: text.clone(),
        })
        .collect();
    let mut tx = db.begin().await.unwrap();
    seed::insert_merchants(&mut tx, &crowd).await.unwrap();
    search::index_all(&mut tx, Indexed::Merchants)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn nearest_first_by_a_common_word_is_what_a_scan_finds(app: &TestApp) {
    add_a_crowd(&app.state.db).await;
    let c = app.client();
    let db = &app.state.db;
    let here = (30.5446, 114.3025);
    // Common (every one of the crowd), rare (its hundred and some), none;
    // grams in a thousand rows that the whole word is in one of (样板路 1 号).
    for word in [
        "样板",
        "超市",
        "样板社区超市1",
        "超市20",
        "样板社区超市9999",
        "样板路 1 号",
        "样板路 2099 号",
    ] {
        let q = encode(word);
        let want = scanned_near(db, Some(word), here).await;
        // The first pages (as far as a cursor may go), nearest first.
        let mut got = Vec::new();
        let mut cursor = "0".to_string();
        while got.len() < want.len().min(100) {
            let page = c
                .merchants(&format!(
                    "q={q}&near=30.5446,114.3025&limit=20&cursor={cursor}"
                ))
                .await
                .expect(StatusCode::OK);
            got.extend(page.items.iter().map(|m| m.id));
            match page.next_cursor {
                Some(next) => cursor = next,
                None => break,
            }
        }
        assert_eq!(got, want[..got.len()], "nearest by {word:?}");
        assert_eq!(got.len(), want.len().min(100), "nearest by {word:?}");
        // By id, every page, of every category and of one.
        let want = scanned(db, "merchants", word, None).await;
        let got = all_pages(&c, &format!("/api/merchants?q={q}"), |m: &MerchantView| {
            m.id
        })
        .await;
        assert_eq!(got, want, "by {word:?}");
        let want = scanned(db, "merchants", word, Some("dining")).await;
        let got = all_pages(
            &c,
            &format!("/api/merchants?q={q}&category=dining"),
            |m: &MerchantView| m.id,
        )
        .await;
        assert_eq!(got, want, "dining by {word:?}");
    }
}
both_databases!(nearest_first_by_a_common_word_is_what_a_scan_finds);

/// Every gram the index holds, sorted.
async fn every_gram(db: &Db) -> Vec<(String, i64)> {
    let mut grams: Vec<(String, i64)> = sqlx::query_as(
        "SELECT gram, merchant_id FROM merchant_grams
         UNION ALL SELECT gram, -course_id FROM course_grams",
    )
    .fetch_all(db.read())
    .await
    .unwrap();
    grams.sort();
    grams
}

async fn a_database_from_before_the_index_gets_it_from_the_migration(app: &TestApp) {
    let db = &app.state.db;
    // Kept as officers' edits and the demo's load keep it.
    let kept = every_gram(db).await;
    assert!(kept.len() > 1_000, "{}", kept.len());
    // The schema as it was before migration 25.
    let mut conn = db.writer().await.unwrap();
    for step in [
        "DROP TABLE merchant_grams",
        "DROP TABLE course_grams",
        "DROP INDEX merchants_place",
        "DROP INDEX merchants_category_place",
        "CREATE INDEX merchants_lat ON merchants(lat_e6)",
        "DELETE FROM schema_migrations WHERE version = 25",
    ] {
        sqlx::query(step).execute(&mut *conn).await.unwrap();
    }
    drop(conn);
    db.migrate().await.unwrap();
    assert_eq!(every_gram(db).await, kept);
}
both_databases!(a_database_from_before_the_index_gets_it_from_the_migration);
