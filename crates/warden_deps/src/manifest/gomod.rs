//! `go.mod` (`require` lines and blocks, `// indirect` marking transitive modules, `replace`
//! directives applied: a module replaced by a local path is skipped) and `go.sum` (used only
//! when there is no `go.mod` beside it; `/go.mod`-only entries are ignored).

use super::{Package, Parsed};
use std::collections::{HashMap, HashSet};

fn unquote(s: &str) -> &str {
    s.trim().trim_matches('"').trim_matches('`')
}

enum Replacement {
    Module(String, String),
    Local,
}

/// Parses a `go.mod`.
pub fn parse_mod(text: &str) -> Result<Parsed, String> {
    let mut requires: Vec<(String, String, u32, bool)> = Vec::new();
    // Replacements keyed by (path, optional version).
    let mut replaces: HashMap<(String, Option<String>), Replacement> = HashMap::new();
    let mut block: Option<String> = None;
    for (n, raw) in text.lines().enumerate() {
        let indirect = raw.contains("// indirect");
        let line = raw.split("//").next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let (verb, rest) = match &block {
            Some(b) => {
                if line == ")" {
                    block = None;
                    continue;
                }
                (b.clone(), line)
            }
            None => {
                let (verb, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
                let rest = rest.trim();
                if rest == "(" {
                    block = Some(verb.to_string());
                    continue;
                }
                (verb.to_string(), rest)
            }
        };
        match verb.as_str() {
            "require" => {
                let mut parts = rest.split_whitespace();
                if let (Some(p), Some(v)) = (parts.next(), parts.next()) {
                    requires.push((
                        unquote(p).to_string(),
                        unquote(v).to_string(),
                        (n + 1) as u32,
                        !indirect,
                    ));
                }
            }
            "replace" => {
                let Some((old, new)) = rest.split_once("=>") else {
                    continue;
                };
                let old: Vec<&str> = old.split_whitespace().map(unquote).collect();
                let new: Vec<&str> = new.split_whitespace().map(unquote).collect();
                let Some(op) = old.first() else { continue };
                let key = (op.to_string(), old.get(1).map(|v| v.to_string()));
                let repl = match new.as_slice() {
                    [path, version] => Replacement::Module(path.to_string(), version.to_string()),
                    _ => Replacement::Local,
                };
                replaces.insert(key, repl);
            }
            _ => {}
        }
    }
    let mut out = Parsed::default();
    for (path, version, line, direct) in requires {
        let repl = replaces
            .get(&(path.clone(), Some(version.clone())))
            .or_else(|| replaces.get(&(path.clone(), None)));
        match repl {
            Some(Replacement::Local) => continue,
            Some(Replacement::Module(p, v)) => {
                out.packages
                    .push(Package::new(p.clone(), v.clone(), line, direct))
            }
            None => out.packages.push(Package::new(path, version, line, direct)),
        }
    }
    Ok(out)
}

/// Parses a `go.sum`.
pub fn parse_sum(text: &str) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let mut seen = HashSet::new();
    for (n, line) in text.lines().enumerate() {
        let mut parts = line.split_whitespace();
        let (Some(path), Some(version)) = (parts.next(), parts.next()) else {
            continue;
        };
        if version.ends_with("/go.mod") {
            continue;
        }
        if seen.insert((path, version)) {
            out.packages.push(Package::new(
                path.to_string(),
                version.to_string(),
                (n + 1) as u32,
                false,
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_mod_requires_replaces_and_indirect() {
        let text = "module example.com/fn\n\ngo 1.21\n\nrequire github.com/gin-gonic/gin v1.6.0\n\nrequire (\n\tgolang.org/x/text v0.3.0 // indirect\n\t\"github.com/old/mod\" v1.0.0\n\tgithub.com/local/mod v0.1.0\n)\n\nreplace github.com/old/mod => github.com/new/mod v1.2.0\nreplace github.com/local/mod v0.1.0 => ../local\n";
        let p = parse_mod(text).unwrap();
        let got = p.rows();
        assert_eq!(
            got,
            vec![
                ("github.com/gin-gonic/gin", "v1.6.0", 5, true),
                ("golang.org/x/text", "v0.3.0", 8, false),
                ("github.com/new/mod", "v1.2.0", 9, true),
            ]
        );
    }

    #[test]
    fn go_sum() {
        let text = "golang.org/x/text v0.3.0 h1:abc=\ngolang.org/x/text v0.3.0/go.mod h1:def=\ngithub.com/a/b v1.0.0/go.mod h1:x=\n";
        let p = parse_sum(text).unwrap();
        assert_eq!(p.packages.len(), 1);
        assert_eq!(
            (p.packages[0].name.as_str(), p.packages[0].line),
            ("golang.org/x/text", 1)
        );
    }
}
