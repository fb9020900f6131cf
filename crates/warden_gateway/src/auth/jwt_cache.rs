//! A cache of verified JWTs, so a client reusing its token does not pay an RSA/ECDSA signature
//! check per request. Only tokens that passed every check are cached, keyed by the SHA-256 of the
//! token; a hit is still checked against `exp`/`nbf` (with the leeway) at use. Entries expire
//! after a minute and whenever the JWKS changes (a rotated-out key invalidates its tokens); the
//! cache is bounded (cleared when full).

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Entries kept at most.
const MAX_ENTRIES: usize = 10_000;
/// Lifetime of an entry.
const TTL: Duration = Duration::from_secs(60);

struct Entry {
    claims: Arc<Map<String, Value>>,
    generation: u64,
    inserted: Instant,
}

/// The verified-token cache of one authorizer.
#[derive(Default)]
pub struct VerifiedTokens {
    map: RwLock<HashMap<[u8; 32], Entry>>,
}

impl std::fmt::Debug for VerifiedTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VerifiedTokens")
    }
}

/// Why a cached token is no longer acceptable.
#[derive(Debug, PartialEq, Eq)]
pub enum Stale {
    Expired,
    NotYetValid,
}

fn key(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Checks `exp` and `nbf` against `now` with `leeway` (seconds).
pub fn time_check(claims: &Map<String, Value>, now: u64, leeway: u64) -> Result<(), Stale> {
    let now = now as f64;
    let leeway = leeway as f64;
    match claims.get("exp").and_then(Value::as_f64) {
        Some(exp) if exp + leeway >= now => {}
        _ => return Err(Stale::Expired),
    }
    if let Some(nbf) = claims.get("nbf").and_then(Value::as_f64) {
        if nbf - leeway > now {
            return Err(Stale::NotYetValid);
        }
    }
    Ok(())
}

impl VerifiedTokens {
    /// The claims of a token verified under JWKS `generation` less than a minute ago.
    pub fn get(&self, token: &str, generation: u64) -> Option<Arc<Map<String, Value>>> {
        let map = self.map.read().ok()?;
        let e = map.get(&key(token))?;
        (e.generation == generation && e.inserted.elapsed() < TTL).then(|| e.claims.clone())
    }

    /// Remembers a token that passed every check.
    pub fn insert(&self, token: &str, claims: Arc<Map<String, Value>>, generation: u64) {
        if let Ok(mut map) = self.map.write() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(
                key(token),
                Entry {
                    claims,
                    generation,
                    inserted: Instant::now(),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hits_only_for_the_same_token_and_generation() {
        let c = VerifiedTokens::default();
        let claims = Arc::new(json!({"sub": "a"}).as_object().unwrap().clone());
        c.insert("t1", claims, 3);
        assert!(c.get("t1", 3).is_some());
        assert!(c.get("t1", 4).is_none(), "the JWKS changed");
        assert!(c.get("t2", 3).is_none());
    }

    #[test]
    fn time_checks_with_leeway() {
        let m = |v: serde_json::Value| v.as_object().unwrap().clone();
        assert_eq!(time_check(&m(json!({"exp": 100})), 120, 30), Ok(()));
        assert_eq!(
            time_check(&m(json!({"exp": 100})), 131, 30),
            Err(Stale::Expired)
        );
        assert_eq!(time_check(&m(json!({})), 1, 30), Err(Stale::Expired));
        assert_eq!(
            time_check(&m(json!({"exp": 500, "nbf": 200})), 100, 30),
            Err(Stale::NotYetValid)
        );
    }
}
