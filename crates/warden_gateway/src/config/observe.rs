//! Access log, audit log and alerting configuration.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Where access log lines go.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LogSink {
    /// Standard output.
    #[default]
    Stdout,
    /// No access log.
    Off,
    /// Append to a file.
    File(PathBuf),
}

/// Structured JSON access log with redaction.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// Sink for access log lines.
    pub access: LogSink,
    /// Request headers to include in each line (always redacted if sensitive).
    pub headers: Vec<String>,
    /// Include the (redacted) request body.
    pub log_body: bool,
    /// Extra header names whose values are always redacted (authorization, cookie,
    /// set-cookie, x-api-key, proxy-authorization are always redacted).
    pub redact_headers: Vec<String>,
    /// JSON field and query parameter names whose values are redacted (case-insensitive).
    pub redact_fields: Vec<String>,
    /// Extra regular expressions whose matches are redacted (card numbers, JWTs, bearer
    /// tokens and AWS keys are always redacted).
    pub redact_patterns: Vec<String>,
}

/// Hash-chained audit log.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// Append-only JSON-lines file.
    pub path: PathBuf,
    /// `fsync` after every record (slower, survives power loss).
    #[serde(default)]
    pub fsync: bool,
}

/// Alerts when auth failures, 4xx/5xx or invocation rates leave their recent baseline.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AlertsConfig {
    /// Webhook receiving a JSON POST per alert (`http://`).
    pub webhook: String,
    /// Length of the observation window, seconds.
    pub window_secs: u64,
    /// An alert fires when a window's count exceeds `factor` times the baseline...
    pub factor: f64,
    /// ...and at least this many events happened in the window.
    pub min_events: u64,
    /// Smoothing of the baseline (weight of the newest window, 0..1).
    pub baseline_weight: f64,
    /// Minimum seconds between two alerts of the same kind.
    pub cooldown_secs: u64,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        Self {
            webhook: String::new(),
            window_secs: 10,
            factor: 3.0,
            min_events: 20,
            baseline_weight: 0.1,
            cooldown_secs: 300,
        }
    }
}
