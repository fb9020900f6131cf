//! Secret detection: keyword prefilter, value shapes, entropy, allowlists.
//!
//! Two entry points:
//! - [`scan_text`] scans a file's bytes (source code, templates, `.env`, configuration, any
//!   text): one Aho-Corasick keyword pass selects candidate lines, then per-detector regexes
//!   (linear time) and checks run on those lines only.
//! - [`classify_value`] judges one configuration value by its key name and its shape
//!   (environment variables, template properties, parameter defaults).
//!
//! A [`SecretMatch`] never holds the secret: only offsets, positions and a [`redact`]ed form.
//! Detector ids are stable (see [`detectors`]).

mod allowlist;
mod assign;
mod detectors;
mod entropy;
mod error;
mod names;
mod position;
mod prefilter;
mod redact;
mod scanner;
mod secret_match;
mod values;

use std::path::Path;
use std::sync::LazyLock;

pub use detectors::{DetectorInfo, detectors};
pub use entropy::shannon;
pub use error::Error;
pub use names::{NameClass, classify_name, is_sensitive_name};
pub use redact::redact;
pub use scanner::{Options, Scanner};
pub use secret_match::{Confidence, SecretMatch};
pub use values::is_reference;

static DEFAULT: LazyLock<Scanner> = LazyLock::new(|| {
    #[allow(clippy::expect_used)]
    Scanner::new(Options::default()).expect("built-in detectors compile (checked by unit tests)")
});

/// The scanner with default options, compiled on first use.
pub fn default_scanner() -> &'static Scanner {
    &DEFAULT
}

/// Scans a file's content with the default scanner. See [`Scanner::scan_text`].
pub fn scan_text(path: &Path, bytes: &[u8]) -> Vec<SecretMatch> {
    DEFAULT.scan_text(path, bytes)
}

/// Judges one configuration value with the default scanner. See [`Scanner::classify_value`].
pub fn classify_value(name: Option<&str>, value: &str) -> Option<SecretMatch> {
    DEFAULT.classify_value(name, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_scanner_builds() {
        assert!(Scanner::new(Options::default()).is_ok());
    }

    #[test]
    fn bad_allow_pattern_is_an_error() {
        let err = Scanner::new(Options {
            allow: vec!["(".into()],
            ..Options::default()
        });
        assert!(matches!(err, Err(Error::AllowPattern { .. })));
    }

    #[test]
    fn detector_ids_are_unique_and_kebab_case() {
        let ds = detectors();
        let mut ids: Vec<_> = ds.iter().map(|d| d.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ds.len());
        assert!(ids.iter().all(|id| {
            id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }));
    }
}
