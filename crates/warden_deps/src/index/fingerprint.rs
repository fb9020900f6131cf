//! The identity of a source for the cache: its canonical path, and the relative path, size and
//! modification time of each data file under it. Any change to one of them rebuilds the index.

use crate::osv::read::data_files;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::time::UNIX_EPOCH;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The name of the index file for a source inside the cache directory.
pub fn cache_file_name(canonical_source: &Path) -> String {
    let digest = Sha256::digest(canonical_source.to_string_lossy().as_bytes());
    format!("osv-{}.idx", hex(&digest[..12]))
}

/// Fingerprint of a source (hex SHA-256 over path, and each file's relative path, size, mtime).
pub fn fingerprint(canonical_source: &Path) -> std::io::Result<String> {
    let mut h = Sha256::new();
    h.update(canonical_source.to_string_lossy().as_bytes());
    for file in data_files(canonical_source)? {
        let meta = std::fs::metadata(&file)?;
        let rel = file.strip_prefix(canonical_source).unwrap_or(&file);
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        h.update([0u8]);
        h.update(rel.to_string_lossy().as_bytes());
        h.update(meta.len().to_le_bytes());
        h.update(mtime.to_le_bytes());
    }
    Ok(hex(&h.finalize()))
}
