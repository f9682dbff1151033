//! Who is signed in, shared by every screen. Restored on reload by asking the
//! server (`/api/me`): the session cookie is HttpOnly, so the app itself never
//! sees or stores the token.

use leptos::prelude::*;
use leptos::task::spawn_local;
use unioncard_api::auth::Me;

use crate::api::{self, Failure};

/// Where the session stands.
#[derive(Clone, Debug, PartialEq)]
pub enum SessionState {
    /// Still asking the server.
    Checking,
    /// Nobody is signed in.
    Guest,
    /// Signed in.
    User(Me),
    /// The server could not be asked (offline or failing).
    Unknown(Failure),
}

/// The session, provided as context.
#[derive(Clone, Copy)]
pub struct Session {
    /// The current state.
    pub state: RwSignal<SessionState>,
}

impl Session {
    /// Creates the session, starts restoring it, and provides it.
    pub fn provide() -> Session {
        let session = Session {
            state: RwSignal::new(SessionState::Checking),
        };
        provide_context(session);
        session.refresh();
        session
    }

    /// Whether the first screen may be drawn for a guest while the server
    /// is still being asked: the phone holds no sign of a session
    /// ([`SIGNED_IN_HINT`]). If the server then names someone, the screen
    /// changes to theirs.
    pub fn probably_guest(&self) -> bool {
        matches!(self.state.get(), SessionState::Guest)
            || (matches!(self.state.get(), SessionState::Checking) && !signed_in_hint())
    }

    /// Asks the server who is signed in.
    pub fn refresh(&self) {
        let state = self.state;
        state.set(SessionState::Checking);
        spawn_local(async move {
            state.set(match api::me().await {
                Ok(Some(me)) => SessionState::User(me),
                Ok(None) => {
                    // The server says nobody is signed in: this phone keeps
                    // no card and none of anyone's records.
                    crate::ecard::clear();
                    crate::api::kept::forget();
                    forget_signed_in_hint();
                    SessionState::Guest
                }
                Err(f) => SessionState::Unknown(f),
            });
        });
    }

    /// Records a successful sign-in or registration.
    pub fn signed_in(&self, me: Me) {
        self.state.set(SessionState::User(me));
    }

    /// Signs out on the server, then forgets the person here.
    pub fn sign_out(&self) {
        let state = self.state;
        crate::ecard::clear();
        crate::api::kept::forget();
        spawn_local(async move {
            let _ = api::logout().await;
            state.set(SessionState::Guest);
        });
    }

    /// The signed-in person, if any (reactive).
    pub fn me(&self) -> Option<Me> {
        match self.state.get() {
            SessionState::User(me) => Some(me),
            _ => None,
        }
    }
}

/// The bell's number: my unread messages. Asked of the server when the
/// session changes, when the screen changes, and after a message is read;
/// zero for a guest (nobody asks the server then).
#[derive(Clone, Copy)]
pub struct Unread {
    /// Unread messages.
    pub count: RwSignal<i64>,
    asked: RwSignal<u32>,
}

impl Unread {
    /// Creates the count, keeps it fresh, and provides it.
    pub fn provide() -> Unread {
        let unread = Unread {
            count: RwSignal::new(0),
            asked: RwSignal::new(0),
        };
        let session = use_session();
        Effect::new(move |_| {
            unread.asked.track();
            let count = unread.count;
            match session.state.get() {
                SessionState::User(_) => spawn_local(async move {
                    if let Ok(u) = api::unread_messages().await {
                        count.set(u.unread);
                    }
                }),
                _ => count.set(0),
            }
        });
        provide_context(unread);
        unread
    }

    /// Asks the server again.
    pub fn refresh(&self) {
        self.asked.update(|n| *n += 1);
    }
}

/// The app's [`Unread`] count (the member app provides it).
pub fn use_unread() -> Unread {
    expect_context::<Unread>()
}

/// The sign-in page, to come back to `path` afterwards.
pub fn sign_in_then(path: &str) -> String {
    format!(
        "/login?next={}",
        String::from(js_sys::encode_uri_component(path))
    )
}

/// The path the person is on now (with its query), to come back to.
pub fn here() -> String {
    let l = window().location();
    format!(
        "{}{}",
        l.pathname().unwrap_or_default(),
        l.search().unwrap_or_default()
    )
}

/// The app's [`Session`].
pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The cookie the server sets beside the (HttpOnly) session cookie at
/// sign-in and clears at sign-out: it says only that this phone has a
/// session, so the page (`index.html`, before any code arrives) and the app
/// can draw a guest's first screen at once instead of after asking the
/// server. It carries no secret; the server decides who anyone is.
pub const SIGNED_IN_HINT: &str = "uc_signed";

/// Whether the phone holds [`SIGNED_IN_HINT`].
pub fn signed_in_hint() -> bool {
    use wasm_bindgen::JsCast;
    let cookies = document()
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()
        .and_then(|d| d.cookie().ok())
        .unwrap_or_default();
    cookies
        .split(';')
        .any(|c| c.trim().starts_with(&format!("{SIGNED_IN_HINT}=")))
}

/// Drops a hint the server no longer backs (the session ended or expired).
fn forget_signed_in_hint() {
    use wasm_bindgen::JsCast;
    if let Ok(d) = document().dyn_into::<web_sys::HtmlDocument>() {
        let _ = d.set_cookie(&format!(
            "{SIGNED_IN_HINT}=; Path=/; Max-Age=0; SameSite=Strict"
        ));
    }
}
