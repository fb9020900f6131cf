//! `yarn.lock`, both the classic v1 format (`version "1.2.3"`) and Berry's YAML form
//! (`version: 1.2.3`, `resolution: "name@npm:1.2.3"`). Workspace, link, portal and file entries
//! are skipped; `npm:` aliases resolve to the real package.

use super::{Package, Parsed, npm_spec};
use std::collections::HashSet;

fn unquote(s: &str) -> &str {
    s.trim().trim_matches('"').trim_matches('\'')
}

/// Splits a descriptor `name@range` (the name may be scoped) into its parts.
fn split_descriptor(d: &str) -> Option<(&str, &str)> {
    let (at, _) = d.char_indices().skip(1).find(|(_, c)| *c == '@')?;
    Some((&d[..at], &d[at + 1..]))
}

/// Parses a lockfile; `declared` are the names the sibling `package.json` declares.
pub fn parse(text: &str, declared: Option<&HashSet<String>>) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let header_line = i + 1;
        i += 1;
        if line.is_empty() || line.starts_with([' ', '\t', '#']) || !line.trim_end().ends_with(':')
        {
            continue;
        }
        let header = line.trim_end().trim_end_matches(':');
        if header == "__metadata" {
            continue;
        }
        let first = unquote(header.split(", ").next().unwrap_or(header));
        let Some((mut name, range)) = split_descriptor(first) else {
            continue;
        };
        let mut version: Option<String> = None;
        let mut resolution: Option<String> = None;
        while i < lines.len() && (lines[i].starts_with([' ', '\t']) || lines[i].trim().is_empty()) {
            let body = lines[i].trim();
            if lines[i].starts_with("  ") && !lines[i].starts_with("   ") {
                if let Some(v) = body
                    .strip_prefix("version:")
                    .or_else(|| body.strip_prefix("version "))
                {
                    version = Some(unquote(v).to_string());
                } else if let Some(r) = body.strip_prefix("resolution:") {
                    resolution = Some(unquote(r).to_string());
                }
            }
            i += 1;
        }
        let local = ["@workspace:", "@link:", "@portal:", "@file:", "@exec:"];
        if let Some(r) = &resolution {
            if local.iter().any(|l| r.contains(l)) {
                continue;
            }
            // `real@npm:1.2.3` names the package actually installed.
            if let Some((rn, rest)) = split_descriptor(r) {
                if rest.starts_with("npm:") {
                    name = rn;
                }
            }
        } else if let Some(alias) = range.strip_prefix("npm:") {
            if let Some((real, _)) = split_descriptor(alias) {
                name = real;
            }
        }
        if range.starts_with("file:")
            || range.starts_with("link:")
            || range.starts_with("workspace:")
        {
            continue;
        }
        let Some(version) = version.filter(|v| npm_spec::is_exact(v)) else {
            continue;
        };
        let direct =
            declared.is_some_and(|d| d.contains(split_descriptor(first).map_or(name, |(n, _)| n)));
        out.packages.push(Package::new(
            name.to_string(),
            version,
            header_line as u32,
            direct,
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_v1() {
        let text = "# yarn lockfile v1\n\n\n\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.10.4\":\n  version \"7.12.13\"\n  dependencies:\n    \"@babel/highlight\" \"^7.12.13\"\n\nlodash@^4.17.15:\n  version \"4.17.15\"\n  resolved \"https://registry.yarnpkg.com/lodash/-/lodash-4.17.15.tgz\"\n\nalias@npm:minimist@^1.2.0:\n  version \"1.2.0\"\n";
        let declared: HashSet<String> = ["lodash".to_string()].into();
        let p = parse(text, Some(&declared)).unwrap();
        let got = p.rows();
        assert_eq!(
            got,
            vec![
                ("@babel/code-frame", "7.12.13", 4, false),
                ("lodash", "4.17.15", 9, true),
                ("minimist", "1.2.0", 13, false)
            ]
        );
    }

    #[test]
    fn berry() {
        let text = "__metadata:\n  version: 6\n  cacheKey: 8\n\n\"lodash@npm:^4.17.15, lodash@npm:^4.17.20\":\n  version: 4.17.20\n  resolution: \"lodash@npm:4.17.20\"\n  checksum: abc\n\n\"my-app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"my-app@workspace:.\"\n";
        let p = parse(text, None).unwrap();
        let got: Vec<_> = p
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.line))
            .collect();
        assert_eq!(got, vec![("lodash", "4.17.20", 5)]);
    }
}
