//! Inline suppressions in Terraform files: a `# warden:ignore RULE reason` (or `//`, or the
//! bracketed `warden:ignore[RULE,…] reason`) comment on the line above a block or on the block's
//! first line suppresses RULE for that resource (every rule when none is named).

use super::{Mode, TfResource};
use std::sync::Arc;
use warden_model::Suppression;
use warden_source::SourceFile;

/// The rule codes (empty: every rule) and reason of a `warden:ignore` comment in `line`.
fn directive(line: &str) -> Option<(Vec<String>, Option<String>)> {
    let start = line.find('#').or_else(|| line.find("//"))?;
    let comment = &line[start..];
    let at = comment.find("warden:ignore")?;
    let rest = &comment[at + "warden:ignore".len()..];
    if let Some(list) = rest.strip_prefix('[') {
        let end = list.find(']')?;
        let codes = list[..end]
            .split(',')
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect();
        let reason = list[end + 1..].trim();
        return Some((codes, (!reason.is_empty()).then(|| reason.to_string())));
    }
    let mut words = rest.split_whitespace();
    let first = words.next();
    let is_code = |w: &str| {
        w.len() >= 3
            && w.chars().any(|c| c.is_ascii_digit())
            && w.chars().all(|c| c.is_ascii_alphanumeric())
    };
    match first {
        Some(code) if is_code(code) => {
            let reason: Vec<&str> = words.collect();
            Some((
                vec![code.to_ascii_uppercase()],
                (!reason.is_empty()).then(|| reason.join(" ")),
            ))
        }
        Some(w) => {
            let mut reason = vec![w];
            reason.extend(words);
            Some((Vec::new(), Some(reason.join(" "))))
        }
        None => Some((Vec::new(), None)),
    }
}

/// Suppressions written as comments next to the managed resources' blocks.
pub fn comments(resources: &[TfResource], sources: &[Arc<SourceFile>]) -> Vec<Suppression> {
    let mut out = Vec::new();
    for r in resources.iter().filter(|r| r.mode == Mode::Managed) {
        let Some(file) = sources.iter().find(|s| s.path == r.origin.file) else {
            continue;
        };
        let line = file.position(r.origin.span.start).line;
        let lines = [line.checked_sub(1), Some(line)];
        for l in lines.into_iter().flatten().filter(|l| *l >= 1) {
            let Some((codes, reason)) = file.line(l).and_then(directive) else {
                continue;
            };
            let codes = if codes.is_empty() {
                vec![String::new()]
            } else {
                codes
            };
            for rule in codes {
                out.push(Suppression {
                    resource: r.address.clone(),
                    rule,
                    reason: reason.clone(),
                    origin: r.origin.clone(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::directive;

    #[test]
    fn parses_both_comment_forms() {
        assert_eq!(
            directive("# warden:ignore SEC001 test fixture"),
            Some((vec!["SEC001".into()], Some("test fixture".into())))
        );
        assert_eq!(
            directive("  // warden:ignore[iam001, AUTH002] legacy"),
            Some((
                vec!["IAM001".into(), "AUTH002".into()],
                Some("legacy".into())
            ))
        );
        assert_eq!(directive("resource \"a\" \"b\" {"), None);
    }
}
