//! DOW001: a function anyone can invoke, with no cap on its concurrency.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::is_public_function;
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a function reachable without authentication — an API route with no authorizer (or an API
/// key only), or a function URL with `AuthType: NONE` — that has no
/// `ReservedConcurrentExecutions`.
///
/// ## Why is this bad?
/// Anyone can make the function scale to the account's whole concurrency: every invocation is
/// billed (denial of wallet) and every other function of the account is throttled for lack of
/// concurrency (SAS-6).
///
/// ## Insecure example
/// ```yaml
/// WebhookFn:
///   Type: AWS::Serverless::Function
///   Properties:
///     FunctionUrlConfig: {AuthType: NONE}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// WebhookFn:
///   Type: AWS::Serverless::Function
///   Properties:
///     FunctionUrlConfig: {AuthType: NONE}
///     ReservedConcurrentExecutions: 10
/// ```
///
/// ## References
/// AWS Lambda developer guide, "Configuring reserved concurrency"; OWASP Serverless Top 10 SAS-6
/// (denial of service and financial resource exhaustion); CWE-770.
#[derive(Debug)]
pub struct PublicFunctionWithoutReservedConcurrency;

static META: RuleMeta = RuleMeta {
    code: "DOW001",
    name: "public-function-without-reserved-concurrency",
    category: Category::Throttle,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "operations: concurrency and spend caps against denial of wallet",
    cwe: &[770],
    owasp: &["SAS-6"],
    source: include_str!("public_function_without_reserved_concurrency.rs"),
};

const HELP: &str = "set `ReservedConcurrentExecutions` to the load the function must serve (and throttle the API in front of it)";

impl Rule for PublicFunctionWithoutReservedConcurrency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for f in app.functions.iter().filter(|f| f.kind.is_lambda()) {
            if !is_public_function(app, &f.id) {
                continue;
            }
            match &f.reserved_concurrency {
                Some(c) if c.is_unknown() => out.push(META.unverified(
                    &c.origin,
                    Some(&f.id),
                    format!("could not verify the reserved concurrency of public function `{}`: it depends on {c}", f.id),
                    HELP,
                )),
                Some(c) if !matches!(c.val, warden_model::Val::Null) => {}
                _ => out.push(META.finding(
                    &f.origin,
                    Some(&f.id),
                    format!(
                        "function `{}` can be invoked by anyone and has no reserved concurrency: one client can scale it to the account limit and the bill",
                        f.id
                    ),
                    HELP,
                )),
            }
        }
    }
}
