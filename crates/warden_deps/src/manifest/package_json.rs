//! `package.json`: as a project manifest without a lockfile (exact pins are audited, ranges are
//! reported as unpinned), as the source of a project's declared names (to tell direct from
//! transitive), and as the manifest of a vendored `node_modules/<name>/package.json`.

use super::json::{self, Node};
use super::{Package, Parsed, UnpinnedDep, npm_spec};
use std::collections::HashSet;

const DEP_KEYS: [&str; 3] = ["dependencies", "devDependencies", "optionalDependencies"];

/// Parses a project `package.json` that has no lockfile.
pub fn parse_project(text: &str) -> Result<Parsed, String> {
    let doc = json::parse(text)?;
    let mut out = Parsed::default();
    for k in DEP_KEYS {
        let Some(members) = doc.get(k).and_then(Node::members) else {
            continue;
        };
        for m in members {
            let Some(spec) = m.value.as_str() else {
                continue;
            };
            if !npm_spec::is_registry(spec) {
                continue;
            }
            match npm_spec::resolved(&m.key, spec) {
                Some((name, version)) => {
                    out.packages.push(Package::new(name, version, m.line, true))
                }
                None => out.unpinned.push(UnpinnedDep {
                    name: m.key.clone(),
                    spec: spec.to_string(),
                    line: m.line,
                    file: None,
                }),
            }
        }
    }
    Ok(out)
}

/// Whether a project `package.json` declares any dependency.
pub fn has_dependencies(text: &str) -> bool {
    declared_names(text).is_some_and(|d| !d.is_empty())
}

/// The names a `package.json` declares (all dependency kinds, peer included).
pub fn declared_names(text: &str) -> Option<HashSet<String>> {
    let doc = json::parse(text).ok()?;
    let mut out = HashSet::new();
    for k in DEP_KEYS.iter().copied().chain(["peerDependencies"]) {
        if let Some(members) = doc.get(k).and_then(Node::members) {
            out.extend(members.iter().map(|m| m.key.clone()));
        }
    }
    Some(out)
}

/// Parses a vendored `node_modules/<name>/package.json`: one package at its `version` line.
pub fn parse_vendored(text: &str, direct: &dyn Fn(&str) -> bool) -> Result<Parsed, String> {
    let doc = json::parse(text)?;
    let mut out = Parsed::default();
    let name = doc.get("name").and_then(Node::as_str);
    let version = doc
        .members()
        .and_then(|m| m.iter().find(|m| m.key == "version"));
    if let (Some(name), Some(v)) = (name, version) {
        if let Some(ver) = v.value.as_str().filter(|s| npm_spec::is_exact(s)) {
            out.packages.push(Package::new(
                name.to_string(),
                ver.to_string(),
                v.line,
                direct(name),
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_audited_and_ranges_unpinned() {
        let text = "{\n \"dependencies\": {\n  \"lodash\": \"4.17.4\",\n  \"express\": \"^4.0.0\",\n  \"local\": \"file:../x\"\n },\n \"devDependencies\": {\"jest\": \"latest\"}\n}";
        let p = parse_project(text).unwrap();
        assert_eq!(p.packages.len(), 1);
        assert_eq!(
            (p.packages[0].name.as_str(), p.packages[0].line),
            ("lodash", 3)
        );
        let un: Vec<_> = p
            .unpinned
            .iter()
            .map(|u| (u.name.as_str(), u.spec.as_str(), u.line))
            .collect();
        assert_eq!(un, vec![("express", "^4.0.0", 4), ("jest", "latest", 7)]);
    }
}
