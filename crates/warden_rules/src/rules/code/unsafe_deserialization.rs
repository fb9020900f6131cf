//! CODE003: attacker-controlled event data reaches an object deserializer.

use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_code::IssueKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a handler where attacker-controlled event data reaches a deserializer that can build
/// arbitrary objects: `node-serialize` `unserialize`, `pickle.loads`, `jsonpickle.decode`,
/// `yaml.load` without a safe loader, `yaml.unsafe_load`, `marshal.loads`. Severity follows the
/// trigger's exposure.
///
/// ## Why is this bad?
/// These formats run code while loading (pickle's `__reduce__`, node-serialize's IIFE functions):
/// a crafted message executes in the function (SAS-1, CWE-502).
///
/// ## Insecure example
/// ```python
/// def handler(event, context):
///     order = pickle.loads(base64.b64decode(event["body"]))
/// ```
///
/// ## Secure alternative
/// ```python
/// def handler(event, context):
///     order = Order.model_validate_json(event["body"])
/// ```
///
/// ## References
/// OWASP Serverless Top 10 SAS-1; CWE-502 (deserialization of untrusted data); Python `pickle`
/// documentation warning.
#[derive(Debug)]
pub struct UnsafeDeserialization;

static META: RuleMeta = RuleMeta {
    code: "CODE003",
    name: "unsafe-deserialization",
    category: Category::Injection,
    severity: Severity::Critical,
    confidence: Confidence::High,
    practice: "code: no untrusted event data reaching a deserializer",
    cwe: &[502],
    owasp: &["SAS-1"],
    source: include_str!("unsafe_deserialization.rs"),
};

const HELP: &str = "exchange data as JSON and validate it; use `yaml.safe_load`; never unpickle data from an event";

impl Rule for UnsafeDeserialization {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        super::report(facts, IssueKind::UnsafeDeserialization, &META, HELP, out);
    }
}
