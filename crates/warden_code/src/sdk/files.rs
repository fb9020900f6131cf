//! Where code files come from when collecting a function's SDK use: the file system under the
//! scanned root (through the [`Loader`], which confines paths), or the texts a code pass already
//! read ([`SourceFiles`], no file system access). Both resolve local imports the same way.

use crate::loader::Loader;
use crate::parse::Lang;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use warden_source::SourceFile;

/// Code files by path relative to the scanned root.
pub trait CodeFiles {
    /// The text of a file.
    fn text(&self, rel: &str) -> Option<Arc<str>>;
    /// The file a local import names (`./lib`, `from lib import x`), if it exists.
    fn resolve(&self, from: &str, lang: Lang, spec: &str) -> Option<String>;
}

/// Files read through a [`Loader`].
pub struct LoaderFiles<'a>(pub &'a Loader);

impl CodeFiles for LoaderFiles<'_> {
    fn text(&self, rel: &str) -> Option<Arc<str>> {
        let file = self.0.load(&self.0.root().join(rel)).ok()?;
        Some(file.source.text.clone())
    }

    fn resolve(&self, from: &str, _lang: Lang, spec: &str) -> Option<String> {
        let file = self.0.load(&self.0.root().join(from)).ok()?;
        let target = self.0.resolve_import(&file, spec)?;
        let canon = self.0.confine(&target).ok()?;
        Some(
            canon
                .strip_prefix(self.0.root())
                .ok()?
                .to_string_lossy()
                .replace('\\', "/"),
        )
    }
}

/// Files already in memory (a code pass's sources), by relative path.
pub struct SourceFiles {
    files: HashMap<String, Arc<str>>,
}

impl SourceFiles {
    /// Indexes `sources` by path.
    pub fn new(sources: &[Arc<SourceFile>]) -> SourceFiles {
        SourceFiles {
            files: sources
                .iter()
                .map(|s| (s.path.to_string(), s.text.clone()))
                .collect(),
        }
    }

    fn has(&self, p: &Path) -> Option<String> {
        let key = normalise(p)?;
        self.files.contains_key(&key).then_some(key)
    }
}

/// `a/./b/../c` → `a/c`; `None` when it climbs above the root.
fn normalise(p: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

impl CodeFiles for SourceFiles {
    fn text(&self, rel: &str) -> Option<Arc<str>> {
        self.files.get(rel).cloned()
    }

    fn resolve(&self, from: &str, lang: Lang, spec: &str) -> Option<String> {
        let dir = Path::new(from).parent().unwrap_or(Path::new(""));
        if lang.is_js() {
            if !spec.starts_with('.') {
                return None;
            }
            return crate::loader::js_import_candidates(dir, spec)
                .iter()
                .find_map(|c| self.has(c));
        }
        let dots = spec.chars().take_while(|c| *c == '.').count();
        let rel: PathBuf = spec[dots..].split('.').filter(|s| !s.is_empty()).collect();
        let mut bases = Vec::new();
        if dots > 0 {
            let mut d = dir.to_path_buf();
            for _ in 1..dots {
                d = d.parent()?.to_path_buf();
            }
            bases.push(d);
        } else {
            let mut d = Some(dir);
            for _ in 0..3 {
                let Some(cur) = d else { break };
                bases.push(cur.to_path_buf());
                d = cur.parent();
            }
        }
        for base in bases {
            let target = base.join(&rel);
            if !rel.as_os_str().is_empty()
                && let Some(hit) = self.has(&PathBuf::from(format!("{}.py", target.display())))
            {
                return Some(hit);
            }
            if let Some(hit) = self.has(&target.join("__init__.py")) {
                return Some(hit);
            }
        }
        None
    }
}
