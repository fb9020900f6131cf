//! JWKS: keys from a file or a URL, cached; an unknown `kid` triggers a refetch that is single
//! flight (one fetch at a time, concurrent callers wait for it) and rate limited; when the
//! issuer is down the stale copy is kept.

use crate::upstream::client::{HttpClient, get};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// One usable key.
#[derive(Clone)]
pub struct Key {
    pub kid: Option<String>,
    pub alg: Option<Algorithm>,
    pub key: DecodingKey,
}

/// Where keys come from.
#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    Url(String),
}

struct Cached {
    keys: Vec<Key>,
    fetched: Instant,
    generation: u64,
}

/// A JWKS cache.
pub struct Jwks {
    source: Source,
    client: HttpClient,
    cache: RwLock<Arc<Cached>>,
    refresh: tokio::sync::Mutex<Option<Instant>>,
    min_refetch: Duration,
    max_age: Duration,
}

impl std::fmt::Debug for Jwks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jwks")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// Parses a JWKS document into usable keys (unsupported keys are skipped).
pub fn parse(text: &[u8]) -> Result<Vec<Key>, String> {
    let set: JwkSet = serde_json::from_slice(text).map_err(|e| format!("bad JWKS: {e}"))?;
    let mut keys = Vec::new();
    for jwk in &set.keys {
        let Ok(key) = DecodingKey::from_jwk(jwk) else {
            continue;
        };
        let alg = jwk
            .common
            .key_algorithm
            .and_then(|a| a.to_string().parse::<Algorithm>().ok());
        keys.push(Key {
            kid: jwk.common.key_id.clone(),
            alg,
            key,
        });
    }
    Ok(keys)
}

impl Jwks {
    /// Loads the keys once (start-up fails if a file is unreadable; a URL that is down at
    /// start-up yields an empty set that is refetched on demand).
    pub async fn load(
        source: Source,
        client: HttpClient,
        min_refetch: Duration,
        max_age: Duration,
    ) -> Result<Self, String> {
        let keys = match &source {
            Source::File(p) => {
                let text = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
                parse(&text)?
            }
            Source::Url(u) => match get(&client, u, Duration::from_secs(5)).await {
                Ok(b) => parse(&b)?,
                Err(e) => {
                    eprintln!("warden gateway: JWKS {u} unavailable at start-up ({e}); will retry");
                    Vec::new()
                }
            },
        };
        Ok(Self {
            source,
            client,
            cache: RwLock::new(Arc::new(Cached {
                keys,
                fetched: Instant::now(),
                generation: 0,
            })),
            refresh: tokio::sync::Mutex::new(None),
            min_refetch,
            max_age,
        })
    }

    fn snapshot(&self) -> Arc<Cached> {
        self.cache
            .read()
            .map(|c| c.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    fn find(c: &Cached, kid: Option<&str>) -> Option<Key> {
        match kid {
            Some(k) => c
                .keys
                .iter()
                .find(|key| key.kid.as_deref() == Some(k))
                .cloned(),
            // Without a `kid`, only an unambiguous single key is used.
            None if c.keys.len() == 1 => c.keys.first().cloned(),
            None => None,
        }
    }

    /// Finds the key for a `kid`, refetching once if it is unknown or the cache is old.
    pub async fn key(&self, kid: Option<&str>) -> Option<Key> {
        let snap = self.snapshot();
        let stale = snap.fetched.elapsed() > self.max_age;
        if let Some(k) = Self::find(&snap, kid) {
            if !stale {
                return Some(k);
            }
        }
        self.refresh(snap.generation).await;
        Self::find(&self.snapshot(), kid)
    }

    /// Single-flight, rate-limited refetch. `seen` is the generation the caller looked at: if
    /// another caller already refreshed past it, nothing is fetched.
    async fn refresh(&self, seen: u64) {
        let Source::Url(url) = &self.source else {
            return;
        };
        let mut last = self.refresh.lock().await;
        if self.snapshot().generation != seen {
            return;
        }
        if last.is_some_and(|t| t.elapsed() < self.min_refetch) {
            return;
        }
        *last = Some(Instant::now());
        match get(&self.client, url, Duration::from_secs(5))
            .await
            .map_err(|e| e.to_string())
        {
            Ok(body) => match parse(&body) {
                Ok(keys) => {
                    let generation = seen + 1;
                    let next = Arc::new(Cached {
                        keys,
                        fetched: Instant::now(),
                        generation,
                    });
                    if let Ok(mut c) = self.cache.write() {
                        *c = next;
                    }
                }
                Err(e) => eprintln!("warden gateway: JWKS {url}: {e}; keeping the cached keys"),
            },
            Err(e) => {
                eprintln!("warden gateway: JWKS {url} unavailable ({e}); keeping the cached keys")
            }
        }
    }

    /// Changes whenever the key set is refetched.
    pub fn generation(&self) -> u64 {
        self.snapshot().generation
    }

    /// Number of cached keys (readiness).
    pub fn len(&self) -> usize {
        self.snapshot().keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
