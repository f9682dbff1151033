//! Shorter names between an app's wasm and its JS glue.
//!
//! wasm-bindgen names every function the wasm imports from its glue after
//! the Rust item and a 16-digit hash (`__wbg_classList_97e966c261669b85`),
//! and writes each name twice: in the wasm's import section and as a key
//! of the glue's import object. The member app imports about 200 of them,
//! and the hashes are random text that no compressor shortens: about 4 KB
//! of every first load. Both sides are renamed here to `a`, `b`, ... `aB`,
//! after wasm-bindgen and before wasm-opt (which keeps import names).
//!
//! Only the imports of the glue's own module (`./main_bg.js`) are renamed:
//! the snippets' and the chunk loader's are imported by name from their
//! files. The glue is changed only where a name stands once, as a key:
//! anything else (a name written twice, a key not found) is an error that
//! says so, rather than a build whose wasm and JS disagree.

use anyhow::{bail, Context, Result};

/// The module wasm-bindgen's glue gives its own imports, for `--out-name main`.
pub const GLUE_MODULE: &str = "./main_bg.js";

/// `wasm` and `js` with every import of [`GLUE_MODULE`] given a short name on
/// both sides. The rest of the module is copied byte for byte.
pub fn shorten_imports(wasm: &[u8], js: &str) -> Result<(Vec<u8>, String)> {
    if wasm.get(..8) != Some(b"\0asm\x01\0\0\0".as_slice()) {
        bail!("not a wasm module (version 1)");
    }
    let mut out = wasm[..8].to_vec();
    let mut js = js.to_string();
    let mut at = 8;
    let mut renamed = 0;
    while at < wasm.len() {
        let id = wasm[at];
        let mut r = Reader {
            bytes: wasm,
            at: at + 1,
        };
        let size = r.leb()? as usize;
        let body = r.at;
        let end = body
            .checked_add(size)
            .filter(|&e| e <= wasm.len())
            .context("a section runs past the module's end")?;
        if id == 2 {
            let (section, names) = rename_section(&wasm[body..end])?;
            for (long, short) in &names {
                js = rename_key(&js, long, short)?;
            }
            renamed = names.len();
            out.push(2);
            write_leb(&mut out, section.len() as u64);
            out.extend_from_slice(&section);
        } else {
            out.extend_from_slice(&wasm[at..end]);
        }
        at = end;
    }
    if renamed == 0 {
        bail!("the module imports nothing from {GLUE_MODULE}");
    }
    Ok((out, js))
}

/// (old, new) names of the glue's imports.
type Renames = Vec<(String, String)>;

/// The import section's body with the glue's imports renamed, and the names.
fn rename_section(body: &[u8]) -> Result<(Vec<u8>, Renames)> {
    let mut r = Reader { bytes: body, at: 0 };
    let count = r.leb()?;
    let mut out = Vec::with_capacity(body.len());
    write_leb(&mut out, count);
    let mut names = Vec::new();
    for _ in 0..count {
        let module = r.name()?;
        let field = r.name()?;
        let desc_start = r.at;
        r.skip_import_desc()?;
        let field = if module == GLUE_MODULE {
            let short = short_name(names.len());
            names.push((field.to_string(), short.clone()));
            short
        } else {
            field.to_string()
        };
        write_name(&mut out, module);
        write_name(&mut out, &field);
        out.extend_from_slice(&body[desc_start..r.at]);
    }
    if r.at != body.len() {
        bail!("the import section has bytes after its last import");
    }
    Ok((out, names))
}

/// `long` as a key of the glue's import object (`long: function`) renamed to
/// `short`; the name must stand nowhere else in the glue.
fn rename_key(js: &str, long: &str, short: &str) -> Result<String> {
    let key = format!("{long}:");
    if js.matches(long).count() != 1 || js.matches(&key).count() != 1 {
        bail!(
            "wasm-bindgen's glue names the import {long} other than once, as a key: \
             its output changed, see xtask/src/glue.rs"
        );
    }
    Ok(js.replacen(&key, &format!("{short}:"), 1))
}

/// The `n`th short name: `a`..`z`, `A`..`Z`, then two or more characters.
/// A letter first (a JS key needs no quotes), letters and digits after.
fn short_name(mut n: usize) -> String {
    const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut s = vec![FIRST[n % FIRST.len()]];
    n /= FIRST.len();
    while n > 0 {
        n -= 1;
        s.push(REST[n % REST.len()]);
        n /= REST.len();
    }
    String::from_utf8(s).expect("ASCII")
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8> {
        let b = *self.bytes.get(self.at).context("the module ends early")?;
        self.at += 1;
        Ok(b)
    }

    /// An unsigned LEB128 number.
    fn leb(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        bail!("a number too long for 64 bits")
    }

    fn name(&mut self) -> Result<&'a str> {
        let len = self.leb()? as usize;
        let end = self
            .at
            .checked_add(len)
            .filter(|&e| e <= self.bytes.len())
            .context("a name runs past its section")?;
        let s = std::str::from_utf8(&self.bytes[self.at..end]).context("a name not in UTF-8")?;
        self.at = end;
        Ok(s)
    }

    fn limits(&mut self) -> Result<()> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 == 1 {
            self.leb()?;
        }
        Ok(())
    }

    /// Past one import's kind and type: a function, table, memory, global or
    /// tag, as the wasm features rustc emits write them.
    fn skip_import_desc(&mut self) -> Result<()> {
        match self.byte()? {
            0 => {
                self.leb()?;
            }
            1 => {
                let reftype = self.byte()?;
                if reftype != 0x70 && reftype != 0x6f {
                    bail!("a table of an unknown reference type {reftype:#x}");
                }
                self.limits()?;
            }
            2 => self.limits()?,
            3 => {
                let valtype = self.byte()?;
                if !matches!(valtype, 0x7b..=0x7f | 0x70 | 0x6f) {
                    bail!("a global of an unknown type {valtype:#x}");
                }
                self.byte()?;
            }
            4 => {
                self.byte()?;
                self.leb()?;
            }
            kind => bail!("an import of unknown kind {kind}"),
        }
        Ok(())
    }
}

fn write_leb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn write_name(out: &mut Vec<u8>, s: &str) {
    write_leb(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with a type section, three imports (two of the glue, one of
    /// a snippet, a memory among them) and a custom section after.
    fn module(imports: &[(&str, &str, &[u8])]) -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        // type section: one type, () -> ()
        m.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
        let mut body = Vec::new();
        write_leb(&mut body, imports.len() as u64);
        for (module, field, desc) in imports {
            write_name(&mut body, module);
            write_name(&mut body, field);
            body.extend_from_slice(desc);
        }
        m.push(2);
        write_leb(&mut m, body.len() as u64);
        m.extend_from_slice(&body);
        // a custom section named "x" holding three bytes
        m.extend_from_slice(&[0, 5, 1, b'x', 7, 8, 9]);
        m
    }

    const GLUE: &str = "function __wbg_get_imports() {\n    const import0 = {\n        \
                        __wbg_log_0123456789abcdef: function(a) { console.log(a); },\n        \
                        __wbg_now_fedcba9876543210: function() { return Date.now(); },\n    };\n    \
                        return { \"./main_bg.js\": import0 };\n}\n";

    #[test]
    fn renames_the_glue_imports_on_both_sides_and_keeps_the_rest() {
        let wasm = module(&[
            (GLUE_MODULE, "__wbg_log_0123456789abcdef", &[0, 0]),
            ("./snippets/x/inline1.js", "scan_qr", &[0, 0]),
            ("env", "memory", &[2, 1, 1, 16]),
            (GLUE_MODULE, "__wbg_now_fedcba9876543210", &[0, 0]),
        ]);
        let (out, js) = shorten_imports(&wasm, GLUE).unwrap();
        let expected = module(&[
            (GLUE_MODULE, "a", &[0, 0]),
            ("./snippets/x/inline1.js", "scan_qr", &[0, 0]),
            ("env", "memory", &[2, 1, 1, 16]),
            (GLUE_MODULE, "b", &[0, 0]),
        ]);
        assert_eq!(out, expected);
        assert!(js.contains("\n        a: function(a) { console.log(a); },"));
        assert!(js.contains("\n        b: function() { return Date.now(); },"));
        assert!(!js.contains("__wbg_log"));
        assert!(!js.contains("__wbg_now"));
        assert!(out.len() < wasm.len());
    }

    #[test]
    fn a_name_the_glue_uses_twice_is_an_error_not_a_broken_build() {
        let wasm = module(&[(GLUE_MODULE, "__wbg_log_0123456789abcdef", &[0, 0])]);
        let twice = format!("{GLUE}// __wbg_log_0123456789abcdef again\n");
        let err = shorten_imports(&wasm, &twice).unwrap_err().to_string();
        assert!(err.contains("__wbg_log_0123456789abcdef"), "{err}");
        let missing = GLUE.replace("__wbg_log_0123456789abcdef:", "log:");
        assert!(shorten_imports(&wasm, &missing).is_err());
    }

    #[test]
    fn a_truncated_module_is_an_error() {
        let wasm = module(&[(GLUE_MODULE, "__wbg_log_0123456789abcdef", &[0, 0])]);
        assert!(shorten_imports(&wasm[..wasm.len() - 10], GLUE).is_err());
        assert!(shorten_imports(b"not wasm", GLUE).is_err());
    }

    #[test]
    fn short_names_are_distinct_identifiers() {
        let names: Vec<String> = (0..5000).map(short_name).collect();
        let unique: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        assert_eq!(&names[..3], ["a", "b", "c"]);
        assert_eq!(names[52], "aa");
        assert!(names.iter().all(|n| n.as_bytes()[0].is_ascii_alphabetic()
            && n.bytes().all(|b| b.is_ascii_alphanumeric())));
        // The longest of a module's few hundred imports is two characters.
        assert!(names[..1000].iter().all(|n| n.len() <= 2));
    }
}
