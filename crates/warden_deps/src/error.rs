//! Errors of the vulnerability database.

use std::path::PathBuf;

/// Why the vulnerability database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// No advisory source was given or found.
    #[error(
        "no vulnerability data: pass --vuln-db PATH, set WARDEN_VULN_DB, or run `warden db fetch ECOSYSTEM`"
    )]
    NoSources,
    /// A source could not be read.
    #[error("cannot read advisory source {path}: {source}")]
    Source {
        /// The source.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The index could not be encoded.
    #[error("cannot encode the advisory index: {0}")]
    Encode(String),
}
