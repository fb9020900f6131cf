//! The embedded in-process counter store: sharded maps of atomic cells. Idle buckets (whose TAT
//! is in the past, i.e. full) are swept, so per-IP keys do not grow memory without bound.

use super::gcra::{self, Decision, Params};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

const SHARDS: usize = 64;

type Shard = RwLock<HashMap<Box<str>, Arc<AtomicU64>>>;

/// In-process counters.
pub struct MemoryStore {
    epoch: Instant,
    buckets: Vec<Shard>,
    counters: Vec<Shard>,
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemoryStore")
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

fn shard_of(key: &str) -> usize {
    // FNV-1a: cheap and good enough to spread keys over shards.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    (h as usize) % SHARDS
}

fn cell(shards: &[Shard], key: &str) -> Arc<AtomicU64> {
    let shard = &shards[shard_of(key)];
    if let Some(c) = shard.read().unwrap_or_else(|p| p.into_inner()).get(key) {
        return c.clone();
    }
    let mut w = shard.write().unwrap_or_else(|p| p.into_inner());
    w.entry(key.into())
        .or_insert_with(|| Arc::new(AtomicU64::new(0)))
        .clone()
}

impl MemoryStore {
    pub fn new() -> Self {
        Self {
            epoch: Instant::now(),
            buckets: (0..SHARDS).map(|_| RwLock::new(HashMap::new())).collect(),
            counters: (0..SHARDS).map(|_| RwLock::new(HashMap::new())).collect(),
        }
    }

    fn now_ns(&self) -> u64 {
        // Offset by one hour so that a fresh cell (TAT 0) is always "in the past".
        self.epoch.elapsed().as_nanos() as u64 + 3_600_000_000_000
    }

    /// Token bucket check.
    pub fn rate(&self, key: &str, p: Params) -> Decision {
        gcra::check(&cell(&self.buckets, key), p, self.now_ns())
    }

    /// Increments a counter unless it already reached `limit`; returns whether it was admitted.
    pub fn incr_below(&self, key: &str, by: u64, limit: u64) -> bool {
        let c = cell(&self.counters, key);
        let mut cur = c.load(Ordering::Acquire);
        loop {
            if cur >= limit {
                return false;
            }
            match c.compare_exchange_weak(cur, cur + by, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => return true,
                Err(a) => cur = a,
            }
        }
    }

    /// Current value of a counter.
    pub fn get(&self, key: &str) -> u64 {
        cell(&self.counters, key).load(Ordering::Acquire)
    }

    /// Adds to a counter unconditionally.
    pub fn add(&self, key: &str, by: u64) {
        cell(&self.counters, key).fetch_add(by, Ordering::AcqRel);
    }

    /// Drops full buckets and counters of past periods (keys ending in a stale period suffix are
    /// removed by the caller choosing `keep`).
    pub fn sweep(&self, keep_counter: impl Fn(&str) -> bool) {
        let now = self.now_ns();
        for shard in &self.buckets {
            let mut w = shard.write().unwrap_or_else(|p| p.into_inner());
            w.retain(|_, c| c.load(Ordering::Acquire) > now || Arc::strong_count(c) > 1);
        }
        for shard in &self.counters {
            let mut w = shard.write().unwrap_or_else(|p| p.into_inner());
            w.retain(|k, _| keep_counter(k));
        }
    }
}
