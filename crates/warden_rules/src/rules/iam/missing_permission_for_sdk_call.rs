//! IAM010: handler code calls an AWS action that the function's role does not allow.

use super::missing_permission_usage::{function_uses, role_fully_known};
use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an AWS SDK call in a function's handler code (boto3, AWS SDK for JavaScript v2 and v3)
/// whose IAM action the function's role does not allow on any resource, evaluated by the IAM
/// engine over every policy of the role (its permissions boundary and explicit denies included).
///
/// The call is mapped to its IAM action through the action catalog (`s3.upload` needs
/// `s3:PutObject`, `DocumentClient.put` needs `dynamodb:PutItem`, `lambda.invoke` needs
/// `lambda:InvokeFunction`). Skipped, because the grant may exist where Warden cannot see it:
/// roles with a policy the engine cannot read (an external managed policy ARN), apps with SAM
/// connectors, services whose resources the app gives resource-based policies (bucket, queue,
/// topic, key policies), `sts:AssumeRole` (trust policies grant it), and calls on clients created
/// with their own credentials (explicit keys, an assumed role's session).
///
/// ## Why is this bad?
/// The deployment succeeds and the call fails with `AccessDenied` at run time, often on a path
/// tests do not cover (an error handler, a rare branch). The usual "fix" under pressure is a
/// wildcard grant, which is how over-privileged roles are born (SAS-4, CWE-285).
///
/// ## Insecure example
/// ```yaml
/// OrdersFn:
///   Type: AWS::Serverless::Function
///   Properties:
///     Handler: app.handler   # calls s3.put_object(Bucket=os.environ['RECEIPTS'], ...)
///     Policies:
///       - S3ReadPolicy: {BucketName: !Ref Receipts}
/// ```
///
/// ## Secure alternative
/// ```yaml
///     Policies:
///       - S3CrudPolicy: {BucketName: !Ref Receipts}
/// ```
///
/// ## References
/// AWS IAM User Guide, "Troubleshooting access denied error messages"; AWS Lambda Developer Guide,
/// "Lambda execution role"; `warden iam generate FUNCTION` prints the policy the code needs;
/// OWASP Serverless Top 10 SAS-4; CWE-285.
#[derive(Debug)]
pub struct MissingPermissionForSdkCall;

static META: RuleMeta = RuleMeta {
    code: "IAM010",
    name: "sdk-call-not-allowed-by-role",
    category: Category::Iam,
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    practice: "identity: least privilege per function",
    cwe: &[285],
    owasp: &["SAS-4"],
    source: include_str!("missing_permission_for_sdk_call.rs"),
};

/// Actions whose permission usually comes from the target's policy (a role's trust policy).
const GRANTED_ELSEWHERE: &[&str] = &["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"];

/// Services whose resources the app gives a resource-based policy: a same-account grant to the
/// role may be there instead of in the role.
fn resource_policy_services(app: &warden_model::App) -> Vec<&'static str> {
    let mut out = Vec::new();
    for r in &app.resources {
        let svc = match r.kind.as_str() {
            "AWS::S3::BucketPolicy" => "s3",
            "AWS::SQS::QueuePolicy" => "sqs",
            "AWS::SNS::TopicPolicy" => "sns",
            "AWS::KMS::Key" => "kms",
            "AWS::SecretsManager::ResourcePolicy" => "secretsmanager",
            "AWS::Events::EventBusPolicy" => "events",
            "AWS::Lambda::Permission" => {
                // Grants to services (`sns.amazonaws.com`) are not grants to the role.
                let principal = r.properties.get("Principal").and_then(|p| p.as_str());
                if principal.is_some_and(|p| p.ends_with(".amazonaws.com")) {
                    continue;
                }
                "lambda"
            }
            _ => continue,
        };
        if !out.contains(&svc) {
            out.push(svc);
        }
    }
    out
}

impl Rule for MissingPermissionForSdkCall {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        for u in function_uses(facts) {
            let Some(role) = u.role else { continue };
            if !role_fully_known(u.app, role) {
                continue;
            }
            let resource_policies = resource_policy_services(u.app);
            for call in u.usage.calls.iter().filter(|c| c.role_credentials) {
                let missing: Vec<&str> = call
                    .actions
                    .iter()
                    .filter(|a| !role.analysis.actions.contains_key(a))
                    .filter(|a| {
                        let svc = a.split(':').next().unwrap_or_default();
                        !resource_policies.contains(&svc)
                            && !GRANTED_ELSEWHERE.contains(&a.as_str())
                    })
                    .map(String::as_str)
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                out.push(META.finding(
                    &call.origin,
                    Some(&u.function.id),
                    format!(
                        "function `{}` calls `{}`, which needs {}, but its role `{}` does not allow {}: the call fails with AccessDenied at run time",
                        u.function.id,
                        call.operation,
                        missing.join(", "),
                        role.role,
                        if missing.len() == 1 { "it" } else { "them" }
                    ),
                    "grant the action on the resource the code uses (`warden iam generate` prints the policy the code needs)",
                ));
            }
        }
    }
}
