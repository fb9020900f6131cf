//! Embedded AWS reference data: SAM policy templates and AWS managed policies.
//!
//! Both datasets are generated from published packages by `scripts/refdata/regen.sh`, committed
//! under `crates/warden_input/data/`, compiled into the binary and parsed lazily, once, on first
//! use. Licences and versions: `crates/warden_input/data/README.md`.

pub mod managed_policies;
pub mod sam_templates;

use serde::Deserialize;

/// The header record every embedded dataset starts with.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataHeader {
    /// Upstream package and file the data was generated from.
    pub source: String,
    /// Upstream package version.
    pub version: String,
    /// Upstream licence (SPDX identifier).
    pub licence: String,
    /// UTC date (`YYYY-MM-DD`) the file was generated.
    pub generated: String,
    /// Newest date of the upstream data itself, when the upstream records one.
    #[serde(default)]
    pub data_date: Option<String>,
}

/// An embedded dataset could not be decoded (a build with corrupt data files).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("embedded {dataset} data is unreadable: {reason}")]
pub struct RefDataError {
    /// Which dataset failed (`sam policy templates`, `aws managed policies`).
    pub dataset: &'static str,
    /// What was wrong with it.
    pub reason: String,
}

impl RefDataError {
    fn new(dataset: &'static str, reason: impl std::fmt::Display) -> Self {
        Self {
            dataset,
            reason: reason.to_string(),
        }
    }
}
