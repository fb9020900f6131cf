//! API006: an API stage without access logging.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{api_kind, is_cfn, stages};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a REST or HTTP API none of whose stages sets access logging (`AccessLogSetting` /
/// `AccessLogSettings` with a `DestinationArn`), on SAM APIs, `AWS::ApiGateway::Stage`,
/// `AWS::ApiGateway::Deployment` stage descriptions and `AWS::ApiGatewayV2::Stage`.
///
/// ## Why is this bad?
/// Without access logs there is no record of who called which route, from where, with which
/// result: abuse, credential stuffing and data exfiltration through the API go unnoticed and
/// cannot be investigated afterwards (SAS-10).
///
/// ## Insecure example
/// ```yaml
/// HttpApi:
///   Type: AWS::Serverless::HttpApi
/// ```
///
/// ## Secure alternative
/// ```yaml
/// HttpApi:
///   Type: AWS::Serverless::HttpApi
///   Properties:
///     AccessLogSettings:
///       DestinationArn: !GetAtt ApiLogs.Arn
///       Format: '$context.requestId $context.identity.sourceIp $context.routeKey $context.status'
/// ```
///
/// ## References
/// Amazon API Gateway "Set up CloudWatch logging for REST APIs" and "Configuring logging for HTTP
/// APIs"; AWS Security Hub APIGateway.1; OWASP Serverless Top 10 SAS-10 (insufficient logging and
/// monitoring); CWE-778.
#[derive(Debug)]
pub struct ApiAccessLoggingOff;

static META: RuleMeta = RuleMeta {
    code: "API006",
    name: "api-access-logging-off",
    category: Category::Logging,
    severity: Severity::Low,
    confidence: Confidence::High,
    practice: "operations: logging, tracing, audit trail",
    cwe: &[778],
    owasp: &["SAS-10"],
    source: include_str!("api_access_logging_off.rs"),
};

const HELP: &str = "set `AccessLogSetting` (REST) or `AccessLogSettings` (HTTP) with a CloudWatch Logs `DestinationArn` and a format";

impl Rule for ApiAccessLoggingOff {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for api in app.apis.iter().filter(|a| a.kind.is_api_gateway()) {
            if api.routes.is_empty() {
                continue;
            }
            let logged = if is_cfn(app) {
                stages(app, api).iter().any(|s| {
                    let st = s.settings();
                    ["AccessLogSetting", "AccessLogSettings"]
                        .iter()
                        .filter_map(|k| st.get(k))
                        .any(|l| l.is_unknown() || l.get("DestinationArn").is_some())
                })
            } else {
                api.access_log.is_some()
            };
            if !logged {
                out.push(META.finding(
                    &api.origin,
                    Some(&api.id),
                    format!(
                        "{} `{}` has no access logging: calls to it leave no audit record",
                        api_kind(api),
                        api.id
                    ),
                    HELP,
                ));
            }
        }
    }
}
