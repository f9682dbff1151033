//! Extractors and guards every feature uses: the signed-in user, JSON bodies
//! whose rejections speak the contract's error shape, the client's address,
//! and the CSRF guard on writes.

use std::net::{IpAddr, SocketAddr};

use axum::extract::rejection::JsonRejection;
use axum::extract::{
    ConnectInfo, FromRequest, FromRequestParts, OptionalFromRequestParts, Request,
};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use unioncard_api::auth::{AccessRefusal, Role};
use unioncard_api::request::RequestRefusal;

use crate::error::{AppError, AppResult};
use crate::scope::Scope;
use crate::{crypto, store, time, AppState};

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "uc_session";

/// The header every state-changing request must carry (a CSRF guard: a form
/// on another site cannot set it, and a cross-site script needs CORS, which
/// we never grant).
pub const CSRF_HEADER: &str = "x-requested-with";
/// Its required value.
pub const CSRF_VALUE: &str = "unioncard";

/// The person behind the request's session cookie. Handlers that take it
/// answer 401 to anyone not signed in.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    /// Account id.
    pub id: i64,
    /// The account's role.
    pub role: Role,
    /// Display name.
    pub name: String,
    /// A member's roster entry.
    pub roster_id: Option<i64>,
    /// An officer's union.
    pub union_id: Option<i64>,
    /// A cashier's merchant.
    pub merchant_id: Option<i64>,
    /// The hash of this session's token (to end exactly this session).
    pub session_hash: String,
}

impl CurrentUser {
    /// The roster entry of a signed-in member; 403 for cashiers, officers
    /// and administrators (their records are not a member's).
    pub fn roster(&self) -> AppResult<i64> {
        match (self.role, self.roster_id) {
            (Role::Member, Some(id)) => Ok(id),
            _ => Err(AccessRefusal::MembersOnly.into()),
        }
    }
}

/// A signed-in member with a roster entry. A handler that takes it answers
/// 401 to a guest and 403 `members_only` to a cashier, officer or
/// administrator: their records are not a member's.
#[derive(Clone, Debug)]
pub struct Member {
    /// The account.
    pub user: CurrentUser,
    /// The member's roster entry.
    pub roster_id: i64,
}

impl FromRequestParts<AppState> for Member {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user =
            <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        let roster_id = user.roster()?;
        Ok(Member { user, roster_id })
    }
}

/// A signed-in cashier and the merchant they work for; 403 `cashiers_only`
/// for anyone else.
#[derive(Clone, Debug)]
pub struct Cashier {
    /// The account.
    pub user: CurrentUser,
    /// The merchant whose till this is.
    pub merchant_id: i64,
}

impl FromRequestParts<AppState> for Cashier {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user =
            <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        match (user.role, user.merchant_id) {
            (Role::Cashier, Some(merchant_id)) => Ok(Cashier { user, merchant_id }),
            _ => Err(AccessRefusal::CashiersOnly.into()),
        }
    }
}

/// A signed-in officer or administrator with the unions they may see
/// ([`Scope`]); 403 `officers_only` for anyone else.
#[derive(Clone, Debug)]
pub struct Officer {
    /// The account.
    pub user: CurrentUser,
    /// Their union and every union below it.
    pub scope: Scope,
}

impl FromRequestParts<AppState> for Officer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user =
            <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        let scope = Scope::of(state, &user).await?;
        Ok(Officer { user, scope })
    }
}

/// `Option<Officer>`: the officer when the caller is one, `None` for anyone
/// else (members see their own records, officers those in their scope).
impl OptionalFromRequestParts<AppState> for Officer {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, AppError> {
        match <Officer as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(officer) => Ok(Some(officer)),
            Err(e) if e.status() == StatusCode::FORBIDDEN => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A signed-in administrator (the province's system administrators) with
/// their scope; 403 `admins_only` for everyone else, officers included.
#[derive(Clone, Debug)]
pub struct Admin {
    /// The account.
    pub user: CurrentUser,
    /// Everything below the administrator's union.
    pub scope: Scope,
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user =
            <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        if user.role != Role::Admin {
            return Err(AccessRefusal::AdminsOnly.into());
        }
        let scope = Scope::of(state, &user).await?;
        Ok(Admin { user, scope })
    }
}

/// Reads one cookie from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        // One session lookup per request, however many extractors ask
        // (`Member`, `Option<Officer>` and `CurrentUser` all start here).
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or_else(AppError::unauthorized)?;
        let hash = crypto::sha256_hex(token);
        let now = time::now();
        let mut conn = state.db.reader().await?;
        let row = store::sessions::live(&mut conn, &hash, now)
            .await?
            .ok_or_else(AppError::unauthorized)?;
        drop(conn);
        if now - row.last_seen_at > idle_limit(&row.role) {
            store::sessions::end(&mut *state.db.writer().await?, &hash).await?;
            return Err(AppError::unauthorized());
        }
        // Seen again: noted at most every few minutes (a write per request
        // would cost more than the idle limit is worth).
        if now - row.last_seen_at > TOUCH_EVERY {
            store::sessions::touch(&mut *state.db.writer().await?, &hash, now).await?;
        }
        let user = CurrentUser {
            id: row.id,
            role: Role::from_db(&row.role).ok_or_else(|| AppError::internal("unknown role"))?,
            name: row.name,
            roster_id: row.roster_id,
            union_id: row.union_id,
            merchant_id: row.merchant_id,
            session_hash: hash,
        };
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// How often a session's last use is written down.
const TOUCH_EVERY: i64 = 5 * 60;

/// How long a session may go unused before it ends, by role: officers and
/// administrators decide on other people's money and data, so an unattended
/// desk signs out soon; a cashier's till phone lasts a working week; a
/// member's own phone keeps the e-card for two weeks of not opening it.
pub fn idle_limit(role: &str) -> i64 {
    match role {
        "officer" | "admin" => 2 * 3600,
        "cashier" => 7 * 24 * 3600,
        _ => 14 * 24 * 3600,
    }
}

/// `Option<CurrentUser>`: the person if signed in, `None` for a guest, for
/// pages anyone may see that say more to a member.
impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, AppError> {
        match <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(user) => Ok(Some(user)),
            Err(e) if e.status() == StatusCode::UNAUTHORIZED => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The client a request comes from, as a throttling key: its address, read
/// from the proxy's `X-Forwarded-For` when the connection comes from a proxy
/// the operator named as trusted (`--trusted-proxies`), and for IPv6 the /64
/// network (one household or phone gets a whole /64, so counting single
/// addresses would give each attacker billions of fresh ones).
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ci| ci.0.ip());
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        Ok(ClientAddr(match peer {
            Some(ip) => client_key(ip, forwarded, &state.trusted_proxies),
            None => "unknown".into(),
        }))
    }
}

/// The throttling key for a connection from `peer`: with a trusted proxy,
/// the right-most address in `X-Forwarded-For` that is not itself a trusted
/// proxy (the left part of that header is whatever the client claimed).
pub fn client_key(peer: IpAddr, forwarded: Option<&str>, trusted: &[ipnet::IpNet]) -> String {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    let mut client = peer;
    if is_trusted(&peer) {
        if let Some(list) = forwarded {
            for hop in list.rsplit(',') {
                match hop.trim().parse::<IpAddr>() {
                    Ok(ip) if is_trusted(&ip) => continue,
                    Ok(ip) => {
                        client = ip;
                        break;
                    }
                    Err(_) => break,
                }
            }
        }
    }
    match client {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// A JSON body. Unlike `axum::Json`, a bad body answers in the contract's
/// error shape: 400 for unreadable JSON, 413 when too large.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> AppError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => RequestRefusal::ExpectedJson,
        JsonRejection::JsonSyntaxError(_) => RequestRefusal::MalformedJson,
        JsonRejection::JsonDataError(_) => RequestRefusal::InvalidBody,
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => RequestRefusal::TooLarge,
        _ => RequestRefusal::BadBody,
    }
    .into()
}

/// Refuses state-changing API requests without `X-Requested-With: unioncard` (403).
pub async fn csrf_guard(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let ok = safe
        || !req.uri().path().starts_with("/api/")
        || req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case(CSRF_VALUE));
    if ok {
        next.run(req).await
    } else {
        AppError::from(RequestRefusal::CsrfHeaderMissing).into_response()
    }
}

#[cfg(test)]
mod client_tests {
    use super::client_key;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_forwarded_address_counts_only_behind_a_trusted_proxy() {
        let lb: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let xff = Some("1.2.3.4, 203.0.113.9, 10.0.0.7");
        // Not from the proxy: the header is the client's own claim.
        assert_eq!(client_key(ip("198.51.100.1"), xff, &lb), "198.51.100.1");
        // From the proxy: the right-most address the proxies did not add.
        assert_eq!(client_key(ip("10.0.0.2"), xff, &lb), "203.0.113.9");
        // Off by default.
        assert_eq!(client_key(ip("10.0.0.2"), xff, &[]), "10.0.0.2");
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        assert_eq!(
            client_key(ip("2001:db8:1:2:aaaa::1"), None, &[]),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            client_key(ip("2001:db8:1:2:bbbb::9"), None, &[]),
            "2001:db8:1:2::/64"
        );
        assert_eq!(client_key(ip("::ffff:192.0.2.1"), None, &[]), "192.0.2.1");
    }
}
