//! Suppressions: inline `# warden:ignore[CODE,…] reason` comments (`//` and `/*` comments in code
//! and JSON-with-comments files) on the flagged line or on the resource's first line, and
//! `Metadata: {warden: {ignore: [{rule, reason}]}}` on the resource. Findings in files that are
//! not templates (handler code, configuration) honour the inline form on the flagged line.

use warden_model::{App, Finding};
use warden_source::SourceMap;

/// The codes a `warden:ignore` comment on `line` names; `Some(empty)` means every rule.
fn inline_codes(line: &str) -> Option<Vec<String>> {
    let at = line.find("warden:ignore")?;
    let before = &line[..at];
    if !["#", "//", "/*"].iter().any(|m| before.contains(m)) {
        return None;
    }
    let rest = &line[at + "warden:ignore".len()..];
    let Some(list) = rest.strip_prefix('[') else {
        return Some(Vec::new());
    };
    let end = list.find(']')?;
    Some(
        list[..end]
            .split(',')
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect(),
    )
}

fn matches(codes: &[String], rule: &str) -> bool {
    codes.is_empty() || codes.iter().any(|c| rule.starts_with(c.as_str()))
}

/// The logical id of the resource a document path lies in (`/Resources/<id>/...`).
fn resource_of(path: &str) -> Option<&str> {
    path.strip_prefix("/Resources/")?.split('/').next()
}

/// Removes suppressed findings of `app`; returns how many were removed.
pub fn apply(findings: &mut Vec<Finding>, app: &App, sources: &SourceMap) -> usize {
    let before = findings.len();
    findings.retain(|f| !is_suppressed(f, app, sources));
    before - findings.len()
}

/// Removes findings suppressed by an inline comment on their line, for findings outside every
/// app's template (handler code, configuration files); returns how many were removed.
pub fn apply_inline(findings: &mut Vec<Finding>, sources: &SourceMap) -> usize {
    let before = findings.len();
    findings.retain(|f| !inline_on_line(f, sources));
    before - findings.len()
}

fn inline_on_line(f: &Finding, sources: &SourceMap) -> bool {
    let Some(file) = sources.get(&f.origin.file) else {
        return false;
    };
    let line = file.position(f.origin.span.start).line;
    file.line(line)
        .and_then(inline_codes)
        .is_some_and(|codes| matches(&codes, f.rule))
}

fn is_suppressed(f: &Finding, app: &App, sources: &SourceMap) -> bool {
    let resource = resource_of(&f.origin.path).or(f.resource.as_deref());
    if let Some(res) = resource
        && app
            .suppressions
            .iter()
            .any(|s| s.resource == res && f.rule.starts_with(s.rule.to_ascii_uppercase().as_str()))
    {
        return true;
    }
    let Some(file) = sources.get(&f.origin.file) else {
        return false;
    };
    let line = file.position(f.origin.span.start).line;
    if file
        .line(line)
        .and_then(inline_codes)
        .is_some_and(|codes| matches(&codes, f.rule))
    {
        return true;
    }
    let first_line = resource
        .and_then(|id| app.resource(id))
        .filter(|r| r.origin.file == f.origin.file)
        .map(|r| file.position(r.origin.span.start).line);
    first_line
        .and_then(|l| file.line(l))
        .and_then(inline_codes)
        .is_some_and(|codes| matches(&codes, f.rule))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_inline_comments() {
        assert_eq!(
            inline_codes("  A: b # warden:ignore[sec001, AUTH] webhook"),
            Some(vec!["SEC001".into(), "AUTH".into()])
        );
        assert_eq!(inline_codes("x: 1 # warden:ignore"), Some(vec![]));
        assert_eq!(inline_codes("x: warden:ignore"), None);
        assert_eq!(
            inline_codes("  exec(cmd); // warden:ignore[CODE001] constant command"),
            Some(vec!["CODE001".into()])
        );
        assert_eq!(
            inline_codes("  \"authLevel\": \"anonymous\" /* warden:ignore[AUTH002] */"),
            Some(vec!["AUTH002".into()])
        );
        assert!(matches(&["AUTH".into()], "AUTH002"));
        assert!(!matches(&["SEC001".into()], "SEC002"));
    }
}
