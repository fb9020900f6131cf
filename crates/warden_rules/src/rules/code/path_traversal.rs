//! CODE006: attacker-controlled event data reaches a file path.

use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_code::IssueKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a handler where attacker-controlled event data reaches a file path (`fs.readFile`,
/// `fs.writeFile`, `createReadStream`, `res.sendFile`, Python `open`, `os.remove`, `shutil.*`).
/// `path.basename`/`os.path.basename`, and a normalised path checked with `startsWith` against
/// the intended directory, break the path. Severity follows the trigger's exposure.
///
/// ## Why is this bad?
/// `../` sequences read or overwrite files outside the intended directory: the function's code,
/// `/proc/self/environ` with its credentials, `/tmp` state shared between invocations
/// (SAS-1, CWE-22).
///
/// ## Insecure example
/// ```python
/// def handler(event, context):
///     return open("/data/" + event["pathParameters"]["name"]).read()
/// ```
///
/// ## Secure alternative
/// ```python
/// def handler(event, context):
///     p = os.path.realpath(os.path.join(BASE, event["pathParameters"]["name"]))
///     if not p.startswith(BASE + os.sep):
///         return {"statusCode": 400}
///     return open(p).read()
/// ```
///
/// ## References
/// OWASP Serverless Top 10 SAS-1; CWE-22 (path traversal).
#[derive(Debug)]
pub struct PathTraversal;

static META: RuleMeta = RuleMeta {
    code: "CODE006",
    name: "path-traversal",
    category: Category::Injection,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "code: no untrusted event data reaching a file path",
    cwe: &[22],
    owasp: &["SAS-1"],
    source: include_str!("path_traversal.rs"),
};

const HELP: &str = "take the base name of user-supplied file names, or resolve the path and check it stays under the intended directory";

impl Rule for PathTraversal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        super::report(facts, IssueKind::PathTraversal, &META, HELP, out);
    }
}
