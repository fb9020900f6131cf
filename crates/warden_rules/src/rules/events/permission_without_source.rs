//! EVT001: a Lambda permission for an AWS service principal without `SourceArn` or `SourceAccount`.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags an `AWS::Lambda::Permission` that lets an AWS service principal (such as
/// `s3.amazonaws.com` or `sns.amazonaws.com`) invoke a function without restricting which resource
/// (`SourceArn`), account (`SourceAccount`) or organization (`PrincipalOrgID`) the invocation
/// comes from.
///
/// ## Why is this bad?
/// Without a source condition, any resource of that service, in any AWS account, can invoke the
/// function: another customer's bucket or topic can be pointed at it (the confused-deputy problem).
/// The function then runs on attacker-chosen events and bills the owner (SAS-1, SAS-5).
///
/// ## Insecure example
/// ```yaml
/// InvokeFromS3:
///   Type: AWS::Lambda::Permission
///   Properties:
///     FunctionName: !Ref ResizeFn
///     Action: lambda:InvokeFunction
///     Principal: s3.amazonaws.com
/// ```
///
/// ## Secure alternative
/// ```yaml
/// InvokeFromS3:
///   Type: AWS::Lambda::Permission
///   Properties:
///     FunctionName: !Ref ResizeFn
///     Action: lambda:InvokeFunction
///     Principal: s3.amazonaws.com
///     SourceArn: !GetAtt Uploads.Arn
///     SourceAccount: !Ref AWS::AccountId
/// ```
///
/// ## References
/// AWS Lambda developer guide, "Using resource-based policies for Lambda" (confused deputy);
/// AWS IAM "The confused deputy problem"; OWASP Serverless Top 10 SAS-5; CWE-441.
#[derive(Debug)]
pub struct PermissionWithoutSource;

static META: RuleMeta = RuleMeta {
    code: "EVT001",
    name: "permission-without-source",
    category: Category::Trigger,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "events: every trigger restricted to its expected source",
    cwe: &[441],
    owasp: &["SAS-5"],
    source: include_str!("permission_without_source.rs"),
};

const HELP: &str =
    "add `SourceArn` (the bucket, topic, rule or API ARN) and `SourceAccount` to the permission";

/// Services whose invocations are always scoped by the service itself (the caller is the account's
/// own resource and the principal cannot be another account's).
fn is_service(principal: &str) -> bool {
    principal.ends_with(".amazonaws.com") || principal.ends_with(".amazonaws.com.cn")
}

impl Rule for PermissionWithoutSource {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for p in &app.permissions {
            let Some(principal) = p.principal.as_str() else {
                continue;
            };
            if !is_service(principal) {
                continue;
            }
            let present = |v: &Option<Node>| {
                v.as_ref()
                    .is_some_and(|n| !matches!(n.val, warden_model::Val::Null))
            };
            // A `PrincipalOrgID` limits the grant to callers of one organization (a service
            // principal carries none, so such a grant is unusable rather than open).
            if present(&p.source_arn) || present(&p.source_account) || present(&p.principal_org_id)
            {
                continue;
            }
            let target = p
                .function
                .as_deref()
                .map_or_else(|| "a function".to_string(), |f| format!("function `{f}`"));
            out.push(META.finding(
                &p.principal.origin,
                Some(p.function.as_deref().unwrap_or(&p.id)),
                format!(
                    "permission `{}` lets any `{principal}` resource in any account invoke {target} (no `SourceArn` or `SourceAccount`)",
                    p.id
                ),
                HELP,
            ));
        }
    }
}
