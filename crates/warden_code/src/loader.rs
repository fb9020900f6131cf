//! Loading code files safely: paths are canonicalised and must stay inside the scanned root (no
//! symlink escapes), files over [`MAX_FILE_BYTES`] are refused, each file is parsed and lowered
//! once and shared between the functions (and threads) that use it. Also resolves local imports
//! (`./lib`, `from lib import f`) to files.

use crate::error::CodeError;
use crate::ir::Module;
use crate::parse::{Lang, parse};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use warden_source::SourceFile;

/// Files larger than this are not analysed.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// A parsed and lowered code file.
#[derive(Debug)]
pub struct LoadedFile {
    /// Path relative to the scanned root, with `/` separators.
    pub rel: Arc<str>,
    pub abs: PathBuf,
    pub lang: Lang,
    pub module: Arc<Module>,
    pub source: Arc<SourceFile>,
}

type Cache = HashMap<PathBuf, Result<Arc<LoadedFile>, CodeError>>;

/// Loads files under one root, with a cache shared across threads.
#[derive(Debug)]
pub struct Loader {
    root: PathBuf,
    cache: Mutex<Cache>,
}

impl Loader {
    /// A loader for files under `root` (a directory, or a file whose directory is used).
    pub fn new(root: &Path) -> Result<Self, CodeError> {
        let dir = if root.is_file() {
            root.parent().unwrap_or(root)
        } else {
            root
        };
        let root = dir
            .canonicalize()
            .map_err(|e| CodeError::Read(dir.to_path_buf(), e.to_string()))?;
        Ok(Self {
            root,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// The canonical root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Canonicalises `path` and checks that it stays inside the root.
    pub fn confine(&self, path: &Path) -> Result<PathBuf, CodeError> {
        let canon = path
            .canonicalize()
            .map_err(|e| CodeError::Read(path.to_path_buf(), e.to_string()))?;
        if canon.starts_with(&self.root) {
            Ok(canon)
        } else {
            Err(CodeError::OutsideRoot(path.to_path_buf()))
        }
    }

    /// True when `path` is an existing regular file inside the root.
    pub fn is_file(&self, path: &Path) -> bool {
        self.confine(path).is_ok_and(|p| p.is_file())
    }

    /// Every file loaded so far (successfully).
    pub fn loaded(&self) -> Vec<Arc<LoadedFile>> {
        let cache = match self.cache.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        let mut files: Vec<Arc<LoadedFile>> = cache
            .values()
            .filter_map(|r| r.as_ref().ok().cloned())
            .collect();
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        files
    }

    /// Loads, parses and lowers a file (once).
    pub fn load(&self, path: &Path) -> Result<Arc<LoadedFile>, CodeError> {
        let canon = self.confine(path)?;
        {
            let cache = match self.cache.lock() {
                Ok(c) => c,
                Err(poisoned) => poisoned.into_inner(),
            };
            if let Some(hit) = cache.get(&canon) {
                return hit.clone();
            }
        }
        let result = self.read(&canon).map(Arc::new);
        let mut cache = match self.cache.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        cache.entry(canon).or_insert(result).clone()
    }

    fn read(&self, canon: &Path) -> Result<LoadedFile, CodeError> {
        let rel = canon
            .strip_prefix(&self.root)
            .unwrap_or(canon)
            .to_string_lossy()
            .replace('\\', "/");
        let lang = Lang::from_path(canon).ok_or_else(|| CodeError::Unsupported(rel.clone()))?;
        let meta = std::fs::metadata(canon)
            .map_err(|e| CodeError::Read(PathBuf::from(&rel), e.to_string()))?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(CodeError::TooLarge(PathBuf::from(&rel), MAX_FILE_BYTES));
        }
        let bytes = std::fs::read(canon)
            .map_err(|e| CodeError::Read(PathBuf::from(&rel), e.to_string()))?;
        let text: Arc<str> = String::from_utf8_lossy(&bytes).into();
        let parsed = parse(lang, text.clone())?;
        let module = crate::lower::lower(&parsed);
        let rel: Arc<str> = rel.into();
        Ok(LoadedFile {
            rel: rel.clone(),
            abs: canon.to_path_buf(),
            lang,
            module: Arc::new(module),
            source: Arc::new(SourceFile::new(rel, text)),
        })
    }

    /// The file a local import names, if it is one: `./x`/`../x` (with `.js`/`.ts`/… or
    /// `/index.*`) for JavaScript, `x.y` / `.x` for Python (as `x/y.py` or a package
    /// `__init__.py`, looked up beside the importing file and up to two directories above).
    pub fn resolve_import(&self, from: &LoadedFile, spec: &str) -> Option<PathBuf> {
        let dir = from.abs.parent()?;
        if from.lang.is_js() {
            if !spec.starts_with('.') {
                return None;
            }
            return js_import_candidates(dir, spec)
                .into_iter()
                .find(|c| self.is_file(c) && Lang::from_path(c).is_some());
        }
        let dots = spec.chars().take_while(|c| *c == '.').count();
        let rest = &spec[dots..];
        let rel: PathBuf = rest.split('.').filter(|s| !s.is_empty()).collect();
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
                d = cur.parent().filter(|p| p.starts_with(&self.root));
            }
        }
        for base in bases {
            let target = base.join(&rel);
            let file = PathBuf::from(format!("{}.py", target.display()));
            if !rel.as_os_str().is_empty() && self.is_file(&file) {
                return Some(file);
            }
            let init = target.join("__init__.py");
            if self.is_file(&init) {
                return Some(init);
            }
        }
        None
    }
}

/// The files a relative JavaScript import (`./x`, `../lib/y`) may name, in Node's lookup order:
/// the path as written, with each extension, as a directory's `index.*`, and `./x.js` written in
/// TypeScript sources that compile to JavaScript.
pub(crate) fn js_import_candidates(dir: &Path, spec: &str) -> Vec<PathBuf> {
    let base = dir.join(spec);
    let mut candidates = vec![base.clone()];
    for ext in ["js", "ts", "mjs", "cjs", "tsx", "jsx"] {
        candidates.push(PathBuf::from(format!("{}.{ext}", base.display())));
    }
    for ext in ["js", "ts", "mjs", "cjs"] {
        candidates.push(base.join(format!("index.{ext}")));
    }
    if let Some(stem) = spec.strip_suffix(".js") {
        candidates.push(dir.join(format!("{stem}.ts")));
    }
    candidates
}
