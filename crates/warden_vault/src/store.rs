//! The vault itself: a redb file holding the header, authenticated secret metadata and
//! envelope-encrypted versions. Every change is one redb write transaction, committed durably
//! (fsync) or not at all, so a crash never leaves a half-written store.
//!
//! The file is opened in redb's multi-writer mode: `warden secrets serve` can keep the vault
//! open while `warden secrets put` or `rotate` commit new versions from another process.

use crate::clock::{self, Clock};
use crate::envelope::{self, Slot};
use crate::error::{Result, VaultError};
use crate::header::Header;
use crate::kek::{KdfParams, Kek, KeyMaterial};
use crate::model::{self, Deletion, SecretMeta, Selector};
use redb::{ConcurrencyMode, Database, ReadableDatabase, ReadableTable, TableDefinition};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

const HEADER: TableDefinition<&str, &[u8]> = TableDefinition::new("header");
const SECRETS: TableDefinition<&str, &[u8]> = TableDefinition::new("secrets");
const VERSIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("versions");
const HEADER_KEY: &str = "header";

/// Name of the database file inside the vault directory.
pub const DB_FILE: &str = "vault.redb";

/// Recovery window bounds, in days (the Secrets Manager limits).
pub const MIN_RECOVERY_DAYS: u32 = 7;
/// Longest recovery window, and the default.
pub const MAX_RECOVERY_DAYS: u32 = 30;
const DAY_MS: u64 = 86_400_000;

/// How `delete` removes a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteMode {
    /// Schedule the purge after this many days; `restore` cancels it.
    RecoveryWindow(u32),
    /// Purge now, without recovery.
    Force,
}

/// A decrypted secret version. The value is wiped from memory when dropped.
pub struct Secret {
    /// Secret name.
    pub name: String,
    /// The ARN suffix.
    pub arn_suffix: String,
    /// Version id.
    pub version_id: String,
    /// 1-based version number.
    pub number: usize,
    /// Staging labels of this version.
    pub stages: Vec<String>,
    /// Creation time of this version.
    pub created_ms: u64,
    /// The plaintext.
    pub value: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secret")
            .field("name", &self.name)
            .field("version_id", &self.version_id)
            .field("stages", &self.stages)
            .field("value", &"<redacted>")
            .finish()
    }
}

/// What a write returns: the new version, never the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    /// Secret name.
    pub name: String,
    /// New version id.
    pub version_id: String,
    /// Its 1-based number.
    pub number: usize,
    /// Whether this write created the secret.
    pub created_secret: bool,
}

/// An open, unlocked vault.
pub struct Vault {
    db: Database,
    kek: Kek,
    vault_id: String,
    dir: PathBuf,
    clock: Clock,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("dir", &self.dir)
            .field("vault_id", &self.vault_id)
            .finish()
    }
}

fn builder() -> redb::Builder {
    let mut b = Database::builder();
    b.set_concurrency_mode(ConcurrencyMode::MultiWriter);
    b
}

fn version_key(name: &str, version_id: &str) -> String {
    format!("{name}\n{version_id}")
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
        .map_err(|e| VaultError::io(format!("creating {}", dir.display()), e))
}

fn create_private_file(path: &Path) -> Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path).map(drop).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            VaultError::AlreadyInitialised(path.parent().unwrap_or(path).to_path_buf())
        } else {
            VaultError::io(format!("creating {}", path.display()), e)
        }
    })
}

impl Vault {
    /// Creates a new vault in `dir` (created with mode 0700 if missing).
    pub fn init(dir: &Path, material: &KeyMaterial, kdf: KdfParams) -> Result<Self> {
        create_private_dir(dir)?;
        let path = dir.join(DB_FILE);
        create_private_file(&path)?;
        let result = Self::init_file(dir, &path, material, kdf);
        if result.is_err() {
            let _ = std::fs::remove_file(&path);
        }
        result
    }

    fn init_file(dir: &Path, path: &Path, material: &KeyMaterial, kdf: KdfParams) -> Result<Self> {
        let db = builder().create(path).map_err(VaultError::store)?;
        let now = clock::system_now_ms();
        let (header, kek) = Header::create(crate::random::uuid_v4()?, now, material, kdf)?;
        let bytes = serde_json::to_vec(&header).map_err(VaultError::store)?;
        let txn = db.begin_write().map_err(VaultError::store)?;
        {
            let mut h = txn.open_table(HEADER).map_err(VaultError::store)?;
            h.insert(HEADER_KEY, bytes.as_slice())
                .map_err(VaultError::store)?;
            txn.open_table(SECRETS).map_err(VaultError::store)?;
            txn.open_table(VERSIONS).map_err(VaultError::store)?;
        }
        txn.commit().map_err(VaultError::store)?;
        Ok(Self {
            db,
            kek,
            vault_id: header.vault_id,
            dir: dir.to_path_buf(),
            clock: clock::system_now_ms,
        })
    }

    /// Opens the vault in `dir` and unlocks it; a wrong key fails with [`VaultError::WrongKey`].
    pub fn open(dir: &Path, material: &KeyMaterial) -> Result<Self> {
        let path = dir.join(DB_FILE);
        if !path.is_file() {
            return Err(VaultError::NotInitialised(dir.to_path_buf()));
        }
        let db = builder().open(&path).map_err(VaultError::store)?;
        let header = read_header(&db)?;
        let kek = header.unlock(material)?;
        Ok(Self {
            db,
            kek,
            vault_id: header.vault_id,
            dir: dir.to_path_buf(),
            clock: clock::system_now_ms,
        })
    }

    /// Replaces the clock (tests of recovery windows).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// The vault directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn slot<'a>(&'a self, name: &'a str, version_id: &'a str) -> Slot<'a> {
        Slot {
            vault_id: &self.vault_id,
            name,
            version_id,
        }
    }

    fn decode_meta(&self, name: &str, signed: &[u8]) -> Result<SecretMeta> {
        let body = envelope::verify_meta(&self.kek, &self.vault_id, name, signed)?;
        let meta: SecretMeta = serde_json::from_slice(body).map_err(|e| VaultError::Corrupt {
            what: format!("metadata of {name:?}"),
            reason: e.to_string(),
        })?;
        if meta.name != name {
            return Err(VaultError::Tampered {
                what: format!("metadata of {name:?}"),
            });
        }
        Ok(meta)
    }

    fn encode_meta(&self, meta: &SecretMeta) -> Result<Vec<u8>> {
        let body = serde_json::to_vec(meta).map_err(VaultError::store)?;
        envelope::sign_meta(&self.kek, &self.vault_id, &meta.name, &body)
    }

    fn load_meta<T: ReadableTable<&'static str, &'static [u8]>>(
        &self,
        table: &T,
        name: &str,
    ) -> Result<Option<SecretMeta>> {
        match table.get(name).map_err(VaultError::store)? {
            Some(guard) => self.decode_meta(name, guard.value()).map(Some),
            None => Ok(None),
        }
    }

    /// Stores a new version of `name` (creating the secret if needed) and makes it `AWSCURRENT`.
    pub fn put(&self, name: &str, value: &[u8]) -> Result<VersionInfo> {
        self.write_version(name, value, true)
    }

    /// Rotates an existing secret: a new `AWSCURRENT` version, the old one becomes `AWSPREVIOUS`.
    pub fn rotate(&self, name: &str, value: &[u8]) -> Result<VersionInfo> {
        self.write_version(name, value, false)
    }

    fn write_version(&self, name: &str, value: &[u8], may_create: bool) -> Result<VersionInfo> {
        model::validate_name(name)?;
        model::validate_value(value)?;
        let now = (self.clock)();
        let txn = self.db.begin_write().map_err(VaultError::store)?;
        let info = {
            let mut secrets = txn.open_table(SECRETS).map_err(VaultError::store)?;
            let mut versions = txn.open_table(VERSIONS).map_err(VaultError::store)?;
            self.purge_expired(&mut secrets, &mut versions, now)?;
            let existing = self.load_meta(&secrets, name)?;
            let created_secret = existing.is_none();
            let mut meta = match existing {
                Some(m) => m,
                None if may_create => SecretMeta::new(name, crate::random::arn_suffix()?, now),
                None => return Err(VaultError::NotFound(name.to_owned())),
            };
            if let Some(d) = meta.deletion {
                return Err(VaultError::ScheduledForDeletion {
                    name: name.to_owned(),
                    purge_after: clock::rfc3339(d.purge_after_ms),
                });
            }
            let version_id = crate::random::uuid_v4()?;
            let record = envelope::seal_version(&self.kek, &self.slot(name, &version_id), value)?;
            versions
                .insert(version_key(name, &version_id).as_str(), record.as_slice())
                .map_err(VaultError::store)?;
            meta.push_current(version_id.clone(), now);
            secrets
                .insert(name, self.encode_meta(&meta)?.as_slice())
                .map_err(VaultError::store)?;
            VersionInfo {
                name: name.to_owned(),
                version_id,
                number: meta.versions.len(),
                created_secret,
            }
        };
        txn.commit().map_err(VaultError::store)?;
        Ok(info)
    }

    /// The metadata of one secret (no values).
    pub fn describe(&self, name: &str) -> Result<SecretMeta> {
        model::validate_name(name)?;
        let txn = self.db.begin_read().map_err(VaultError::store)?;
        let secrets = txn.open_table(SECRETS).map_err(VaultError::store)?;
        self.load_meta(&secrets, name)?
            .ok_or_else(|| VaultError::NotFound(name.to_owned()))
    }

    /// Decrypts one version of a secret. A secret scheduled for deletion cannot be read.
    pub fn get(&self, name: &str, selector: &Selector) -> Result<Secret> {
        model::validate_name(name)?;
        let txn = self.db.begin_read().map_err(VaultError::store)?;
        let secrets = txn.open_table(SECRETS).map_err(VaultError::store)?;
        let meta = self
            .load_meta(&secrets, name)?
            .ok_or_else(|| VaultError::NotFound(name.to_owned()))?;
        if let Some(d) = meta.deletion {
            return Err(VaultError::ScheduledForDeletion {
                name: name.to_owned(),
                purge_after: clock::rfc3339(d.purge_after_ms),
            });
        }
        let (number, version) = meta.select(selector)?;
        let versions = txn.open_table(VERSIONS).map_err(VaultError::store)?;
        let guard = versions
            .get(version_key(name, &version.id).as_str())
            .map_err(VaultError::store)?
            .ok_or_else(|| VaultError::Tampered {
                what: format!("secret {name:?} version {} (missing)", version.id),
            })?;
        let value =
            envelope::open_version(&self.kek, &self.slot(name, &version.id), guard.value())?;
        Ok(Secret {
            name: meta.name.clone(),
            arn_suffix: meta.arn_suffix.clone(),
            version_id: version.id.clone(),
            number,
            stages: version.stages.clone(),
            created_ms: version.created_ms,
            value,
        })
    }

    /// Every secret's metadata, sorted by name; deleted ones only when asked.
    pub fn list(&self, include_deleted: bool) -> Result<Vec<SecretMeta>> {
        let txn = self.db.begin_read().map_err(VaultError::store)?;
        let secrets = txn.open_table(SECRETS).map_err(VaultError::store)?;
        let mut out = Vec::new();
        for entry in secrets.iter().map_err(VaultError::store)? {
            let (k, v) = entry.map_err(VaultError::store)?;
            let meta = self.decode_meta(k.value(), v.value())?;
            if include_deleted || !meta.is_deleted() {
                out.push(meta);
            }
        }
        Ok(out)
    }

    /// Deletes a secret, either scheduling its purge or purging it now. Returns the purge time.
    pub fn delete(&self, name: &str, mode: DeleteMode) -> Result<u64> {
        model::validate_name(name)?;
        let now = (self.clock)();
        let txn = self.db.begin_write().map_err(VaultError::store)?;
        let purge_at = {
            let mut secrets = txn.open_table(SECRETS).map_err(VaultError::store)?;
            let mut versions = txn.open_table(VERSIONS).map_err(VaultError::store)?;
            self.purge_expired(&mut secrets, &mut versions, now)?;
            let mut meta = self
                .load_meta(&secrets, name)?
                .ok_or_else(|| VaultError::NotFound(name.to_owned()))?;
            match mode {
                DeleteMode::Force => {
                    remove_secret(&mut secrets, &mut versions, &meta)?;
                    now
                }
                DeleteMode::RecoveryWindow(days) => {
                    if !(MIN_RECOVERY_DAYS..=MAX_RECOVERY_DAYS).contains(&days) {
                        return Err(VaultError::InvalidValue(format!(
                            "the recovery window must be {MIN_RECOVERY_DAYS} to {MAX_RECOVERY_DAYS} days"
                        )));
                    }
                    if let Some(d) = meta.deletion {
                        return Ok(d.purge_after_ms);
                    }
                    let purge_after_ms = now.saturating_add(u64::from(days) * DAY_MS);
                    meta.deletion = Some(Deletion {
                        deleted_ms: now,
                        purge_after_ms,
                    });
                    secrets
                        .insert(name, self.encode_meta(&meta)?.as_slice())
                        .map_err(VaultError::store)?;
                    purge_after_ms
                }
            }
        };
        txn.commit().map_err(VaultError::store)?;
        Ok(purge_at)
    }

    /// Cancels a scheduled deletion.
    pub fn restore(&self, name: &str) -> Result<()> {
        model::validate_name(name)?;
        let now = (self.clock)();
        let txn = self.db.begin_write().map_err(VaultError::store)?;
        {
            let mut secrets = txn.open_table(SECRETS).map_err(VaultError::store)?;
            let mut versions = txn.open_table(VERSIONS).map_err(VaultError::store)?;
            self.purge_expired(&mut secrets, &mut versions, now)?;
            let mut meta = self
                .load_meta(&secrets, name)?
                .ok_or_else(|| VaultError::NotFound(name.to_owned()))?;
            if meta.deletion.take().is_none() {
                return Err(VaultError::NotDeleted(name.to_owned()));
            }
            secrets
                .insert(name, self.encode_meta(&meta)?.as_slice())
                .map_err(VaultError::store)?;
        }
        txn.commit().map_err(VaultError::store)
    }

    /// Purges every secret whose recovery window has ended; returns how many.
    pub fn purge(&self) -> Result<usize> {
        let now = (self.clock)();
        let txn = self.db.begin_write().map_err(VaultError::store)?;
        let n = {
            let mut secrets = txn.open_table(SECRETS).map_err(VaultError::store)?;
            let mut versions = txn.open_table(VERSIONS).map_err(VaultError::store)?;
            self.purge_expired(&mut secrets, &mut versions, now)?
        };
        txn.commit().map_err(VaultError::store)?;
        Ok(n)
    }

    fn purge_expired(
        &self,
        secrets: &mut redb::Table<&'static str, &'static [u8]>,
        versions: &mut redb::Table<&'static str, &'static [u8]>,
        now: u64,
    ) -> Result<usize> {
        let mut expired = Vec::new();
        for entry in secrets.iter().map_err(VaultError::store)? {
            let (k, v) = entry.map_err(VaultError::store)?;
            let meta = self.decode_meta(k.value(), v.value())?;
            if meta.deletion.is_some_and(|d| d.purge_after_ms <= now) {
                expired.push(meta);
            }
        }
        for meta in &expired {
            remove_secret(secrets, versions, meta)?;
        }
        Ok(expired.len())
    }

    /// Replaces the KEK: every data key is unwrapped with the old KEK and wrapped with the new
    /// one, every metadata record re-authenticated, and the header rewritten, all in one
    /// transaction. Sealed values are not touched. Returns the number of versions re-wrapped.
    pub fn rekey(&mut self, material: &KeyMaterial, kdf: KdfParams) -> Result<usize> {
        let (header, new_kek) =
            Header::create(self.vault_id.clone(), (self.clock)(), material, kdf)?;
        let header_bytes = serde_json::to_vec(&header).map_err(VaultError::store)?;
        let txn = self.db.begin_write().map_err(VaultError::store)?;
        let mut count = 0;
        {
            let mut secrets = txn.open_table(SECRETS).map_err(VaultError::store)?;
            let mut versions = txn.open_table(VERSIONS).map_err(VaultError::store)?;
            let mut metas = Vec::new();
            for entry in secrets.iter().map_err(VaultError::store)? {
                let (k, v) = entry.map_err(VaultError::store)?;
                metas.push(self.decode_meta(k.value(), v.value())?);
            }
            let new_self = Signer {
                kek: &new_kek,
                vault_id: &self.vault_id,
            };
            for meta in &metas {
                for v in &meta.versions {
                    let key = version_key(&meta.name, &v.id);
                    let record = versions
                        .get(key.as_str())
                        .map_err(VaultError::store)?
                        .map(|g| g.value().to_vec())
                        .ok_or_else(|| VaultError::Tampered {
                            what: format!("secret {:?} version {} (missing)", meta.name, v.id),
                        })?;
                    let slot = self.slot(&meta.name, &v.id);
                    let rewrapped = envelope::rewrap_version(&self.kek, &new_kek, &slot, &record)?;
                    versions
                        .insert(key.as_str(), rewrapped.as_slice())
                        .map_err(VaultError::store)?;
                    count += 1;
                }
                let body = serde_json::to_vec(meta).map_err(VaultError::store)?;
                let signed = new_self.sign(&meta.name, &body)?;
                secrets
                    .insert(meta.name.as_str(), signed.as_slice())
                    .map_err(VaultError::store)?;
            }
            let mut h = txn.open_table(HEADER).map_err(VaultError::store)?;
            h.insert(HEADER_KEY, header_bytes.as_slice())
                .map_err(VaultError::store)?;
        }
        txn.commit().map_err(VaultError::store)?;
        self.kek = new_kek;
        Ok(count)
    }
}

struct Signer<'a> {
    kek: &'a Kek,
    vault_id: &'a str,
}

impl Signer<'_> {
    fn sign(&self, name: &str, body: &[u8]) -> Result<Vec<u8>> {
        envelope::sign_meta(self.kek, self.vault_id, name, body)
    }
}

fn remove_secret(
    secrets: &mut redb::Table<&'static str, &'static [u8]>,
    versions: &mut redb::Table<&'static str, &'static [u8]>,
    meta: &SecretMeta,
) -> Result<()> {
    for v in &meta.versions {
        versions
            .remove(version_key(&meta.name, &v.id).as_str())
            .map_err(VaultError::store)?;
    }
    secrets
        .remove(meta.name.as_str())
        .map_err(VaultError::store)?;
    Ok(())
}

fn read_header(db: &Database) -> Result<Header> {
    let txn = db.begin_read().map_err(VaultError::store)?;
    let table = txn.open_table(HEADER).map_err(VaultError::store)?;
    let guard = table
        .get(HEADER_KEY)
        .map_err(VaultError::store)?
        .ok_or_else(|| VaultError::Corrupt {
            what: "vault header".into(),
            reason: "missing".into(),
        })?;
    serde_json::from_slice(guard.value()).map_err(|e| VaultError::Corrupt {
        what: "vault header".into(),
        reason: e.to_string(),
    })
}
