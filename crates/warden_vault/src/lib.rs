//! The Warden encrypted secret store: envelope encryption, versions with staging labels, key
//! rotation, deletion with a recovery window, and an HTTP service compatible with the AWS
//! Parameters and Secrets Lambda Extension.
//!
//! - [`Vault`] (in `store`) owns the redb file and every operation on it.
//! - `envelope` seals each version under its own data key, wrapped by the KEK.
//! - `kek` obtains the KEK from key material or a passphrase (Argon2id).
//! - [`serve`] answers `/secretsmanager/get` and `/systemsmanager/parameters/get` for callers
//!   identified by token and authorised by their function's IAM-style policy.

pub mod clock;
pub mod envelope;
mod error;
pub mod header;
pub mod kek;
pub mod model;
pub mod random;
pub mod serve;
mod store;

pub use error::{Result, VaultError};
pub use kek::{KdfParams, Kek, KeyMaterial};
pub use model::{AWSCURRENT, AWSPREVIOUS, SecretMeta, Selector, VersionMeta};
pub use store::{
    DB_FILE, DeleteMode, MAX_RECOVERY_DAYS, MIN_RECOVERY_DAYS, Secret, Vault, VersionInfo,
};
/// Re-exported so callers can hold values and keys in wiped-on-drop buffers.
pub use zeroize::Zeroizing;
