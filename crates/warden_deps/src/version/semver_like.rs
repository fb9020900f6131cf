//! SemVer ordering for npm, crates.io and Go: precedence per SemVer 2.0 (prereleases sort before
//! their release, numeric identifiers below alphanumeric ones, build metadata ignored), with the
//! lenient spellings each ecosystem accepts (npm `v1.2.3`/`=1.2.3`, Go `v` prefix, `+incompatible`
//! and pseudo-versions, short OSV event values such as `1.2`).

use semver::{Prerelease, Version};
use std::cmp::Ordering;

/// A SemVer version compared by precedence (build metadata ignored).
#[derive(Debug, Clone)]
pub struct SemverKey {
    major: u64,
    minor: u64,
    patch: u64,
    pre: Prerelease,
}

impl SemverKey {
    /// Parses a strict SemVer string (Cargo).
    pub fn parse_strict(s: &str) -> Option<Self> {
        Version::parse(s.trim()).ok().map(Self::from)
    }

    /// Parses npm's loose spellings: leading `v` or `=`, surrounding spaces, and missing
    /// minor or patch components (`1.2` is `1.2.0`), which OSV event values sometimes use.
    pub fn parse_loose(s: &str) -> Option<Self> {
        let s = s.trim();
        let s = s.strip_prefix('=').unwrap_or(s).trim_start();
        let s = s
            .strip_prefix('v')
            .or_else(|| s.strip_prefix('V'))
            .unwrap_or(s);
        if let Ok(v) = Version::parse(s) {
            return Some(Self::from(v));
        }
        // Pad a short core (`1`, `1.2`, `1.2-beta`) to three components.
        let core_end = s.find(['-', '+']).unwrap_or(s.len());
        let (core, rest) = s.split_at(core_end);
        let parts = core.split('.').count();
        if parts == 0 || parts >= 3 || core.is_empty() {
            return None;
        }
        let padded = format!("{core}{}{rest}", ".0".repeat(3 - parts));
        Version::parse(&padded).ok().map(Self::from)
    }

    /// Parses a Go module version: `v1.2.3`, `v2.0.0+incompatible`, pseudo-versions such as
    /// `v0.0.0-20210101000000-abcdefabcdef`; OSV writes them without the `v`. `go1.21.3`
    /// (toolchain versions, used for the `stdlib` package) is accepted too.
    pub fn parse_go(s: &str) -> Option<Self> {
        let s = s.trim();
        let s = s.strip_prefix("go").unwrap_or(s);
        Self::parse_loose(s)
    }

    /// Whether this is a Go pseudo-version (`vX.Y.Z-[pre.]0.yyyymmddhhmmss-abcdefabcdef`
    /// or `vX.0.0-yyyymmddhhmmss-abcdefabcdef`).
    pub fn is_go_pseudo(&self) -> bool {
        let pre = self.pre.as_str();
        let mut ids: Vec<&str> = pre.rsplitn(2, '-').collect();
        if ids.len() != 2 {
            return false;
        }
        let rev = ids.remove(0);
        let head = ids.remove(0);
        let stamp = head.rsplit('.').next().unwrap_or(head);
        rev.len() == 12
            && rev.bytes().all(|b| b.is_ascii_hexdigit())
            && stamp.len() == 14
            && stamp.bytes().all(|b| b.is_ascii_digit())
    }
}

impl From<Version> for SemverKey {
    fn from(v: Version) -> Self {
        Self {
            major: v.major,
            minor: v.minor,
            patch: v.patch,
            pre: v.pre,
        }
    }
}

impl PartialEq for SemverKey {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for SemverKey {}
impl PartialOrd for SemverKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for SemverKey {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| self.pre.cmp(&other.pre))
    }
}
