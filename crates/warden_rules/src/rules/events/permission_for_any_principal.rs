//! EVT002: a Lambda permission that lets anyone invoke a function.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Node, Severity, Val};

/// ## What it does
/// Flags an `AWS::Lambda::Permission` whose `Principal` is `*` with no `SourceArn`,
/// `SourceAccount` or `PrincipalOrgID` to limit it. The permission that makes a function URL with
/// `AuthType: NONE` public (`lambda:InvokeFunctionUrl`, `FunctionUrlAuthType: NONE`) is reported by
/// AUTH001 with the URL.
///
/// ## Why is this bad?
/// Every AWS account in the world may call `lambda:InvokeFunction` on the function with its own
/// credentials, with any payload: the function's code and permissions are public, and each call is
/// billed to the owner (SAS-5, SAS-6).
///
/// ## Insecure example
/// ```yaml
/// PublicInvoke:
///   Type: AWS::Lambda::Permission
///   Properties:
///     FunctionName: !Ref ReportFn
///     Action: lambda:InvokeFunction
///     Principal: "*"
/// ```
///
/// ## Secure alternative
/// ```yaml
/// OrgInvoke:
///   Type: AWS::Lambda::Permission
///   Properties:
///     FunctionName: !Ref ReportFn
///     Action: lambda:InvokeFunction
///     Principal: "*"
///     PrincipalOrgID: o-a1b2c3d4e5
/// ```
///
/// ## References
/// AWS Lambda developer guide, "Working with resource-based IAM policies in Lambda"; AWS Security
/// Hub Lambda.1 (Lambda function policies should prohibit public access); OWASP Serverless Top 10
/// SAS-5; CWE-284.
#[derive(Debug)]
pub struct PermissionForAnyPrincipal;

static META: RuleMeta = RuleMeta {
    code: "EVT002",
    name: "permission-for-any-principal",
    category: Category::Public,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "events: no public invokers",
    cwe: &[284],
    owasp: &["SAS-5"],
    source: include_str!("permission_for_any_principal.rs"),
};

const HELP: &str = "name the one principal that must invoke the function (a service with `SourceArn`, an account, an organization with `PrincipalOrgID`)";

fn present(v: &Option<Node>) -> bool {
    v.as_ref().is_some_and(|n| !matches!(n.val, Val::Null))
}

impl Rule for PermissionForAnyPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for p in &app.permissions {
            if p.principal.as_str() != Some("*") {
                continue;
            }
            if present(&p.source_arn) || present(&p.source_account) || present(&p.principal_org_id)
            {
                continue;
            }
            let url_permission = p.action.as_str() == Some("lambda:InvokeFunctionUrl")
                && p.function_url_auth_type.as_ref().and_then(Node::as_str) == Some("NONE");
            if url_permission {
                continue; // AUTH001
            }
            let target = p
                .function
                .as_deref()
                .map_or_else(|| "a function".to_string(), |f| format!("function `{f}`"));
            out.push(META.finding(
                &p.principal.origin,
                Some(p.function.as_deref().unwrap_or(&p.id)),
                format!(
                    "permission `{}` lets any AWS account invoke {target} (`Principal: \"*\"` with no source, account or organization limit)",
                    p.id
                ),
                HELP,
            ));
        }
    }
}
