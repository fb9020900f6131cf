//! IAM005: write or permissions-management actions on unconstrained resources.

use super::engine_findings::report;
use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_iam::FindingKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags write or permissions-management actions that the role may perform on every resource of
/// their type (`Resource: "*"` or an ARN wildcard covering all of them), unless a condition truly
/// limits the grant (source ARN or account, principal org, resource tags), in which case the
/// severity is lowered. Conditions that do not limit who or what (`aws:SecureTransport`,
/// `aws:CurrentTime`) do not lower it. SAM policy templates given `*` as a parameter count as
/// wildcards.
///
/// ## Why is this bad?
/// One injection in the function becomes account-wide damage: overwriting or deleting every object,
/// table or queue, or rewriting permissions (SAS-4, CWE-732).
///
/// ## Insecure example
/// ```yaml
/// Statement:
///   - Effect: Allow
///     Action: s3:PutObject
///     Resource: "*"
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Policies:
///   - S3WritePolicy:
///       BucketName: !Ref Uploads
/// ```
///
/// ## References
/// AWS IAM best practices, "Grant least privilege"; AWS "Actions, resources, and condition keys"
/// (access levels); OWASP Serverless Top 10 SAS-4; CWE-732.
#[derive(Debug)]
pub struct UnconstrainedWrite;

static META: RuleMeta = RuleMeta {
    code: "IAM005",
    name: "unconstrained-write",
    category: Category::Iam,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "identity: no write or permissions management on `*` resources",
    cwe: &[732],
    owasp: &["SAS-4"],
    source: include_str!("unconstrained_write.rs"),
};

impl Rule for UnconstrainedWrite {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        report(
            facts,
            &META,
            &[
                FindingKind::UnconstrainedWrite,
                FindingKind::UnconstrainedPermissionsManagement,
            ],
            true,
            "scope `Resource` to the ARNs the function writes to",
            |_, _| true,
            out,
        );
    }
}
