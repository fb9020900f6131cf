//! OPS001: a function without active X-Ray tracing.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a function whose tracing mode is not `Active` (SAM `Tracing`, Lambda
/// `TracingConfig.Mode`, including SAM `Globals`). Informational: tracing is hygiene, never the
/// reason a default run fails.
///
/// ## Why is this bad?
/// Without traces, an incident responder cannot follow a malicious request across API Gateway, the
/// function and the services it called, nor spot unusual downstream calls (SAS-10).
///
/// ## Insecure example
/// ```yaml
/// OrdersFn:
///   Type: AWS::Serverless::Function
///   Properties: {Handler: app.handler, Runtime: python3.12}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Globals:
///   Function:
///     Tracing: Active
/// ```
///
/// ## References
/// AWS Lambda developer guide, "Visualize Lambda function invocations using AWS X-Ray"; OWASP
/// Serverless Top 10 SAS-10; CWE-778.
#[derive(Debug)]
pub struct FunctionWithoutTracing;

static META: RuleMeta = RuleMeta {
    code: "OPS001",
    name: "function-without-tracing",
    category: Category::Monitoring,
    severity: Severity::Info,
    confidence: Confidence::High,
    practice: "operations: logging, tracing, audit trail",
    cwe: &[778],
    owasp: &["SAS-10"],
    source: include_str!("function_without_tracing.rs"),
};

const HELP: &str =
    "set `Tracing: Active` (SAM, or in `Globals.Function`) or `TracingConfig: {Mode: Active}`";

impl Rule for FunctionWithoutTracing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for f in app.functions.iter().filter(|f| f.kind.is_lambda()) {
            let mode = f.tracing.as_ref();
            if mode.is_some_and(|m| m.is_unknown() || m.as_str() == Some("Active")) {
                continue;
            }
            out.push(META.finding(
                mode.map_or(&f.origin, |m| &m.origin),
                Some(&f.id),
                format!(
                    "function `{}` is not traced (tracing mode is not `Active`)",
                    f.id
                ),
                HELP,
            ));
        }
    }
}
