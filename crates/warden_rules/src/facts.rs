//! Project-wide facts that rules read besides the per-app model: the dependency audit, the IAM
//! role analysis, secrets found in code and configuration files, and where each function's code
//! lives so findings in manifests and code can name the functions that ship them.

use std::path::{Component, Path, PathBuf};
use warden_model::App;
use warden_source::{Origin, SourceMap, Span};

/// What project rules see.
pub struct ProjectFacts<'a> {
    pub apps: &'a [App],
    /// The dependency audit, when advisory data was available.
    pub deps: Option<&'a warden_deps::AuditReport>,
    pub sources: &'a SourceMap,
    /// Every role analysed by the IAM engine.
    pub roles: &'a [crate::iam_view::RoleRisk],
    /// Secrets found in code and configuration files (not templates), per file.
    pub secrets: &'a [FileSecrets],
    /// The analysis of handler code, when a code rule runs.
    pub code: Option<&'a warden_code::CodeReport>,
}

/// The secrets detected in one code or configuration file.
#[derive(Debug, Clone)]
pub struct FileSecrets {
    /// The path relative to the scan root, with `/` separators.
    pub file: String,
    pub matches: Vec<warden_secrets::SecretMatch>,
}

impl ProjectFacts<'_> {
    /// The functions (logical ids) whose code directory contains `path` (relative to the root),
    /// from SAM `CodeUri` / Lambda code paths, relative to each app's template directory.
    pub fn functions_shipping(&self, path: &Path) -> Vec<String> {
        let mut out = Vec::new();
        for app in self.apps {
            let base = Path::new(&app.file).parent().unwrap_or(Path::new(""));
            for f in &app.functions {
                let Some(code) = f.code_uri.as_ref().and_then(|c| c.as_str()) else {
                    continue;
                };
                if code.starts_with("s3://") || code.contains("://") {
                    continue;
                }
                let dir = normalise(&base.join(code));
                if path.starts_with(&dir) {
                    out.push(f.id.clone());
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// An origin covering 1-based `line` of `file` (the whole line when the text is loaded).
    pub fn line_origin(&self, file: &Path, line: u32) -> Origin {
        let rel = file.to_string_lossy().replace('\\', "/");
        let span = self
            .sources
            .get(&rel)
            .and_then(|src| {
                let range = src.index().line_range(&src.text, line)?;
                let text = &src.text[range.clone()];
                let indent = text.len() - text.trim_start().len();
                Some(Span::new(
                    u32::try_from(range.start + indent).ok()?,
                    u32::try_from(range.end).ok()?,
                ))
            })
            .unwrap_or_default();
        Origin::new(rel.into(), span, format!("#L{line}"))
    }
}

/// Lexically normalises `a/./b/../c` into `a/c` (no filesystem access: never follows links).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
