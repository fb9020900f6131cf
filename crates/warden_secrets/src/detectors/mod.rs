//! The detector catalog: known secret formats (found anywhere by shape) and name-based
//! detectors (a value judged by the key it is assigned to).

pub(crate) mod jwt;
pub(crate) mod named;
pub(crate) mod pem;
pub(crate) mod shapes;

pub(crate) use shapes::{SHAPES, Shape};

use crate::secret_match::Confidence;

/// A detector's public metadata, for documentation and rule catalogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DetectorInfo {
    /// Stable id.
    pub id: &'static str,
    /// What it finds.
    pub description: &'static str,
    /// Its usual confidence.
    pub confidence: Confidence,
}

/// Every detector this crate may report, shape detectors first (in priority order).
pub fn detectors() -> Vec<DetectorInfo> {
    SHAPES
        .iter()
        .map(|s| DetectorInfo {
            id: s.id,
            description: s.description,
            confidence: s.confidence,
        })
        .chain(named::NAMED.iter().copied())
        .collect()
}
