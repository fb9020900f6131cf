//! CODE005: parsed request objects used as NoSQL query values, or `$where` built from input.

use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_code::IssueKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a handler that passes parsed request objects (a JSON-parsed body, Express `req.body`)
/// as values of a MongoDB-style query (`find`, `findOne`, `updateOne`, `deleteMany`…), or builds
/// a `$where` clause from event data. Severity follows the trigger's exposure.
///
/// ## Why is this bad?
/// A value such as `{"$ne": null}` turns an equality test into an operator: login checks pass
/// without a password, filters match every document (SAS-1, CWE-943).
///
/// ## Insecure example
/// ```js
/// const body = JSON.parse(event.body);
/// await users.findOne({ user: body.user, pass: body.pass });
/// ```
///
/// ## Secure alternative
/// ```js
/// const body = JSON.parse(event.body);
/// await users.findOne({ user: String(body.user), pass: String(body.pass) });
/// ```
///
/// ## References
/// OWASP Serverless Top 10 SAS-1; CWE-943 (improper neutralization of special elements in data
/// query logic).
#[derive(Debug)]
pub struct NoSqlInjection;

static META: RuleMeta = RuleMeta {
    code: "CODE005",
    name: "nosql-injection",
    category: Category::Injection,
    severity: Severity::High,
    confidence: Confidence::Medium,
    practice: "code: no untrusted event data reaching a query",
    cwe: &[943],
    owasp: &["SAS-1"],
    source: include_str!("nosql_injection.rs"),
};

const HELP: &str = "convert each value to the expected scalar type (`String(x)`) or validate the body against a schema before querying; never build `$where` from input";

impl Rule for NoSqlInjection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        super::report(facts, IssueKind::NoSqlInjection, &META, HELP, out);
    }
}
