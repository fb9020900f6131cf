//! Observation: redacted access logs, the hash-chained audit log, metrics and alerts.

pub mod access_log;
pub mod alerts;
pub mod audit;
pub mod metrics;
pub mod redact;
