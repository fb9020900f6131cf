//! `file()`, `fileexists()` and `templatefile()`: paths are taken relative to the root module's
//! directory (as Terraform does), canonicalised (symlinks followed) and read only when the result
//! lies inside the scanned root and within the size limit. Nothing outside the root is ever read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use warden_model::ScanError;
use warden_source::SourceFile;

/// Where files may be read from and what was read.
#[derive(Debug, Default)]
pub struct FileAccess {
    /// The canonical scanned root; `None` refuses every read.
    pub root: Option<PathBuf>,
    /// The root module's directory (canonical), base of relative paths.
    pub base: PathBuf,
    pub max_file_size: u64,
    cache: HashMap<PathBuf, Result<Arc<SourceFile>, String>>,
    /// Texts read, for excerpts.
    pub sources: Vec<Arc<SourceFile>>,
    /// Problems worth reporting (missing or refused files).
    pub errors: Vec<ScanError>,
}

impl FileAccess {
    pub fn new(root: Option<PathBuf>, base: PathBuf, max_file_size: u64) -> Self {
        Self {
            root,
            base,
            max_file_size,
            ..Self::default()
        }
    }

    /// True when `written` names a readable file inside the root.
    pub fn exists(&mut self, written: &str) -> bool {
        self.read(written, "").is_ok()
    }

    /// The text of `written`; `from` is the file holding the call (for error entries).
    pub fn read(&mut self, written: &str, from: &str) -> Result<Arc<SourceFile>, String> {
        let trimmed = written.trim();
        if trimmed.is_empty() {
            return Err("`file()` needs a path".into());
        }
        let joined = self.base.join(trimmed);
        let canonical = match joined.canonicalize() {
            Ok(p) => p,
            Err(e) => {
                let msg = if e.kind() == std::io::ErrorKind::NotFound {
                    format!("file `{trimmed}` not found")
                } else {
                    format!("cannot read `{trimmed}`: {e}")
                };
                self.report(from, &msg);
                return Err(msg);
            }
        };
        if let Some(hit) = self.cache.get(&canonical) {
            return hit.clone();
        }
        let result = self.load(trimmed, &canonical);
        if let Err(msg) = &result {
            self.report(from, msg);
        }
        self.cache.insert(canonical, result.clone());
        result
    }

    fn report(&mut self, from: &str, msg: &str) {
        if from.is_empty() {
            return;
        }
        let e = ScanError::new(from, msg);
        if !self.errors.contains(&e) {
            self.errors.push(e);
        }
    }

    fn load(&mut self, written: &str, canonical: &Path) -> Result<Arc<SourceFile>, String> {
        let Some(root) = &self.root else {
            return Err(format!(
                "`{written}`: the scanned root is unknown; not read"
            ));
        };
        let Ok(inside) = canonical.strip_prefix(root) else {
            return Err(format!(
                "`{written}` lies outside the scanned root; not read"
            ));
        };
        let rel: String = inside
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let meta =
            std::fs::metadata(canonical).map_err(|e| format!("cannot read `{written}`: {e}"))?;
        if !meta.is_file() {
            return Err(format!("`{written}` is not a file"));
        }
        if meta.len() > self.max_file_size {
            return Err(format!(
                "`{written}` is larger than the size limit of {} bytes; not read",
                self.max_file_size
            ));
        }
        let bytes =
            std::fs::read(canonical).map_err(|e| format!("cannot read `{written}`: {e}"))?;
        let text =
            String::from_utf8(bytes).map_err(|_| format!("`{written}` is not valid UTF-8"))?;
        let source = Arc::new(SourceFile::new(rel, text));
        self.sources.push(source.clone());
        Ok(source)
    }
}
