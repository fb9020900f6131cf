//! The vault header: format version, vault id, how the KEK is obtained (and, for a passphrase,
//! the Argon2id salt and parameters) and the KEK check value. The KEK itself is never stored.

use crate::envelope;
use crate::error::{Result, VaultError};
use crate::kek::{KdfParams, Kek, KeyMaterial};
use serde::{Deserialize, Serialize};

/// Current on-disk format.
pub const FORMAT: u32 = 1;

/// How the KEK of a vault is obtained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum KeySpec {
    /// A 256-bit key supplied by the caller (key file or environment variable).
    Key,
    /// A passphrase stretched with Argon2id.
    Passphrase {
        /// Hex salt (16 random bytes).
        salt: String,
        /// Argon2id parameters.
        params: KdfParams,
    },
}

impl KeySpec {
    fn kind(&self) -> &'static str {
        match self {
            Self::Key => "key",
            Self::Passphrase { .. } => "passphrase",
        }
    }
}

/// The stored header.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// On-disk format version.
    pub format: u32,
    /// Random id of this vault, bound into every record's associated data.
    pub vault_id: String,
    /// Creation time.
    pub created_ms: u64,
    /// How the KEK is obtained.
    pub key: KeySpec,
    /// Hex of the KEK check value.
    pub check: String,
}

impl Header {
    /// The bytes the check value is bound to: everything in the header except the check itself.
    fn binding(format: u32, vault_id: &str, key: &KeySpec) -> Result<Vec<u8>> {
        serde_json::to_vec(&(format, vault_id, key)).map_err(VaultError::store)
    }

    /// Builds a header for `material`, returning it with the derived KEK.
    pub fn create(
        vault_id: String,
        now_ms: u64,
        material: &KeyMaterial,
        params: KdfParams,
    ) -> Result<(Self, Kek)> {
        let (key, kek) = match material {
            KeyMaterial::Key(k) => (KeySpec::Key, Kek::from_bytes(*k.bytes())),
            KeyMaterial::Passphrase(p) => {
                let salt = crate::random::bytes::<16>()?;
                let kek = params.derive(p, &salt)?;
                (
                    KeySpec::Passphrase {
                        salt: hex::encode(salt),
                        params,
                    },
                    kek,
                )
            }
        };
        let check = envelope::make_check(&kek, &Self::binding(FORMAT, &vault_id, &key)?)?;
        Ok((
            Self {
                format: FORMAT,
                vault_id,
                created_ms: now_ms,
                key,
                check: hex::encode(check),
            },
            kek,
        ))
    }

    /// Derives the KEK from `material` and checks it against the check value.
    pub fn unlock(&self, material: &KeyMaterial) -> Result<Kek> {
        if self.format != FORMAT {
            return Err(VaultError::Corrupt {
                what: "vault header".into(),
                reason: format!("unsupported format {}", self.format),
            });
        }
        let kek = match (&self.key, material) {
            (KeySpec::Key, KeyMaterial::Key(k)) => Kek::from_bytes(*k.bytes()),
            (KeySpec::Passphrase { salt, params }, KeyMaterial::Passphrase(p)) => {
                let salt = hex::decode(salt).map_err(|_| VaultError::WrongKey)?;
                params.derive(p, &salt)?
            }
            (spec, given) => {
                return Err(VaultError::KeyKindMismatch {
                    expected: spec.kind(),
                    given: given.kind(),
                });
            }
        };
        let check = hex::decode(&self.check).map_err(|_| VaultError::WrongKey)?;
        if envelope::verify_check(
            &kek,
            &Self::binding(self.format, &self.vault_id, &self.key)?,
            &check,
        ) {
            Ok(kek)
        } else {
            Err(VaultError::WrongKey)
        }
    }
}
