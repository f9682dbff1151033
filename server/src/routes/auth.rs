//! Registration against the roster, sign-in with throttling, sign-out.

use std::sync::LazyLock;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use unioncard_api::auth::{AuthRefusal, LoginRequest, Me, RegisterRequest};
use unioncard_api::error::FieldProblems;
use unioncard_api::identity::Phone;
use unioncard_api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::extract::{cookie, ClientAddr, Json, SESSION_COOKIE};
use crate::routes::me::load_me;
use crate::store::accounts::NewAccount;
pub use crate::store::is_unique_violation;
use crate::{crypto, store, throttle, time, AppState};

/// How long a session lasts.
const SESSION_SECONDS: i64 = 30 * 24 * 3600;
/// Password hashes running at once (argon2id takes 19 MiB each).
fn hashers() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 8)
}

/// A flood of sign-ins waits its turn for a moment and then gets 503,
/// instead of exhausting memory.
static HASHING: LazyLock<tokio::sync::Semaphore> =
    LazyLock::new(|| tokio::sync::Semaphore::new(hashers()));

/// A job for the hashing threads.
type HashJob = Box<dyn FnOnce() + Send>;

/// The threads that hash, as many as [`HASHING`] has slots and living as
/// long as the server. Not tokio's blocking pool: each of its (many,
/// short-lived) threads would keep its own allocator arena holding a freed
/// 19 MiB block, and memory grew to hundreds of MB under a flood even with
/// two hashes at a time.
static HASHERS: LazyLock<std::sync::Mutex<std::sync::mpsc::Sender<HashJob>>> =
    LazyLock::new(|| {
        let (tx, rx) = std::sync::mpsc::channel::<HashJob>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for n in 0..hashers() {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("hasher-{n}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                })
                .expect("starting a hashing thread");
        }
        std::sync::Mutex::new(tx)
    });

/// Runs `f` on a hashing thread, holding a slot for it.
async fn on_hasher<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    let _slot = hashing_slot().await?;
    let (done, answer) = tokio::sync::oneshot::channel();
    let job: HashJob = Box::new(move || {
        let _ = done.send(f());
    });
    HASHERS
        .lock()
        .map_err(|_| AppError::internal("hashing threads poisoned"))?
        .send(job)
        .map_err(|_| AppError::internal("hashing threads gone"))?;
    answer
        .await
        .map_err(|_| AppError::internal("a hashing job was dropped"))
}
/// How long a request waits for a hashing slot before 503.
const HASHING_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The auth routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(logout))
}

/// Registers a roster member and signs them in.
#[utoipa::path(
    post, path = "/api/auth/register", tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and signed in", body = Me),
        (status = 409, description = "Phone or member already registered", body = ErrorBody),
        (status = 422, description = "Invalid fields, or `not_in_roster`", body = ErrorBody),
        (status = 429, description = "Too many attempts from this client or for this ID number", body = ErrorBody),
        (status = 503, description = "Busy hashing passwords; see Retry-After", body = ErrorBody),
    )
)]
async fn register(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(req): Json<RegisterRequest>,
) -> AppResult<Response> {
    let reg = req.parse().map_err(|p| AppError::invalid(&p))?;
    let id_hash = state.crypto.lookup_hash("id", reg.id_number.expose());
    let phone_hash = state.crypto.lookup_hash("phone", reg.phone.expose());
    // Registration says whether an ID number is on a roster: counted per
    // client and per number before anything is looked up or hashed.
    probe(&state, &addr, &id_hash).await?;
    let roster = store::accounts::roster_entry(&mut *state.db.reader().await?, &id_hash).await?;
    if !matches!(&roster, Some(row) if row.name == reg.name.as_str()) {
        return Err(AuthRefusal::NotInRoster.into());
    }
    // Only now the expensive part, for a person who is on a roster.
    let password_hash = hash_password(reg.password.expose().to_string()).await?;

    let mut tx = state.db.begin().await?;
    let roster_id: i64 = match store::accounts::roster_entry(&mut tx, &id_hash).await? {
        Some(row) if row.name == reg.name.as_str() => row.id,
        _ => return Err(AuthRefusal::NotInRoster.into()),
    };
    if store::accounts::account_of_roster_entry(&mut tx, roster_id)
        .await?
        .is_some()
    {
        return Err(AuthRefusal::AlreadyRegistered.into());
    }
    if store::accounts::account_with_phone(&mut tx, &phone_hash)
        .await?
        .is_some()
    {
        return Err(AuthRefusal::PhoneTaken.into());
    }
    let inserted = store::accounts::insert_member(
        &mut tx,
        &NewAccount {
            phone_hash: &phone_hash,
            phone_enc: &state.crypto.encrypt(reg.phone.expose()),
            phone_masked: &reg.phone.masked(),
            password_hash: &password_hash,
            name: reg.name.as_str(),
        },
        roster_id,
        time::now(),
    )
    .await;
    // Two registrations racing past the checks above meet the unique indexes.
    let user_id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Err(AuthRefusal::AlreadyRegistered.into()),
        Err(e) => return Err(e.into()),
    };
    let token = crypto::random_token(32);
    let hash = crypto::sha256_hex(&token);
    store::sessions::create(&mut tx, &hash, user_id, time::now(), SESSION_SECONDS).await?;
    tx.commit().await?;
    let me = load_me(&state, user_id).await?;
    Ok(with_session_cookie(
        &state,
        &token,
        Hint::of(&me),
        (StatusCode::CREATED, axum::Json(me)).into_response(),
    ))
}

/// Signs in with phone and password.
#[utoipa::path(
    post, path = "/api/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; sets the session cookie", body = Me),
        (status = 401, description = "Wrong phone or password", body = ErrorBody),
        (status = 422, description = "Malformed phone or empty password", body = ErrorBody),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = ErrorBody),
        (status = 503, description = "Busy hashing passwords; see Retry-After", body = ErrorBody),
    )
)]
async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(req): Json<LoginRequest>,
) -> AppResult<Response> {
    let mut problems = FieldProblems::default();
    let phone = problems.check("phone", Phone::parse(&req.phone));
    if req.password.is_empty() {
        problems
            .0
            .push(("password", unioncard_api::FieldProblem::Required));
    }
    let Some(phone) = phone.filter(|_| problems.is_empty()) else {
        return Err(AppError::invalid(&problems));
    };
    let phone_hash = state.crypto.lookup_hash("phone", phone.expose());
    let phone_key = format!("login:phone:{phone_hash}");
    let addr_key = format!("login:addr:{addr}");
    let now = time::now();
    // The attempt is counted before the password is checked, so parallel
    // guesses cannot all be checked before the first failure is recorded.
    throttle::take(&state, &addr_key, throttle::SIGN_IN_PER_CLIENT, now).await?;
    throttle::take(&state, &phone_key, throttle::SIGN_IN_PER_PHONE, now).await?;

    // A disabled account answers like a wrong password: nothing to learn.
    let user = store::accounts::credentials(&mut *state.db.reader().await?, &phone_hash).await?;
    // An unknown phone costs the same hashing work as a wrong password, so
    // neither the answer nor its timing tells whether the phone is registered.
    let (user_id, stored) = match user {
        Some(row) => (Some(row.id), row.password_hash),
        None => (None, DUMMY_HASH.clone()),
    };
    let ok = verify_password(req.password.clone(), stored).await? && user_id.is_some();
    let Some(user_id) = user_id.filter(|_| ok) else {
        return Err(AuthRefusal::WrongCredentials.into());
    };
    throttle::clear(&state, &phone_key).await?;
    throttle::forgive(&state, &addr_key).await?;
    let mut tx = state.db.begin().await?;
    store::sessions::purge_expired_of(&mut tx, user_id, now).await?;
    let token = crypto::random_token(32);
    let hash = crypto::sha256_hex(&token);
    store::sessions::create(&mut tx, &hash, user_id, time::now(), SESSION_SECONDS).await?;
    tx.commit().await?;
    let me = load_me(&state, user_id).await?;
    Ok(with_session_cookie(
        &state,
        &token,
        Hint::of(&me),
        axum::Json(me).into_response(),
    ))
}

/// Ends this session.
#[utoipa::path(
    post, path = "/api/auth/logout", tag = "auth",
    responses((status = 204, description = "Signed out (also when no session was open)"))
)]
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let hash = crypto::sha256_hex(token);
        let mut tx = state.db.begin().await?;
        // The phone's e-card secret goes with the session that provisioned it.
        store::sessions::revoke_devices_of(&mut tx, &hash, time::now()).await?;
        store::sessions::end(&mut tx, &hash).await?;
        tx.commit().await?;
    }
    let mut resp = StatusCode::NO_CONTENT.into_response();
    let clear = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    resp.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&clear).expect("ascii cookie"),
    );
    resp.headers_mut()
        .append(header::SET_COOKIE, hint_cookie(Hint::Clear, false));
    Ok(resp)
}

/// A cookie beside the session's that says only "this phone has a session",
/// readable by the page's script (the session cookie is HttpOnly): the page
/// and the app draw a guest's first screen at once when it is absent
/// (`src/session.rs`). It holds no secret and grants nothing.
pub const SIGNED_IN_HINT: &str = "uc_signed";

/// What the signed-in hint says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hint {
    /// Signed in, as a member with a card: the page starts asking for the
    /// card while the app's code downloads (`index.html`, `src/api/early.rs`).
    Member,
    /// Signed in (anyone else, or not known: a page load that finds a
    /// session cookie without a hint does not look the session up).
    Signed,
    /// Not signed in: the hint is cleared.
    Clear,
}

impl Hint {
    /// The hint for who just signed in.
    pub fn of(me: &unioncard_api::auth::Me) -> Hint {
        if me.has(unioncard_api::auth::Role::Member) && me.card.is_some() {
            Hint::Member
        } else {
            Hint::Signed
        }
    }
}

/// The `Set-Cookie` value that sets or clears the signed-in hint; it lives
/// as long as a session may.
pub fn hint_cookie(hint: Hint, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let (value, age) = match hint {
        Hint::Member => ("m", SESSION_SECONDS),
        Hint::Signed => ("1", SESSION_SECONDS),
        Hint::Clear => ("", 0),
    };
    HeaderValue::from_str(&format!(
        "{SIGNED_IN_HINT}={value}; Path=/; SameSite=Strict; Max-Age={age}{secure}"
    ))
    .expect("ascii cookie")
}

fn with_session_cookie(state: &AppState, token: &str, hint: Hint, mut resp: Response) -> Response {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let value = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_SECONDS}{secure}"
    );
    resp.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&value).expect("ascii cookie"),
    );
    resp.headers_mut()
        .append(header::SET_COOKIE, hint_cookie(hint, state.secure_cookies));
    resp
}

/// Counts an anonymous look-up by ID number, per client and per number.
pub async fn probe(state: &AppState, client: &str, id_hash: &str) -> AppResult<()> {
    let now = time::now();
    throttle::take(
        state,
        &format!("probe:addr:{client}"),
        throttle::PROBES_PER_CLIENT,
        now,
    )
    .await?;
    throttle::take(
        state,
        &format!("probe:id:{id_hash}"),
        throttle::PROBES_PER_ID,
        now,
    )
    .await
}

/// Hashes a password with argon2id off the async threads (it takes tens of ms by design).
pub async fn hash_password(password: String) -> AppResult<String> {
    on_hasher(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::internal(format!("hashing: {e}")))
    })
    .await?
}

/// Checks a password against a stored hash, on the hashing threads.
pub async fn verify_password(password: String, stored: String) -> AppResult<bool> {
    on_hasher(move || {
        let parsed = PasswordHash::new(&stored)
            .map_err(|e| AppError::internal(format!("stored hash: {e}")))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await?
}

/// A slot to hash in; 503 with `Retry-After` when none frees up in time.
async fn hashing_slot() -> AppResult<tokio::sync::SemaphorePermit<'static>> {
    match tokio::time::timeout(HASHING_WAIT, HASHING.acquire()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(AppError::busy(2)),
    }
}

/// A hash of a random password, verified against when the phone is unknown.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(crypto::random_token(16).as_bytes(), &salt)
        .expect("hashing a random password")
        .to_string()
});
