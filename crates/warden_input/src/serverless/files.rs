//! Files read by `${file(…)}`, confined to the scanned root.
//!
//! A path is taken relative to the directory of `serverless.yml`, canonicalised (symlinks
//! followed) and read only when the result lies inside the scanned root: `../../etc/passwd` or a
//! symlink pointing out of the tree is refused, never read. YAML and JSON files are parsed with
//! origins (findings inside them point at their lines); JavaScript and TypeScript files are never
//! executed; any other file is its text, as the framework reads it.

use crate::document::{self, Limits};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use warden_model::{Node, Val};
use warden_source::{Origin, SourceFile, Span};

/// Why a file gave no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileFailure {
    /// The file does not exist: a fallback applies.
    Missing(String),
    /// The file cannot be used (outside the root, a script, unreadable, invalid): a problem.
    Refused(String),
    /// A script that is never executed.
    Script(String),
}

/// Where files may be read from.
#[derive(Debug, Clone)]
pub struct Confinement {
    /// The canonical scanned root.
    pub root: PathBuf,
    /// The canonical directory holding `serverless.yml`.
    pub service_dir: PathBuf,
    pub max_file_size: u64,
    pub limits: Limits,
}

/// Files loaded so far, by canonical path.
#[derive(Debug, Default)]
pub struct FileCache {
    loaded: HashMap<PathBuf, Result<Arc<Node>, FileFailure>>,
    /// Texts of the files read, for line numbers in findings.
    pub sources: Vec<Arc<SourceFile>>,
}

impl FileCache {
    /// The parsed content of `param` (a path as written in `file(…)`).
    pub fn load(&mut self, conf: &Confinement, param: &str) -> Result<Arc<Node>, FileFailure> {
        let trimmed = param.trim();
        if trimmed.is_empty() {
            return Err(FileFailure::Refused("`file()` needs a path".into()));
        }
        let joined = conf.service_dir.join(trimmed);
        let canonical = match joined.canonicalize() {
            Ok(p) => p,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(FileFailure::Missing(format!("file `{trimmed}` not found")));
            }
            Err(e) => {
                return Err(FileFailure::Refused(format!(
                    "cannot read `{trimmed}`: {e}"
                )));
            }
        };
        if let Some(hit) = self.loaded.get(&canonical) {
            return hit.clone();
        }
        let result = self.read(conf, trimmed, &canonical);
        self.loaded.insert(canonical, result.clone());
        result
    }

    fn read(
        &mut self,
        conf: &Confinement,
        written: &str,
        canonical: &Path,
    ) -> Result<Arc<Node>, FileFailure> {
        let Ok(inside) = canonical.strip_prefix(&conf.root) else {
            return Err(FileFailure::Refused(format!(
                "`{written}` lies outside the scanned root; not read"
            )));
        };
        let rel: Arc<str> = Arc::from(
            inside
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        );
        let ext = canonical
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if matches!(ext.as_str(), "js" | "cjs" | "mjs" | "ts" | "mts" | "cts") {
            return Err(FileFailure::Script(format!(
                "`{written}` is a script: not executed (unsupported)"
            )));
        }
        let meta = std::fs::metadata(canonical)
            .map_err(|e| FileFailure::Refused(format!("cannot read `{written}`: {e}")))?;
        if !meta.is_file() {
            return Err(FileFailure::Refused(format!("`{written}` is not a file")));
        }
        if meta.len() > conf.max_file_size {
            return Err(FileFailure::Refused(format!(
                "`{written}` is larger than the size limit of {} bytes; not read",
                conf.max_file_size
            )));
        }
        let bytes = std::fs::read(canonical)
            .map_err(|e| FileFailure::Refused(format!("cannot read `{written}`: {e}")))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| FileFailure::Refused(format!("`{written}` is not valid UTF-8")))?;
        let source = Arc::new(SourceFile::new(rel.clone(), text));
        self.sources.push(source.clone());
        if matches!(ext.as_str(), "yml" | "yaml" | "json") {
            return match document::parse(rel, &source.text, &conf.limits) {
                Ok(doc) => Ok(Arc::new(doc.root)),
                Err(e) => {
                    let pos = source.position(e.span().start);
                    Err(FileFailure::Refused(format!(
                        "`{written}`: {e} (line {}, column {})",
                        pos.line, pos.column
                    )))
                }
            };
        }
        let len = u32::try_from(source.text.len()).unwrap_or(u32::MAX);
        Ok(Arc::new(Node::new(
            Val::Str(source.text.to_string()),
            Origin::new(rel, Span::new(0, len), ""),
        )))
    }
}
