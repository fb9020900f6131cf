//! EVT004: a Lambda permission for another AWS account with nothing narrowing it.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Node, Severity, Val};

/// ## What it does
/// Flags an `AWS::Lambda::Permission` whose `Principal` is a whole AWS account written as a literal
/// (`123456789012` or `arn:aws:iam::123456789012:root`) with no `PrincipalOrgID` or `SourceArn`.
/// A permission for the template's own account (`!Ref AWS::AccountId`) or for one role ARN is not
/// flagged.
///
/// ## Why is this bad?
/// Every identity of the other account that its administrators allow `lambda:InvokeFunction` can
/// invoke the function — users, roles, other teams' functions — and you cannot see or control who
/// they are. A compromise anywhere in that account reaches your function (SAS-5).
///
/// ## Insecure example
/// ```yaml
/// PartnerInvoke:
///   Type: AWS::Lambda::Permission
///   Properties:
///     FunctionName: !Ref ExportFn
///     Action: lambda:InvokeFunction
///     Principal: "210987654321"
/// ```
///
/// ## Secure alternative
/// ```yaml
/// PartnerInvoke:
///   Type: AWS::Lambda::Permission
///   Properties:
///     FunctionName: !Ref ExportFn
///     Action: lambda:InvokeFunction
///     Principal: arn:aws:iam::210987654321:role/partner-export
/// ```
///
/// ## References
/// AWS Lambda developer guide, "Granting function access to other accounts"; OWASP Serverless Top
/// 10 SAS-5; CWE-284.
#[derive(Debug)]
pub struct CrossAccountInvokeWithoutCondition;

static META: RuleMeta = RuleMeta {
    code: "EVT004",
    name: "cross-account-invoke-without-condition",
    category: Category::Trigger,
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    practice: "events: every trigger restricted to its expected source",
    cwe: &[284],
    owasp: &["SAS-5"],
    source: include_str!("cross_account_invoke_without_condition.rs"),
};

const HELP: &str = "grant the one role that must invoke the function (its ARN as `Principal`), or limit the account with `PrincipalOrgID`";

/// The account id of a whole-account principal.
fn account(principal: &str) -> Option<&str> {
    let id = principal
        .strip_prefix("arn:")
        .and_then(|rest| {
            let parts: Vec<&str> = rest.splitn(5, ':').collect();
            (parts.len() == 5 && parts[1] == "iam" && parts[4] == "root").then_some(parts[3])
        })
        .unwrap_or(principal);
    (id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())).then_some(id)
}

fn present(v: &Option<Node>) -> bool {
    v.as_ref().is_some_and(|n| !matches!(n.val, Val::Null))
}

impl Rule for CrossAccountInvokeWithoutCondition {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for p in &app.permissions {
            let Some(acct) = p.principal.as_str().and_then(account) else {
                continue;
            };
            if present(&p.principal_org_id) || present(&p.source_arn) {
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
                    "permission `{}` lets every identity of account {acct} that is allowed `lambda:InvokeFunction` invoke {target}",
                    p.id
                ),
                HELP,
            ));
        }
    }
}
