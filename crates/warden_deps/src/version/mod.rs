//! Version parsing and ordering per ecosystem: one comparable [`Version`] type over the
//! ecosystem-specific implementations (SemVer for npm, crates.io and Go; PEP 440 for PyPI;
//! Maven's `ComparableVersion` order for Maven).

mod maven;
mod pep440;
mod semver_like;

pub use maven::MavenVersion;
pub use pep440::Pep440;
pub use semver_like::SemverKey;

use crate::ecosystem::Ecosystem;
use std::cmp::Ordering;

/// A version parsed under one ecosystem's rules. Versions of different ecosystems do not compare.
#[derive(Debug, Clone)]
pub enum Version {
    /// npm, crates.io or Go.
    Semver(SemverKey),
    /// PyPI.
    Pep440(Pep440),
    /// Maven.
    Maven(MavenVersion),
}

impl Version {
    /// Parses `s` as a version of `eco`; `None` when it is not a valid version there.
    pub fn parse(eco: Ecosystem, s: &str) -> Option<Version> {
        match eco {
            Ecosystem::Npm => SemverKey::parse_loose(s).map(Version::Semver),
            Ecosystem::CratesIo => SemverKey::parse_strict(s)
                .or_else(|| SemverKey::parse_loose(s))
                .map(Version::Semver),
            Ecosystem::Go => SemverKey::parse_go(s).map(Version::Semver),
            Ecosystem::PyPI => Pep440::parse(s).map(Version::Pep440),
            Ecosystem::Maven => {
                let s = s.trim();
                (!s.is_empty()).then(|| Version::Maven(MavenVersion::parse(s)))
            }
        }
    }

    /// Compares two versions of the same ecosystem; `None` across ecosystems.
    pub fn compare(&self, other: &Version) -> Option<Ordering> {
        match (self, other) {
            (Version::Semver(a), Version::Semver(b)) => Some(a.cmp(b)),
            (Version::Pep440(a), Version::Pep440(b)) => Some(a.cmp(b)),
            (Version::Maven(a), Version::Maven(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

/// Compares two version strings under `eco`'s rules; `None` when either does not parse.
pub fn compare(eco: Ecosystem, a: &str, b: &str) -> Option<Ordering> {
    Version::parse(eco, a)?.compare(&Version::parse(eco, b)?)
}

#[cfg(test)]
mod tests;
