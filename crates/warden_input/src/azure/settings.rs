//! A project's settings files: `local.settings.json` (the `Values` and `ConnectionStrings` the
//! functions see when run locally, often a copy of the app settings) and `host.json` (the HTTP
//! route prefix), and whether a file is git-ignored.

use crate::document::{self, Limits};
use ignore::Match;
use ignore::gitignore::GitignoreBuilder;
use std::path::Path;
use warden_model::{EnvVar, Node, ScanError};
use warden_source::SourceFile;

/// How many directories above the scan root are searched for the repository root.
const MAX_PARENTS: usize = 64;

/// A parsed `local.settings.json`.
#[derive(Debug, Clone)]
pub struct LocalSettings {
    pub root: Node,
    /// `Values` then `ConnectionStrings`, as environment variables.
    pub values: Vec<EnvVar>,
    /// `IsEncrypted: true`: the values are encrypted with the machine's key, not plaintext.
    pub encrypted: bool,
}

fn parse(source: &SourceFile, limits: &Limits) -> Result<Node, ScanError> {
    let text = super::jsonc::strict(&source.text);
    let doc = document::parse_as(document::Format::Json, source.path.clone(), &text, limits)
        .map_err(|e| {
            let pos = source.position(e.span().start);
            ScanError::new(
                &*source.path,
                format!("{e} (line {}, column {})", pos.line, pos.column),
            )
        })?;
    if !doc.root.is_map() {
        return Err(ScanError::new(
            &*source.path,
            "not a JSON object; not lowered",
        ));
    }
    Ok(doc.root)
}

/// Reads a `local.settings.json`.
pub fn read_local(source: &SourceFile, limits: &Limits) -> Result<LocalSettings, ScanError> {
    let root = parse(source, limits)?;
    let encrypted = root.get("IsEncrypted").and_then(Node::as_bool) == Some(true);
    let mut values = Vec::new();
    for section in ["Values", "ConnectionStrings"] {
        for (key, value) in root.get(section).map(Node::entries).unwrap_or_default() {
            // `ConnectionStrings` entries may be `{ConnectionString, ProviderName}` objects.
            let value = value.get("ConnectionString").unwrap_or(value);
            values.push(EnvVar {
                name: key.name.clone(),
                origin: key.origin.clone(),
                value: value.clone(),
            });
        }
    }
    Ok(LocalSettings {
        root,
        values,
        encrypted,
    })
}

/// The HTTP route prefix a `host.json` sets (`extensions.http.routePrefix`, or `http.routePrefix`
/// in version 1 files), when it sets one.
pub fn route_prefix(source: &SourceFile, limits: &Limits) -> Result<Option<Node>, ScanError> {
    let root = parse(source, limits)?;
    Ok(root
        .at(&["extensions", "http", "routePrefix"])
        .or_else(|| root.at(&["http", "routePrefix"]))
        .filter(|n| n.as_str().is_some())
        .cloned())
}

/// True when `path` (a file under `scan_root`) is ignored by a `.gitignore` between its directory
/// and the repository root (the nearest ancestor of the scan root holding `.git`), or the scan
/// root when it is not in a repository. Deeper files win, as in git.
pub fn git_ignored(scan_root: &Path, path: &Path) -> bool {
    let limit = repository_root(scan_root).unwrap_or_else(|| scan_root.to_path_buf());
    let mut dir = path.parent();
    while let Some(d) = dir {
        let file = d.join(".gitignore");
        if file.is_file() {
            let mut builder = GitignoreBuilder::new(d);
            // A line that does not parse is skipped, as git does; the others still apply.
            let _ = builder.add(&file);
            if let Ok(matcher) = builder.build() {
                match matcher.matched_path_or_any_parents(path, false) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
        }
        if d == limit || !d.starts_with(&limit) {
            break;
        }
        dir = d.parent();
    }
    false
}

fn repository_root(scan_root: &Path) -> Option<std::path::PathBuf> {
    let mut dir = Some(scan_root);
    for _ in 0..MAX_PARENTS {
        let d = dir?;
        if d.join(".git").exists() {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_connection_strings() {
        let s = SourceFile::new(
            "local.settings.json",
            r#"{"IsEncrypted": false, "Values": {"AzureWebJobsStorage": "UseDevelopmentStorage=true",
                "FUNCTIONS_WORKER_RUNTIME": "python"},
                "ConnectionStrings": {"Sql": {"ConnectionString": "Server=x", "ProviderName": "System.Data.SqlClient"}}}"#,
        );
        let l = read_local(&s, &Limits::default()).unwrap();
        assert!(!l.encrypted);
        let names: Vec<_> = l.values.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(
            names,
            ["AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", "Sql"]
        );
        assert_eq!(l.values[2].value.as_str(), Some("Server=x"));
    }

    #[test]
    fn malformed_settings_are_errors() {
        for text in ["{", "[1]", "", "{\"Values\": "] {
            let s = SourceFile::new("local.settings.json", text);
            assert!(read_local(&s, &Limits::default()).is_err(), "{text}");
        }
        let s = SourceFile::new("local.settings.json", "{\"Values\": 3}");
        assert!(
            read_local(&s, &Limits::default())
                .unwrap()
                .values
                .is_empty()
        );
    }

    #[test]
    fn route_prefix_from_either_version() {
        let v2 = SourceFile::new(
            "host.json",
            r#"{"version": "2.0", "extensions": {"http": {"routePrefix": "v1"}}}"#,
        );
        let p = route_prefix(&v2, &Limits::default()).unwrap().unwrap();
        assert_eq!(p.as_str(), Some("v1"));
        let v1 = SourceFile::new("host.json", r#"{"http": {"routePrefix": ""}}"#);
        let p = route_prefix(&v1, &Limits::default()).unwrap().unwrap();
        assert_eq!(p.as_str(), Some(""));
        let none = SourceFile::new("host.json", r#"{"version": "2.0"}"#);
        assert!(route_prefix(&none, &Limits::default()).unwrap().is_none());
    }

    #[test]
    fn gitignore_between_file_and_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        let file = root.join("a/b/local.settings.json");
        std::fs::write(&file, "{}").unwrap();
        assert!(!git_ignored(&root.join("a"), &file));
        // A .gitignore above the scan root, in the repository root, applies.
        std::fs::write(root.join(".gitignore"), "local.settings.json\n").unwrap();
        assert!(git_ignored(&root.join("a"), &file));
        // A deeper negation wins.
        std::fs::write(root.join("a/.gitignore"), "!local.settings.json\n").unwrap();
        assert!(!git_ignored(&root.join("a"), &file));
    }
}
