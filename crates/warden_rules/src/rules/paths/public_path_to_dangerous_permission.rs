//! PATH001: an entry point anyone can reach leads to a function whose role holds a dangerous
//! permission.

use super::report::report;
use crate::attack_paths::RiskKind;
use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an entry point anyone can reach that invokes a function whose role holds a dangerous
/// permission: one attack path, from the entry to the grant. Entry points are API routes without
/// authentication, function URLs with `AuthType: NONE`, buckets, topics or queues anyone can write
/// to that trigger the function, Lambda permissions for `*`, and permissions for a service
/// principal without `SourceArn`/`SourceAccount`. Dangerous permissions are those the IAM engine
/// finds on the role: administrator access, reads of every secret, object, parameter or table
/// (data exfiltration), credentials creation, resource-policy rewrites, permissions management
/// or writes on every resource. One finding per entry (an API's open routes to the function are
/// one entry), function and kind of danger, at the entry, with every step (entry, function, role,
/// granting statement) as a related location. A role with administrator access or an escalation
/// path gets only that finding (here or PATH002): everything else follows from it. An entry whose
/// own finding is suppressed in the resource's metadata is accepted as intentionally public.
/// related location. Privilege-escalation paths are PATH002.
///
/// ## Why is this bad?
/// Each fact alone is a finding of its own; together they are the story an attacker follows: one
/// injection in a public function (SAS-1) runs with its role's permissions, so an anonymous request
/// becomes account-wide data theft or damage (SAS-3, SAS-4; CWE-284, CWE-269). The severity comes
/// from the worst end: critical for administrator access, high otherwise.
///
/// ## Insecure example
/// ```yaml
/// OrderFn:
///   Type: AWS::Serverless::Function
///   Properties:
///     Policies:
///       - Statement:
///           - {Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: "*"}
///     Events:
///       GetOrder:
///         Type: Api
///         Properties: {Path: /orders, Method: get}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// OrderFn:
///   Type: AWS::Serverless::Function
///   Properties:
///     Policies:
///       - AWSSecretsManagerGetSecretValuePolicy:
///           SecretArn: !Ref OrdersDbSecret
///     Events:
///       GetOrder:
///         Type: Api
///         Properties:
///           Path: /orders
///           Method: get
///           Auth: {Authorizer: CognitoAuth}
/// ```
///
/// ## References
/// AWS Lambda "Security in AWS Lambda"; AWS IAM "Apply least-privilege permissions"; OWASP
/// Serverless Top 10 SAS-3, SAS-4; CWE-284, CWE-269.
#[derive(Debug)]
pub struct PublicPathToDangerousPermission;

static META: RuleMeta = RuleMeta {
    code: "PATH001",
    name: "public-path-to-dangerous-permission",
    category: Category::Public,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "identity: least privilege per function; API perimeter: every route authenticated",
    cwe: &[284, 269],
    owasp: &["SAS-3", "SAS-4"],
    source: include_str!("public_path_to_dangerous_permission.rs"),
};

impl Rule for PublicPathToDangerousPermission {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        report(
            facts,
            &META,
            &[
                RiskKind::Admin,
                RiskKind::Exfiltration,
                RiskKind::Credentials,
                RiskKind::Permissions,
                RiskKind::UnconstrainedWrite,
            ],
            "break the path at either end: authenticate the entry (authorizer, `AuthType: AWS_IAM`, a principal or condition on the resource policy), or scope the role to the resources the function needs",
            out,
        );
    }
}
