//! IAM003: a role whose permissions combine into a privilege-escalation path.

use super::engine_findings::report;
use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_iam::FindingKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a role whose combined permissions form a known privilege-escalation path. Examples:
/// `iam:PassRole`
/// with `lambda:CreateFunction` and `lambda:InvokeFunction`, `iam:CreatePolicyVersion`,
/// `iam:Attach*Policy`, `iam:Put*Policy`, `iam:UpdateAssumeRolePolicy`, `sts:AssumeRole` on `*`,
/// `lambda:UpdateFunctionCode`, PassRole with CloudFormation, Glue, EC2, ECS, SageMaker or
/// CodeBuild, and the other published combinations. Combinations split across several policies of
/// the role are found.
///
/// ## Why is this bad?
/// Code running as the function (one injection away) can grant itself any permission in the account
/// (SAS-4, CWE-269).
///
/// ## Insecure example
/// ```yaml
/// Statement:
///   - Effect: Allow
///     Action: [iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction]
///     Resource: "*"
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Statement:
///   - Effect: Allow
///     Action: lambda:InvokeFunction
///     Resource: !GetAtt WorkerFn.Arn
/// ```
///
/// ## References
/// Rhino Security Labs, "AWS IAM privilege escalation methods"; AWS IAM "Granting a user
/// permissions to pass a role"; OWASP Serverless Top 10 SAS-4; CWE-269.
#[derive(Debug)]
pub struct PrivilegeEscalationPath;

static META: RuleMeta = RuleMeta {
    code: "IAM003",
    name: "privilege-escalation-path",
    category: Category::Iam,
    severity: Severity::Critical,
    confidence: Confidence::High,
    practice: "identity: no privilege-escalation paths",
    cwe: &[269],
    owasp: &["SAS-4"],
    source: include_str!("privilege_escalation_path.rs"),
};

impl Rule for PrivilegeEscalationPath {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        report(
            facts,
            &META,
            &[FindingKind::PrivilegeEscalation],
            true,
            "remove the escalation actions, or scope `iam:PassRole` to one role with an `iam:PassedToService` condition",
            |_, _| true,
            out,
        );
    }
}
