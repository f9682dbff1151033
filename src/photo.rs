//! Shrinking a document photo on the phone before it is uploaded: a phone
//! camera's 4-12 MB picture becomes a few hundred KB JPEG that stays legible,
//! so a claim goes through on a weak connection and under the 10 MB limit.
//! PDFs and files the browser cannot decode are sent as they are.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export async function shrink(file, max, quality) {
  if (!/^image\/(jpeg|png)$/.test(file.type) || typeof createImageBitmap !== 'function') return file;
  try {
    const bmp = await createImageBitmap(file);
    const scale = Math.min(1, max / Math.max(bmp.width, bmp.height));
    if (scale === 1 && file.size < 1500000) return file;
    const c = document.createElement('canvas');
    c.width = Math.round(bmp.width * scale);
    c.height = Math.round(bmp.height * scale);
    c.getContext('2d').drawImage(bmp, 0, 0, c.width, c.height);
    const blob = await new Promise((resolve) => c.toBlob(resolve, 'image/jpeg', quality));
    return blob && blob.size < file.size ? blob : file;
  } catch (e) {
    return file;
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = shrink)]
    async fn shrink_js(file: &web_sys::File, max: u32, quality: f64) -> JsValue;
}

/// The file to upload: a photo at most 2000 px on its long side as JPEG, or
/// the original when that would not be smaller.
pub async fn for_upload(file: &web_sys::File) -> web_sys::Blob {
    let out = shrink_js(file, 2000, 0.85).await;
    out.dyn_into::<web_sys::Blob>()
        .unwrap_or_else(|_| file.clone().into())
}
