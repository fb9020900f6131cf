//! PATH002: an entry point anyone can reach leads to a function whose role can escalate its own
//! privileges.

use super::report::report;
use crate::attack_paths::RiskKind;
use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an entry point anyone can reach that invokes a function whose role can grant itself more
/// privileges. Entry points are those of PATH001 (unauthenticated routes, public function URLs,
/// public event sources, Lambda permissions for `*` or for a service without a source limit);
/// escalation paths are those the IAM engine finds: `iam:PassRole` with `lambda:CreateFunction`
/// and `lambda:InvokeFunction`, `iam:CreatePolicyVersion`, `iam:Attach*Policy`, `iam:Put*Policy`,
/// `sts:AssumeRole` on `*`, `lambda:UpdateFunctionCode` and the other published combinations.
/// One finding per entry and function, at the entry, with every step as a related location.
///
/// ## Why is this bad?
/// An anonymous request that reaches code execution in the function (one injection, SAS-1) can
/// make the role grant itself administrator access: the whole account falls to an unauthenticated
/// caller (SAS-3, SAS-4; CWE-269).
///
/// ## Insecure example
/// ```yaml
/// AdminFn:
///   Type: AWS::Serverless::Function
///   Properties:
///     FunctionUrlConfig: {AuthType: NONE}
///     Policies:
///       - Statement:
///           - {Effect: Allow, Action: iam:AttachRolePolicy, Resource: "*"}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// AdminFn:
///   Type: AWS::Serverless::Function
///   Properties:
///     FunctionUrlConfig: {AuthType: AWS_IAM}
///     Policies:
///       - Statement:
///           - Effect: Allow
///             Action: iam:AttachRolePolicy
///             Resource: !GetAtt WorkerRole.Arn
///             Condition:
///               ArnEquals: {iam:PolicyARN: arn:aws:iam::aws:policy/ReadOnlyAccess}
/// ```
///
/// ## References
/// Rhino Security Labs, "AWS IAM privilege escalation methods"; AWS IAM "Apply least-privilege
/// permissions"; OWASP Serverless Top 10 SAS-3, SAS-4; CWE-269.
#[derive(Debug)]
pub struct PublicPathToPrivilegeEscalation;

static META: RuleMeta = RuleMeta {
    code: "PATH002",
    name: "public-path-to-privilege-escalation",
    category: Category::Iam,
    severity: Severity::Critical,
    confidence: Confidence::High,
    practice: "identity: no privilege-escalation paths; API perimeter: every route authenticated",
    cwe: &[269],
    owasp: &["SAS-3", "SAS-4"],
    source: include_str!("public_path_to_privilege_escalation.rs"),
};

impl Rule for PublicPathToPrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        report(
            facts,
            &META,
            &[RiskKind::Escalation],
            "authenticate the entry, and remove the escalation actions from the role or scope `iam:PassRole` to one role with an `iam:PassedToService` condition",
            out,
        );
    }
}
