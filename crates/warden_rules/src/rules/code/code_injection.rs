//! CODE002: attacker-controlled event data reaches code evaluation (`eval`, `Function`, `exec`).

use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_code::IssueKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a handler where attacker-controlled event data reaches code evaluation: `eval`,
/// `new Function`, `vm.runIn*Context`, `vm.Script`, string `setTimeout`, Python `eval`, `exec`,
/// `compile`. Severity follows the trigger's exposure.
///
/// ## Why is this bad?
/// Evaluated input runs as code inside the function, with its role and secrets (SAS-1, CWE-94).
///
/// ## Insecure example
/// ```python
/// def handler(event, context):
///     return eval(event["body"])
/// ```
///
/// ## Secure alternative
/// ```python
/// import ast
/// def handler(event, context):
///     return ast.literal_eval(event["body"])
/// ```
///
/// ## References
/// OWASP Serverless Top 10 SAS-1; CWE-94 (code injection).
#[derive(Debug)]
pub struct CodeInjection;

static META: RuleMeta = RuleMeta {
    code: "CODE002",
    name: "code-injection",
    category: Category::Injection,
    severity: Severity::Critical,
    confidence: Confidence::High,
    practice: "code: no untrusted event data reaching eval",
    cwe: &[94],
    owasp: &["SAS-1"],
    source: include_str!("code_injection.rs"),
};

const HELP: &str = "never evaluate event data: parse it (`JSON.parse`, `ast.literal_eval`) or map it to a fixed set of operations";

impl Rule for CodeInjection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        super::report(facts, IssueKind::CodeInjection, &META, HELP, out);
    }
}
