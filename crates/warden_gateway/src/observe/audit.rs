//! The append-only audit log of security decisions. Each record is one JSON line carrying a
//! sequence number, the hash of the previous record (`prev`) and its own hash (`hash`, SHA-256 of
//! the line's bytes without the hash field). Any edit, deletion or reordering breaks the chain;
//! `verify` finds the first broken record. Records are written by one thread, one `write` per
//! line on an `O_APPEND` file, so a killed gateway leaves whole lines (a torn last line, possible
//! only on power loss, is reported and repaired at the next start).

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

/// The `prev` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Errors opening the audit log.
#[derive(Debug, thiserror::Error)]
#[error("audit log {path}: {message}")]
pub struct AuditError {
    pub path: PathBuf,
    pub message: String,
}

/// Seals a record: adds `seq` and `prev`, returns the line (with newline) and its hash.
pub fn seal(seq: u64, prev: &str, mut fields: Map<String, Value>) -> (String, String) {
    let mut rec = Map::new();
    rec.insert("seq".into(), Value::from(seq));
    rec.append(&mut fields);
    rec.insert("prev".into(), Value::String(prev.to_string()));
    let body = Value::Object(rec).to_string();
    let hash = hex::encode(Sha256::digest(body.as_bytes()));
    let line = format!("{},\"hash\":\"{hash}\"}}\n", &body[..body.len() - 1]);
    (line, hash)
}

/// Splits a line into the hashed part and the claimed hash.
fn unseal(line: &str) -> Option<(String, &str)> {
    let idx = line.rfind(",\"hash\":\"")?;
    let rest = &line[idx + 9..];
    let hash = rest.strip_suffix("\"}")?;
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some((format!("{}}}", &line[..idx]), hash))
}

/// Outcome of a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub records: u64,
    pub head: String,
    /// A final line without newline (crash during a write) that was ignored.
    pub torn_tail: bool,
}

/// A broken chain: the 1-based line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct Broken {
    pub line: usize,
    pub problem: String,
}

/// Verifies a whole audit log text.
pub fn verify(text: &str) -> Result<Verified, Broken> {
    let mut prev = GENESIS.to_string();
    let mut expected_seq: Option<u64> = None;
    let mut records = 0;
    let torn_tail = !text.is_empty() && !text.ends_with('\n');
    let lines: Vec<&str> = text.split('\n').collect();
    let complete = if torn_tail {
        lines.len() - 1
    } else {
        lines.len().saturating_sub(1)
    };
    for (i, line) in lines.iter().take(complete).enumerate() {
        let n = i + 1;
        let broken = |p: &str| {
            Err(Broken {
                line: n,
                problem: p.to_string(),
            })
        };
        let Some((body, claimed)) = unseal(line) else {
            return broken("not a sealed record");
        };
        if hex::encode(Sha256::digest(body.as_bytes())) != claimed {
            return broken("content does not match its hash (record edited)");
        }
        let Ok(Value::Object(rec)) = serde_json::from_str::<Value>(&body) else {
            return broken("not a JSON object");
        };
        let Some(seq) = rec.get("seq").and_then(Value::as_u64) else {
            return broken("no seq");
        };
        if rec.get("prev").and_then(Value::as_str) != Some(prev.as_str()) {
            return broken("previous hash does not match (record deleted, inserted or reordered)");
        }
        if let Some(e) = expected_seq {
            if seq != e {
                return broken("sequence number out of order");
            }
        }
        expected_seq = Some(seq + 1);
        prev = claimed.to_string();
        records += 1;
    }
    Ok(Verified {
        records,
        head: prev,
        torn_tail,
    })
}

/// Verifies a file.
pub fn verify_file(path: &Path) -> Result<Result<Verified, Broken>, std::io::Error> {
    let text = std::fs::read_to_string(path)?;
    Ok(verify(&text))
}

/// Reads the last complete record of a file: (next seq, head hash, bytes of torn tail).
fn tail_state(f: &mut File) -> std::io::Result<(u64, String, u64)> {
    let len = f.metadata()?.len();
    if len == 0 {
        return Ok((0, GENESIS.to_string(), 0));
    }
    let start = len.saturating_sub(1 << 20);
    f.seek(SeekFrom::Start(start))?;
    let mut buf = Vec::new();
    f.read_to_end(&mut buf)?;
    let text = String::from_utf8_lossy(&buf);
    let torn = if text.ends_with('\n') {
        0
    } else {
        text.rsplit('\n').next().map_or(0, |t| t.len() as u64)
    };
    let complete = &text[..text.len() - torn as usize];
    let last = complete
        .trim_end_matches('\n')
        .rsplit('\n')
        .next()
        .unwrap_or("");
    match unseal(last).and_then(|(body, hash)| {
        let v: Value = serde_json::from_str(&body).ok()?;
        Some((v.get("seq")?.as_u64()? + 1, hash.to_string()))
    }) {
        Some((seq, hash)) => Ok((seq, hash, torn)),
        None if complete.is_empty() => Ok((0, GENESIS.to_string(), torn)),
        None => Err(std::io::Error::other(
            "last record is not a sealed audit record",
        )),
    }
}

enum Msg {
    Record(Map<String, Value>),
    Flush(SyncSender<()>),
}

/// Handle to the audit writer thread.
#[derive(Clone)]
pub struct AuditLog {
    tx: SyncSender<Msg>,
    dropped: std::sync::Arc<AtomicU64>,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditLog")
    }
}

impl AuditLog {
    /// Opens (or creates) the log, continues its chain, and starts the writer thread.
    pub fn open(path: &Path, fsync: bool) -> Result<Self, AuditError> {
        let err = |m: String| AuditError {
            path: path.to_path_buf(),
            message: m,
        };
        let mut f = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| err(e.to_string()))?;
        let (seq, head, torn) = tail_state(&mut f).map_err(|e| err(e.to_string()))?;
        if torn > 0 {
            let len = f.metadata().map_err(|e| err(e.to_string()))?.len();
            f.set_len(len - torn).map_err(|e| err(e.to_string()))?;
        }
        let (tx, rx) = sync_channel::<Msg>(65_536);
        let dropped = std::sync::Arc::new(AtomicU64::new(0));
        let d = dropped.clone();
        std::thread::Builder::new()
            .name("warden-audit".into())
            .spawn(move || writer(f, rx, seq, head, fsync, d))
            .map_err(|e| err(e.to_string()))?;
        let log = Self { tx, dropped };
        if torn > 0 {
            let mut m = Map::new();
            m.insert("event".into(), Value::from("torn_tail_repaired"));
            m.insert("bytes".into(), Value::from(torn));
            log.record(m);
        }
        Ok(log)
    }

    /// Queues one record (`ts` is added); never blocks a request: if the queue is full the
    /// record is dropped and the next record says how many were.
    pub fn record(&self, mut fields: Map<String, Value>) {
        let mut rec = Map::new();
        rec.insert(
            "ts".into(),
            Value::String(crate::time::rfc3339_millis(crate::time::unix_millis())),
        );
        rec.append(&mut fields);
        if let Err(TrySendError::Full(_)) = self.tx.try_send(Msg::Record(rec)) {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Blocks until every queued record is written and synced (shutdown).
    pub fn flush(&self) {
        let (done_tx, done_rx) = sync_channel(1);
        if self.tx.send(Msg::Flush(done_tx)).is_ok() {
            let _ = done_rx.recv_timeout(std::time::Duration::from_secs(10));
        }
    }
}

fn writer(
    mut f: File,
    rx: Receiver<Msg>,
    mut seq: u64,
    mut head: String,
    fsync: bool,
    dropped: std::sync::Arc<AtomicU64>,
) {
    while let Ok(msg) = rx.recv() {
        let mut rec = match msg {
            Msg::Flush(done) => {
                let _ = f.sync_data();
                let _ = done.send(());
                continue;
            }
            Msg::Record(r) => r,
        };
        let lost = dropped.swap(0, Ordering::Relaxed);
        if lost > 0 {
            rec.insert("dropped_before".into(), Value::from(lost));
        }
        let (line, hash) = seal(seq, &head, rec);
        // One write per record: a killed process leaves whole lines.
        if let Err(e) = f.write_all(line.as_bytes()) {
            eprintln!("warden gateway: audit write failed: {e}");
            continue;
        }
        if fsync {
            let _ = f.sync_data();
        }
        seq += 1;
        head = hash;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: u64) -> String {
        let mut prev = GENESIS.to_string();
        let mut out = String::new();
        for i in 0..n {
            let mut m = Map::new();
            m.insert("event".into(), Value::from(format!("e{i}")));
            let (line, h) = seal(i, &prev, m);
            out.push_str(&line);
            prev = h;
        }
        out
    }

    #[test]
    fn detects_edit_delete_reorder() {
        let text = chain(5);
        assert_eq!(verify(&text).unwrap().records, 5);
        let edited = text.replacen("\"e2\"", "\"eX\"", 1);
        assert_eq!(verify(&edited).unwrap_err().line, 3);
        let lines: Vec<&str> = text.lines().collect();
        let deleted = [lines[0], lines[1], lines[3], lines[4]].join("\n") + "\n";
        assert_eq!(verify(&deleted).unwrap_err().line, 3);
        let reordered = [lines[0], lines[2], lines[1], lines[3], lines[4]].join("\n") + "\n";
        assert_eq!(verify(&reordered).unwrap_err().line, 2);
        let torn = format!("{text}{{\"seq\":5,");
        let v = verify(&torn).unwrap();
        assert!(v.torn_tail && v.records == 5);
    }

    #[test]
    fn writer_continues_the_chain_across_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("audit.jsonl");
        for round in 0..2 {
            let log = AuditLog::open(&p, false).unwrap();
            for i in 0..10 {
                let mut m = Map::new();
                m.insert("event".into(), Value::from(format!("r{round}-{i}")));
                log.record(m);
            }
            log.flush();
        }
        let v = verify_file(&p).unwrap().unwrap();
        assert_eq!(v.records, 20);
        // A torn tail is repaired at the next start and the chain still verifies.
        std::fs::OpenOptions::new()
            .append(true)
            .open(&p)
            .unwrap()
            .write_all(b"{\"seq\":20,\"ev")
            .unwrap();
        let log = AuditLog::open(&p, false).unwrap();
        log.flush();
        let v = verify_file(&p).unwrap().unwrap();
        assert_eq!(v.records, 21);
        assert!(!v.torn_tail);
    }
}
