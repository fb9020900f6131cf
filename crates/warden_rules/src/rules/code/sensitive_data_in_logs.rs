//! CODE010: the whole event, request headers or credential-like values written to logs.

use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_code::IssueKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags handler code that writes the whole event, the request headers (with `Authorization`),
/// or values named like passwords, tokens, secrets, authorization headers, card numbers, CVVs or
/// social security numbers to the logs (`console.*`, `logger.*`, `logging.*`, `print`).
///
/// ## Why is this bad?
/// Logs are kept for a long time, copied to other accounts and tools, and readable by many more
/// people than the data's owners: credentials and personal data in them leak (CWE-532).
///
/// ## Insecure example
/// ```js
/// exports.handler = async (event) => {
///   console.log(JSON.stringify(event));
/// };
/// ```
///
/// ## Secure alternative
/// ```js
/// exports.handler = async (event) => {
///   console.log({ path: event.rawPath, requestId: event.requestContext.requestId });
/// };
/// ```
///
/// ## References
/// CWE-532 (insertion of sensitive information into log file); OWASP Logging cheat sheet;
/// OWASP Serverless Top 10 SAS-3.
#[derive(Debug)]
pub struct SensitiveDataInLogs;

static META: RuleMeta = RuleMeta {
    code: "CODE010",
    name: "sensitive-data-in-logs",
    category: Category::Logging,
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    practice: "code: no sensitive data in logs",
    cwe: &[532],
    owasp: &["SAS-3"],
    source: include_str!("sensitive_data_in_logs.rs"),
};

const HELP: &str = "log identifiers and outcomes, not payloads; drop or mask credential and card fields before logging";

impl Rule for SensitiveDataInLogs {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        super::report(facts, IssueKind::SensitiveLogging, &META, HELP, out);
    }
}
