//! Severity of an advisory from its CVSS vector (v3.0, v3.1 or v4.0, parsed and scored with the
//! `cvss` crate); `medium` when a record carries no usable vector.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Qualitative severity of a dependency finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// CVSS 0.1-3.9 (and a score of 0.0).
    Low,
    /// CVSS 4.0-6.9, and the default when the advisory has no vector.
    Medium,
    /// CVSS 7.0-8.9.
    High,
    /// CVSS 9.0-10.0.
    Critical,
}

impl Severity {
    /// `"critical"`, `"high"`, `"medium"` or `"low"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    /// The qualitative rating of a CVSS score.
    pub fn from_score(score: f64) -> Self {
        if score >= 9.0 {
            Self::Critical
        } else if score >= 7.0 {
            Self::High
        } else if score >= 4.0 {
            Self::Medium
        } else {
            Self::Low
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A scored CVSS vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvssScore {
    /// The vector as written in the record.
    pub vector: String,
    /// The base score (0.0-10.0).
    pub score: f64,
}

/// Scores one OSV `severity` entry; `None` for other types or an invalid vector.
pub fn score_vector(kind: &str, vector: &str) -> Option<CvssScore> {
    if !matches!(kind, "CVSS_V3" | "CVSS_V4") {
        return None;
    }
    let parsed = cvss::Cvss::from_str(vector.trim()).ok()?;
    let score = parsed.score();
    score.is_finite().then(|| CvssScore {
        vector: vector.trim().to_string(),
        score,
    })
}

/// Picks the score of a record's `severity` list: a CVSS v3 vector first (the most widely
/// comparable), then v4.
pub fn pick<'a>(entries: impl Iterator<Item = (&'a str, &'a str)> + Clone) -> Option<CvssScore> {
    for want in ["CVSS_V3", "CVSS_V4"] {
        if let Some(s) = entries
            .clone()
            .filter(|(k, _)| *k == want)
            .find_map(|(k, v)| score_vector(k, v))
        {
            return Some(s);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_vectors_score_per_spec() {
        let s = score_vector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap();
        assert_eq!(s.score, 9.8);
        assert_eq!(Severity::from_score(s.score), Severity::Critical);
        let s = score_vector("CVSS_V3", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N").unwrap();
        assert_eq!(s.score, 6.5);
        assert_eq!(Severity::from_score(s.score), Severity::Medium);
        let s = score_vector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N").unwrap();
        assert_eq!(s.score, 6.1);
    }

    #[test]
    fn v4_vectors_score() {
        let s = score_vector(
            "CVSS_V4",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        )
        .unwrap();
        assert_eq!(s.score, 9.3);
    }

    #[test]
    fn garbage_is_not_scored() {
        assert!(score_vector("CVSS_V3", "CVSS:3.1/AV:X").is_none());
        assert!(score_vector("CVSS_V2", "AV:N/AC:L/Au:N/C:P/I:P/A:P").is_none());
        assert!(pick([("CVSS_V3", "nonsense")].into_iter()).is_none());
    }

    #[test]
    fn v3_preferred_over_v4() {
        let s = pick(
            [
                (
                    "CVSS_V4",
                    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                ),
                ("CVSS_V3", "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"),
            ]
            .into_iter(),
        )
        .unwrap();
        assert!(s.vector.starts_with("CVSS:3.1"));
        assert_eq!(Severity::from_score(s.score), Severity::Low);
    }
}
