//! The access audit log: one JSON object per line, hash-chained.
//!
//! Each line carries `seq` (from 0), `prev` (the previous line's hash, 64 zeros for the first)
//! and `hash`, the SHA-256 of the line serialised without `hash`: the same line format as the
//! gateway's audit log, so one verifier reads both. Editing, removing or reordering lines breaks
//! the chain, which [`verify`] detects. Records name the function, the action, the resource and
//! the decision; never a value or a token. Lines are flushed on every write (not fsynced).
//!
//! This is the vault's own writer: the vault must not depend on `warden_gateway` (DESIGN.md).

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::sync::Mutex;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One access, as recorded.
#[derive(Debug, Clone, Default)]
pub struct AuditEvent<'a> {
    /// Request id (also returned to the caller).
    pub request_id: &'a str,
    /// Calling function, if the token resolved.
    pub function: Option<&'a str>,
    /// `secretsmanager:GetSecretValue` or `ssm:GetParameter`.
    pub action: &'a str,
    /// Resource ARN, when known.
    pub resource: Option<&'a str>,
    /// Version id served.
    pub version_id: Option<&'a str>,
    /// `allow`, `deny`, `unauthenticated`, `not_found`, `bad_request` or `error`.
    pub outcome: &'a str,
    /// HTTP status returned.
    pub status: u16,
    /// Whether the value came from the cache.
    pub cache_hit: bool,
}

/// Why the audit log failed.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// Reading or writing the file failed.
    #[error("audit log {path}: {source}")]
    Io {
        /// The log file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line does not parse or does not chain.
    #[error("audit log {path}, line {line}: {reason}")]
    Broken {
        /// The log file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

#[derive(Debug)]
struct Chain {
    file: File,
    next_seq: u64,
    head: String,
}

/// An append-only, hash-chained JSON-lines writer.
#[derive(Debug)]
pub struct AuditLog {
    inner: Mutex<Chain>,
    path: String,
}

fn line_hash(record: &Map<String, Value>) -> String {
    let body = serde_json::to_vec(record).unwrap_or_default();
    hex::encode(Sha256::digest(&body))
}

/// Verifies the whole chain of a log file; returns the number of records and the last hash.
pub fn verify(path: &Path) -> Result<(u64, String), AuditError> {
    let shown = path.display().to_string();
    let io = |source| AuditError::Io {
        path: shown.clone(),
        source,
    };
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((0, GENESIS.to_owned())),
        Err(e) => return Err(io(e)),
    };
    let mut prev = GENESIS.to_owned();
    let mut count = 0;
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io)?;
        let broken = |reason: &str| AuditError::Broken {
            path: shown.clone(),
            line: i + 1,
            reason: reason.into(),
        };
        let mut record: Map<String, Value> =
            serde_json::from_str(&line).map_err(|_| broken("not a JSON object"))?;
        let hash = match record.remove("hash") {
            Some(Value::String(h)) => h,
            _ => return Err(broken("missing hash")),
        };
        if record.get("seq").and_then(Value::as_u64) != Some(count) {
            return Err(broken("sequence number out of order"));
        }
        if record.get("prev").and_then(Value::as_str) != Some(prev.as_str()) {
            return Err(broken("does not chain to the previous line"));
        }
        if line_hash(&record) != hash {
            return Err(broken("hash does not match the content"));
        }
        prev = hash;
        count += 1;
    }
    Ok((count, prev))
}

impl AuditLog {
    /// Opens (or creates) a log, verifying the existing chain so new lines continue it.
    pub fn open(path: &Path) -> Result<Self, AuditError> {
        let (next_seq, head) = verify(path)?;
        let mut o = OpenOptions::new();
        o.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        let file = o.open(path).map_err(|source| AuditError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Ok(Self {
            inner: Mutex::new(Chain {
                file,
                next_seq,
                head,
            }),
            path: path.display().to_string(),
        })
    }

    /// Appends one record.
    pub fn record(&self, time_ms: u64, event: &AuditEvent<'_>) -> Result<(), AuditError> {
        let opt = |v: Option<&str>| v.map_or(Value::Null, |s| Value::String(s.to_owned()));
        let mut guard = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut record = Map::new();
        record.insert("seq".into(), Value::from(guard.next_seq));
        record.insert("time".into(), Value::String(crate::clock::rfc3339(time_ms)));
        record.insert("time_ms".into(), Value::from(time_ms));
        record.insert(
            "request_id".into(),
            Value::String(event.request_id.to_owned()),
        );
        record.insert("function".into(), opt(event.function));
        record.insert("action".into(), Value::String(event.action.to_owned()));
        record.insert("resource".into(), opt(event.resource));
        record.insert("version_id".into(), opt(event.version_id));
        record.insert("outcome".into(), Value::String(event.outcome.to_owned()));
        record.insert("status".into(), Value::from(event.status));
        record.insert("cache_hit".into(), Value::Bool(event.cache_hit));
        record.insert("prev".into(), Value::String(guard.head.clone()));
        let hash = line_hash(&record);
        record.insert("hash".into(), Value::String(hash.clone()));
        let mut line = serde_json::to_vec(&record).unwrap_or_default();
        line.push(b'\n');
        let io = |source| AuditError::Io {
            path: self.path.clone(),
            source,
        };
        guard.file.write_all(&line).map_err(io)?;
        guard.file.flush().map_err(io)?;
        guard.head = hash;
        guard.next_seq += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_continues_across_reopen_and_detects_edits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let ev = AuditEvent {
            request_id: "r",
            action: "a",
            outcome: "allow",
            status: 200,
            ..Default::default()
        };
        AuditLog::open(&path).unwrap().record(1, &ev).unwrap();
        let log = AuditLog::open(&path).unwrap();
        log.record(2, &ev).unwrap();
        log.record(
            3,
            &AuditEvent {
                outcome: "deny",
                status: 403,
                ..ev.clone()
            },
        )
        .unwrap();
        assert_eq!(verify(&path).unwrap().0, 3);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen("\"deny\"", "\"allow\"", 1)).unwrap();
        assert!(matches!(
            verify(&path),
            Err(AuditError::Broken { line: 3, .. })
        ));
        let lines: Vec<&str> = text.lines().collect();
        std::fs::write(&path, format!("{}\n{}\n", lines[0], lines[2])).unwrap();
        assert!(verify(&path).is_err());
        assert!(AuditLog::open(&path).is_err());
    }
}
