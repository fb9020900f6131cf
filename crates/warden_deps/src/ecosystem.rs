//! The package ecosystems Warden audits, their OSV names and their package-name normalisation.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A package ecosystem, named as OSV names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Ecosystem {
    /// npm (package-lock, yarn, pnpm, package.json, node_modules).
    Npm,
    /// PyPI (requirements, Pipfile.lock, poetry.lock, uv.lock, pyproject, dist-info).
    PyPI,
    /// Go modules (go.mod, go.sum).
    Go,
    /// crates.io (Cargo.lock).
    CratesIo,
    /// Maven (pom.xml, gradle.lockfile); package names are `group:artifact`.
    Maven,
}

impl Ecosystem {
    /// Every supported ecosystem.
    pub const ALL: [Ecosystem; 5] = [Self::Npm, Self::PyPI, Self::Go, Self::CratesIo, Self::Maven];

    /// The OSV ecosystem string (`"crates.io"`, `"PyPI"`, ...), also the folder name of the
    /// osv.dev export (`<name>/all.zip`).
    pub fn osv_name(self) -> &'static str {
        match self {
            Self::Npm => "npm",
            Self::PyPI => "PyPI",
            Self::Go => "Go",
            Self::CratesIo => "crates.io",
            Self::Maven => "Maven",
        }
    }

    /// Parses an OSV ecosystem string; a suffix after `:` (as in `Debian:11`) is ignored.
    pub fn from_osv(name: &str) -> Option<Self> {
        let base = name.split(':').next().unwrap_or(name).trim();
        Self::ALL
            .into_iter()
            .find(|e| e.osv_name().eq_ignore_ascii_case(base))
    }

    /// A one-byte tag used by the on-disk index.
    pub(crate) fn tag(self) -> u8 {
        match self {
            Self::Npm => 0,
            Self::PyPI => 1,
            Self::Go => 2,
            Self::CratesIo => 3,
            Self::Maven => 4,
        }
    }

    /// The name under which a package is looked up: PyPI names are normalised per PEP 503
    /// (lower case, runs of `-`, `_`, `.` become one `-`); Maven coordinates are lower-cased
    /// nowhere (they are case-sensitive); other names are trimmed.
    pub fn normalize_name(self, name: &str) -> String {
        let name = name.trim();
        match self {
            Self::PyPI => {
                let mut out = String::with_capacity(name.len());
                let mut sep = false;
                for c in name.chars() {
                    if matches!(c, '-' | '_' | '.') {
                        sep = true;
                    } else {
                        if sep && !out.is_empty() {
                            out.push('-');
                        }
                        sep = false;
                        out.extend(c.to_lowercase());
                    }
                }
                out
            }
            _ => name.to_string(),
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.osv_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypi_names_are_normalised() {
        assert_eq!(
            Ecosystem::PyPI.normalize_name("Django_REST.framework"),
            "django-rest-framework"
        );
        assert_eq!(Ecosystem::PyPI.normalize_name("a--b"), "a-b");
        assert_eq!(Ecosystem::Npm.normalize_name(" @Scope/x "), "@Scope/x");
    }

    #[test]
    fn osv_names_round_trip() {
        for e in Ecosystem::ALL {
            assert_eq!(Ecosystem::from_osv(e.osv_name()), Some(e));
        }
        assert_eq!(Ecosystem::from_osv("Debian:11"), None);
        assert_eq!(Ecosystem::from_osv("pypi"), Some(Ecosystem::PyPI));
    }
}
