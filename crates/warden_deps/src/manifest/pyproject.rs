//! `pyproject.toml` without a lockfile: PEP 621 `[project]` dependencies and optional
//! dependencies, PEP 735 `[dependency-groups]`, and Poetry's dependency tables. Exact pins
//! (`==`, or a bare Poetry version) are audited; anything else is unpinned. Also the names a
//! pyproject declares, to tell direct from transitive in a sibling lockfile.

use super::lines::LineIndex;
use super::requirements::{Req, parse_requirement};
use super::{Package, Parsed, UnpinnedDep};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use toml::Spanned;

#[derive(Deserialize, Default)]
struct Pyproject {
    #[serde(default)]
    project: Option<Project>,
    #[serde(default, rename = "dependency-groups")]
    groups: BTreeMap<String, Vec<Spanned<toml::Value>>>,
    #[serde(default)]
    tool: Option<Tool>,
}

#[derive(Deserialize, Default)]
struct Project {
    #[serde(default)]
    dependencies: Vec<Spanned<String>>,
    #[serde(default, rename = "optional-dependencies")]
    optional: BTreeMap<String, Vec<Spanned<String>>>,
}

#[derive(Deserialize, Default)]
struct Tool {
    #[serde(default)]
    poetry: Option<Poetry>,
}

type PoetryDeps = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

#[derive(Deserialize, Default)]
struct Poetry {
    #[serde(default)]
    dependencies: PoetryDeps,
    #[serde(default, rename = "dev-dependencies")]
    dev: PoetryDeps,
    #[serde(default)]
    group: BTreeMap<String, PoetryGroup>,
}

#[derive(Deserialize, Default)]
struct PoetryGroup {
    #[serde(default)]
    dependencies: PoetryDeps,
}

fn pep508(items: impl Iterator<Item = (String, usize)>, lines: &LineIndex, out: &mut Parsed) {
    for (text, offset) in items {
        let line = lines.line(offset);
        match parse_requirement(&text) {
            Some(Req::Pinned(n, v)) => out.packages.push(Package::new(n, v, line, true)),
            Some(Req::Unpinned(n, spec)) => out.unpinned.push(UnpinnedDep {
                name: n,
                spec,
                line,
                file: None,
            }),
            None => {}
        }
    }
}

/// A Poetry constraint that pins one version: a bare version or `==version`.
fn poetry_pin(spec: &str) -> Option<&str> {
    let s = spec.trim();
    let s = s.strip_prefix("==").unwrap_or(s).trim();
    (!s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_digit())
        && !s.contains([',', '*', ' ', '<', '>', '^', '~', '|', '!']))
    .then_some(s)
}

fn load(text: &str) -> Result<Pyproject, String> {
    toml::from_str(text).map_err(|e| e.to_string())
}

/// Parses the pins of a pyproject that has no lockfile.
pub fn parse(text: &str) -> Result<Parsed, String> {
    let doc = load(text)?;
    let lines = LineIndex::new(text);
    let mut out = Parsed::default();
    if let Some(p) = &doc.project {
        let all = p.dependencies.iter().chain(p.optional.values().flatten());
        pep508(
            all.map(|s| (s.get_ref().clone(), s.span().start)),
            &lines,
            &mut out,
        );
    }
    let groups = doc.groups.values().flatten().filter_map(|v| {
        v.get_ref()
            .as_str()
            .map(|s| (s.to_string(), v.span().start))
    });
    pep508(groups, &lines, &mut out);
    if let Some(poetry) = doc.tool.as_ref().and_then(|t| t.poetry.as_ref()) {
        let tables = [&poetry.dependencies, &poetry.dev]
            .into_iter()
            .chain(poetry.group.values().map(|g| &g.dependencies));
        for table in tables {
            for (name, value) in table {
                if name.get_ref().eq_ignore_ascii_case("python") {
                    continue;
                }
                let spec = match value.get_ref() {
                    toml::Value::String(s) => Some(s.as_str()),
                    toml::Value::Table(t) => t.get("version").and_then(|v| v.as_str()),
                    _ => None,
                };
                let Some(spec) = spec else { continue }; // git, path or url dependency
                let line = lines.line(name.span().start);
                match poetry_pin(spec) {
                    Some(v) => out.packages.push(Package::new(
                        name.get_ref().clone(),
                        v.to_string(),
                        line,
                        true,
                    )),
                    None => out.unpinned.push(UnpinnedDep {
                        name: name.get_ref().clone(),
                        spec: spec.to_string(),
                        line,
                        file: None,
                    }),
                }
            }
        }
    }
    Ok(out)
}

/// The names a pyproject declares (any table above).
pub fn declared_names(text: &str) -> Option<HashSet<String>> {
    let p = parse(text).ok()?;
    Some(
        p.packages
            .into_iter()
            .map(|p| p.name)
            .chain(p.unpinned.into_iter().map(|u| u.name))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep621_and_poetry() {
        let text = "[project]\nname = \"fn\"\ndependencies = [\n  \"requests==2.19.0\",\n  \"flask>=2\",\n]\n\n[project.optional-dependencies]\nyaml = [\"PyYAML==5.3\"]\n\n[tool.poetry.dependencies]\npython = \"^3.9\"\njinja2 = \"2.10\"\nurllib3 = { version = \"^1.24\" }\nlocal = { path = \"../x\" }\n";
        let p = parse(text).unwrap();
        let got: Vec<_> = p
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("requests", "2.19.0", 4),
                ("PyYAML", "5.3", 9),
                ("jinja2", "2.10", 13)
            ]
        );
        let un: Vec<_> = p
            .unpinned
            .iter()
            .map(|u| (u.name.as_str(), u.line))
            .collect();
        assert_eq!(un, vec![("flask", 5), ("urllib3", 14)]);
    }
}
