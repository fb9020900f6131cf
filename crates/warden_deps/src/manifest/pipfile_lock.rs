//! `Pipfile.lock` (JSON): the `default` and `develop` sections, `"version": "==1.2.3"` pins.
//! Direct dependencies are those the sibling `Pipfile` declares.

use super::json::{self, Node};
use super::{Package, Parsed};
use std::collections::HashSet;

/// Parses a lockfile.
pub fn parse(text: &str, declared: Option<&HashSet<String>>) -> Result<Parsed, String> {
    let doc = json::parse(text)?;
    let mut out = Parsed::default();
    let eco = crate::Ecosystem::PyPI;
    let declared: HashSet<String> = declared
        .into_iter()
        .flatten()
        .map(|n| eco.normalize_name(n))
        .collect();
    for section in ["default", "develop"] {
        let Some(members) = doc.get(section).and_then(Node::members) else {
            continue;
        };
        for m in members {
            let Some(v) = m.value.get("version").and_then(Node::as_str) else {
                continue;
            };
            let Some(v) = v
                .trim()
                .strip_prefix("==")
                .map(|v| v.trim_start_matches('=').trim())
            else {
                continue;
            };
            let direct = declared.contains(&eco.normalize_name(&m.key));
            out.packages
                .push(Package::new(m.key.clone(), v.to_string(), m.line, direct));
        }
    }
    Ok(out)
}

/// The names a `Pipfile` declares under `[packages]` and `[dev-packages]`.
pub fn pipfile_names(text: &str) -> Option<HashSet<String>> {
    let doc: toml::Table = toml::from_str(text).ok()?;
    let mut out = HashSet::new();
    for s in ["packages", "dev-packages"] {
        if let Some(t) = doc.get(s).and_then(|v| v.as_table()) {
            out.extend(t.keys().cloned());
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_and_directness() {
        let text = "{\n  \"_meta\": {},\n  \"default\": {\n    \"requests\": {\"hashes\": [], \"version\": \"==2.19.0\"},\n    \"urllib3\": {\"version\": \"==1.23\"}\n  },\n  \"develop\": {\n    \"gitdep\": {\"git\": \"https://x\"}\n  }\n}";
        let declared: HashSet<String> = ["Requests".to_string()].into();
        let p = parse(text, Some(&declared)).unwrap();
        let got = p.rows();
        assert_eq!(
            got,
            vec![
                ("requests", "2.19.0", 4, true),
                ("urllib3", "1.23", 5, false)
            ]
        );
    }
}
