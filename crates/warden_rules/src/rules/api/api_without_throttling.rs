//! API001: an API with no throttling limits of its own.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{api_kind, is_cfn, refers_to, resources, stages};
use warden_model::{Api, ApiKind, App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags a REST or HTTP API whose stages set no throttling: no `MethodSettings` with
/// `ThrottlingRateLimit`/`ThrottlingBurstLimit` (REST), no `DefaultRouteSettings` or
/// `RouteSettings` limits (HTTP), and — when every route requires an API key — no usage plan with a
/// `Throttle`. SAM APIs, `AWS::ApiGateway::Stage`, `AWS::ApiGateway::Deployment` stage descriptions
/// and `AWS::ApiGatewayV2::Stage` are read.
///
/// ## Why is this bad?
/// Without a per-API limit, a single client can use the whole account-level quota (10,000 requests
/// per second shared by every API of the region): the functions behind the API scale out and bill
/// for every request (denial of wallet), and other APIs of the account are starved (SAS-6).
///
/// ## Insecure example
/// ```yaml
/// OrdersApi:
///   Type: AWS::Serverless::Api
///   Properties:
///     StageName: prod
/// ```
///
/// ## Secure alternative
/// ```yaml
/// OrdersApi:
///   Type: AWS::Serverless::Api
///   Properties:
///     StageName: prod
///     MethodSettings:
///       - {HttpMethod: "*", ResourcePath: "/*", ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100}
/// ```
///
/// ## References
/// Amazon API Gateway "Throttle requests to your REST APIs" and "Throttle requests to your HTTP
/// APIs"; OWASP Serverless Top 10 SAS-6 (denial of service and denial of wallet); CWE-770.
#[derive(Debug)]
pub struct ApiWithoutThrottling;

static META: RuleMeta = RuleMeta {
    code: "API001",
    name: "api-without-throttling",
    category: Category::Throttle,
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    practice: "API perimeter: throttling and quotas",
    cwe: &[770],
    owasp: &["SAS-6"],
    source: include_str!("api_without_throttling.rs"),
};

const HELP: &str = "set stage throttling: REST `MethodSettings` with `ThrottlingRateLimit`/`ThrottlingBurstLimit` for `/*`, or HTTP API `DefaultRouteSettings`";

const LIMITS: [&str; 2] = ["ThrottlingRateLimit", "ThrottlingBurstLimit"];

/// `Some(true)` when a settings map sets a limit, `None` when it depends on unknown values.
fn sets_limit(settings: &Node) -> Option<bool> {
    if settings.is_unknown() {
        return None;
    }
    if LIMITS.iter().any(|k| settings.get(k).is_some()) {
        return Some(true);
    }
    let mut unknown = false;
    for key in ["MethodSettings", "DefaultRouteSettings", "RouteSettings"] {
        let Some(v) = settings.get(key) else { continue };
        if v.is_unknown() {
            unknown = true;
            continue;
        }
        let maps: Vec<&Node> = match key {
            "MethodSettings" => v.items().iter().collect(),
            "RouteSettings" => v.entries().iter().map(|(_, n)| n).collect(),
            _ => vec![v],
        };
        if maps.iter().any(|m| m.is_unknown()) {
            unknown = true;
        }
        if maps
            .iter()
            .any(|m| LIMITS.iter().any(|k| m.get(k).is_some()))
        {
            return Some(true);
        }
    }
    if unknown { None } else { Some(false) }
}

fn usage_plan_throttles(app: &App, api: &Api) -> bool {
    let sam_plan = api
        .properties
        .at(&["Auth", "UsagePlan"])
        .is_some_and(|p| p.get("Throttle").is_some());
    sam_plan
        || resources(app, &["AWS::ApiGateway::UsagePlan"]).any(|plan| {
            let p = &plan.properties;
            p.get("ApiStages").is_some_and(|stages| {
                stages.items().iter().any(|s| {
                    s.get("ApiId").is_some_and(|v| refers_to(v, &api.id))
                        && (p.get("Throttle").is_some() || s.get("Throttle").is_some())
                })
            })
        })
}

impl Rule for ApiWithoutThrottling {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for api in app.apis.iter().filter(|a| a.kind.is_api_gateway()) {
            if api.routes.is_empty() {
                continue;
            }
            let throttled = if is_cfn(app) {
                let mut result = Some(false);
                for stage in stages(app, api) {
                    match sets_limit(stage.settings()) {
                        Some(true) => {
                            result = Some(true);
                            break;
                        }
                        None => result = None,
                        Some(false) => {}
                    }
                }
                let keyed = api
                    .routes
                    .iter()
                    .all(|r| r.api_key_required || r.method == "OPTIONS");
                if result == Some(false)
                    && api.kind == ApiKind::Rest
                    && keyed
                    && usage_plan_throttles(app, api)
                {
                    result = Some(true);
                }
                result
            } else {
                Some(api.throttling.is_some())
            };
            match throttled {
                Some(true) => {}
                Some(false) => out.push(META.finding(
                    &api.origin,
                    Some(&api.id),
                    format!(
                        "{} `{}` has no throttling: one client can drive its functions to the account's concurrency and bill",
                        api_kind(api),
                        api.id
                    ),
                    HELP,
                )),
                None => out.push(META.unverified(
                    &api.origin,
                    Some(&api.id),
                    format!("could not verify throttling of {} `{}`: its stage settings depend on deploy-time values", api_kind(api), api.id),
                    HELP,
                )),
            }
        }
    }
}
