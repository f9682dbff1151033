//! Browser abilities reached through small JS shims: reading a QR code with
//! the phone camera, where the browser has the
//! `BarcodeDetector` API (Chrome on Android does; many in-app browsers do not,
//! and then the cashier types the code); and the phone's position for
//! "nearest to me".

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function has_barcode_detector() {
  return typeof window.BarcodeDetector === 'function'
    && !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}
export async function scan_qr(video) {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
  video.srcObject = stream;
  await video.play();
  const detector = new BarcodeDetector({ formats: ['qr_code'] });
  try {
    const deadline = Date.now() + 60000;
    while (Date.now() < deadline && video.srcObject) {
      const codes = await detector.detect(video);
      if (codes.length) return codes[0].rawValue;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('no code seen');
  } finally {
    stream.getTracks().forEach((t) => t.stop());
    video.srcObject = null;
  }
}
export function stop_scan(video) {
  const s = video.srcObject;
  if (s) { s.getTracks().forEach((t) => t.stop()); video.srcObject = null; }
}
"#)]
extern "C" {
    /// True when the browser can read QR codes from the camera.
    pub fn has_barcode_detector() -> bool;
    /// Opens the camera into `video` until a QR code is seen (at most a minute).
    #[wasm_bindgen(catch)]
    pub async fn scan_qr(video: &web_sys::HtmlVideoElement) -> Result<JsValue, JsValue>;
    /// Stops a scan in progress.
    pub fn stop_scan(video: &web_sys::HtmlVideoElement);
}

#[wasm_bindgen(inline_js = r#"
export function get_position() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) { reject(new Error('no geolocation')); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve([p.coords.latitude, p.coords.longitude]),
      (e) => reject(e),
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
  });
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn get_position() -> Result<JsValue, JsValue>;
}

/// The phone's position (latitude, longitude), if the person allows it.
pub async fn position() -> Option<(f64, f64)> {
    let v = get_position().await.ok()?;
    let arr = js_sys::Array::from(&v);
    Some((arr.get(0).as_f64()?, arr.get(1).as_f64()?))
}

/// The "nearest to me" button's tap: asks the phone's position into `near`
/// (or clears it, when set, back to the list's own order), showing
/// `locating` meanwhile and `denied` in `notice` when the person says no.
pub fn toggle_near(
    near: leptos::prelude::RwSignal<Option<(f64, f64)>>,
    locating: leptos::prelude::RwSignal<bool>,
    notice: leptos::prelude::RwSignal<Option<String>>,
    denied: &'static str,
) {
    use leptos::prelude::*;
    if near.get_untracked().is_some() {
        near.set(None);
        return;
    }
    locating.set(true);
    notice.set(None);
    leptos::task::spawn_local(async move {
        match position().await {
            Some(p) => near.set(Some(p)),
            None => notice.set(Some(denied.into())),
        }
        locating.set(false);
    });
}
