//! Caller identification: the `X-Aws-Parameters-Secrets-Token` header maps to a function.
//!
//! The policies file stores only the SHA-256 of each token, so it holds no credential. A
//! presented token is hashed and looked up; the comparison is on hashes, so its timing reveals
//! nothing about the token itself.

use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Token hash to function name.
#[derive(Debug, Default)]
pub struct Identities {
    by_hash: HashMap<[u8; 32], String>,
}

/// SHA-256 of a token.
pub fn token_hash(token: &[u8]) -> [u8; 32] {
    Sha256::digest(token).into()
}

impl Identities {
    /// Registers a function by the hex SHA-256 of its token. Returns false if the hash is
    /// malformed or already taken.
    pub fn add(&mut self, function: &str, token_sha256_hex: &str) -> bool {
        let mut hash = [0u8; 32];
        if hex::decode_to_slice(token_sha256_hex.trim(), &mut hash).is_err() {
            return false;
        }
        if self.by_hash.contains_key(&hash) {
            return false;
        }
        self.by_hash.insert(hash, function.to_owned());
        true
    }

    /// The function a token belongs to.
    pub fn resolve(&self, token: &[u8]) -> Option<&str> {
        self.by_hash.get(&token_hash(token)).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_resolve_by_hash_only() {
        let mut ids = Identities::default();
        assert!(ids.add("orders", &hex::encode(token_hash(b"tok-1"))));
        assert!(!ids.add("other", &hex::encode(token_hash(b"tok-1"))));
        assert!(!ids.add("bad", "zz"));
        assert_eq!(ids.resolve(b"tok-1"), Some("orders"));
        assert_eq!(ids.resolve(b"tok-2"), None);
    }
}
