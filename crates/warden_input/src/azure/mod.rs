//! Azure Functions projects: `host.json`, `function.json` bindings, the Python v2 and Node v4
//! programming models, C# attributes and `local.settings.json`, lowered into one app per project.
//!
//! A project is the nearest directory holding a `host.json`. Files outside any such directory
//! still form projects: the parent of a function folder (a directory of `function.json`
//! folders), or the directory of a `function_app.py`, C# or settings file. What is read:
//!
//! * every `function.json` ([`function_json`]);
//! * `function_app.py`, and Python modules next to it or inside a `host.json` project, when they
//!   import `azure.functions` ([`python`]);
//! * JavaScript/TypeScript files inside a `host.json` project that import `@azure/functions`
//!   ([`node`]);
//! * C# files using the `Microsoft.Azure.WebJobs`/`Functions` attributes ([`csharp`]), and Java
//!   files using the `com.microsoft.azure.functions` annotations ([`java`]);
//! * `local.settings.json` unless git-ignored, and `host.json` ([`settings`]).
//!
//! A malformed JSON file is an entry in `errors`; source files never fail (what the scanners do
//! not understand declares nothing).

pub mod csharp;
pub mod decl;
pub mod expr;
pub mod function_json;
pub mod java;
pub mod jsonc;
pub mod lex;
pub mod lower;
pub mod node;
pub mod python;
pub mod settings;

use crate::classify::FileKind;
use crate::discover::DiscoveredFile;
use crate::grouped::GroupLoad;
use crate::project::LoadOptions;
use decl::{FunctionDecl, parent_dir};
use lower::ProjectInput;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use warden_model::{Node, ScanError};
use warden_source::SourceFile;

/// What a candidate file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    FunctionJson,
    Host,
    LocalSettings,
    Python,
    Node,
    CSharp,
    Java,
}

/// What reading one file gave.
enum Read {
    Functions(Vec<FunctionDecl>),
    /// A Python file: its functions and the `http_auth_level` of the `FunctionApp` it creates.
    Python(python::PythonFile),
    Host(Option<Node>),
    Settings(settings::LocalSettings),
    /// Git-ignored settings, or a source file that declares nothing.
    Nothing,
}

struct FileResult {
    rel: String,
    role: Role,
    source: Option<Arc<SourceFile>>,
    read: Result<Read, ScanError>,
}

/// Loads every Azure Functions project among the discovered files.
pub fn load(root: &Path, files: &[(DiscoveredFile, FileKind)], opts: &LoadOptions) -> GroupLoad {
    let host_dirs: HashSet<&str> = files
        .iter()
        .filter(|(f, _)| file_name(&f.rel) == "host.json")
        .map(|(f, _)| parent_dir(&f.rel))
        .collect();
    let app_py_dirs: HashSet<&str> = files
        .iter()
        .filter(|(f, _)| file_name(&f.rel) == "function_app.py")
        .map(|(f, _)| parent_dir(&f.rel))
        .collect();
    let in_host_project = |rel: &str| project_with_host(rel, &host_dirs).is_some();
    let candidates: Vec<(&DiscoveredFile, Role)> = files
        .iter()
        .filter_map(|(f, kind)| {
            let name = file_name(&f.rel);
            let role = match (name, kind) {
                ("function.json", _) => Role::FunctionJson,
                ("host.json", _) => Role::Host,
                ("local.settings.json", _) => Role::LocalSettings,
                (_, FileKind::Code(crate::classify::Lang::Python))
                    if name == "function_app.py"
                        || app_py_dirs.contains(parent_dir(&f.rel))
                        || in_host_project(&f.rel) =>
                {
                    Role::Python
                }
                (
                    _,
                    FileKind::Code(
                        crate::classify::Lang::JavaScript | crate::classify::Lang::TypeScript,
                    ),
                ) if in_host_project(&f.rel) => Role::Node,
                _ if name.to_ascii_lowercase().ends_with(".cs") => Role::CSharp,
                _ if name.ends_with(".java") => Role::Java,
                _ => return None,
            };
            Some((f, role))
        })
        .collect();
    if candidates.is_empty() {
        return GroupLoad::default();
    }
    let scan_root = root
        .canonicalize()
        .map(|r| {
            if r.is_file() {
                r.parent().map(Path::to_path_buf).unwrap_or(r)
            } else {
                r
            }
        })
        .unwrap_or_else(|_| root.to_path_buf());
    let results: Vec<FileResult> = candidates
        .into_par_iter()
        .map(|(f, role)| read_file(f, role, opts, &scan_root))
        .collect();
    let root_name = scan_root.file_name().map_or_else(
        || "function app".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    assemble(results, &host_dirs, &root_name)
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// The nearest directory holding `host.json` that contains `rel`.
fn project_with_host<'a>(rel: &str, host_dirs: &HashSet<&'a str>) -> Option<&'a str> {
    let mut dir = parent_dir(rel);
    loop {
        if let Some(d) = host_dirs.get(dir) {
            return Some(d);
        }
        if dir.is_empty() {
            return None;
        }
        dir = parent_dir(dir);
    }
}

fn read_file(f: &DiscoveredFile, role: Role, opts: &LoadOptions, scan_root: &Path) -> FileResult {
    let mut out = FileResult {
        rel: f.rel.clone(),
        role,
        source: None,
        read: Ok(Read::Nothing),
    };
    let json = matches!(role, Role::FunctionJson | Role::Host | Role::LocalSettings);
    if f.size > opts.max_file_size {
        if json {
            out.read = Err(ScanError::new(
                &f.rel,
                format!(
                    "file of {} bytes exceeds the size limit of {} bytes (--max-file-size); not parsed",
                    f.size, opts.max_file_size
                ),
            ));
        }
        return out;
    }
    if role == Role::LocalSettings && settings::git_ignored(scan_root, &f.path) {
        return out;
    }
    let text = match std::fs::read(&f.path).map(String::from_utf8) {
        Ok(Ok(t)) => t,
        Ok(Err(e)) => {
            if json {
                out.read = Err(ScanError::new(
                    &f.rel,
                    format!(
                        "not valid UTF-8 (byte {}); not parsed",
                        e.utf8_error().valid_up_to()
                    ),
                ));
            }
            return out;
        }
        Err(e) => {
            out.read = Err(ScanError::new(&f.rel, format!("cannot read: {e}")));
            return out;
        }
    };
    let candidate = match role {
        Role::Python => python::is_candidate(&text),
        Role::Node => node::is_candidate(&text),
        Role::CSharp => csharp::is_candidate(&text),
        Role::Java => java::is_candidate(&text),
        _ => true,
    };
    if !candidate {
        return out;
    }
    let source = Arc::new(SourceFile::new(f.rel.as_str(), text));
    let limits = &opts.limits;
    out.read = match role {
        Role::FunctionJson => {
            function_json::read(&source, limits).map(|d| Read::Functions(d.into_iter().collect()))
        }
        Role::Host => settings::route_prefix(&source, limits).map(Read::Host),
        Role::LocalSettings => settings::read_local(&source, limits).map(Read::Settings),
        Role::Python => Ok(Read::Python(python::read_file(&source))),
        Role::Node => Ok(Read::Functions(node::read(&source))),
        Role::CSharp => Ok(Read::Functions(csharp::read(&source))),
        Role::Java => Ok(Read::Functions(java::read(&source))),
    };
    out.source = Some(source);
    out
}

/// Groups the read files into projects and lowers each.
/// `root_name` names a project at the scan root.
fn assemble(results: Vec<FileResult>, host_dirs: &HashSet<&str>, root_name: &str) -> GroupLoad {
    let mut load = GroupLoad::default();
    let mut projects: BTreeMap<String, ProjectInput> = BTreeMap::new();
    let mut hosts: BTreeMap<String, (String, Option<Node>, Arc<SourceFile>)> = BTreeMap::new();
    // A `host.json` that does not parse matters only to a project with functions.
    let mut host_errors: BTreeMap<String, ScanError> = BTreeMap::new();
    for r in results {
        let dir = match project_with_host(&r.rel, host_dirs) {
            Some(d) => d.to_string(),
            None if r.role == Role::FunctionJson => parent_dir(parent_dir(&r.rel)).to_string(),
            None => parent_dir(&r.rel).to_string(),
        };
        let read = match r.read {
            Ok(read) => read,
            Err(e) if r.role == Role::Host => {
                host_errors.insert(dir, e);
                continue;
            }
            Err(e) => {
                load.errors.push(e);
                if let Some(s) = r.source {
                    load.sources.push(s);
                }
                continue;
            }
        };
        match read {
            Read::Nothing => {}
            Read::Host(prefix) => {
                if let Some(s) = r.source {
                    hosts.insert(dir, (r.rel, prefix, s));
                }
            }
            Read::Python(file) => {
                let p = projects.entry(dir.clone()).or_default();
                p.dir = dir;
                if p.python_app_level.is_none() {
                    p.python_app_level = file.app_level;
                }
                if !file.functions.is_empty() {
                    if p.first_file.as_ref().is_none_or(|f| *f > r.rel) {
                        p.first_file = Some(r.rel.clone());
                    }
                    p.functions.extend(file.functions);
                    load.sources.extend(r.source);
                }
            }
            Read::Functions(decls) if decls.is_empty() => {}
            Read::Functions(decls) => {
                let p = projects.entry(dir.clone()).or_default();
                p.dir = dir;
                if p.first_file.as_ref().is_none_or(|f| *f > r.rel) {
                    p.first_file = Some(r.rel.clone());
                }
                p.functions.extend(decls);
                load.sources.extend(r.source);
            }
            Read::Settings(s) => {
                let p = projects.entry(dir.clone()).or_default();
                p.dir = dir;
                p.settings = Some((r.rel, s));
                load.sources.extend(r.source);
            }
        }
    }
    for (dir, mut p) in projects {
        if p.functions.is_empty() && p.settings.is_none() {
            continue; // a Python app object without functions
        }
        if let Some((rel, prefix, source)) = hosts.remove(&dir) {
            p.host = Some((rel, prefix));
            load.sources.push(source);
        }
        if let Some(e) = host_errors.remove(&dir) {
            load.errors.push(e);
        }
        p.functions.sort_by(|a, b| {
            (&a.origin.file, a.origin.span.start).cmp(&(&b.origin.file, b.origin.span.start))
        });
        load.apps.push(lower::lower(p, root_name));
    }
    load
}
