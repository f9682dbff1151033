//! A QR code drawn as SVG from text, on the phone: no image request, crisp at
//! any size, and it works offline.

use leptos::prelude::*;
use qrcodegen::{QrCode, QrCodeEcc};

/// The SVG path of the dark modules, and the side length including the quiet zone.
pub fn qr_path(text: &str) -> Option<(String, i32)> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let border = 4;
    let size = qr.size();
    let mut d = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                d.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    Some((d, size + 2 * border))
}

/// The QR code of `text` (reactive), labelled for screen readers.
#[component]
pub fn Qr(
    #[prop(into)] text: Signal<String>,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    let drawn = Memo::new(move |_| qr_path(&text.get()));
    view! {
        {move || drawn.get().map(|(d, side)| view! {
            <svg class="qr" viewBox=format!("0 0 {side} {side}") role="img" aria-label=move || label.get()
                shape-rendering="crispEdges" data-test="qr">
                <rect width="100%" height="100%" fill="#fff"/>
                <path d=d fill="#000"/>
            </svg>
        })}
    }
}
