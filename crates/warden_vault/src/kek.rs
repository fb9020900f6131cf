//! The key-encryption key (KEK): where it comes from and how it is held in memory.
//!
//! A KEK is 32 bytes kept in a zeroize-on-drop buffer. It comes either from key material (a key
//! file or an environment variable) or from a passphrase stretched with Argon2id, whose salt and
//! parameters live in the vault header. The KEK itself is never written to the vault.
//!
//! Key text formats, tried in this order:
//! 1. exactly 32 bytes: the raw key;
//! 2. otherwise, after trimming surrounding whitespace, 64 hexadecimal digits;
//! 3. otherwise standard base64 (with or without padding) decoding to exactly 32 bytes.

use crate::error::{Result, VaultError};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use std::path::Path;
use zeroize::Zeroizing;

/// Length of every key in the vault (AES-256).
pub const KEY_LEN: usize = 32;

/// A 256-bit key-encryption key, wiped from memory when dropped.
pub struct Kek(Zeroizing<[u8; KEY_LEN]>);

impl Kek {
    /// Wraps raw key bytes.
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// A fresh random key.
    pub fn generate() -> Result<Self> {
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        crate::random::fill(k.as_mut())?;
        Ok(Self(k))
    }

    /// Parses key text in one of the documented formats (raw, hex, base64).
    pub fn parse(text: &[u8]) -> Result<Self> {
        if text.len() == KEY_LEN {
            let mut k = Zeroizing::new([0u8; KEY_LEN]);
            k.copy_from_slice(text);
            return Ok(Self(k));
        }
        let trimmed = text.trim_ascii();
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        if trimmed.len() == 2 * KEY_LEN && hex::decode_to_slice(trimmed, k.as_mut()).is_ok() {
            return Ok(Self(k));
        }
        for engine in [
            &base64::engine::general_purpose::STANDARD,
            &base64::engine::general_purpose::STANDARD_NO_PAD,
        ] {
            let mut buf = Zeroizing::new([0u8; 48]);
            if let Ok(n) = engine.decode_slice(trimmed, buf.as_mut()) {
                if n == KEY_LEN {
                    k.copy_from_slice(&buf[..KEY_LEN]);
                    return Ok(Self(k));
                }
            }
        }
        Err(VaultError::InvalidKey(
            "expected 32 raw bytes, 64 hexadecimal digits, or base64 of 32 bytes".into(),
        ))
    }

    /// Reads and parses a key file.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = Zeroizing::new(
            std::fs::read(path)
                .map_err(|e| VaultError::io(format!("reading key file {}", path.display()), e))?,
        );
        Self::parse(&text).map_err(|e| match e {
            VaultError::InvalidKey(why) => {
                VaultError::InvalidKey(format!("key file {}: {why}", path.display()))
            }
            other => other,
        })
    }

    /// The key as hexadecimal text, for writing a newly generated key file.
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0.as_ref()))
    }

    pub(crate) fn bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

impl std::fmt::Debug for Kek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Kek(<redacted>)")
    }
}

/// What the caller supplies to create or open a vault.
pub enum KeyMaterial {
    /// A ready key (from a key file or an environment variable).
    Key(Kek),
    /// A passphrase, stretched with Argon2id using the salt and parameters in the vault header.
    Passphrase(Zeroizing<Vec<u8>>),
}

impl KeyMaterial {
    /// A passphrase from bytes (a trailing newline, as left by `echo`, is removed).
    pub fn passphrase(mut bytes: Vec<u8>) -> Self {
        while matches!(bytes.last(), Some(b'\n' | b'\r')) {
            bytes.pop();
        }
        Self::Passphrase(Zeroizing::new(bytes))
    }

    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::Key(_) => "key",
            Self::Passphrase(_) => "passphrase",
        }
    }
}

impl std::fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyMaterial::{}(<redacted>)", self.kind())
    }
}

/// Argon2id parameters, stored in the vault header next to the salt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KdfParams {
    /// Memory cost in KiB.
    pub memory_kib: u32,
    /// Number of passes.
    pub iterations: u32,
    /// Degree of parallelism (lanes).
    pub parallelism: u32,
}

impl Default for KdfParams {
    /// RFC 9106's second recommended option (64 MiB, 3 passes), with one lane.
    fn default() -> Self {
        Self {
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1,
        }
    }
}

/// Upper bounds on header-supplied parameters, so a hostile header cannot exhaust memory or time.
const MAX_MEMORY_KIB: u32 = 4 * 1024 * 1024;
const MAX_ITERATIONS: u32 = 64;
const MAX_PARALLELISM: u32 = 64;

impl KdfParams {
    /// Derives the KEK from a passphrase and salt with Argon2id.
    pub fn derive(&self, passphrase: &[u8], salt: &[u8]) -> Result<Kek> {
        if self.memory_kib > MAX_MEMORY_KIB
            || self.iterations > MAX_ITERATIONS
            || self.parallelism > MAX_PARALLELISM
        {
            return Err(VaultError::Kdf(format!(
                "parameters out of range: {self:?}"
            )));
        }
        let params = argon2::Params::new(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            Some(KEY_LEN),
        )
        .map_err(|e| VaultError::Kdf(e.to_string()))?;
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        argon
            .hash_password_into(passphrase, salt, out.as_mut())
            .map_err(|e| VaultError::Kdf(e.to_string()))?;
        Ok(Kek(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_raw_hex_and_base64_to_the_same_key() {
        let raw: [u8; 32] = std::array::from_fn(|i| i as u8 * 7);
        let hex_text = format!("{}\n", hex::encode(raw));
        let b64 = base64::engine::general_purpose::STANDARD.encode(raw);
        for text in [
            &raw[..],
            hex_text.as_bytes(),
            b64.as_bytes(),
            b64.trim_end_matches('=').as_bytes(),
        ] {
            assert_eq!(Kek::parse(text).unwrap().bytes(), &raw);
        }
    }

    #[test]
    fn rejects_short_or_garbage_keys() {
        for text in [
            &b""[..],
            b"abc",
            b"zz".repeat(32).as_slice(),
            &[0u8; 31],
            &[0u8; 33],
        ] {
            assert!(matches!(Kek::parse(text), Err(VaultError::InvalidKey(_))));
        }
    }

    #[test]
    fn argon2id_is_deterministic_per_salt() {
        let p = KdfParams {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        };
        let a = p.derive(b"pass", b"saltsaltsaltsalt").unwrap();
        let b = p.derive(b"pass", b"saltsaltsaltsalt").unwrap();
        let c = p.derive(b"pass", b"othersaltothersa").unwrap();
        assert_eq!(a.bytes(), b.bytes());
        assert_ne!(a.bytes(), c.bytes());
        let huge = KdfParams {
            memory_kib: u32::MAX,
            iterations: 1,
            parallelism: 1,
        };
        assert!(huge.derive(b"p", b"saltsaltsaltsalt").is_err());
    }
}
