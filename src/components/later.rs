//! Drawing in more than one task.

use leptos::prelude::*;

/// Its children, drawn in a task after the one that draws what comes
/// before them: a long screen built in one go is one long task, which a
/// cheap phone cannot interrupt to answer a tap (and Lighthouse counts as
/// blocking). Only for what follows everything already drawn (the end of a
/// screen, below what the member reads first): drawn later above anything,
/// it would push that down. The app's bars are the one exception: the
/// page's first paint covers the screen until they are drawn.
#[component]
pub fn Later(children: ChildrenFn) -> impl IntoView {
    let ready = RwSignal::new(false);
    crate::slices::in_next_task(Box::new(move || ready.set(true)));
    move || ready.get().then(|| children())
}
