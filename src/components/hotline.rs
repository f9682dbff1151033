//! The 12351 workers' rights hotline (职工维权热线) as one tap to call:
//! on 服务站点 and on 维权求助.

use leptos::prelude::*;

use crate::i18n::both;

/// A full-width button that calls 12351.
#[component]
pub fn Hotline(
    /// The screen's main action (维权求助), or beside others (服务站点).
    #[prop(optional)]
    primary: bool,
) -> impl IntoView {
    view! {
        <a class="btn btn-block hotline" class:btn-primary=primary class:btn-secondary=!primary
            href="tel:12351" data-test="hotline">
            {both("拨打 12351 职工维权热线", "Call 12351, the workers' rights hotline")}
        </a>
    }
}
