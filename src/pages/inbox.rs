//! 消息 (`/me/messages`): what happened to my affairs, newest first, the
//! unread ones marked. Opening a message marks it read and goes to the
//! screen it is about; "全部已读" clears the bell.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use unioncard_api::inbox::{Inbox, MessageView};

use crate::api;
use crate::components::status::loaded;
use crate::i18n::{both, tr, use_i18n};
use crate::pages::format_date_time;
use crate::session::use_unread;

/// `/me/messages`.
#[component]
pub fn InboxPage() -> impl IntoView {
    let i18n = use_i18n();
    // Older pages, appended below the first as the member asks for them.
    let older = RwSignal::new(Vec::<MessageView>::new());
    let cursor = RwSignal::new(None::<String>);
    let inbox = LocalResource::new(move || {
        i18n.lang.track();
        api::messages(None)
    });
    let unread = use_unread();
    let read_all = move |_| {
        spawn_local(async move {
            if api::read_all_messages().await.is_ok() {
                unread.refresh();
                older.set(Vec::new());
                inbox.refetch();
            }
        });
    };
    let more = move |_| {
        let Some(c) = cursor.get_untracked() else {
            return;
        };
        spawn_local(async move {
            if let Ok(page) = api::messages(Some(&c)).await {
                older.update(|o| o.extend(page.items));
                cursor.set(page.next_cursor);
            }
        });
    };
    view! {
        <section class="page">
            <h2>{tr(|s| s.inbox_title)}</h2>
            {loaded(inbox, move |page: Inbox| {
                cursor.set(page.next_cursor.clone());
                if page.items.is_empty() {
                    return view! { <p class="panel" data-test="inbox-empty">{both("还没有消息。申请有了进展、候补转正、投诉有了结果，都会在这里告诉您。", "No messages yet. When a claim or an application moves on, a waiting-list place comes free or a complaint is answered, you will find it here.")}</p> }.into_any();
                }
                view! {
                    {(page.unread > 0).then(|| view! {
                        <button type="button" class="btn btn-secondary btn-block" data-test="read-all" on:click=read_all>
                            {both("全部标为已读", "Mark all as read")}
                        </button>
                    })}
                    <ul class="message-list" data-test="inbox">
                        {page.items.into_iter().map(|m| view! { <Message m=m/> }).collect_view()}
                        {move || older.get().into_iter().map(|m| view! { <Message m=m/> }).collect_view()}
                    </ul>
                    {move || cursor.get().is_some().then(|| view! {
                        <button type="button" class="btn btn-secondary btn-block" on:click=more>{tr(|s| s.load_more)}</button>
                    })}
                }.into_any()
            })}
        </section>
    }
}

/// One message: its title, text and time; unread ones in bold with a dot
/// that screen readers hear as "未读".
#[component]
fn Message(m: MessageView) -> impl IntoView {
    let navigate = use_navigate();
    let unread = use_unread();
    let id = m.id;
    let link = m.link.clone();
    let was_read = m.read;
    let open = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let navigate = navigate.clone();
        let link = link.clone();
        spawn_local(async move {
            if !was_read {
                // Marked before leaving, so the bell is right on the next screen.
                let _ = api::read_message(id).await;
                unread.refresh();
            }
            navigate(&link, Default::default());
        });
    };
    view! {
        <li>
            <a href=m.link.clone() class="message" class:unread=!m.read data-test="message" on:click=open>
                <span class="message-title">
                    {(!m.read).then(|| view! { <span class="dot" role="img" aria-label=tr(|s| s.unread)></span> })}
                    {m.title.clone()}
                </span>
                <span class="message-body">{m.body.clone()}</span>
                <span class="message-time date">{format_date_time(&m.at)}</span>
            </a>
        </li>
    }
}
