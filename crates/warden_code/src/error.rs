//! Errors of the code analysis: unreadable, oversized or unresolvable handler files.

use std::path::PathBuf;

/// Why a handler could not be analysed.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum CodeError {
    #[error("the {0} grammar could not be loaded")]
    Grammar(&'static str),
    #[error("the parser gave no tree")]
    NoTree,
    #[error("`{0}` is larger than {1} bytes: skipped")]
    TooLarge(PathBuf, u64),
    #[error("cannot read `{0}`: {1}")]
    Read(PathBuf, String),
    #[error("`{0}` is outside the scanned root: not read")]
    OutsideRoot(PathBuf),
    #[error("handler `{0}` does not name a file and a function")]
    BadHandler(String),
    #[error("no handler file found for `{0}` (looked for {1})")]
    NotFound(String, String),
    #[error("unsupported runtime or language for `{0}`")]
    Unsupported(String),
}
