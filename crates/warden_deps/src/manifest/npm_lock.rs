//! `package-lock.json` (lockfile versions 1, 2 and 3) and `npm-shrinkwrap.json`. Version 2 and 3
//! files are read from `packages` (keys `node_modules/…`, nested for transitive copies); version
//! 1 from the nested `dependencies` tree. Direct dependencies are those the root (or a workspace
//! member) declares, installed at the top level.

use super::json::{self, Node};
use super::{Package, Parsed, npm_spec};
use std::collections::HashSet;

const DEP_KEYS: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

fn declared(node: &Node, into: &mut HashSet<String>) {
    for k in DEP_KEYS {
        if let Some(members) = node.get(k).and_then(Node::members) {
            into.extend(members.iter().map(|m| m.key.clone()));
        }
    }
}

/// Parses a lockfile; `root_declared` are the names the sibling `package.json` declares (used for
/// version 1 files, which do not record them).
pub fn parse(text: &str, root_declared: Option<&HashSet<String>>) -> Result<Parsed, String> {
    let doc = json::parse(text)?;
    if doc.members().is_none() {
        return Err("not a JSON object".into());
    }
    let mut out = Parsed::default();
    if let Some(packages) = doc.get("packages").and_then(Node::members) {
        let mut direct = HashSet::new();
        for m in packages {
            if !m.key.contains("node_modules/") {
                declared(&m.value, &mut direct);
            }
        }
        for m in packages {
            let Some(idx) = m.key.rfind("node_modules/") else {
                continue;
            };
            if m.value.get("link").and_then(Node::as_bool) == Some(true) {
                continue;
            }
            let key_name = &m.key[idx + "node_modules/".len()..];
            let name = m
                .value
                .get("name")
                .and_then(Node::as_str)
                .unwrap_or(key_name);
            let Some(version) = m.value.get("version").and_then(Node::as_str) else {
                continue;
            };
            let Some((name, version)) = npm_spec::resolved(name, version) else {
                continue;
            };
            let top = idx == 0;
            out.packages.push(Package::new(
                name,
                version,
                m.line,
                top && direct.contains(key_name),
            ));
        }
        return Ok(out);
    }
    if let Some(deps) = doc.get("dependencies") {
        walk_v1(deps, 0, root_declared, &mut out);
    }
    Ok(out)
}

fn walk_v1(deps: &Node, depth: usize, root: Option<&HashSet<String>>, out: &mut Parsed) {
    if depth > 64 {
        return;
    }
    let Some(members) = deps.members() else {
        return;
    };
    for m in members {
        if let Some(version) = m.value.get("version").and_then(Node::as_str) {
            if let Some((name, version)) = npm_spec::resolved(&m.key, version) {
                let direct = depth == 0 && root.is_some_and(|r| r.contains(&m.key));
                out.packages
                    .push(Package::new(name, version, m.line, direct));
            }
        }
        if let Some(nested) = m.value.get("dependencies") {
            walk_v1(nested, depth + 1, root, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_packages_with_nesting_links_and_aliases() {
        let text = r#"{
  "name": "app", "lockfileVersion": 3,
  "packages": {
    "": { "dependencies": { "lodash": "^4.17.0", "my-alias": "npm:minimist@1.2.0" } },
    "node_modules/lodash": { "version": "4.17.4" },
    "node_modules/my-alias": { "name": "minimist", "version": "1.2.0" },
    "node_modules/foo/node_modules/lodash": { "version": "3.10.1" },
    "node_modules/local": { "resolved": "packages/local", "link": true },
    "node_modules/gitdep": { "version": "git+ssh://git@github.com/x/y.git#abc" }
  }
}"#;
        let p = parse(text, None).unwrap();
        let got = p.rows();
        assert_eq!(
            got,
            vec![
                ("lodash", "4.17.4", 5, true),
                ("minimist", "1.2.0", 6, true),
                ("lodash", "3.10.1", 7, false)
            ]
        );
    }

    #[test]
    fn v1_nested_dependencies() {
        let text = r#"{
  "lockfileVersion": 1,
  "dependencies": {
    "express": {
      "version": "4.0.0",
      "dependencies": {
        "qs": { "version": "0.6.6" }
      }
    },
    "aliased": { "version": "npm:debug@2.2.0" }
  }
}"#;
        let root: HashSet<String> = ["express".to_string()].into();
        let p = parse(text, Some(&root)).unwrap();
        let got = p.rows();
        assert_eq!(
            got,
            vec![
                ("express", "4.0.0", 4, true),
                ("qs", "0.6.6", 7, false),
                ("debug", "2.2.0", 10, false)
            ]
        );
    }
}
