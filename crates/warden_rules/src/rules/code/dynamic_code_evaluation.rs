//! CODE009: code evaluated from a value built at run time (a pattern, not a proven flow).

use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_code::IssueKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags `eval`-like calls in handler code whose argument is built at run time but was not shown to
/// come from the event (an environment variable, a database value, a computed string). It is a
/// pattern, not an injection finding: constants are never flagged, and tainted arguments are
/// reported by CODE002 instead.
///
/// ## Why is this bad?
/// Code evaluated from values the function does not control (configuration, stored data) becomes
/// an injection point as soon as one of those values can be written by someone else; it also
/// defeats review and bundling (CWE-95).
///
/// ## Insecure example
/// ```js
/// const rule = await loadRule(); // from a table
/// return eval(rule.expression);
/// ```
///
/// ## Secure alternative
/// ```js
/// const rule = await loadRule();
/// return evaluateRule(rule); // an interpreter over a fixed grammar
/// ```
///
/// ## References
/// CWE-95 (eval injection); OWASP Serverless Top 10 SAS-1.
#[derive(Debug)]
pub struct DynamicCodeEvaluation;

static META: RuleMeta = RuleMeta {
    code: "CODE009",
    name: "dynamic-code-evaluation",
    category: Category::Code,
    severity: Severity::Low,
    confidence: Confidence::Medium,
    practice: "code: no untrusted event data reaching eval",
    cwe: &[95],
    owasp: &["SAS-1"],
    source: include_str!("dynamic_code_evaluation.rs"),
};

const HELP: &str = "replace evaluation with a parser or a table of allowed operations";

impl Rule for DynamicCodeEvaluation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        super::report(facts, IssueKind::DynamicCodeEvaluation, &META, HELP, out);
    }
}
