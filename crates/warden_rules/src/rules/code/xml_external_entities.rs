//! CODE008: attacker-controlled XML parsed with external entity resolution on.

use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_code::IssueKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a handler that parses attacker-controlled XML with external entity resolution turned on:
/// an `lxml.etree.XMLParser(resolve_entities=True)` (or `no_network=False`) used by
/// `etree.fromstring`/`parse`, `libxmljs.parseXml` with `noent: true`. Severity follows the
/// trigger's exposure.
///
/// ## Why is this bad?
/// External entities read local files (the function's code and environment) and make requests
/// from inside the function (SAS-1, CWE-611).
///
/// ## Insecure example
/// ```js
/// const doc = libxmljs.parseXml(event.body, { noent: true });
/// ```
///
/// ## Secure alternative
/// ```js
/// const doc = libxmljs.parseXml(event.body);
/// ```
///
/// ## References
/// OWASP Serverless Top 10 SAS-1; CWE-611 (XML external entity reference); OWASP XXE prevention
/// cheat sheet.
#[derive(Debug)]
pub struct XmlExternalEntities;

static META: RuleMeta = RuleMeta {
    code: "CODE008",
    name: "xml-external-entities",
    category: Category::Injection,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "code: no untrusted event data reaching an XML parser that resolves entities",
    cwe: &[611],
    owasp: &["SAS-1"],
    source: include_str!("xml_external_entities.rs"),
};

const HELP: &str =
    "leave entity resolution off (`resolve_entities=False`, no `noent`), or use `defusedxml`";

impl Rule for XmlExternalEntities {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        super::report(facts, IssueKind::Xxe, &META, HELP, out);
    }
}
