//! Files people upload (complaint photos now; claim and loan documents later):
//! checked by their content, not their name; at most 10 MB; stored in the
//! data folder under random names that reveal nothing; read back only by
//! handlers that have already checked who may see them.

use std::path::PathBuf;

use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use unioncard_api::request::UploadRefusal;

use crate::crypto::random_token;
use crate::error::{AppError, AppResult};
use crate::AppState;

/// The most one file may weigh.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// The body limit of upload routes: a little over [`MAX_FILE_BYTES`], so a
/// slightly-too-large photo is read to the end and answered with a clear 413
/// rather than a dropped connection.
pub const UPLOAD_BODY_LIMIT: usize = MAX_FILE_BYTES + 4 * 1024 * 1024;

/// The kinds of file accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// JPEG photo.
    Jpeg,
    /// PNG image.
    Png,
    /// PDF document.
    Pdf,
}

impl FileKind {
    /// Recognises a file by its first bytes.
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else if bytes.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else {
            None
        }
    }

    /// The MIME type to serve it with.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Pdf => "application/pdf",
        }
    }

    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
            FileKind::Pdf => "pdf",
        }
    }
}

/// A file received and stored. Until [`Stored::keep`] is called (once its
/// row is committed), dropping it deletes the file: every error path after
/// the upload (a 409, a 422, a failed insert, a panic) leaves nothing behind.
pub struct Stored {
    /// The random name it is stored under.
    pub name: String,
    /// What it is.
    pub kind: FileKind,
    /// Its size.
    pub bytes: usize,
    /// Where it lies, while it may still have to be deleted.
    pending: Option<PathBuf>,
}

impl Stored {
    /// The row that names the file is committed: keep it.
    pub fn keep(mut self) {
        self.pending = None;
    }
}

impl Drop for Stored {
    fn drop(&mut self) {
        if let Some(p) = self.pending.take() {
            if let Err(e) = std::fs::remove_file(&p) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    tracing::warn!(error = %e, "could not delete an unused upload");
                }
            }
        }
    }
}

/// Reads the first file field of a multipart body and stores it, accepting
/// only the given kinds.
pub async fn receive(
    state: &AppState,
    mut form: Multipart,
    accept: &[FileKind],
) -> AppResult<Stored> {
    let bad = || AppError::from(UploadRefusal::NoFile);
    let mut field = form
        .next_field()
        .await
        .map_err(|_| bad())?
        .ok_or_else(bad)?;
    let mut data: Vec<u8> = Vec::new();
    let mut over = false;
    loop {
        match field.chunk().await {
            // Past the limit, keep reading (and dropping) so the answer arrives.
            Ok(Some(_)) if over => {}
            Ok(Some(chunk)) => {
                if data.len() + chunk.len() > MAX_FILE_BYTES {
                    over = true;
                    data = Vec::new();
                } else {
                    data.extend_from_slice(&chunk);
                }
            }
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(UploadRefusal::TooLarge.into())
            }
            Err(_) => return Err(bad()),
        }
    }
    // Read the rest of the form (its closing boundary, any other fields), so
    // the connection stays usable and the answer reaches the phone.
    drop(field);
    while let Ok(Some(mut rest)) = form.next_field().await {
        while let Ok(Some(_)) = rest.chunk().await {}
    }
    if over {
        return Err(UploadRefusal::TooLarge.into());
    }
    let kind = FileKind::sniff(&data)
        .filter(|k| accept.contains(k))
        .ok_or(UploadRefusal::WrongType)?;
    tokio::fs::create_dir_all(&state.uploads)
        .await
        .map_err(AppError::internal)?;
    let name = random_token(24);
    let at = path(state, &name);
    tokio::fs::write(&at, &data)
        .await
        .map_err(AppError::internal)?;
    Ok(Stored {
        name,
        kind,
        bytes: data.len(),
        pending: Some(at),
    })
}

fn path(state: &AppState, name: &str) -> PathBuf {
    // Names are our own random tokens; refuse anything else outright.
    let safe: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    state.uploads.join(safe)
}

/// Deletes a stored file; a file already gone is not an error.
pub async fn remove(state: &AppState, name: &str) {
    if let Err(e) = tokio::fs::remove_file(path(state, name)).await {
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(error = %e, "could not delete an upload");
        }
    }
}

/// The name a download is saved under: the kind, never the stored name.
fn download_name(mime: &str) -> &'static str {
    match mime {
        "image/jpeg" => "document.jpg",
        "image/png" => "document.png",
        _ => "document.pdf",
    }
}

/// Serves a stored file (the caller has checked who may see it).
pub async fn serve(state: &AppState, name: &str, mime: &str) -> AppResult<Response> {
    let data = tokio::fs::read(path(state, name))
        .await
        .map_err(|_| AppError::not_found())?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, mime.to_string()),
            (
                axum::http::header::CACHE_CONTROL,
                "private, no-store".to_string(),
            ),
            // Never rendered in the app's origin (a PDF with script, an
            // HTML file that sniffed as an image): always a download.
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", download_name(mime)),
            ),
            (
                axum::http::header::X_CONTENT_TYPE_OPTIONS,
                "nosniff".to_string(),
            ),
        ],
        data,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::FileKind;

    #[test]
    fn files_are_recognised_by_content() {
        assert_eq!(
            FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            Some(FileKind::Jpeg)
        );
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(FileKind::Png)
        );
        assert_eq!(FileKind::sniff(b"%PDF-1.7"), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(b"GIF89a"), None);
        assert_eq!(FileKind::sniff(b"<html>"), None);
    }
}
