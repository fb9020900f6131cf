//! The on-disk index format. A file is `MAGIC`, a little-endian `u32` header length, the
//! postcard-encoded [`Header`] (statistics and a table of packages sorted by ecosystem and name,
//! each with the offset and length of its records), then the records blob: for each package a
//! postcard-encoded `Vec<StoredAdvisory>`. Opening reads the header only; records of a package
//! are decoded when that package is looked up.

use crate::advisory::StoredAdvisory;
use serde::{Deserialize, Serialize};

/// File magic, with the format version in its last byte.
pub const MAGIC: &[u8; 8] = b"WDNOSV\x00\x03";

/// Statistics of one source, shown by `warden db status`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceStats {
    /// Records read (withdrawn ones included).
    pub records: u64,
    /// Withdrawn records, ignored.
    pub withdrawn: u64,
    /// Affected entries in ecosystems Warden does not audit.
    pub other_ecosystems: u64,
    /// `GIT` ranges skipped.
    pub git_ranges: u64,
    /// Records per supported ecosystem (OSV name, count).
    pub per_ecosystem: Vec<(String, u64)>,
    /// Newest `modified` time among the records.
    pub newest_modified: Option<String>,
    /// Documents that could not be read or parsed (the first few messages).
    pub errors: Vec<String>,
    /// How many documents failed in total.
    pub error_count: u64,
}

/// One package's slot in the table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Slot {
    /// Ecosystem tag.
    pub eco: u8,
    /// Normalised package name.
    pub name: String,
    /// Offset of its records in the blob.
    pub offset: u32,
    /// Length of its records.
    pub len: u32,
}

/// The header of an index file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    /// The source it was built from.
    pub source: String,
    /// Fingerprint of the source when built.
    pub fingerprint: String,
    /// Build time (seconds since the Unix epoch).
    pub built_unix: u64,
    /// Statistics.
    pub stats: SourceStats,
    /// Packages, sorted by (eco, name).
    pub slots: Vec<Slot>,
}

/// Encodes a full index file.
pub fn encode(header: &Header, blob: &[u8]) -> Result<Vec<u8>, postcard::Error> {
    let head = postcard::to_allocvec(header)?;
    let mut out = Vec::with_capacity(8 + 4 + head.len() + blob.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&u32::try_from(head.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(blob);
    Ok(out)
}

/// Decodes the header of an index file; returns it and the offset where the blob starts.
pub fn decode_header(bytes: &[u8]) -> Option<(Header, usize)> {
    if bytes.len() < 12 || &bytes[..8] != MAGIC {
        return None;
    }
    let len = u32::from_le_bytes(bytes[8..12].try_into().ok()?) as usize;
    let end = 12usize.checked_add(len)?;
    let header: Header = postcard::from_bytes(bytes.get(12..end)?).ok()?;
    Some((header, end))
}

/// Decodes one package's records.
pub fn decode_records(bytes: &[u8]) -> Option<Vec<StoredAdvisory>> {
    postcard::from_bytes(bytes).ok()
}
