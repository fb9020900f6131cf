//! The on-disk advisory index of one source: built once under the cache directory, keyed by the
//! source's canonical path, reused while the source's fingerprint (file list, sizes, mtimes) is
//! unchanged and rebuilt otherwise. A lookup is one hash-map probe and the decoding of that
//! package's records.

mod build;
mod fingerprint;
pub mod format;

use crate::advisory::StoredAdvisory;
use crate::ecosystem::Ecosystem;
use crate::error::DbError;
use format::{Header, SourceStats};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The loaded index of one source.
#[derive(Debug)]
pub struct SourceIndex {
    source: PathBuf,
    index_file: Option<PathBuf>,
    rebuilt: bool,
    built_unix: u64,
    stats: SourceStats,
    bytes: Vec<u8>,
    blob_start: usize,
    table: HashMap<(u8, String), (u32, u32)>,
}

fn from_parts(
    source: PathBuf,
    index_file: Option<PathBuf>,
    rebuilt: bool,
    header: Header,
    bytes: Vec<u8>,
    blob_start: usize,
) -> SourceIndex {
    let table = header
        .slots
        .into_iter()
        .map(|s| ((s.eco, s.name), (s.offset, s.len)))
        .collect();
    SourceIndex {
        source,
        index_file,
        rebuilt,
        built_unix: header.built_unix,
        stats: header.stats,
        bytes,
        blob_start,
        table,
    }
}

impl SourceIndex {
    /// Opens the index of `source` from `cache_dir`, building (and caching) it when it is missing,
    /// unreadable or stale. When the cache cannot be written the index is kept in memory only.
    pub fn open(source: &Path, cache_dir: &Path) -> Result<SourceIndex, DbError> {
        let canonical = std::fs::canonicalize(source).map_err(|e| DbError::Source {
            path: source.to_path_buf(),
            source: e,
        })?;
        let fp = fingerprint::fingerprint(&canonical).map_err(|e| DbError::Source {
            path: source.to_path_buf(),
            source: e,
        })?;
        let file = cache_dir.join(fingerprint::cache_file_name(&canonical));
        if let Ok(bytes) = std::fs::read(&file) {
            if let Some((header, start)) = format::decode_header(&bytes) {
                if header.fingerprint == fp {
                    return Ok(from_parts(
                        canonical,
                        Some(file),
                        false,
                        header,
                        bytes,
                        start,
                    ));
                }
            }
        }
        let (header, blob) = build::build(&canonical, fp)?;
        let encoded = format::encode(&header, &blob).map_err(|e| DbError::Encode(e.to_string()))?;
        let start = encoded.len() - blob.len();
        let cached = write_atomically(cache_dir, &file, &encoded).then_some(file);
        Ok(from_parts(canonical, cached, true, header, encoded, start))
    }

    /// The advisories recorded for a package (name normalised for its ecosystem).
    pub fn lookup(&self, eco: Ecosystem, normalized_name: &str) -> Vec<StoredAdvisory> {
        let Some(&(off, len)) = self.table.get(&(eco.tag(), normalized_name.to_string())) else {
            return Vec::new();
        };
        let start = self.blob_start + off as usize;
        self.bytes
            .get(start..start + len as usize)
            .and_then(format::decode_records)
            .unwrap_or_default()
    }

    /// The source (canonical path).
    pub fn source(&self) -> &Path {
        &self.source
    }
    /// The cache file, when the index could be cached.
    pub fn index_file(&self) -> Option<&Path> {
        self.index_file.as_deref()
    }
    /// Whether this open built the index (rather than reusing the cached one).
    pub fn rebuilt(&self) -> bool {
        self.rebuilt
    }
    /// When the index was built (seconds since the Unix epoch).
    pub fn built_unix(&self) -> u64 {
        self.built_unix
    }
    /// Statistics of the source.
    pub fn stats(&self) -> &SourceStats {
        &self.stats
    }
    /// Number of distinct packages with advisories.
    pub fn package_count(&self) -> usize {
        self.table.len()
    }
    /// Size of the index in bytes.
    pub fn size_bytes(&self) -> usize {
        self.bytes.len()
    }
}

fn write_atomically(dir: &Path, file: &Path, bytes: &[u8]) -> bool {
    if std::fs::create_dir_all(dir).is_err() {
        return false;
    }
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        file.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    if std::fs::write(&tmp, bytes).is_err() {
        let _ = std::fs::remove_file(&tmp);
        return false;
    }
    if std::fs::rename(&tmp, file).is_err() {
        let _ = std::fs::remove_file(&tmp);
        return false;
    }
    true
}
