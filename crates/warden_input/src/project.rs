//! One scan's loading pipeline: discover, classify cheaply, read, parse and lower in parallel.
//!
//! Every failure is an entry in `errors` for its file; the other files go on.

use crate::cfn::{self, context::ParamOverrides};
use crate::classify::{self, FileKind};
use crate::discover::{self, DiscoverError, DiscoverOptions, DiscoveredFile};
use crate::document::{self, Limits};
use crate::serverless;
use crate::{azure, terraform};
use rayon::prelude::*;
use std::collections::BTreeSet;
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
    /// Serverless Framework variables (`--opt`, `--allow-env`).
    pub serverless: serverless::Options,
    /// Terraform variables (`--var`).
    pub terraform: terraform::Options,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            discover: DiscoverOptions::default(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            params: ParamOverrides::new(),
            limits: Limits::default(),
            serverless: serverless::Options::default(),
            terraform: terraform::Options::default(),
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
    /// Files read by `${file(…)}` in a serverless.yml, or included by a template.
    included: Vec<Arc<SourceFile>>,
    /// Files a template read as API definitions or `AWS::Include` snippets (relative paths).
    definitions: Vec<String>,
    errors: Vec<ScanError>,
}

/// Loads every app under `root`.
pub fn load(root: &Path, opts: &LoadOptions) -> Result<Project, DiscoverError> {
    let (files, mut errors) = discover::discover(root, &opts.discover)?;
    let scan_root = serverless::confinement_root(root);
    let loaded: Vec<Loaded> = files
        .into_par_iter()
        .map(|f| load_file(f, opts, scan_root.as_deref()))
        .collect();
    let mut project = Project::default();
    let mut definitions = BTreeSet::new();
    let mut includers = BTreeSet::new();
    for l in loaded {
        if !l.definitions.is_empty() {
            includers.insert(l.file.rel.clone());
        }
        definitions.extend(l.definitions);
        errors.extend(l.errors);
        if let Some(source) = l.source {
            project.sources.insert(source);
        }
        for source in l.included {
            project.sources.insert(source);
        }
        if let Some(app) = l.app {
            project.apps.push(app);
        }
        project.files.push((l.file, l.kind));
    }
    // A file read into a template is part of that template, not a stand-alone one (unless it
    // includes files itself: a template including itself or another that includes it back).
    let definitions: BTreeSet<String> = definitions.difference(&includers).cloned().collect();
    project.apps.retain(|app| !definitions.contains(&app.file));
    errors.retain(|e| !definitions.contains(&e.file));
    // Formats whose app spans several files load after the per-file pass.
    let mut grouped = terraform::load(root, &project.files, opts);
    grouped.extend(azure::load(root, &project.files, opts));
    for source in grouped.sources {
        project.sources.insert(source);
    }
    project.apps.extend(grouped.apps);
    errors.extend(grouped.errors);
    errors.sort();
    project.errors = errors;
    Ok(project)
}

fn load_file(file: DiscoveredFile, opts: &LoadOptions, scan_root: Option<&Path>) -> Loaded {
    let mut out = Loaded {
        kind: FileKind::Other,
        file,
        app: None,
        source: None,
        included: Vec::new(),
        definitions: Vec::new(),
        errors: Vec::new(),
    };
    let head = match read_head(&out.file.path) {
        Ok(head) => head,
        Err(e) => {
            out.errors
                .push(ScanError::new(&out.file.rel, format!("cannot read: {e}")));
            return out;
        }
    };
    out.kind = classify::classify(Path::new(&out.file.rel), &head);
    let name = Path::new(&out.file.rel)
        .file_name()
        .and_then(|n| n.to_str());
    if name.is_some_and(serverless::is_script_config) {
        out.errors.push(ScanError::new(
            &out.file.rel,
            serverless::SCRIPT_CONFIG_ERROR,
        ));
    }
    if !matches!(
        out.kind,
        FileKind::CloudFormation { .. } | FileKind::ServerlessFramework
    ) {
        if out.kind == FileKind::Other
            && let Some(why) = unreadable_template(&out.file.rel, &head)
        {
            out.errors.push(ScanError::new(&out.file.rel, why));
        }
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
            out.errors
                .push(ScanError::new(&out.file.rel, format!("cannot read: {e}")));
            return out;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            out.errors.push(ScanError::new(
                &out.file.rel,
                format!(
                    "not valid UTF-8 (byte {}); not parsed",
                    e.utf8_error().valid_up_to()
                ),
            ));
            return out;
        }
    };
    let rel: Arc<str> = Arc::from(out.file.rel.as_str());
    let source = Arc::new(SourceFile::new(rel.clone(), text));
    out.source = Some(source.clone());
    let mut doc = match document::parse(rel.clone(), &source.text, &opts.limits) {
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
    if out.kind == FileKind::ServerlessFramework {
        let fallback_root = out
            .file
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let lowered = serverless::lower(&serverless::Input {
            file: rel,
            source: &source,
            root: &doc.root,
            scan_root: scan_root.unwrap_or(&fallback_root),
            path: &out.file.path,
            options: &opts.serverless,
            params: &opts.params,
            limits: &opts.limits,
            max_file_size: opts.max_file_size,
        });
        out.app = lowered.app;
        out.included = lowered.sources;
        out.errors.extend(lowered.errors);
        return out;
    }
    let included = cfn::includes::resolve_at(
        &mut doc.root,
        &source,
        &out.file.path,
        scan_root,
        opts.max_file_size,
        &opts.limits,
    );
    out.included = included.sources;
    out.definitions = included.files;
    out.errors.extend(included.errors);
    match cfn::lower(rel, &doc.root, &opts.params) {
        Ok(app) => out.app = Some(app),
        Err(e) => out
            .errors
            .push(ScanError::new(&out.file.rel, e.to_string())),
    }
    out
}

/// A file named like a template (`template.yaml`, `packaged-template.json`, `x.template`) that
/// sniffing could not read because it is binary or not UTF-8: an error, not a silent skip.
fn unreadable_template(rel: &str, head: &[u8]) -> Option<String> {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    let (stem, ext) = name.rsplit_once('.')?;
    let named_like_template = match ext {
        "yaml" | "yml" | "json" => stem.contains("template"),
        "template" => true,
        _ => false,
    };
    if !named_like_template {
        return None;
    }
    if memchr::memchr(0, head).is_some() {
        return Some("binary file named like a template (NUL bytes); not parsed".into());
    }
    match std::str::from_utf8(head) {
        // A multi-byte character cut by the sniffing window is not an error.
        Err(e) if e.error_len().is_some() => Some(format!(
            "not valid UTF-8 (byte {}); not parsed",
            e.valid_up_to()
        )),
        _ => None,
    }
}

fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(SNIFF_BYTES);
    std::fs::File::open(path)?
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut buf)?;
    Ok(buf)
}
