//! The TOML lockfiles, which share one shape (`[[package]]` tables with `name` and `version`):
//! `poetry.lock`, `uv.lock` and `Cargo.lock`. Packages from git, path, directory or editable
//! sources are skipped; direct dependencies are those of the local (root or workspace) packages,
//! or those the sibling manifest declares.

use super::lines::LineIndex;
use super::{Package, Parsed};
use serde::Deserialize;
use std::collections::HashSet;
use toml::Spanned;

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Pkg>,
}

#[derive(Deserialize)]
struct Pkg {
    name: Spanned<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    source: Option<toml::Value>,
    #[serde(default)]
    dependencies: Option<toml::Value>,
    #[serde(default, rename = "optional-dependencies")]
    optional: Option<toml::Value>,
    #[serde(default, rename = "dev-dependencies")]
    dev: Option<toml::Value>,
}

/// Which lockfile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `poetry.lock`
    Poetry,
    /// `uv.lock`
    Uv,
    /// `Cargo.lock`
    Cargo,
}

/// Names listed in a dependency value: an array of strings (`"name 1.0 (source)"`), an array
/// of tables with `name`, or a table keyed by name; nested group tables are walked.
fn dep_names(v: &toml::Value, out: &mut HashSet<String>, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        toml::Value::Array(items) => {
            for i in items {
                match i {
                    toml::Value::String(s) => {
                        if let Some(n) = s.split_whitespace().next() {
                            out.insert(n.to_string());
                        }
                    }
                    toml::Value::Table(t) => {
                        if let Some(toml::Value::String(n)) = t.get("name") {
                            out.insert(n.clone());
                        }
                    }
                    _ => {}
                }
            }
        }
        toml::Value::Table(t) => {
            for (k, val) in t {
                // A group of `{ name = … }` tables (uv extras and dev groups), else a name key.
                let group = matches!(val, toml::Value::Array(a)
                    if a.iter().any(|x| x.as_table().is_some_and(|t| t.contains_key("name"))));
                if group {
                    dep_names(val, out, depth + 1);
                } else {
                    out.insert(k.clone());
                }
            }
        }
        _ => {}
    }
}

/// Whether a package comes from a registry (the only packages advisories name).
fn from_registry(kind: Kind, source: Option<&toml::Value>) -> bool {
    match (kind, source) {
        (Kind::Cargo, None) => false,
        (Kind::Cargo, Some(toml::Value::String(s))) => {
            s.starts_with("registry+") || s.starts_with("sparse+")
        }
        (Kind::Uv, Some(toml::Value::Table(t))) => t.contains_key("registry"),
        (Kind::Uv, _) => false,
        (Kind::Poetry, None) => true,
        (Kind::Poetry, Some(toml::Value::Table(t))) => {
            matches!(t.get("type"), Some(toml::Value::String(s)) if s == "legacy")
        }
        _ => false,
    }
}

/// Whether a package is a local root or workspace member (its dependencies are direct).
fn is_local_root(kind: Kind, source: Option<&toml::Value>) -> bool {
    match (kind, source) {
        (Kind::Cargo, None) => true,
        (Kind::Uv, Some(toml::Value::Table(t))) => {
            t.contains_key("editable") || t.contains_key("virtual")
        }
        _ => false,
    }
}

/// Parses a TOML lockfile; `declared` are the sibling manifest's names (poetry).
pub fn parse(kind: Kind, text: &str, declared: Option<&HashSet<String>>) -> Result<Parsed, String> {
    let lock: Lock = toml::from_str(text).map_err(|e| e.to_string())?;
    let lines = LineIndex::new(text);
    let mut direct: HashSet<String> = declared.cloned().unwrap_or_default();
    for p in &lock.package {
        if is_local_root(kind, p.source.as_ref()) {
            for v in [&p.dependencies, &p.optional, &p.dev].into_iter().flatten() {
                dep_names(v, &mut direct, 0);
            }
        }
    }
    let norm = |n: &str| match kind {
        Kind::Cargo => n.to_string(),
        _ => crate::Ecosystem::PyPI.normalize_name(n),
    };
    let direct: HashSet<String> = direct.iter().map(|n| norm(n)).collect();
    let mut out = Parsed::default();
    for p in lock.package {
        if !from_registry(kind, p.source.as_ref()) {
            continue;
        }
        let Some(version) = p.version else { continue };
        let line = lines.line(p.name.span().start);
        let name = p.name.into_inner();
        let is_direct = direct.contains(&norm(&name));
        out.packages
            .push(Package::new(name, version, line, is_direct));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn got(p: &Parsed) -> Vec<(&str, &str, u32, bool)> {
        p.rows()
    }

    #[test]
    fn cargo_lock() {
        let text = "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"smallvec\",\n \"time 0.1.45\",\n]\n\n[[package]]\nname = \"smallvec\"\nversion = \"0.6.9\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[[package]]\nname = \"libc\"\nversion = \"0.2.1\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[[package]]\nname = \"gitdep\"\nversion = \"1.0.0\"\nsource = \"git+https://github.com/x/y#abc\"\n";
        let p = parse(Kind::Cargo, text, None).unwrap();
        assert_eq!(
            got(&p),
            vec![
                ("smallvec", "0.6.9", 12, true),
                ("libc", "0.2.1", 17, false)
            ]
        );
    }

    #[test]
    fn uv_lock() {
        let text = "version = 1\n\n[[package]]\nname = \"fn\"\nversion = \"0.1.0\"\nsource = { virtual = \".\" }\ndependencies = [\n    { name = \"jinja2\" },\n]\n\n[[package]]\nname = \"Jinja2\"\nversion = \"2.10\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n[[package]]\nname = \"markupsafe\"\nversion = \"1.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
        let p = parse(Kind::Uv, text, None).unwrap();
        assert_eq!(
            got(&p),
            vec![
                ("Jinja2", "2.10", 12, true),
                ("markupsafe", "1.0", 17, false)
            ]
        );
    }

    #[test]
    fn poetry_lock() {
        let text = "[[package]]\nname = \"pyyaml\"\nversion = \"5.3\"\ndescription = \"YAML\"\noptional = false\n\n[package.dependencies]\nsix = \"*\"\n\n[[package]]\nname = \"local\"\nversion = \"0.1\"\n\n[package.source]\ntype = \"directory\"\nurl = \"../local\"\n";
        let declared: HashSet<String> = ["PyYAML".to_string()].into();
        let p = parse(Kind::Poetry, text, Some(&declared)).unwrap();
        assert_eq!(got(&p), vec![("pyyaml", "5.3", 2, true)]);
        assert!(parse(Kind::Poetry, "[[package]\n", None).is_err());
    }
}
