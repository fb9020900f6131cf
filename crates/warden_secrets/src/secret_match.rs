//! The result type: where a secret is and what kind it is, never the secret itself.

use std::fmt;

/// How sure a detector is that the match is a live credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    /// A guessable value (a default password) or a weak shape (a UUID under a token name).
    Low,
    /// A literal under a secret name, or a format that is also used for non-secrets.
    Medium,
    /// A vendor format with a distinctive prefix, or a random literal under a secret name.
    High,
}

impl Confidence {
    /// `"low"`, `"medium"` or `"high"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One detected secret. It holds offsets and a redacted form only, so no renderer can print the
/// raw value by accident; a caller that needs the bytes (to fingerprint a baseline entry) slices
/// its own input with `start..end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMatch {
    /// Stable detector id, e.g. `aws-access-key-id`, `generic-password`.
    pub detector: &'static str,
    /// Human description of what was found.
    pub description: &'static str,
    /// How sure the detector is.
    pub confidence: Confidence,
    /// The key, variable or property name the value was assigned to, when one was seen
    /// (never the value).
    pub key: Option<String>,
    /// 1-based line of the first character of the secret.
    pub line: u32,
    /// 1-based column (in Unicode scalar values) of the first character of the secret.
    pub column: u32,
    /// 1-based line of the last character of the secret (private keys span lines).
    pub end_line: u32,
    /// 1-based column just past the last character of the secret (exclusive).
    pub end_column: u32,
    /// Byte offset of the secret in the scanned text (or value).
    pub start: usize,
    /// Byte offset just past the secret.
    pub end: usize,
    /// The secret as [`crate::redact`] shows it.
    pub redacted: String,
}
