//! DOW002: an API-invoked function whose timeout exceeds what API Gateway waits for.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags a function invoked synchronously by an API Gateway route (REST or HTTP API) whose
/// `Timeout` is above 30 seconds (API Gateway's default integration timeout is 29 seconds for REST
/// and 30 for HTTP APIs).
///
/// ## Why is this bad?
/// The client gets a 504 after 29–30 seconds but the function keeps running, and billing, until its
/// own timeout: slow or hanging requests an attacker can trigger cost many times what the caller
/// sees, and retries multiply them (SAS-6).
///
/// ## Insecure example
/// ```yaml
/// ReportFn:
///   Type: AWS::Serverless::Function
///   Properties:
///     Timeout: 300
///     Events:
///       Report: {Type: HttpApi, Properties: {Path: /report, Method: get}}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// ReportFn:
///   Type: AWS::Serverless::Function
///   Properties:
///     Timeout: 25
///     Events:
///       Report: {Type: HttpApi, Properties: {Path: /report, Method: get}}
/// ```
///
/// ## References
/// Amazon API Gateway "Quotas" (integration timeout); AWS Lambda "Configure function timeout";
/// OWASP Serverless Top 10 SAS-6; CWE-400.
#[derive(Debug)]
pub struct LongTimeoutOnSyncApiFunction;

static META: RuleMeta = RuleMeta {
    code: "DOW002",
    name: "long-timeout-on-sync-api-function",
    category: Category::Config,
    severity: Severity::Low,
    confidence: Confidence::High,
    practice: "operations: concurrency and spend caps against denial of wallet",
    cwe: &[400],
    owasp: &["SAS-6"],
    source: include_str!("long_timeout_on_sync_api_function.rs"),
};

const HELP: &str = "set the function `Timeout` to at most the API's integration timeout (29 s), and move long work to an asynchronous worker";

impl Rule for LongTimeoutOnSyncApiFunction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for f in app.functions.iter().filter(|f| f.kind.is_lambda()) {
            if !f.triggers.iter().any(|t| t.kind.is_http()) {
                continue;
            }
            let Some(timeout) = &f.timeout else { continue };
            let Some(secs) = timeout.as_i64() else {
                if timeout.is_unknown() {
                    out.push(META.unverified(
                        &timeout.origin,
                        Some(&f.id),
                        format!(
                            "could not verify the timeout of API function `{}`: it depends on {}",
                            f.id,
                            Node::to_string(timeout)
                        ),
                        HELP,
                    ));
                }
                continue;
            };
            if secs > 30 {
                out.push(META.finding(
                    &timeout.origin,
                    Some(&f.id),
                    format!(
                        "function `{}` is invoked synchronously by an API but may run {secs} s: the API gives up after 29-30 s while the function keeps running and billing",
                        f.id
                    ),
                    HELP,
                ));
            }
        }
    }
}
