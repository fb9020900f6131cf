//! Parallel discovery of the files to scan, with the `ignore` crate.
//!
//! Honours `.gitignore`, skips generated and vendored trees by default (`.git`, `node_modules`,
//! `.aws-sam`, `cdk.out` assets, `site-packages`, `.serverless`, `.terraform`), applies user
//! exclusions, and never follows a symlink out of the scanned root: a symlink whose target lies
//! outside the root, or that loops, is reported as an error and skipped.

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use thiserror::Error;
use warden_model::ScanError;

/// Directory names skipped unless `include_vendored` is set.
pub const DEFAULT_SKIPPED_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    ".aws-sam",
    "site-packages",
    ".serverless",
    ".terraform",
    "__pycache__",
    ".venv",
    "venv",
];

/// How to walk.
#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// Glob patterns (relative to the root) to exclude, e.g. `tests/**`.
    pub exclude: Vec<String>,
    /// Also walk vendored and generated trees (`node_modules`, `site-packages`, …).
    pub include_vendored: bool,
    /// Worker threads (0: one per core).
    pub threads: usize,
}

/// A file to classify.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DiscoveredFile {
    /// Path relative to the root, with `/` separators.
    pub rel: String,
    /// The path to read (inside the root; a symlink's canonical target).
    pub path: PathBuf,
    pub size: u64,
}

#[derive(Debug, Error)]
pub enum DiscoverError {
    #[error("cannot read the scan root {path}: {source}")]
    Root {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid exclude pattern `{pattern}`: {source}")]
    Pattern {
        pattern: String,
        source: globset::Error,
    },
}

/// Walks `root` (a directory or a single file). Results are sorted by relative path.
pub fn discover(
    root: &Path,
    opts: &DiscoverOptions,
) -> Result<(Vec<DiscoveredFile>, Vec<ScanError>), DiscoverError> {
    let canonical_root = root.canonicalize().map_err(|source| DiscoverError::Root {
        path: root.to_path_buf(),
        source,
    })?;
    if canonical_root.is_file() {
        let size = canonical_root.metadata().map(|m| m.len()).unwrap_or(0);
        let rel = root.file_name().map_or_else(
            || root.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        return Ok((
            vec![DiscoveredFile {
                rel,
                path: canonical_root,
                size,
            }],
            Vec::new(),
        ));
    }
    let excludes = build_excludes(&opts.exclude)?;
    let files = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let include_vendored = opts.include_vendored;
    let walker = WalkBuilder::new(&canonical_root)
        .hidden(false)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .parents(false)
        .follow_links(false)
        .threads(opts.threads)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if !is_dir || include_vendored {
                return true;
            }
            let name = entry.file_name().to_string_lossy();
            if DEFAULT_SKIPPED_DIRS.contains(&name.as_ref()) {
                return false;
            }
            // CDK asset copies: cdk.out/asset.<hash>/
            !(name.starts_with("asset.")
                && entry
                    .path()
                    .parent()
                    .and_then(Path::file_name)
                    .is_some_and(|p| p == "cdk.out"))
        })
        .build_parallel();
    walker.run(|| {
        let root = canonical_root.as_path();
        let excludes = &excludes;
        let files = &files;
        let errors = &errors;
        Box::new(move |result| {
            let entry = match result {
                Ok(entry) => entry,
                Err(err) => {
                    let file = err_path(&err, root);
                    push(errors, ScanError::new(file, err.to_string()));
                    return WalkState::Continue;
                }
            };
            let Some(kind) = entry.file_type() else {
                return WalkState::Continue;
            };
            let rel = relative(entry.path(), root);
            if excludes.is_match(&rel) {
                return if kind.is_dir() {
                    WalkState::Skip
                } else {
                    WalkState::Continue
                };
            }
            if kind.is_symlink() {
                match resolve_symlink(entry.path(), root) {
                    Ok(Some((target, size))) => push(
                        files,
                        DiscoveredFile {
                            rel,
                            path: target,
                            size,
                        },
                    ),
                    Ok(None) => {}
                    Err(message) => push(errors, ScanError::new(rel, message)),
                }
            } else if kind.is_file() {
                let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                push(
                    files,
                    DiscoveredFile {
                        rel,
                        path: entry.into_path(),
                        size,
                    },
                );
            }
            WalkState::Continue
        })
    });
    let mut files = files.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    files.sort();
    errors.sort();
    Ok((files, errors))
}

fn push<T>(list: &Mutex<Vec<T>>, item: T) {
    list.lock().unwrap_or_else(|p| p.into_inner()).push(item);
}

fn build_excludes(patterns: &[String]) -> Result<GlobSet, DiscoverError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|source| DiscoverError::Pattern {
            pattern: pattern.clone(),
            source,
        })?;
        builder.add(glob);
        // `dir` also excludes everything under it.
        if !pattern.ends_with("/**")
            && let Ok(g) = Glob::new(&format!("{}/**", pattern.trim_end_matches('/')))
        {
            builder.add(g);
        }
    }
    builder.build().map_err(|source| DiscoverError::Pattern {
        pattern: patterns.join(", "),
        source,
    })
}

fn relative(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn err_path(err: &ignore::Error, root: &Path) -> String {
    match err {
        ignore::Error::WithPath { path, .. } => relative(path, root),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            err_path(err, root)
        }
        _ => ".".to_string(),
    }
}

/// A symlink is followed only to a regular file inside the root (directories inside the root are
/// walked at their real place; loops and targets outside the root are errors).
fn resolve_symlink(link: &Path, root: &Path) -> Result<Option<(PathBuf, u64)>, String> {
    let target = link
        .canonicalize()
        .map_err(|e| format!("symbolic link cannot be resolved (loop or dangling): {e}"))?;
    if !target.starts_with(root) {
        return Err("symbolic link points outside the scanned root; not followed".into());
    }
    let meta = target.metadata().map_err(|e| e.to_string())?;
    if meta.is_file() {
        Ok(Some((target, meta.len())))
    } else {
        Ok(None)
    }
}
