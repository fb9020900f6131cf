//! AUTH001: a Lambda function URL that anyone on the internet can invoke.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Cloud, Confidence, Finding, Severity};

/// ## What it does
/// Flags a function URL whose `AuthType` is `NONE`, so that anyone who learns the URL can invoke
/// the function directly, bypassing API Gateway, its authorizers, throttling and WAF. The same
/// practice on Google Cloud: a Cloud Function whose invoker role (`roles/cloudfunctions.invoker`,
/// or `roles/run.invoker` for 2nd gen) is granted to `allUsers` or `allAuthenticatedUsers`
/// (any Google account), reported at the IAM member (at medium when `ingress_settings` is
/// `ALLOW_INTERNAL_ONLY`).
///
/// ## Why is this bad?
/// A function URL with `AuthType: NONE` is a public HTTPS endpoint. Every request runs the function
/// (denial of wallet) and reaches its code with attacker-controlled input (SAS-1, SAS-3). A
/// webhook that verifies a signature in code is the one legitimate case: suppress the finding
/// there with a reason.
///
/// ## Insecure example
/// ```yaml
/// OrdersFn:
///   Type: AWS::Serverless::Function
///   Properties:
///     FunctionUrlConfig:
///       AuthType: NONE
/// ```
///
/// ## Secure alternative
/// ```yaml
/// OrdersFn:
///   Type: AWS::Serverless::Function
///   Properties:
///     FunctionUrlConfig:
///       AuthType: AWS_IAM
/// ```
///
/// ## References
/// AWS Lambda developer guide, "Security and auth model for Lambda function URLs";
/// OWASP Serverless Top 10 SAS-3 (broken authentication); CWE-306.
#[derive(Debug)]
pub struct FunctionUrlAuthNone;

static META: RuleMeta = RuleMeta {
    code: "AUTH001",
    name: "function-url-auth-none",
    category: Category::Auth,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "API perimeter: every route authenticated",
    cwe: &[306],
    owasp: &["SAS-3"],
    source: include_str!("function_url_auth_none.rs"),
};

const HELP: &str = "set `AuthType: AWS_IAM` and call the URL with SigV4, or put the function behind an API with an authorizer";
const HELP_GCP: &str = "grant the invoker role only to the service accounts or groups that call the function, or put it behind API Gateway or a load balancer with IAP";

impl Rule for FunctionUrlAuthNone {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for f in &app.functions {
            let Some(url) = &f.url else { continue };
            let at = &url.auth_type.origin;
            match url.auth_type.as_str() {
                Some("NONE") if f.kind.cloud() == Cloud::Gcp => {
                    // Ingress limited to the project's networks: "anyone" is anyone inside them.
                    let ingress = f
                        .properties
                        .get("ingress_settings")
                        .or_else(|| crate::rules::cloud::block(&f.properties, "service_config")?.get("ingress_settings"))
                        .and_then(|n| n.as_str());
                    let internal = ingress == Some("ALLOW_INTERNAL_ONLY");
                    let mut finding = META.finding(
                        at,
                        Some(&f.id),
                        format!(
                            "Cloud Function `{}` grants its invoker role to everyone (`allUsers` or `allAuthenticatedUsers`): anyone{} can invoke it",
                            f.id,
                            if internal { " on the project's internal networks" } else { "" }
                        ),
                        HELP_GCP,
                    );
                    if internal {
                        finding.severity = Severity::Medium;
                    }
                    out.push(finding);
                }
                Some("NONE") => out.push(META.finding(
                    at,
                    Some(&f.id),
                    format!("function `{}` has a public function URL (`AuthType: NONE`): anyone can invoke it", f.id),
                    HELP,
                )),
                Some(_) => {}
                None if url.auth_type.is_unknown() => out.push(META.unverified(
                    at,
                    Some(&f.id),
                    format!("could not verify the `AuthType` of function `{}`'s URL: it depends on {}", f.id, url.auth_type),
                    HELP,
                )),
                None => out.push(META.finding(
                    &url.origin,
                    Some(&f.id),
                    format!("function `{}` has a function URL without a valid `AuthType`", f.id),
                    HELP,
                )),
            }
        }
    }
}
