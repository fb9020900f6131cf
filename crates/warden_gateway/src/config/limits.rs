//! Rate limits, quotas, budgets and the counter store.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a rate limit counts by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RateKey {
    /// One bucket for the whole route.
    #[default]
    Route,
    /// One bucket per client IP.
    Ip,
    /// One bucket per authenticated principal (API key id or JWT `sub`), falling back to IP.
    Principal,
}

/// A token bucket (GCRA): `rate` requests per second sustained, `burst` at once.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimitConfig {
    /// Sustained requests per second.
    pub rate: f64,
    /// Requests admitted at once from a full bucket (at least 1).
    #[serde(default = "default_burst")]
    pub burst: u32,
    /// What the bucket counts by.
    #[serde(default)]
    pub key: RateKey,
}

fn default_burst() -> u32 {
    1
}

impl RateLimitConfig {
    /// A limit of `rate` per second with the given burst, per route.
    pub fn new(rate: f64, burst: u32) -> Self {
        Self {
            rate,
            burst,
            key: RateKey::Route,
        }
    }

    pub(crate) fn check(&self, what: &str) -> Result<(), String> {
        if !(self.rate.is_finite() && self.rate > 0.0 && self.rate <= 1e9) {
            return Err(format!("{what}: rate must be a positive number"));
        }
        if self.burst == 0 {
            return Err(format!("{what}: burst must be at least 1"));
        }
        Ok(())
    }
}

/// Calendar period of a quota or budget (UTC).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    #[default]
    Day,
    Month,
}

/// A usage plan attached to API keys.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UsagePlan {
    /// Per-key token bucket.
    #[serde(default)]
    pub rate_limit: Option<RateLimitConfig>,
    /// Requests per UTC day.
    #[serde(default)]
    pub quota_day: Option<u64>,
    /// Requests per UTC month.
    #[serde(default)]
    pub quota_month: Option<u64>,
}

/// Spend cap of an upstream function (denial-of-wallet protection).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetConfig {
    /// Maximum spend per period, in USD.
    pub limit_usd: f64,
    /// Budget period.
    #[serde(default)]
    pub period: Period,
    /// Cost of one invocation, USD.
    #[serde(default = "default_per_request")]
    pub cost_per_request: f64,
    /// Cost of one GB-second, USD.
    #[serde(default = "default_per_gbs")]
    pub cost_per_gb_second: f64,
    /// Memory size of the function, MB.
    #[serde(default = "default_memory")]
    pub memory_mb: u32,
}

fn default_per_request() -> f64 {
    0.000_000_2
}
fn default_per_gbs() -> f64 {
    0.000_016_666_7
}
fn default_memory() -> u32 {
    128
}

impl BudgetConfig {
    /// A budget with AWS Lambda's list prices.
    pub fn new(limit_usd: f64, period: Period) -> Self {
        Self {
            limit_usd,
            period,
            cost_per_request: default_per_request(),
            cost_per_gb_second: default_per_gbs(),
            memory_mb: default_memory(),
        }
    }
}

/// Where counters live.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// `memory` (default, per process) or a `redis://` URL shared by several gateways.
    #[serde(default)]
    pub url: Option<String>,
    /// Key prefix in Redis.
    #[serde(default)]
    pub prefix: Option<String>,
}
