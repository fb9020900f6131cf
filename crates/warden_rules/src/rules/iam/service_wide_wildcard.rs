//! IAM004: every action of a service (`s3:*`) granted to a role.

use super::engine_findings::report;
use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_iam::FindingKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an `Allow` of every action of one service (`s3:*`, `dynamodb:*`), as granted to the role
/// by any of its policies.
///
/// ## Why is this bad?
/// The function gets destructive and permission-changing actions it never calls (`s3:DeleteBucket`,
/// `s3:PutBucketPolicy`), so a compromise does far more damage than the function's job requires
/// (SAS-4, CWE-250).
///
/// ## Insecure example
/// ```yaml
/// Statement:
///   - Effect: Allow
///     Action: "dynamodb:*"
///     Resource: !GetAtt Orders.Arn
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Policies:
///   - DynamoDBCrudPolicy:
///       TableName: !Ref Orders
/// ```
///
/// ## References
/// AWS IAM best practices, "Grant least privilege"; OWASP Serverless Top 10 SAS-4; CWE-250.
#[derive(Debug)]
pub struct ServiceWideWildcard;

static META: RuleMeta = RuleMeta {
    code: "IAM004",
    name: "service-wide-wildcard",
    category: Category::Iam,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "identity: no `*` actions without need",
    cwe: &[250],
    owasp: &["SAS-4"],
    source: include_str!("service_wide_wildcard.rs"),
};

impl Rule for ServiceWideWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        report(
            facts,
            &META,
            &[FindingKind::ServiceWildcard],
            true,
            "list the actions the function calls (SAM policy templates cover the common cases)",
            |_, _| true,
            out,
        );
    }
}
