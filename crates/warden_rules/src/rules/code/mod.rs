//! Handler code: event-data injection (taint from the trigger's attacker-controlled fields to
//! sinks), sensitive logging, unverified JWTs and error details returned to clients. The analysis
//! itself lives in `warden_code`; these rules turn its issues into findings, with the severity of
//! injection findings following the function's exposure.

pub mod code_injection;
pub mod command_injection;
pub mod dynamic_code_evaluation;
pub mod error_details_in_response;
pub mod jwt_without_signature_verification;
pub mod nosql_injection;
pub mod path_traversal;
pub mod sensitive_data_in_logs;
pub mod server_side_request_forgery;
pub mod sql_injection;
pub mod unsafe_deserialization;
pub mod xml_external_entities;

use crate::facts::ProjectFacts;
use crate::meta::RuleMeta;
use warden_code::{Exposure, IssueKind};
use warden_model::{Finding, Severity};

/// The severity of an injection finding: the rule's default on a public route, at most high on an
/// authenticated route, medium for internal event sources.
pub fn exposure_severity(default: Severity, exposure: Exposure) -> Severity {
    match exposure {
        Exposure::Public => default,
        Exposure::Authenticated => default.min(Severity::High),
        Exposure::Internal | Exposure::None => default.min(Severity::Medium),
    }
}

/// One finding per issue of `kind` in the code report.
pub fn report(
    facts: &ProjectFacts<'_>,
    kind: IssueKind,
    meta: &'static RuleMeta,
    help: &str,
    out: &mut Vec<Finding>,
) {
    let Some(code) = facts.code else { return };
    for (func, issue) in code.issues() {
        if issue.kind != kind || ignored_in_code(facts, &issue.origin, meta.code) {
            continue;
        }
        let context = if kind.is_injection() {
            format!(
                " (function `{}`, {})",
                func.function,
                func.exposure.as_str()
            )
        } else {
            format!(" (function `{}`)", func.function)
        };
        let mut f = meta.finding(
            &issue.origin,
            Some(&func.function),
            format!("{}{context}", issue.message),
            help,
        );
        if kind.is_injection() {
            f.severity = exposure_severity(meta.severity, func.exposure);
        }
        f.flow = issue.flow.clone();
        out.push(f);
    }
}

/// True when the flagged line, or the line above it, carries a `warden:ignore` comment (`#` or
/// `//`) naming `rule` (or no rule at all): suppressions written next to the code.
fn ignored_in_code(facts: &ProjectFacts<'_>, origin: &warden_source::Origin, rule: &str) -> bool {
    let Some(source) = facts.sources.get(&origin.file) else {
        return false;
    };
    let line = source.position(origin.span.start).line;
    [line, line.saturating_sub(1)]
        .into_iter()
        .filter(|l| *l > 0)
        .filter_map(|l| source.line(l))
        .any(|text| ignore_comment_names(text, rule))
}

/// `// warden:ignore[CODE001] reason`, `# warden:ignore`: whether the comment covers `rule`.
fn ignore_comment_names(line: &str, rule: &str) -> bool {
    let Some(at) = line.find("warden:ignore") else {
        return false;
    };
    let before = &line[..at];
    if !(before.contains('#') || before.contains("//")) {
        return false;
    }
    let rest = &line[at + "warden:ignore".len()..];
    let Some(list) = rest.strip_prefix('[') else {
        return true;
    };
    let Some(end) = list.find(']') else {
        return false;
    };
    list[..end]
        .split(',')
        .map(|c| c.trim().to_ascii_uppercase())
        .any(|c| !c.is_empty() && rule.starts_with(c.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_comments_in_code() {
        assert!(ignore_comment_names(
            "  exec(cmd); // warden:ignore[CODE001] vetted",
            "CODE001"
        ));
        assert!(ignore_comment_names(
            "os.system(c)  # warden:ignore",
            "CODE001"
        ));
        assert!(ignore_comment_names(
            "# warden:ignore[code] all code rules",
            "CODE004"
        ));
        assert!(!ignore_comment_names(
            "// warden:ignore[CODE004]",
            "CODE001"
        ));
        assert!(!ignore_comment_names(
            "const s = 'warden:ignore';",
            "CODE001"
        ));
    }

    #[test]
    fn severity_rises_with_exposure() {
        let s = |e| exposure_severity(Severity::Critical, e);
        assert_eq!(s(Exposure::Public), Severity::Critical);
        assert_eq!(s(Exposure::Authenticated), Severity::High);
        assert_eq!(s(Exposure::Internal), Severity::Medium);
        assert_eq!(
            exposure_severity(Severity::High, Exposure::Authenticated),
            Severity::High
        );
    }
}
