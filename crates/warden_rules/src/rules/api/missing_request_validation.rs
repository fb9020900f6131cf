//! API005: a REST method that takes a body but validates nothing before invoking a function.

use crate::meta::{Rule, RuleMeta};
use warden_model::{Api, ApiKind, App, Category, Confidence, Finding, Node, Route, Severity};

/// ## What it does
/// Flags a `POST`, `PUT` or `PATCH` route of a REST API that invokes a function with no request
/// validator: no SAM `RequestModel`, no `RequestValidatorId` on an `AWS::ApiGateway::Method`, and
/// no `x-amazon-apigateway-request-validator` on the OpenAPI operation or document. HTTP APIs have
/// no request validation and are not flagged.
///
/// ## Why is this bad?
/// Without a schema at the edge, every malformed or malicious body reaches the function: event-data
/// injection depends entirely on the handler's own checks, and each bad request is billed (SAS-1).
///
/// ## Insecure example
/// ```yaml
/// Events:
///   CreateOrder:
///     Type: Api
///     Properties: {RestApiId: !Ref Api, Path: /orders, Method: post}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Events:
///   CreateOrder:
///     Type: Api
///     Properties:
///       RestApiId: !Ref Api
///       Path: /orders
///       Method: post
///       RequestModel: {Model: Order, Required: true, ValidateBody: true}
/// ```
///
/// ## References
/// Amazon API Gateway "Request validation for REST APIs"; OWASP Serverless Top 10 SAS-1 (event
/// injection); CWE-20.
#[derive(Debug)]
pub struct MissingRequestValidation;

static META: RuleMeta = RuleMeta {
    code: "API005",
    name: "missing-request-validation",
    category: Category::Injection,
    severity: Severity::Low,
    confidence: Confidence::Medium,
    practice: "events: every event validated before use",
    cwe: &[20],
    owasp: &["SAS-1"],
    source: include_str!("missing_request_validation.rs"),
};

const HELP: &str = "add a request validator with a body model (SAM `RequestModel` with `ValidateBody: true`, or `RequestValidatorId` and `RequestModels`)";

const VALIDATOR: &str = "x-amazon-apigateway-request-validator";

fn validated(app: &App, api: &Api, route: &Route) -> bool {
    let body = api
        .properties
        .get("DefinitionBody")
        .or_else(|| api.properties.get("Body"));
    if body.is_some_and(|b| b.get(VALIDATOR).is_some()) {
        return true;
    }
    // A route declared by a function event (SAM).
    let event = app
        .functions
        .iter()
        .flat_map(|f| f.triggers.iter())
        .find(|t| t.origin == route.origin && t.kind.is_http());
    if let Some(t) = event
        && t.properties.get("RequestModel").is_some()
    {
        return true;
    }
    // An `AWS::ApiGateway::Method`.
    if let Some(method) = app.resources.iter().find(|r| r.origin == route.origin) {
        return method.properties.get("RequestValidatorId").is_some();
    }
    // An OpenAPI operation.
    let op: Option<&Node> = body.and_then(|b| b.find_path(&route.origin.path));
    op.is_some_and(|o| o.get(VALIDATOR).is_some())
}

impl Rule for MissingRequestValidation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for api in &app.apis {
            if api.kind != ApiKind::Rest {
                continue;
            }
            for route in &api.routes {
                if !matches!(route.method.as_str(), "POST" | "PUT" | "PATCH") {
                    continue;
                }
                let Some(function) = &route.function else {
                    continue;
                };
                if validated(app, api, route) {
                    continue;
                }
                out.push(META.finding(
                    &route.origin,
                    Some(function),
                    format!(
                        "route `{} {}` of REST API `{}` passes unvalidated bodies to function `{function}`",
                        route.method, route.path, api.id
                    ),
                    HELP,
                ));
            }
        }
    }
}
