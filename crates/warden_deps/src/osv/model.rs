//! The subset of the OSV schema (1.x) that matching needs, as serde types.

use serde::Deserialize;

/// One OSV record.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvRecord {
    /// Record id (`GHSA-…`, `PYSEC-…`, `RUSTSEC-…`, `GO-…`).
    pub id: String,
    /// Last modification time (RFC 3339).
    #[serde(default)]
    pub modified: Option<String>,
    /// Set when the record was withdrawn; such records are ignored.
    #[serde(default)]
    pub withdrawn: Option<String>,
    /// Other ids of the same vulnerability.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One-line summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Long description (Markdown).
    #[serde(default)]
    pub details: Option<String>,
    /// Severity vectors.
    #[serde(default)]
    pub severity: Vec<OsvSeverity>,
    /// Affected packages.
    #[serde(default)]
    pub affected: Vec<OsvAffected>,
}

/// A severity entry: `{"type": "CVSS_V3", "score": "CVSS:3.1/…"}`.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvSeverity {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The vector.
    pub score: String,
}

/// One affected package.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvAffected {
    /// The package; absent in some malformed records.
    #[serde(default)]
    pub package: Option<OsvPackage>,
    /// Version ranges.
    #[serde(default)]
    pub ranges: Vec<OsvRange>,
    /// Explicitly enumerated affected versions.
    #[serde(default)]
    pub versions: Vec<String>,
    /// Per-package severity, overriding the record's.
    #[serde(default)]
    pub severity: Vec<OsvSeverity>,
}

/// `{"ecosystem": "PyPI", "name": "django"}`.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvPackage {
    /// OSV ecosystem.
    pub ecosystem: String,
    /// Package name in that ecosystem.
    pub name: String,
}

/// A range: a type and its events.
#[derive(Debug, Clone, Deserialize)]
pub struct OsvRange {
    /// `SEMVER`, `ECOSYSTEM` or `GIT`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The events, in any order.
    #[serde(default)]
    pub events: Vec<OsvEvent>,
}

/// One event; exactly one field is expected to be set.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OsvEvent {
    /// First affected version (`"0"` means all versions before the next event).
    #[serde(default)]
    pub introduced: Option<String>,
    /// First version no longer affected.
    #[serde(default)]
    pub fixed: Option<String>,
    /// Last version known affected.
    #[serde(default)]
    pub last_affected: Option<String>,
    /// Upper bound of the range (exclusive).
    #[serde(default)]
    pub limit: Option<String>,
}
