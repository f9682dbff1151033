//! Personal data at rest. ID numbers and phones are stored encrypted
//! (AES-256-GCM, a fresh nonce each time) next to a keyed hash (HMAC-SHA256)
//! used for exact look-ups, so the database alone reveals neither.
//!
//! Both keys are derived from one master key from configuration; when none is
//! configured a random one is written to `DATA_DIR/unioncard.key` on first
//! start. Losing that file makes the stored numbers unreadable: back it up.

use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use anyhow::{bail, Context};
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::Config;

type HmacSha256 = Hmac<Sha256>;

/// The keys that protect personal data.
pub struct Crypto {
    cipher: Aes256Gcm,
    hash_key: [u8; 32],
}

impl Crypto {
    /// Loads the master key from configuration or the key file, creating the
    /// file when neither exists.
    pub fn load(config: &Config) -> anyhow::Result<Crypto> {
        let master = match &config.key {
            Some(hex_key) => parse_key(hex_key).context("UNIONCARD_KEY")?,
            None => load_or_create_key_file(&config.data_dir.join("unioncard.key"))?,
        };
        Ok(Crypto::from_master(&master))
    }

    /// Whether [`Crypto::load`] would create a new key file (none configured
    /// and none on disk): allowed only for a database that holds no data yet.
    pub fn would_create(config: &Config) -> bool {
        config.key.is_none() && !config.data_dir.join("unioncard.key").exists()
    }

    /// A value only this key gives, stored in the database at first start
    /// and compared at every start after.
    fn check_value(&self) -> String {
        self.lookup_hash("key-check", "unioncard data key")
    }

    /// Derives the encryption and hashing keys from a master key.
    pub fn from_master(master: &[u8; 32]) -> Crypto {
        let derive = |label: &[u8]| -> [u8; 32] {
            let mut mac = <HmacSha256 as Mac>::new_from_slice(master).expect("any key length");
            mac.update(label);
            mac.finalize().into_bytes().into()
        };
        let enc_key = derive(b"unioncard/encryption/v1");
        Crypto {
            cipher: Aes256Gcm::new_from_slice(&enc_key).expect("32-byte key"),
            hash_key: derive(b"unioncard/lookup-hash/v1"),
        }
    }

    /// Encrypts a value: base64 of nonce followed by ciphertext.
    pub fn encrypt(&self, plain: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .expect("AES-GCM encryption does not fail for small inputs");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        B64.encode(out)
    }

    /// Decrypts what [`Crypto::encrypt`] produced.
    pub fn decrypt(&self, stored: &str) -> anyhow::Result<String> {
        let raw = B64.decode(stored).context("stored value is not base64")?;
        if raw.len() < 12 {
            bail!("stored value too short");
        }
        let (nonce, sealed) = raw.split_at(12);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), sealed)
            .map_err(|_| anyhow::anyhow!("stored value does not decrypt with this key"))?;
        Ok(String::from_utf8(plain)?)
    }

    /// A keyed hash for exact look-ups; `kind` keeps a phone and an ID number
    /// with the same digits apart.
    pub fn lookup_hash(&self, kind: &str, value: &str) -> String {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.hash_key).expect("any key length");
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// A plain SHA-256 in hex, for values that are already random (session tokens).
pub fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

/// `n` random bytes as URL-safe base64: session tokens and the like.
pub fn random_token(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn parse_key(hex_key: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = hex::decode(hex_key.trim()).context("the key must be hexadecimal")?;
    bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("the key must be 32 bytes (64 hex characters)"))
}

fn load_or_create_key_file(path: &Path) -> anyhow::Result<[u8; 32]> {
    if path.exists() {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        return parse_key(&text).with_context(|| format!("key file {}", path.display()));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut key = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    write_private(path, &hex::encode(key))?;
    tracing::warn!(path = %path.display(), "generated a new data key; back it up");
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(contents.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    std::fs::write(path, contents)?;
    Ok(())
}

/// Refuses to start with a key other than the one the database was written
/// with (a lost key file silently replaced, a swapped `UNIONCARD_KEY`):
/// every sign-in would then fail and every decryption would answer 500.
/// The first start stores the key's check value; a database written before
/// check values existed is checked by decrypting one stored phone number.
pub async fn verify_key(
    db: &crate::store::Db,
    crypto: &Crypto,
    config: &Config,
    created_now: bool,
) -> anyhow::Result<()> {
    let key_file = config.data_dir.join("unioncard.key");
    let refuse = |why: &str| {
        if created_now {
            // Do not leave a wrong key behind for the next start to trust.
            let _ = std::fs::remove_file(&key_file);
        }
        anyhow::anyhow!(
            "{why}. The database was written with another data key: restore the key \
             file {} from your backup (or set UNIONCARD_KEY to the key in use). \
             Refusing to start rather than fail every sign-in.",
            key_file.display()
        )
    };
    let stored = crate::store::keys::check_value(&mut *db.reader().await?).await?;
    match stored {
        Some(v) if v == crypto.check_value() => return Ok(()),
        Some(_) if created_now => return Err(refuse("The data key file is missing")),
        Some(_) => return Err(refuse("The data key does not match this database")),
        None => {}
    }
    let sample = crate::store::keys::encrypted_sample(&mut *db.reader().await?).await?;
    if let Some(sample) = sample {
        if crypto.decrypt(&sample).is_err() {
            return Err(refuse(if created_now {
                "The data key file is missing"
            } else {
                "The data key does not match this database"
            }));
        }
    }
    crate::store::keys::record_check_value(
        &mut *db.writer().await?,
        &crypto.check_value(),
        crate::time::now(),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encryption_round_trips_and_differs_each_time() {
        let c = Crypto::from_master(&[7u8; 32]);
        let a = c.encrypt("420102198803151236");
        let b = c.encrypt("420102198803151236");
        assert_ne!(a, b);
        assert!(!a.contains("19880315"));
        assert_eq!(c.decrypt(&a).unwrap(), "420102198803151236");
        let other = Crypto::from_master(&[8u8; 32]);
        assert!(other.decrypt(&a).is_err());
    }

    #[test]
    fn lookup_hashes_are_stable_and_kind_separated() {
        let c = Crypto::from_master(&[7u8; 32]);
        assert_eq!(c.lookup_hash("id", "x"), c.lookup_hash("id", "x"));
        assert_ne!(c.lookup_hash("id", "x"), c.lookup_hash("phone", "x"));
    }
}
