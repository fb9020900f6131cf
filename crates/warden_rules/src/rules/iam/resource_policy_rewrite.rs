//! IAM008: actions that rewrite resource policies on unconstrained resources.

use super::engine_findings::report;
use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_iam::FindingKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags actions that rewrite resource policies or sharing settings (`s3:PutBucketPolicy`,
/// `sqs:SetQueueAttributes`, `lambda:AddPermission`, `kms:PutKeyPolicy`,
/// `secretsmanager:PutResourcePolicy`, `ecr:SetRepositoryPolicy`…) on unconstrained resources.
///
/// ## Why is this bad?
/// The function can make any bucket, queue, key or secret public or share it with another account
/// (SAS-4, CWE-732).
///
/// ## Insecure example
/// ```yaml
/// Statement:
///   - Effect: Allow
///     Action: s3:PutBucketPolicy
///     Resource: "*"
/// ```
///
/// ## Secure alternative
/// ```yaml
/// # Manage resource policies in the template, not from function code.
/// ```
///
/// ## References
/// AWS "Actions, resources, and condition keys" (permissions management); OWASP Serverless Top 10
/// SAS-4; CWE-732.
#[derive(Debug)]
pub struct ResourcePolicyRewrite;

static META: RuleMeta = RuleMeta {
    code: "IAM008",
    name: "resource-policy-rewrite",
    category: Category::Iam,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "identity: least privilege per function",
    cwe: &[732],
    owasp: &["SAS-4"],
    source: include_str!("resource_policy_rewrite.rs"),
};

impl Rule for ResourcePolicyRewrite {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        report(
            facts,
            &META,
            &[FindingKind::ResourceExposure],
            true,
            "remove policy-writing actions from the function role",
            |_, _| true,
            out,
        );
    }
}
