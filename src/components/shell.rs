//! What every one of the three apps (member app, desk, management) starts
//! with, and the desk apps' "signed in only" gate.

use leptos::prelude::*;

use crate::components::status::Loading;
use crate::i18n::{tr, I18n};
use crate::session::{use_session, Session, SessionState};

/// Provides the language and the session, and takes down the static
/// "loading" splash that index.html shows until the app runs.
pub fn start() {
    I18n::provide();
    Session::provide();
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
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
