//! One scan's loading pipeline: discover, classify cheaply, read, parse and lower in parallel.
//!
//! Every failure is an entry in `errors` for its file; the other files go on.

use crate::cfn::{self, context::ParamOverrides};
use crate::classify::{self, FileKind};
use crate::discover::{self, DiscoverError, DiscoverOptions, DiscoveredFile};
use crate::document::{self, Limits};
use rayon::prelude::*;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use warden_model::{App, ScanError};
use warden_source::{SourceFile, SourceMap};

/// Bytes read to classify a file before deciding to parse it.
pub const SNIFF_BYTES: usize = 16 * 1024;
/// Default per-file size cap for templates.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;

/// How to load a project.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub discover: DiscoverOptions,
    /// Templates larger than this are an error, not parsed.
    pub max_file_size: u64,
    /// `--param` / `--params-file` values.
    pub params: ParamOverrides,
    pub limits: Limits,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            discover: DiscoverOptions::default(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            params: ParamOverrides::new(),
            limits: Limits::default(),
        }
    }
}

/// Everything loaded from a project.
#[derive(Debug, Default)]
pub struct Project {
    /// Apps in file order.
    pub apps: Vec<App>,
    /// Texts of the parsed files, for excerpts and suppression comments.
    pub sources: SourceMap,
    pub errors: Vec<ScanError>,
    /// Every discovered file with its classification, for later passes (code, secrets, deps).
    pub files: Vec<(DiscoveredFile, FileKind)>,
}

struct Loaded {
    file: DiscoveredFile,
    kind: FileKind,
    app: Option<App>,
    source: Option<Arc<SourceFile>>,
    errors: Vec<ScanError>,
}

/// Loads every app under `root`.
pub fn load(root: &Path, opts: &LoadOptions) -> Result<Project, DiscoverError> {
    let (files, mut errors) = discover::discover(root, &opts.discover)?;
    let loaded: Vec<Loaded> = files.into_par_iter().map(|f| load_file(f, opts)).collect();
    let mut project = Project::default();
    for l in loaded {
        errors.extend(l.errors);
        if let Some(source) = l.source {
            project.sources.insert(source);
        }
        if let Some(app) = l.app {
            project.apps.push(app);
        }
        project.files.push((l.file, l.kind));
    }
    errors.sort();
    project.errors = errors;
    Ok(project)
}

fn load_file(file: DiscoveredFile, opts: &LoadOptions) -> Loaded {
    let mut out = Loaded {
        kind: FileKind::Other,
        file,
        app: None,
        source: None,
        errors: Vec::new(),
    };
    let head = match read_head(&out.file.path) {
        Ok(head) => head,
        Err(e) => {
            out.errors.push(ScanError::new(&out.file.rel, format!("cannot read: {e}")));
            return out;
        }
    };
    out.kind = classify::classify(Path::new(&out.file.rel), &head);
    if !matches!(out.kind, FileKind::CloudFormation { .. }) {
        return out;
    }
    if out.file.size > opts.max_file_size {
        out.errors.push(ScanError::new(
            &out.file.rel,
            format!(
                "template of {} bytes exceeds the size limit of {} bytes (--max-file-size); not parsed",
                out.file.size, opts.max_file_size
            ),
        ));
        return out;
    }
    let bytes = match std::fs::read(&out.file.path) {
        Ok(b) => b,
        Err(e) => {
            out.errors.push(ScanError::new(&out.file.rel, format!("cannot read: {e}")));
            return out;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            out.errors.push(ScanError::new(
                &out.file.rel,
                format!("not valid UTF-8 (byte {}); not parsed", e.utf8_error().valid_up_to()),
            ));
            return out;
        }
    };
    let rel: Arc<str> = Arc::from(out.file.rel.as_str());
    let source = Arc::new(SourceFile::new(rel.clone(), text));
    out.source = Some(source.clone());
    let doc = match document::parse(rel.clone(), &source.text, &opts.limits) {
        Ok(doc) => doc,
        Err(e) => {
            let pos = source.position(e.span().start);
            out.errors.push(ScanError::new(
                &out.file.rel,
                format!("{e} (line {}, column {})", pos.line, pos.column),
            ));
            return out;
        }
    };
    match cfn::lower(rel, &doc.root, &opts.params) {
        Ok(app) => out.app = Some(app),
        Err(e) => out.errors.push(ScanError::new(&out.file.rel, e.to_string())),
    }
    out
}

fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(SNIFF_BYTES);
    std::fs::File::open(path)?
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut buf)?;
    Ok(buf)
}
