//! A short-lived in-memory cache of decrypted secrets, keyed by what the caller asked for.
//!
//! Authorisation is never cached: the service checks the policy on every request, hit or miss.
//! Entries expire after the TTL (0 disables caching); values are wiped when the last reference
//! is dropped.

use crate::model::Selector;
use crate::store::Secret;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Which API the entry was fetched for, the id as given, and the version selector.
pub type CacheKey = (&'static str, String, Selector);

/// TTL cache of decrypted secrets.
#[derive(Debug)]
pub struct SecretCache {
    ttl: Duration,
    capacity: usize,
    entries: Mutex<HashMap<CacheKey, (Instant, Arc<Secret>)>>,
}

impl SecretCache {
    /// A cache whose entries live `ttl` and which holds at most `capacity` entries.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl,
            capacity: capacity.max(1),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The cached secret, if present and fresh.
    pub fn get(&self, key: &CacheKey) -> Option<Arc<Secret>> {
        if self.ttl.is_zero() {
            return None;
        }
        let mut map = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match map.get(key) {
            Some((expires, secret)) if *expires > Instant::now() => Some(Arc::clone(secret)),
            Some(_) => {
                map.remove(key);
                None
            }
            None => None,
        }
    }

    /// Caches a secret for the TTL.
    pub fn insert(&self, key: CacheKey, secret: Arc<Secret>) {
        if self.ttl.is_zero() {
            return;
        }
        let now = Instant::now();
        let mut map = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= self.capacity && !map.contains_key(&key) {
            map.retain(|_, (expires, _)| *expires > now);
            if map.len() >= self.capacity {
                let oldest = map
                    .iter()
                    .min_by_key(|(_, (e, _))| *e)
                    .map(|(k, _)| k.clone());
                if let Some(k) = oldest {
                    map.remove(&k);
                }
            }
        }
        map.insert(key, (now + self.ttl, secret));
    }

    /// Number of entries (fresh or not).
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zeroize::Zeroizing;

    fn secret(v: &str) -> Arc<Secret> {
        Arc::new(Secret {
            name: "n".into(),
            arn_suffix: "AbCdEf".into(),
            version_id: "v".into(),
            number: 1,
            stages: vec![],
            created_ms: 0,
            value: Zeroizing::new(v.as_bytes().to_vec()),
        })
    }

    fn key(id: &str) -> CacheKey {
        ("sm", id.into(), Selector::Current)
    }

    #[test]
    fn expires_and_evicts() {
        let c = SecretCache::new(Duration::from_millis(50), 2);
        c.insert(key("a"), secret("1"));
        assert_eq!(c.get(&key("a")).unwrap().value.as_slice(), b"1");
        c.insert(key("b"), secret("2"));
        c.insert(key("c"), secret("3"));
        assert_eq!(c.len(), 2);
        std::thread::sleep(Duration::from_millis(60));
        assert!(c.get(&key("c")).is_none());
        let off = SecretCache::new(Duration::ZERO, 2);
        off.insert(key("a"), secret("1"));
        assert!(off.get(&key("a")).is_none());
    }
}
