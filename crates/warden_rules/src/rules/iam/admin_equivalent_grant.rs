//! IAM002: a role granted every action through `NotAction` on every resource.

use super::engine_findings::report;
use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_iam::FindingKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a role that may do everything without writing `Action: "*"`: an `Allow` with `NotAction`
/// on every resource (every action except a few), as the IAM engine evaluates it over all of the
/// role's policies together. Statements with `Action: "*"` are reported by IAM001.
///
/// ## Why is this bad?
/// `NotAction` reads like a restriction but grants every other action of every service, including
/// `iam:*`: the role is an administrator (SAS-4, CWE-269).
///
/// ## Insecure example
/// ```yaml
/// Policies:
///   - Statement:
///       - Effect: Allow
///         NotAction: ["iam:*", "organizations:*"]
///         Resource: "*"
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Policies:
///   - Statement:
///       - Effect: Allow
///         Action: ["sqs:SendMessage"]
///         Resource: !GetAtt Queue.Arn
/// ```
///
/// ## References
/// AWS IAM user guide, "IAM JSON policy elements: NotAction" (Allow with NotAction); OWASP
/// Serverless Top 10 SAS-4; CWE-269.
#[derive(Debug)]
pub struct AdminEquivalentGrant;

static META: RuleMeta = RuleMeta {
    code: "IAM002",
    name: "admin-equivalent-grant",
    category: Category::Iam,
    severity: Severity::Critical,
    confidence: Confidence::High,
    practice: "identity: no admin-equivalent roles",
    cwe: &[269],
    owasp: &["SAS-4"],
    source: include_str!("admin_equivalent_grant.rs"),
};

/// True when the statement behind an engine finding has `Action: "*"` (IAM001's case).
fn statement_has_full_wildcard(role: &crate::iam_view::RoleRisk, f: &warden_iam::Finding) -> bool {
    role.policies
        .get(f.policy_index)
        .and_then(|p| p.document.as_ref())
        .and_then(|d| d.get("Statement"))
        .and_then(|s| match s.items() {
            [] => Some(s),
            items => items.get(f.statement_index),
        })
        .and_then(|stmt| stmt.get("Action"))
        .is_some_and(|a| {
            a.one_or_many()
                .iter()
                .any(|x| matches!(x.as_str(), Some("*" | "*:*")))
        })
}

impl Rule for AdminEquivalentGrant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        report(
            facts,
            &META,
            &[FindingKind::AdminEquivalent],
            false,
            "replace `NotAction` with the explicit list of actions the function needs",
            |role, f| !statement_has_full_wildcard(role, f),
            out,
        );
    }
}
