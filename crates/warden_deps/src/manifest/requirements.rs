//! `requirements*.txt`: `name[extras]==version ; markers --hash=…` pins (`==` and `===`), line
//! continuations, comments, `-r`/`--requirement` includes (followed inside the scanned root,
//! cycle-safe, each record keeping the included file and line), and pip-compile `# via`
//! annotations to tell direct from transitive. Anything not pinned is reported as unpinned.

use super::{Package, Parsed, UnpinnedDep, rel_join};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

const MAX_INCLUDE_DEPTH: usize = 8;

/// A parsed requirement line.
#[derive(Debug, PartialEq)]
pub enum Req {
    /// `name==version`.
    Pinned(String, String),
    /// Any other specifier (or none).
    Unpinned(String, String),
}

/// Parses one PEP 508 requirement (no options); `None` for URLs, paths and garbage.
pub fn parse_requirement(text: &str) -> Option<Req> {
    let req = text.split(';').next().unwrap_or(text).trim();
    let name_end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(req.len());
    let name = &req[..name_end];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let mut rest = req[name_end..].trim_start();
    if rest.starts_with('[') {
        let close = rest.find(']')?;
        rest = rest[close + 1..].trim_start();
    }
    if rest.starts_with('@') {
        return None; // direct URL reference
    }
    let spec = rest
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    let pinned = spec
        .strip_prefix("===")
        .or_else(|| spec.strip_prefix("=="))
        .map(str::trim)
        .filter(|v| !v.is_empty() && !v.contains([',', '*', ' ', '<', '>', '!', '~', '=']));
    Some(match pinned {
        Some(v) => Req::Pinned(name.to_string(), v.to_string()),
        None => Req::Unpinned(name.to_string(), spec.to_string()),
    })
}

/// Strips a trailing comment (`#` at the start or after whitespace).
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

/// Parses `rel` (relative to `root`) and its includes.
pub fn parse(root: &Path, rel: &Path, text: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut visited = HashSet::new();
    visited.insert(rel.to_path_buf());
    parse_into(root, rel, text, 0, &mut visited, &mut out, true);
    out
}

struct Logical {
    line: u32,
    text: String,
    via: Vec<String>,
}

fn logical_lines(text: &str) -> Vec<Logical> {
    let mut out: Vec<Logical> = Vec::new();
    let mut pending: Option<Logical> = None;
    let mut in_via = false;
    for (n, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        // pip-compile annotations following a requirement.
        if let Some(c) = trimmed.strip_prefix('#') {
            let c = c.trim();
            if let Some(last) = out.last_mut() {
                if let Some(v) = c.strip_prefix("via") {
                    let v = v.trim();
                    in_via = true;
                    if !v.is_empty() {
                        last.via.push(v.to_string());
                        in_via = false;
                    }
                    continue;
                }
                if in_via && raw.starts_with("    #") && !c.is_empty() {
                    last.via.push(c.to_string());
                    continue;
                }
            }
            in_via = false;
            continue;
        }
        in_via = false;
        let content = strip_comment(raw);
        let (body, cont) = match content.trim_end().strip_suffix('\\') {
            Some(b) => (b, true),
            None => (content, false),
        };
        let entry = pending.get_or_insert_with(|| Logical {
            line: (n + 1) as u32,
            text: String::new(),
            via: Vec::new(),
        });
        entry.text.push(' ');
        entry.text.push_str(body.trim());
        if !cont {
            if let Some(done) = pending.take() {
                if !done.text.trim().is_empty() {
                    out.push(done);
                }
            }
        }
    }
    if let Some(done) = pending.take() {
        if !done.text.trim().is_empty() {
            out.push(done);
        }
    }
    out
}

fn parse_into(
    root: &Path,
    rel: &Path,
    text: &str,
    depth: usize,
    visited: &mut HashSet<PathBuf>,
    out: &mut Parsed,
    top: bool,
) {
    let file = (!top).then(|| rel.to_path_buf());
    for l in logical_lines(text) {
        let t = l.text.trim();
        if let Some(opt) = t.strip_prefix('-') {
            let (flag, arg) = match opt.split_once(['=', ' ']) {
                Some((f, a)) => (f.trim(), a.trim()),
                None => (opt.trim(), ""),
            };
            if matches!(flag, "r" | "-requirement") && !arg.is_empty() {
                include(root, rel, arg, l.line, depth, visited, out);
            }
            continue;
        }
        // Strip per-requirement options such as --hash.
        let req_text = t.split(" --").next().unwrap_or(t);
        match parse_requirement(req_text) {
            Some(Req::Pinned(name, version)) => {
                let direct = l.via.is_empty() || l.via.iter().any(|v| v.starts_with("-r"));
                let mut p = Package::new(name, version, l.line, direct);
                p.file = file.clone();
                out.packages.push(p);
            }
            Some(Req::Unpinned(name, spec)) => out.unpinned.push(UnpinnedDep {
                name,
                spec,
                line: l.line,
                file: file.clone(),
            }),
            None => {}
        }
    }
}

fn include(
    root: &Path,
    rel: &Path,
    arg: &str,
    line: u32,
    depth: usize,
    visited: &mut HashSet<PathBuf>,
    out: &mut Parsed,
) {
    let at = rel.display();
    if depth >= MAX_INCLUDE_DEPTH {
        out.errors.push(format!(
            "{at}:{line}: includes nested deeper than {MAX_INCLUDE_DEPTH}"
        ));
        return;
    }
    let Some(target) = rel_join(rel.parent().unwrap_or(Path::new("")), arg) else {
        out.errors.push(format!(
            "{at}:{line}: include `{arg}` points outside the scanned tree"
        ));
        return;
    };
    if !visited.insert(target.clone()) {
        return;
    }
    match std::fs::read_to_string(root.join(&target)) {
        Ok(text) => parse_into(root, &target, &text, depth + 1, visited, out, false),
        Err(e) => out
            .errors
            .push(format!("{at}:{line}: cannot read include `{arg}`: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_forms() {
        assert_eq!(
            parse_requirement("Django[argon2] == 3.2.0 ; python_version >= '3.8'"),
            Some(Req::Pinned("Django".into(), "3.2.0".into()))
        );
        assert_eq!(
            parse_requirement("pkg===1.0-weird"),
            Some(Req::Pinned("pkg".into(), "1.0-weird".into()))
        );
        assert_eq!(
            parse_requirement("requests>=2.0"),
            Some(Req::Unpinned("requests".into(), ">=2.0".into()))
        );
        assert_eq!(
            parse_requirement("flask==2.*"),
            Some(Req::Unpinned("flask".into(), "==2.*".into()))
        );
        assert_eq!(
            parse_requirement("flask"),
            Some(Req::Unpinned("flask".into(), "".into()))
        );
        assert_eq!(parse_requirement("pkg @ https://x/y.whl"), None);
        assert_eq!(parse_requirement("./local"), None);
    }

    #[test]
    fn continuations_hashes_and_via() {
        let text = "# comment\njinja2==2.10 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n    # via\n    #   -r requirements.in\nmarkupsafe==1.0  # pinned\n    # via jinja2\nrequests>=2\n-e git+https://x/y.git#egg=y\n--index-url https://pypi.org/simple\n";
        let p = parse(
            Path::new("/nonexistent"),
            Path::new("requirements.txt"),
            text,
        );
        let got = p.rows();
        assert_eq!(
            got,
            vec![("jinja2", "2.10", 2, true), ("markupsafe", "1.0", 7, false)]
        );
        assert_eq!(p.unpinned.len(), 1);
        assert_eq!(p.unpinned[0].line, 9);
    }

    #[test]
    fn includes_are_followed_inside_the_root_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("fn/common")).unwrap();
        std::fs::write(
            dir.path().join("fn/common/base.txt"),
            "\nurllib3==1.24.1\n-r ../requirements.txt\n",
        )
        .unwrap();
        let text = "-r common/base.txt\n--requirement=../../etc/passwd\nrequests==2.19.0\n";
        std::fs::write(dir.path().join("fn/requirements.txt"), text).unwrap();
        let p = parse(dir.path(), Path::new("fn/requirements.txt"), text);
        let got: Vec<_> = p
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.line, p.file.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("urllib3", 2, Some(PathBuf::from("fn/common/base.txt"))),
                ("requests", 3, None)
            ]
        );
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        assert!(p.errors[0].contains("outside"));
    }
}
