//! Rate limits, quotas, concurrency caps and spend budgets (denial of wallet), over a counter
//! store that is in-process by default or shared through Redis.

pub mod gcra;
pub mod memory;
pub mod redis;

use crate::config::{BudgetConfig, Period, RateKey, RateLimitConfig};
use crate::error::{Reason, Rejection};
use gcra::{Decision, Params};
use std::sync::Arc;

/// A compiled token bucket.
#[derive(Debug, Clone)]
pub struct RateLimit {
    pub params: Params,
    pub key: RateKey,
}

impl RateLimit {
    pub fn new(cfg: &RateLimitConfig) -> Self {
        Self {
            params: Params::new(cfg.rate, cfg.burst),
            key: cfg.key,
        }
    }
}

/// Where counters live.
#[derive(Debug, Clone)]
pub enum Store {
    Memory(Arc<memory::MemoryStore>),
    Redis(redis::RedisStore),
}

fn unavailable(e: String) -> Rejection {
    Rejection::gateway("limits", Reason::StoreUnavailable(e))
}

/// Counter key of a period: `<name>|<period end>` (the end lets idle keys be swept).
fn period_key(name: &str, period: Period) -> (String, u64) {
    let now = crate::time::unix_secs();
    let (_, end) = crate::time::period_bounds(period, now);
    (format!("{name}|{end}"), end)
}

fn retry_secs(ns: u64) -> u64 {
    ns.div_ceil(1_000_000_000).max(1)
}

impl Store {
    /// Builds the store from its configuration (`redis://` URL or in-process).
    pub async fn connect(url: Option<&str>, prefix: Option<&str>) -> Result<Self, String> {
        match url {
            None | Some("memory") => Ok(Store::Memory(Arc::new(memory::MemoryStore::new()))),
            Some(u) if u.starts_with("redis://") || u.starts_with("rediss://") => Ok(Store::Redis(
                redis::RedisStore::connect(u, prefix.unwrap_or("warden:")).await?,
            )),
            Some(u) => Err(format!(
                "store url `{u}`: expected `memory` or `redis://...`"
            )),
        }
    }

    /// Token bucket check for `key`.
    pub async fn rate(&self, key: &str, p: Params) -> Result<(), Rejection> {
        let d = match self {
            Store::Memory(m) => m.rate(key, p),
            Store::Redis(r) => r.rate(key, p).await.map_err(unavailable)?,
        };
        match d {
            Decision::Allow => Ok(()),
            Decision::Deny { retry_after_ns } => Err(Rejection::client(
                "limits",
                Reason::RateLimited {
                    retry_after_secs: retry_secs(retry_after_ns),
                },
            )),
        }
    }

    /// Counts one request against a quota of `limit` per period.
    pub async fn quota(&self, name: &str, limit: u64, period: Period) -> Result<(), Rejection> {
        let (key, end) = period_key(name, period);
        let ok = match self {
            Store::Memory(m) => m.incr_below(&key, 1, limit),
            Store::Redis(r) => r
                .incr_below(&key, 1, limit, end)
                .await
                .map_err(unavailable)?,
        };
        if ok {
            Ok(())
        } else {
            let wait = end.saturating_sub(crate::time::unix_secs());
            Err(Rejection::client(
                "limits",
                Reason::QuotaExceeded {
                    retry_after_secs: wait,
                },
            ))
        }
    }

    /// Refuses when the spend of `name` in the current period reached the budget.
    pub async fn budget_check(&self, name: &str, b: &BudgetConfig) -> Result<(), Rejection> {
        let (key, end) = period_key(&format!("budget:{name}"), b.period);
        let limit = usd_to_nano(b.limit_usd);
        let ok = match self {
            Store::Memory(m) => m.get(&key) < limit,
            Store::Redis(r) => r
                .incr_below(&key, 0, limit, end)
                .await
                .map_err(unavailable)?,
        };
        if ok {
            Ok(())
        } else {
            let wait = end.saturating_sub(crate::time::unix_secs());
            Err(Rejection::client(
                "limits",
                Reason::BudgetExceeded {
                    retry_after_secs: wait,
                },
            ))
        }
    }

    /// Records the cost of one invocation that took `duration_us`.
    pub async fn budget_spend(&self, name: &str, b: &BudgetConfig, duration_us: u64) {
        let (key, end) = period_key(&format!("budget:{name}"), b.period);
        let cost = invocation_cost_nano(b, duration_us);
        match self {
            Store::Memory(m) => m.add(&key, cost),
            Store::Redis(r) => {
                if let Err(e) = r.add(&key, cost, end).await {
                    eprintln!("warden gateway: budget update failed: {e}");
                }
            }
        }
    }

    /// Periodic cleanup of the in-process store.
    pub fn sweep(&self) {
        if let Store::Memory(m) = self {
            let now = crate::time::unix_secs();
            m.sweep(|k| {
                k.rsplit_once('|')
                    .and_then(|(_, end)| end.parse::<u64>().ok())
                    .is_none_or(|e| e > now)
            });
        }
    }

    /// Whether the store answers (readiness).
    pub async fn healthy(&self) -> bool {
        match self {
            Store::Memory(_) => true,
            Store::Redis(r) => r.ping().await,
        }
    }
}

/// USD to nano-USD.
pub fn usd_to_nano(usd: f64) -> u64 {
    (usd * 1e9).round().max(0.0) as u64
}

/// Cost of one invocation in nano-USD: the per-request price plus GB-seconds of memory.
pub fn invocation_cost_nano(b: &BudgetConfig, duration_us: u64) -> u64 {
    let gb = f64::from(b.memory_mb) / 1024.0;
    let secs = duration_us as f64 / 1e6;
    usd_to_nano(b.cost_per_request + b.cost_per_gb_second * gb * secs).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn quotas_and_budgets_in_memory() {
        let s = Store::connect(None, None).await.unwrap();
        for _ in 0..3 {
            s.quota("k", 3, Period::Day).await.unwrap();
        }
        let e = s.quota("k", 3, Period::Day).await.unwrap_err();
        assert_eq!(e.status(), 429);
        let b = BudgetConfig {
            limit_usd: 0.000_001,
            ..BudgetConfig::new(0.0, Period::Day)
        };
        // 1 micro-USD budget, 0.2 micro-USD per request plus compute.
        let mut admitted = 0;
        for _ in 0..100 {
            if s.budget_check("f", &b).await.is_err() {
                break;
            }
            s.budget_spend("f", &b, 1000).await;
            admitted += 1;
        }
        assert!((4..=5).contains(&admitted), "{admitted}");
    }

    #[test]
    fn cost_model() {
        let b = BudgetConfig::new(1.0, Period::Day);
        // 128 MB for one second: 0.125 GB-s at 0.0000166667 + 0.0000002.
        assert_eq!(invocation_cost_nano(&b, 1_000_000), 2283);
    }
}
