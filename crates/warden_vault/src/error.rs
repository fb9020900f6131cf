//! The vault's error type: every way opening, reading or writing the store can fail.
//!
//! Messages never contain a secret value or key material; they name the secret and the version.

use std::path::PathBuf;

/// Everything that can go wrong in the vault.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The key-encryption key does not open this vault (its check value does not decrypt).
    #[error("wrong key: the key-encryption key does not open this vault")]
    WrongKey,
    /// The vault was created with one kind of key and opened with another.
    #[error("this vault is protected by a {expected}, but a {given} was supplied")]
    KeyKindMismatch {
        /// What the vault header says.
        expected: &'static str,
        /// What the caller gave.
        given: &'static str,
    },
    /// A key file or key text is not a 256-bit key in a supported encoding.
    #[error("invalid key: {0}")]
    InvalidKey(String),
    /// Argon2 refused the parameters (or the passphrase derivation failed).
    #[error("key derivation failed: {0}")]
    Kdf(String),
    /// No vault exists at the given directory.
    #[error("no vault at {0} (run `warden secrets init` first)")]
    NotInitialised(PathBuf),
    /// `init` on a directory that already holds a vault.
    #[error("a vault already exists at {0}")]
    AlreadyInitialised(PathBuf),
    /// A secret name outside the allowed alphabet or length.
    #[error("invalid secret name {name:?}: {reason}")]
    InvalidName {
        /// The offending name (names are not secret).
        name: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A value that is empty or too large.
    #[error("invalid secret value: {0}")]
    InvalidValue(String),
    /// No secret with this name.
    #[error("secret {0:?} not found")]
    NotFound(String),
    /// The secret exists but not the requested version or stage.
    #[error("secret {name:?} has no version matching {selector}")]
    VersionNotFound {
        /// Secret name.
        name: String,
        /// The selector that matched nothing.
        selector: String,
    },
    /// The secret is scheduled for deletion; restore it first.
    #[error(
        "secret {name:?} is scheduled for deletion (purged after {purge_after}); restore it first"
    )]
    ScheduledForDeletion {
        /// Secret name.
        name: String,
        /// RFC 3339 time of the purge.
        purge_after: String,
    },
    /// `restore` on a secret that is not scheduled for deletion.
    #[error("secret {0:?} is not scheduled for deletion")]
    NotDeleted(String),
    /// Authentication failed: a ciphertext, nonce, wrapped key or its binding was modified.
    #[error("integrity check failed for {what}: the store was modified or corrupted")]
    Tampered {
        /// Which record failed (secret name and version, or "vault header").
        what: String,
    },
    /// A stored record does not parse.
    #[error("corrupt record {what}: {reason}")]
    Corrupt {
        /// Which record.
        what: String,
        /// Why it does not parse.
        reason: String,
    },
    /// The operating system's random generator failed.
    #[error("random number generator failed: {0}")]
    Random(String),
    /// An I/O error on the vault directory.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An error from the embedded database.
    #[error("store error: {0}")]
    Store(String),
}

impl VaultError {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            context: context.into(),
            source,
        }
    }

    pub(crate) fn store(err: impl std::fmt::Display) -> Self {
        Self::Store(err.to_string())
    }
}

/// Result alias for the vault.
pub type Result<T, E = VaultError> = std::result::Result<T, E>;
