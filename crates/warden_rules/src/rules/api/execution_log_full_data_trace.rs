//! API007: REST API execution logs that record full requests and responses.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{is_cfn, stages};
use warden_model::{ApiKind, App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags REST API stage settings with `DataTraceEnabled: true` (in `MethodSettings` of a SAM API or
/// an `AWS::ApiGateway::Stage`, or in a deployment's `StageDescription`).
///
/// ## Why is this bad?
/// Data trace writes full request and response bodies and headers to CloudWatch Logs: passwords,
/// tokens, `Authorization` headers and personal data end up readable by everyone with log access
/// and kept for the log group's retention (SAS-7, SAS-10).
///
/// ## Insecure example
/// ```yaml
/// MethodSettings:
///   - {HttpMethod: "*", ResourcePath: "/*", LoggingLevel: INFO, DataTraceEnabled: true}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// MethodSettings:
///   - {HttpMethod: "*", ResourcePath: "/*", LoggingLevel: ERROR, DataTraceEnabled: false}
/// ```
///
/// ## References
/// Amazon API Gateway "Set up CloudWatch logging for REST APIs" (do not enable data tracing for
/// production APIs); OWASP Serverless Top 10 SAS-7, SAS-10; CWE-532.
#[derive(Debug)]
pub struct ExecutionLogFullDataTrace;

static META: RuleMeta = RuleMeta {
    code: "API007",
    name: "execution-log-full-data-trace",
    category: Category::Logging,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "code: no sensitive data in logs",
    cwe: &[532],
    owasp: &["SAS-7", "SAS-10"],
    source: include_str!("execution_log_full_data_trace.rs"),
};

const HELP: &str =
    "set `DataTraceEnabled: false`; use access logs with selected `$context` fields instead";

impl Rule for ExecutionLogFullDataTrace {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        if !is_cfn(app) {
            return;
        }
        for api in app.apis.iter().filter(|a| a.kind == ApiKind::Rest) {
            for stage in stages(app, api) {
                let st = stage.settings();
                let mut flags: Vec<&Node> = st.get("DataTraceEnabled").into_iter().collect();
                if let Some(ms) = st.get("MethodSettings") {
                    flags.extend(ms.items().iter().filter_map(|m| m.get("DataTraceEnabled")));
                }
                for flag in flags {
                    if flag.as_bool() == Some(true) {
                        out.push(META.finding(
                            &flag.origin,
                            Some(&api.id),
                            format!("REST API `{}` logs full request and response bodies (`DataTraceEnabled: true`)", api.id),
                            HELP,
                        ));
                    }
                }
            }
        }
    }
}
