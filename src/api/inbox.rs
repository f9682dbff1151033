//! The member's inbox: a page of messages, the bell's number, marking read.

use super::*;
use unioncard_api::inbox::{Inbox, Unread};

/// A page of my messages, newest first (`cursor` from the previous page).
pub async fn messages(cursor: Option<&str>) -> Result<Inbox, Failure> {
    match cursor {
        Some(c) => get(&format!("/api/me/messages?cursor={c}")).await,
        None => get("/api/me/messages").await,
    }
}

/// How many of my messages are unread.
pub async fn unread_messages() -> Result<Unread, Failure> {
    get("/api/me/messages/unread").await
}

/// Marks one message read.
pub async fn read_message(id: i64) -> Result<(), Failure> {
    post::<_, ()>(&format!("/api/me/messages/{id}/read"), &Empty {}).await
}

/// Marks every message read.
pub async fn read_all_messages() -> Result<(), Failure> {
    post::<_, ()>("/api/me/messages/read-all", &Empty {}).await
}
