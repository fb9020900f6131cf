//! `pnpm-lock.yaml` (lockfile versions 5, 6 and 9), read line by line: package keys under
//! `packages:` (`/name/1.2.3`, `/name@1.2.3`, `name@1.2.3`, with peer suffixes `_peer@1` or
//! `(peer@1)`), and direct dependencies from the top-level or `importers` dependency maps.

use super::{Package, Parsed, npm_spec};
use std::collections::HashSet;

const DEP_KINDS: [&str; 3] = ["dependencies:", "devDependencies:", "optionalDependencies:"];

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn unquote(s: &str) -> &str {
    s.trim().trim_matches('\'').trim_matches('"')
}

/// Strips a peer-dependency suffix from a version (`1.2.3(react@18.0.0)`, `1.2.3_react@18.0.0`).
fn bare_version(v: &str) -> &str {
    let v = v.split('(').next().unwrap_or(v);
    v.split('_').next().unwrap_or(v).trim()
}

/// Splits a `packages:` key into name and version.
fn split_key(key: &str) -> Option<(String, String)> {
    let key = unquote(key);
    let key = key.strip_prefix('/').unwrap_or(key);
    let key = key.split('(').next().unwrap_or(key);
    // `name/version_peers` (v5).
    if let Some(slash) = key.rfind('/') {
        let v = bare_version(&key[slash + 1..]);
        if npm_spec::is_exact(v) {
            return Some((key[..slash].to_string(), v.to_string()));
        }
    }
    // `name@version` (v6, v9): an `@` after the first character.
    let (at, _) = key
        .char_indices()
        .skip(1)
        .filter(|(_, c)| *c == '@')
        .last()?;
    let v = bare_version(&key[at + 1..]);
    npm_spec::is_exact(v).then(|| (key[..at].to_string(), v.to_string()))
}

/// Parses a lockfile.
pub fn parse(text: &str) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let mut direct: HashSet<(String, String)> = HashSet::new();
    let mut section = "";
    // Indent of the dependency-kind line we are inside, and the dependency being read.
    let mut dep_kind_indent: Option<usize> = None;
    let mut current_dep: Option<String> = None;
    let mut entries: Vec<(String, String, u32)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let ind = indent(line);
        if ind == 0 {
            section = t;
            dep_kind_indent = DEP_KINDS.contains(&t).then_some(0);
            current_dep = None;
            continue;
        }
        if section == "packages:" && ind == 2 && t.ends_with(':') {
            if let Some((name, version)) = split_key(t.trim_end_matches(':')) {
                entries.push((name, version, (n + 1) as u32));
            }
            continue;
        }
        if section == "importers:" && ind == 4 {
            dep_kind_indent = DEP_KINDS.contains(&t).then_some(4);
            current_dep = None;
            continue;
        }
        let Some(k) = dep_kind_indent else { continue };
        if ind <= k {
            dep_kind_indent = None;
            continue;
        }
        if ind == k + 2 {
            let (name, value) = t.split_once(':').unwrap_or((t, ""));
            let name = unquote(name).to_string();
            let value = unquote(value);
            if value.is_empty() {
                current_dep = Some(name);
            } else {
                // v5: `name: 1.2.3`
                direct.insert((name, bare_version(value).to_string()));
                current_dep = None;
            }
        } else if ind == k + 4 {
            if let (Some(name), Some(v)) = (&current_dep, t.strip_prefix("version:")) {
                direct.insert((name.clone(), bare_version(unquote(v)).to_string()));
            }
        }
    }
    let mut seen = HashSet::new();
    for (name, version, line) in entries {
        if seen.insert((name.clone(), version.clone())) {
            let is_direct = direct.contains(&(name.clone(), version.clone()));
            out.packages
                .push(Package::new(name, version, line, is_direct));
        }
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
    fn v5() {
        let text = "lockfileVersion: 5.4\n\nspecifiers:\n  lodash: ^4.17.0\n\ndependencies:\n  lodash: 4.17.20\n\npackages:\n\n  /lodash/4.17.20:\n    resolution: {integrity: sha512-x}\n    dev: false\n\n  /@babel/core/7.0.0_react@18.0.0:\n    resolution: {integrity: sha512-y}\n";
        assert_eq!(
            got(&parse(text).unwrap()),
            vec![
                ("lodash", "4.17.20", 11, true),
                ("@babel/core", "7.0.0", 15, false)
            ]
        );
    }

    #[test]
    fn v6_and_v9() {
        let v6 = "lockfileVersion: '6.0'\n\ndependencies:\n  lodash:\n    specifier: ^4.17.0\n    version: 4.17.20\n\npackages:\n\n  /lodash@4.17.20:\n    resolution: {integrity: sha512-x}\n\n  /@types/node@18.0.0(typescript@5.0.0):\n    dev: true\n";
        assert_eq!(
            got(&parse(v6).unwrap()),
            vec![
                ("lodash", "4.17.20", 10, true),
                ("@types/node", "18.0.0", 13, false)
            ]
        );
        let v9 = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      minimist:\n        specifier: 1.2.0\n        version: 1.2.0\n\npackages:\n\n  minimist@1.2.0:\n    resolution: {integrity: sha512-x}\n\n  '@scope/pkg@2.0.0':\n    resolution: {integrity: sha512-y}\n\nsnapshots:\n\n  minimist@1.2.0: {}\n";
        assert_eq!(
            got(&parse(v9).unwrap()),
            vec![
                ("minimist", "1.2.0", 13, true),
                ("@scope/pkg", "2.0.0", 16, false)
            ]
        );
    }
}
