//! Dependency audit for Warden: lockfile and manifest parsing, OSV advisory data with an
//! on-disk index, and exact per-ecosystem version matching.
//!
//! # Public API (what `warden scan` wires in)
//!
//! ```no_run
//! use std::path::{Path, PathBuf};
//! use warden_deps::{VulnDb, audit, discover_manifests, default_cache_dir, resolve_sources};
//!
//! let root = Path::new("my-app");
//! let files = vec![PathBuf::from("src/orders/package-lock.json"), PathBuf::from("src/users/requirements.txt")];
//! // 1. Parse the manifests among the scanned files (paths relative to `root`).
//! let manifests = discover_manifests(root, &files);
//! // 2. Open the advisory data: `--vuln-db` paths, else `WARDEN_VULN_DB`, else what
//! //    `warden db fetch` stored. An error (e.g. `DbError::NoSources`) is reported once and the
//! //    rest of the scan goes on.
//! let db = VulnDb::open(&resolve_sources(&[]), &default_cache_dir())?;
//! // 3. Audit.
//! let report = audit(&manifests, &db);
//! for f in &report.findings {
//!     // f.manifest: attribute to the functions whose CodeUri/handler/layer contains it.
//!     println!("{}:{} {}@{} {} ({}) fix: {:?}", f.file.display(), f.line, f.package, f.version, f.advisory, f.severity, f.fixed_version);
//! }
//! for u in &report.unpinned { /* a low finding: the function package has unpinned builds */ }
//! # Ok::<(), warden_deps::DbError>(())
//! ```
//!
//! - [`discover_manifests`]`(root, &[relative paths]) -> Vec<`[`ManifestFile`]`>`: every
//!   supported format (npm: `package-lock.json` v1-v3, `npm-shrinkwrap.json`, `yarn.lock` v1 and
//!   Berry, `pnpm-lock.yaml`, `package.json` without a lockfile, vendored
//!   `node_modules/*/package.json`; PyPI: `requirements*.txt`, `Pipfile.lock`, `poetry.lock`,
//!   `uv.lock`, `pyproject.toml` without a lockfile, vendored `*.dist-info/METADATA`; Go:
//!   `go.mod`, `go.sum`; crates.io: `Cargo.lock`; Maven: `pom.xml`, `gradle.lockfile`). Each
//!   [`Package`] has its 1-based line and whether it is a direct dependency.
//! - [`VulnDb::open`]`(sources, cache_dir)`: sources are directories of OSV JSON/YAML files
//!   and/or osv.dev `all.zip` exports (or single such files). Each source's index is built once
//!   under `cache_dir` and rebuilt when the source's files change (path, size, mtime).
//! - [`audit`]`(&manifests, &db) -> `[`AuditReport`] `{ findings: Vec<`[`DepFinding`]`>,
//!   unpinned: Vec<`[`UnpinnedManifest`]`>, errors, skipped_git_ranges, packages_checked }`.
//!   A [`DepFinding`] carries manifest and file (relative), line, ecosystem, package, installed
//!   version, advisory id and aliases (records sharing an id or alias are one finding),
//!   summary, [`Severity`] from the CVSS v3/v4 vector (medium without one), CVSS score and
//!   vector, nearest fixed version, and `direct`.
//!
//! Matching follows OSV exactly: `SEMVER` and `ECOSYSTEM` ranges with `introduced`, `fixed`,
//! `last_affected` and `limit` events, explicit `versions` lists, withdrawn records ignored,
//! `GIT` ranges skipped and counted. Versions order per ecosystem ([`version`]): SemVer with
//! prereleases (npm, crates.io), Go module versions and pseudo-versions, PEP 440, Maven.

mod advisory;
mod audit;
mod db;
mod ecosystem;
mod error;
pub mod index;
pub mod manifest;
pub mod matching;
pub mod osv;
pub mod severity;
pub mod version;

pub use advisory::{Event, StoredAdvisory, StoredRange};
pub use audit::{
    AuditError, AuditReport, DepFinding, UnpinnedManifest, UnpinnedReason, audit, is_lockfile,
};
pub use db::{ENV_VULN_DB, VulnDb, default_cache_dir, default_data_dir, resolve_sources};
pub use ecosystem::Ecosystem;
pub use error::DbError;
pub use index::format::SourceStats;
pub use manifest::{
    ManifestFile, ManifestFormat, Package, UnpinnedDep, discover_manifests,
    discover_manifests_where,
};
pub use severity::Severity;
