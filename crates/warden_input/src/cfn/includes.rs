//! Local files a template pulls in at deploy time, read into the template before lowering.
//!
//! Two forms are resolved, as if their content had been written inline:
//!
//! * `DefinitionUri: ./api.yaml` of an `AWS::Serverless::Api` or `AWS::Serverless::HttpApi`
//!   (or of `Globals.Api` / `Globals.HttpApi`) without a `DefinitionBody`: the file becomes the
//!   resource's `DefinitionBody` (the packager uploads it; SAM reads it as the API definition);
//! * `{"Fn::Transform": {Name: AWS::Include, Parameters: {Location: ./x.yaml}}}` anywhere in the
//!   template: the map is replaced by the file's content (or, when the map has other keys, the
//!   file's top-level entries are added to it, the map's own keys winning).
//!
//! Only local paths are read: an S3 or HTTPS URI, a `{Bucket, Key}` map or an intrinsic function
//! is left as written (never fetched; the API's definition stays unknown to the scan). A local
//! path is taken relative to the template's directory and read through the same confinement as
//! Serverless `${file()}` ([`crate::serverless::files`]): canonicalised (symlinks followed) and
//! refused unless it stays inside the scanned root, size-capped, parsed with the template
//! [`Limits`](crate::document::Limits). An absolute path is refused. A missing, refused or
//! malformed file is an error entry naming the template and the path, and the scan goes on.
//! Included files are not searched for further includes.
//!
//! Every node read keeps its own file in its origin, so findings about a route defined in
//! `api.yaml` point at `api.yaml`'s line; the files' texts are returned for the source map.

use crate::document::Limits;
use crate::serverless::files::{Confinement, FileCache, FileFailure};
use std::path::Path;
use std::sync::Arc;
use warden_model::{Key, Node, ScanError, Val};
use warden_source::SourceFile;

/// What resolving a template's includes produced besides the rewritten tree.
#[derive(Debug, Default)]
pub struct Included {
    /// Texts of every file read (also the malformed ones), for excerpts and line numbers.
    pub sources: Vec<Arc<SourceFile>>,
    /// Files (relative to the scanned root) successfully read into the template.
    pub files: Vec<String>,
    /// One entry per include that could not be read, attributed to the template.
    pub errors: Vec<ScanError>,
}

/// Where an include's location points.
#[derive(Debug, PartialEq, Eq)]
enum Location<'a> {
    /// A path relative to the template's directory.
    Local(&'a str),
    /// An S3/HTTPS URI, a `{Bucket, Key}` map or an expression: never fetched.
    Remote,
    /// A local form that is never read (absolute path, empty string), with the reason.
    Refused(&'static str),
}

fn location(node: &Node) -> Location<'_> {
    let Some(text) = node.as_str() else {
        return Location::Remote;
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Location::Refused("empty path");
    }
    if has_scheme(trimmed) {
        return Location::Remote;
    }
    let bytes = trimmed.as_bytes();
    let windows_drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if trimmed.starts_with(['/', '\\']) || windows_drive {
        return Location::Refused("absolute path (only paths relative to the template are read)");
    }
    Location::Local(trimmed)
}

/// `scheme://…` as in `s3://bucket/key` or `https://host/x`.
fn has_scheme(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once("://") else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// [`resolve`] for the template read from `template_path`, confined to `scan_root` (the canonical
/// scanned root; the template's directory when unknown). Nothing is read when the template's
/// directory cannot be canonicalised (an error entry says so) or the template has no include.
pub fn resolve_at(
    root: &mut Node,
    template: &SourceFile,
    template_path: &Path,
    scan_root: Option<&Path>,
    max_file_size: u64,
    limits: &Limits,
) -> Included {
    if !mentions_include(&template.text) {
        return Included::default();
    }
    let dir = template_path
        .parent()
        .map(|d| {
            if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            }
        })
        .and_then(|d| d.canonicalize().ok());
    let Some(service_dir) = dir else {
        return Included {
            errors: vec![ScanError::new(
                template.path.to_string(),
                "cannot resolve the template's directory; local includes not read",
            )],
            ..Included::default()
        };
    };
    let conf = Confinement {
        root: scan_root.map_or_else(|| service_dir.clone(), Path::to_path_buf),
        service_dir,
        max_file_size,
        limits: limits.clone(),
    };
    resolve(root, template, &conf)
}

/// Cheap pre-check: a template naming neither form has nothing to resolve.
fn mentions_include(text: &str) -> bool {
    text.contains("DefinitionUri") || text.contains("AWS::Include")
}

/// Reads one template's local includes into `root`, the parsed `template` (errors are attributed to
/// it, with the line of the include); `conf.service_dir` is the template's canonical directory.
pub fn resolve(root: &mut Node, template: &SourceFile, conf: &Confinement) -> Included {
    let mut r = Resolver {
        template,
        conf,
        cache: FileCache::default(),
        out: Included::default(),
    };
    r.includes(root);
    r.definition_uris(root);
    r.out.sources = std::mem::take(&mut r.cache.sources);
    r.out.files.sort();
    r.out.files.dedup();
    r.out
}

struct Resolver<'a> {
    template: &'a SourceFile,
    conf: &'a Confinement,
    cache: FileCache,
    out: Included,
}

impl Resolver<'_> {
    /// Loads a local file; `what` names the include in error messages.
    fn load(&mut self, what: &str, at: &Node) -> Option<Node> {
        let line = self.template.position(at.origin.span.start).line;
        let written = match location(at) {
            Location::Remote => return None,
            Location::Refused(why) => {
                let shown = at.as_str().unwrap_or_default();
                self.error(what, line, format!("`{shown}`: {why}; not read"));
                return None;
            }
            Location::Local(path) => path,
        };
        match self.cache.load(self.conf, written) {
            Ok(node) => {
                let file = node.origin.file.to_string();
                if !node.is_map() {
                    self.error(
                        what,
                        line,
                        format!("`{written}` is not a YAML or JSON mapping; not used"),
                    );
                    return None;
                }
                self.out.files.push(file);
                Some(Node::clone(&node))
            }
            Err(FileFailure::Missing(m) | FileFailure::Refused(m) | FileFailure::Script(m)) => {
                self.error(what, line, m);
                None
            }
        }
    }

    fn error(&mut self, what: &str, line: u32, message: String) {
        self.out.errors.push(ScanError::new(
            self.template.path.to_string(),
            format!("{what} (line {line}): {message}"),
        ));
    }

    /// Replaces every `Fn::Transform` `AWS::Include` with a local location by the file's content.
    fn includes(&mut self, node: &mut Node) {
        match &mut node.val {
            Val::List(items) => {
                for item in items {
                    self.includes(item);
                }
                return;
            }
            Val::Map(entries) => {
                for (_, value) in entries.iter_mut() {
                    self.includes(value);
                }
            }
            _ => return,
        }
        let Some(location) = node
            .get("Fn::Transform")
            .filter(|t| t.get("Name").and_then(Node::as_str) == Some("AWS::Include"))
            .and_then(|t| t.at(&["Parameters", "Location"]))
            .cloned()
        else {
            return;
        };
        let Some(content) = self.load("AWS::Include", &location) else {
            return;
        };
        let Val::Map(entries) = &mut node.val else {
            return;
        };
        entries.retain(|(k, _)| k.name != "Fn::Transform");
        if entries.is_empty() {
            *node = content;
            return;
        }
        if let Val::Map(extra) = content.val {
            for (k, v) in extra {
                if !entries.iter().any(|(e, _)| e.name == k.name) {
                    entries.push((k, v));
                }
            }
        }
    }

    /// Gives every SAM API with a local `DefinitionUri` (its own or from `Globals`) and no
    /// `DefinitionBody` the file's content as its `DefinitionBody`.
    fn definition_uris(&mut self, root: &mut Node) {
        let global = |name: &str| root.at(&["Globals", name, "DefinitionUri"]).cloned();
        let (rest_global, http_global) = (global("Api"), global("HttpApi"));
        let Some(Val::Map(resources)) = root_entry_mut(root, "Resources").map(|r| &mut r.val)
        else {
            return;
        };
        for (key, decl) in resources.iter_mut() {
            let global = match decl.get("Type").and_then(Node::as_str) {
                Some("AWS::Serverless::Api") => rest_global.as_ref(),
                Some("AWS::Serverless::HttpApi") => http_global.as_ref(),
                _ => continue,
            };
            let props = decl.get("Properties");
            if props.is_some_and(|p| p.get("DefinitionBody").is_some()) {
                continue;
            }
            let Some(uri) = props
                .and_then(|p| p.get("DefinitionUri"))
                .or(global)
                .cloned()
            else {
                continue;
            };
            let what = format!("DefinitionUri of `{}`", key.name);
            let Some(body) = self.load(&what, &uri) else {
                continue;
            };
            let Val::Map(decl_entries) = &mut decl.val else {
                continue;
            };
            let props = match decl_entries
                .iter()
                .position(|(k, _)| k.name == "Properties")
            {
                Some(i) => &mut decl_entries[i].1,
                None => {
                    let origin = key.origin.clone();
                    decl_entries.push((
                        Key {
                            name: "Properties".into(),
                            origin: origin.clone(),
                        },
                        Node::new(Val::Map(Vec::new()), origin),
                    ));
                    let last = decl_entries.len() - 1;
                    &mut decl_entries[last].1
                }
            };
            if let Val::Map(p) = &mut props.val {
                p.push((
                    Key {
                        name: "DefinitionBody".into(),
                        origin: uri.origin.clone(),
                    },
                    body,
                ));
            }
        }
    }
}

fn root_entry_mut<'n>(root: &'n mut Node, name: &str) -> Option<&'n mut Node> {
    match &mut root.val {
        Val::Map(entries) => entries
            .iter_mut()
            .find(|(k, _)| k.name == name)
            .map(|(_, v)| v),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
