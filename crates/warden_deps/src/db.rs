//! The vulnerability database: the indexes of every configured source, queried together, plus
//! where sources and the cache live by default (`--vuln-db`, `WARDEN_VULN_DB`, the data
//! directory that `warden db fetch` fills).

use crate::advisory::StoredAdvisory;
use crate::ecosystem::Ecosystem;
use crate::error::DbError;
use crate::index::SourceIndex;
use std::path::{Path, PathBuf};

/// Environment variable naming advisory sources (a path list, like `PATH`).
pub const ENV_VULN_DB: &str = "WARDEN_VULN_DB";

/// Advisory data from one or more sources.
#[derive(Debug)]
pub struct VulnDb {
    indexes: Vec<SourceIndex>,
}

impl VulnDb {
    /// Opens every source (a directory of OSV JSON/YAML files and/or `all.zip` exports, or one
    /// such file), building or reusing each source's index under `cache_dir`.
    pub fn open(sources: &[PathBuf], cache_dir: &Path) -> Result<VulnDb, DbError> {
        if sources.is_empty() {
            return Err(DbError::NoSources);
        }
        let indexes = sources
            .iter()
            .map(|s| SourceIndex::open(s, cache_dir))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(VulnDb { indexes })
    }

    /// A database without advisories: an audit with it reports only unpinned builds.
    pub fn empty() -> VulnDb {
        VulnDb {
            indexes: Vec::new(),
        }
    }

    /// Every advisory for a package, from all sources (the name is normalised here).
    pub fn lookup(&self, eco: Ecosystem, name: &str) -> Vec<StoredAdvisory> {
        let key = eco.normalize_name(name);
        let mut out = Vec::new();
        for idx in &self.indexes {
            out.extend(idx.lookup(eco, &key));
        }
        out
    }

    /// The loaded sources.
    pub fn sources(&self) -> &[SourceIndex] {
        &self.indexes
    }
}

/// Where cached indexes live: `<user cache dir>/warden`.
pub fn default_cache_dir() -> PathBuf {
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("warden")
}

/// Where `warden db fetch` stores exports: `<user data dir>/warden/osv`.
pub fn default_data_dir() -> PathBuf {
    dirs::data_local_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("warden")
        .join("osv")
}

/// The sources to use: the explicit ones (`--vuln-db`, repeatable) if any, else the paths in
/// `WARDEN_VULN_DB`, else the default data directory when `warden db fetch` has filled it.
pub fn resolve_sources(explicit: &[PathBuf]) -> Vec<PathBuf> {
    if !explicit.is_empty() {
        return explicit.to_vec();
    }
    if let Some(v) = std::env::var_os(ENV_VULN_DB) {
        let paths: Vec<PathBuf> = std::env::split_paths(&v)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        if !paths.is_empty() {
            return paths;
        }
    }
    let data = default_data_dir();
    if data.is_dir() {
        vec![data]
    } else {
        Vec::new()
    }
}
