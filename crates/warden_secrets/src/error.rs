//! Errors of building a [`crate::Scanner`].

/// Why a scanner could not be built.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A user-supplied allowlist pattern is not a valid regex.
    #[error("invalid secret allowlist pattern `{pattern}`: {source}")]
    AllowPattern {
        pattern: String,
        #[source]
        source: Box<regex::Error>,
    },
    /// A built-in detector pattern failed to compile (a bug in this crate).
    #[error("built-in pattern of detector `{detector}` does not compile: {source}")]
    Builtin {
        detector: &'static str,
        #[source]
        source: Box<regex::Error>,
    },
    /// The keyword automaton could not be built (a bug in this crate).
    #[error("keyword prefilter could not be built: {0}")]
    Prefilter(#[from] aho_corasick::BuildError),
}
