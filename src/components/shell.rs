//! What every one of the three apps (member app, desk, management) starts
//! with, and the desk apps' "signed in only" gate.

use leptos::prelude::*;

use crate::components::status::Loading;
use crate::i18n::{tr, I18n};
use crate::session::{use_session, Session, SessionState};

/// Provides the language and the session, and takes down the static
/// first paint that index.html shows until the app runs (keeping the
/// screen it drew, if any, for [`take_first_screen`]).
pub fn start() {
    I18n::provide();
    Session::provide();
    if let Some(boot) = document().get_element_by_id("boot") {
        let drawn = boot
            .query_selector(".screen[data-first]")
            .ok()
            .flatten()
            .and_then(|s| Some((s.get_attribute("data-first")?, s.inner_html())));
        // A screen whose code is still coming shows the page's drawing in
        // a task after the one that mounts the app (`crate::slices`): until
        // it does, the page's stays, or the phone would paint an empty
        // screen between the two.
        if drawn.is_some() {
            let _ = boot.set_attribute("data-hold", "");
        }
        FIRST_SCREEN.with(|f| *f.borrow_mut() = drawn);
        // The member app draws its bars a task after its screen: a page
        // that drew bars keeps them up until the app's are there too.
        let bars = boot.query_selector(".tab-bar").ok().flatten().is_some();
        let strict = boot.has_attribute("data-hold");
        if strict || bars {
            let _ = boot.set_attribute("data-hold", "");
            let until = js_sys::Date::now() + HOLD_MS;
            hold_until_drawn(boot, until, strict, bars);
        } else {
            boot.remove();
        }
    }
}

/// How long the page's drawing of a member's card may stay up while the
/// app (hidden behind it) draws its own: past that, the app shows whatever
/// it has.
const HOLD_MS: f64 = 4000.0;

/// Takes the page's first paint down once the app behind it has drawn
/// what the page drew: its bars, if the page drew them, and its screen.
/// With `strict` (the page drew a card or a screen's heading) the screen
/// must show the card too, or something other than a loading line (a card
/// holder whose screen is not a card), so the member never sees it go and
/// come back; otherwise anything in it will do. Looked at once a frame: the
/// app draws them after the session and the card are answered, in tasks
/// this cannot name.
fn hold_until_drawn(boot: web_sys::Element, until: f64, strict: bool, bars: bool) {
    // The app's parts follow the page's first paint in the body (siblings,
    // so `#boot ~ main`: `#boot ~ * main` never matched, and a screen that
    // was not a card waited out the hold).
    let seen = |css: &str| document().query_selector(css).ok().flatten().is_some();
    let screen = if strict {
        seen("#boot ~ main .card-face")
            || (seen("#boot ~ main > *") && !seen("#boot ~ main .loading"))
    } else {
        seen("#boot ~ main > *")
    };
    let drawn = screen && (!bars || (seen("#boot ~ .top-bar") && seen("#boot ~ .tab-bar")));
    if drawn || js_sys::Date::now() > until {
        boot.remove();
    } else {
        request_animation_frame(move || hold_until_drawn(boot, until, strict, bars));
    }
}

thread_local! {
    /// The path and markup of the screen index.html drew before the app ran.
    static FIRST_SCREEN: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
}

/// The screen index.html drew for this path before the app ran (a heading
/// and introduction), once: what a screen whose code is still coming shows
/// instead of the loading line, so the page does not blank and redraw.
pub fn take_first_screen() -> Option<String> {
    let here = window().location().pathname().ok()?;
    let here = here.trim_end_matches('/');
    FIRST_SCREEN.with(|f| {
        let mut f = f.borrow_mut();
        let (path, _) = f.as_ref()?;
        if path.as_str() != here {
            return None;
        }
        f.take().map(|(_, html)| html)
    })
}

/// What a guest sees instead of a member-only action: why signing in is
/// needed for it, and a sign-in button that brings them back here.
#[component]
pub fn SignInFor(#[prop(into)] why: Signal<&'static str>) -> impl IntoView {
    let href = crate::session::sign_in_then(&crate::session::here());
    view! {
        <div class="panel sign-in-for" data-test="sign-in-for">
            <p>{why}</p>
            <a href=href class="btn btn-primary btn-block" data-test="sign-in-then">{tr(|s| s.sign_in)}</a>
        </div>
    }
}

/// Shows its children to a signed-in person, a sign-in link to anyone else
/// (the server still decides what each may do).
#[component]
pub fn SignedIn(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    move || {
        match session.state.get() {
        SessionState::Checking => view! { <Loading/> }.into_any(),
        SessionState::User(_) => children().into_any(),
        _ => view! {
            <section class="page panel">
                <p>{tr(|s| s.me_guest)}</p>
                <a href=crate::session::sign_in_then(&crate::session::here()) rel="external" class="btn btn-primary">{tr(|s| s.sign_in)}</a>
            </section>
        }
        .into_any(),
    }
    }
}
