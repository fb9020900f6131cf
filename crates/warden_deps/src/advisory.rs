//! The compact form of an advisory as stored in the index, one entry per affected package:
//! what matching and reporting need and nothing else.

use crate::severity::CvssScore;
use serde::{Deserialize, Serialize};

/// One advisory as it applies to one package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredAdvisory {
    /// The record id.
    pub id: String,
    /// The record's aliases.
    pub aliases: Vec<String>,
    /// Summary, or the first line of the details when the record has no summary.
    pub summary: String,
    /// The record's `modified` time, as written.
    pub modified: String,
    /// The scored CVSS vector (per-package severity first, then the record's).
    pub cvss: Option<CvssScore>,
    /// `SEMVER` and `ECOSYSTEM` ranges.
    pub ranges: Vec<StoredRange>,
    /// Explicitly listed affected versions.
    pub versions: Vec<String>,
    /// `GIT` ranges of this package entry, skipped by matching.
    pub git_ranges: u32,
}

/// A `SEMVER` or `ECOSYSTEM` range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRange {
    /// True for `SEMVER`, false for `ECOSYSTEM`.
    pub semver: bool,
    /// The events in record order.
    pub events: Vec<Event>,
}

/// One range event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// `introduced`.
    Introduced(String),
    /// `fixed`.
    Fixed(String),
    /// `last_affected`.
    LastAffected(String),
    /// `limit`.
    Limit(String),
}

/// Builds the summary line of a record: its summary, else the first non-empty line of its
/// details, cut at 200 characters.
pub fn summary_line(summary: Option<&str>, details: Option<&str>) -> String {
    let text = summary
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .or_else(|| details.and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty())))
        .unwrap_or("");
    let mut out: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        out.push('…');
    }
    out
}
