//! What the vault stores about a secret besides its values: versions, staging labels and
//! deletion state, with the Secrets Manager semantics of `AWSCURRENT` and `AWSPREVIOUS`.

use crate::error::{Result, VaultError};
use serde::{Deserialize, Serialize};

/// The staging label of the version readers get by default.
pub const AWSCURRENT: &str = "AWSCURRENT";
/// The staging label of the version that was current before the latest change.
pub const AWSPREVIOUS: &str = "AWSPREVIOUS";

/// Largest value accepted (the Secrets Manager limit).
pub const MAX_VALUE_LEN: usize = 65_536;
/// Longest name accepted (the SSM parameter limit; Secrets Manager allows 512).
pub const MAX_NAME_LEN: usize = 512;

/// One version of a secret (the value itself lives, encrypted, in another table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionMeta {
    /// Version id (a UUID, as in Secrets Manager).
    pub id: String,
    /// Creation time, milliseconds since the epoch.
    pub created_ms: u64,
    /// Staging labels attached to this version.
    pub stages: Vec<String>,
}

/// A pending deletion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deletion {
    /// When `delete` ran.
    pub deleted_ms: u64,
    /// When the secret and all its versions are purged for good.
    pub purge_after_ms: u64,
}

/// Everything known about a secret except its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretMeta {
    /// Secret name.
    pub name: String,
    /// The random six-letter suffix of its ARN.
    pub arn_suffix: String,
    /// Creation time of the secret.
    pub created_ms: u64,
    /// Versions, oldest first (their 1-based position is the SSM parameter version).
    pub versions: Vec<VersionMeta>,
    /// Set while the secret is scheduled for deletion.
    pub deletion: Option<Deletion>,
}

/// Which version a reader wants.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Selector {
    /// The version labelled `AWSCURRENT`.
    Current,
    /// A version id.
    Id(String),
    /// A staging label.
    Stage(String),
    /// A version id that must also carry a staging label.
    IdAndStage(String, String),
    /// The n-th version, 1-based (SSM parameter versions).
    Number(u32),
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Current => write!(f, "stage {AWSCURRENT}"),
            Self::Id(id) => write!(f, "version id {id}"),
            Self::Stage(s) => write!(f, "stage {s}"),
            Self::IdAndStage(id, s) => write!(f, "version id {id} with stage {s}"),
            Self::Number(n) => write!(f, "version number {n}"),
        }
    }
}

impl SecretMeta {
    /// A new secret with no versions yet.
    pub fn new(name: &str, arn_suffix: String, now_ms: u64) -> Self {
        Self {
            name: name.to_owned(),
            arn_suffix,
            created_ms: now_ms,
            versions: Vec::new(),
            deletion: None,
        }
    }

    /// The version that carries `AWSCURRENT`, if any.
    pub fn current(&self) -> Option<&VersionMeta> {
        self.with_stage(AWSCURRENT)
    }

    fn with_stage(&self, stage: &str) -> Option<&VersionMeta> {
        self.versions
            .iter()
            .find(|v| v.stages.iter().any(|s| s == stage))
    }

    /// Resolves a selector to a version and its 1-based number.
    pub fn select(&self, selector: &Selector) -> Result<(usize, &VersionMeta)> {
        let found = match selector {
            Selector::Current => self.current(),
            Selector::Stage(s) => self.with_stage(s),
            Selector::Id(id) => self.versions.iter().find(|v| &v.id == id),
            Selector::IdAndStage(id, s) => self
                .versions
                .iter()
                .find(|v| &v.id == id && v.stages.iter().any(|x| x == s)),
            Selector::Number(n) => usize::try_from(*n)
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| self.versions.get(i)),
        };
        let version = found.ok_or_else(|| VaultError::VersionNotFound {
            name: self.name.clone(),
            selector: selector.to_string(),
        })?;
        let number = self
            .versions
            .iter()
            .position(|v| v.id == version.id)
            .map_or(0, |i| i + 1);
        Ok((number, version))
    }

    /// Adds a version and makes it current: the old current version becomes `AWSPREVIOUS`, and
    /// whichever version held `AWSPREVIOUS` loses it (it stays readable by id).
    pub fn push_current(&mut self, id: String, now_ms: u64) {
        let had_current = self.current().is_some();
        if had_current {
            for v in &mut self.versions {
                v.stages.retain(|s| s != AWSPREVIOUS);
            }
            for v in &mut self.versions {
                if let Some(s) = v.stages.iter_mut().find(|s| *s == AWSCURRENT) {
                    *s = AWSPREVIOUS.to_owned();
                }
            }
        }
        self.versions.push(VersionMeta {
            id,
            created_ms: now_ms,
            stages: vec![AWSCURRENT.to_owned()],
        });
    }

    /// Whether `delete` scheduled this secret for purging.
    pub fn is_deleted(&self) -> bool {
        self.deletion.is_some()
    }

    /// Time of the latest version (or of creation).
    pub fn last_changed_ms(&self) -> u64 {
        self.versions
            .last()
            .map_or(self.created_ms, |v| v.created_ms)
    }
}

/// Checks a secret name: 1 to 512 characters from the alphabet Secrets Manager and SSM share
/// (letters, digits and `/_+=.@-`).
pub fn validate_name(name: &str) -> Result<()> {
    let bad = |reason| {
        Err(VaultError::InvalidName {
            name: name.chars().take(80).collect(),
            reason,
        })
    };
    if name.is_empty() {
        return bad("empty");
    }
    if name.len() > MAX_NAME_LEN {
        return bad("longer than 512 characters");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/_+=.@-".contains(&b))
    {
        return bad("only letters, digits and /_+=.@- are allowed");
    }
    Ok(())
}

/// Checks a value's size.
pub fn validate_value(value: &[u8]) -> Result<()> {
    if value.is_empty() {
        return Err(VaultError::InvalidValue("the value is empty".into()));
    }
    if value.len() > MAX_VALUE_LEN {
        return Err(VaultError::InvalidValue(format!(
            "the value is {} bytes; the limit is {MAX_VALUE_LEN}",
            value.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_moves_like_secrets_manager() {
        let mut m = SecretMeta::new("db", "AbCdEf".into(), 1);
        m.push_current("v1".into(), 1);
        assert_eq!(m.current().unwrap().id, "v1");
        m.push_current("v2".into(), 2);
        m.push_current("v3".into(), 3);
        let stages: Vec<_> = m.versions.iter().map(|v| v.stages.join(",")).collect();
        assert_eq!(stages, ["", "AWSPREVIOUS", "AWSCURRENT"]);
        assert_eq!(
            m.select(&Selector::Stage(AWSPREVIOUS.into())).unwrap().1.id,
            "v2"
        );
        assert_eq!(m.select(&Selector::Number(1)).unwrap().1.id, "v1");
        assert_eq!(m.select(&Selector::Id("v3".into())).unwrap().0, 3);
        assert!(m.select(&Selector::Number(0)).is_err());
        assert!(
            m.select(&Selector::IdAndStage("v1".into(), AWSCURRENT.into()))
                .is_err()
        );
    }

    #[test]
    fn names_and_values() {
        for ok in ["db", "/app/prod/db-password", "a.b@c+d=e_f"] {
            validate_name(ok).unwrap();
        }
        for bad in ["", "a b", "a\0b", "é", &"x".repeat(513)] {
            assert!(validate_name(bad).is_err());
        }
        assert!(validate_value(b"").is_err());
        assert!(validate_value(&vec![1; MAX_VALUE_LEN + 1]).is_err());
    }
}
