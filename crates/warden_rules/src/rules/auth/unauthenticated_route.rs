//! AUTH002: an API route that invokes a function without authenticating the caller.

use crate::meta::{Rule, RuleMeta};
use warden_model::{ApiKind, App, AuthKind, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an API Gateway route (REST or HTTP API, SAM or plain CloudFormation or OpenAPI) that
/// invokes a function with no authorizer and no IAM authorization: `AuthorizationType: NONE`, SAM
/// `Auth: {Authorizer: NONE}`, an API without a `DefaultAuthorizer`, or an OpenAPI operation without
/// `security`. Routes that require only an API key are reported by a separate rule; routes of a
/// private REST API (reachable only through VPC endpoints) are reported at medium. On Azure, an
/// HTTP trigger with `authLevel: anonymous` (`function.json`, Python `func.AuthLevel.ANONYMOUS`
/// or the app's `http_auth_level`, Node.js `authLevel: 'anonymous'` or its default, C#
/// `AuthorizationLevel.Anonymous`) is such a route, unless the function app requires App Service
/// authentication (`auth_settings_v2 { require_authentication = true }`).
///
/// ## Why is this bad?
/// Anyone on the internet can call the route. The function's event data is then fully
/// attacker-controlled (SAS-1 event injection), and its permissions are reachable without any
/// identity (SAS-3 broken authentication). Every call is billed (denial of wallet).
///
/// ## Insecure example
/// ```yaml
/// Events:
///   GetOrder:
///     Type: Api
///     Properties: {Path: /orders/{id}, Method: get}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// OrdersApi:
///   Type: AWS::Serverless::Api
///   Properties:
///     StageName: prod
///     Auth:
///       DefaultAuthorizer: CognitoAuth
///       Authorizers:
///         CognitoAuth: {UserPoolArn: !GetAtt UserPool.Arn}
/// ```
///
/// ## References
/// AWS SAM `ApiAuth` and `HttpApiAuth`; API Gateway "Controlling and managing access to an API";
/// OWASP Serverless Top 10 SAS-3; CWE-306.
#[derive(Debug)]
pub struct UnauthenticatedRoute;

static META: RuleMeta = RuleMeta {
    code: "AUTH002",
    name: "unauthenticated-route",
    category: Category::Auth,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "API perimeter: every route authenticated",
    cwe: &[306],
    owasp: &["SAS-3"],
    source: include_str!("unauthenticated_route.rs"),
};

const HELP: &str = "add an authorizer (Cognito, JWT, Lambda or AWS_IAM) to the route or a `DefaultAuthorizer` to the API";
const HELP_FUNCTION_APP: &str = "set the trigger's `authLevel` to `function` and authenticate callers (App Service authentication, API Management with a JWT policy, or token validation in code)";

/// When an Azure trigger's level is not written but implied (the Node.js v4 default, the Python
/// app's `http_auth_level`), what implies it: the lowering records it on the function's HTTP
/// trigger as `authLevelFrom`.
fn implied_level<'a>(app: &'a App, route: &warden_model::Route) -> Option<&'a str> {
    let f = app.function(route.function.as_deref()?)?;
    f.triggers
        .iter()
        .filter(|t| t.kind == warden_model::TriggerKind::Http && t.origin == route.origin)
        .find_map(|t| {
            t.properties
                .get("authLevelFrom")
                .and_then(warden_model::Node::as_str)
        })
}

impl Rule for UnauthenticatedRoute {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for api in &app.apis {
            // A private REST API is reachable only through VPC endpoints: still unauthenticated,
            // but not from the internet.
            let private = api.endpoint.as_ref().is_some_and(|e| {
                e.as_str() == Some("PRIVATE")
                    || e.get("Types").is_some_and(|t| {
                        t.one_or_many()
                            .iter()
                            .any(|x| x.as_str() == Some("PRIVATE"))
                    })
            });
            let kind = match api.kind {
                ApiKind::Rest => "REST API",
                ApiKind::Http => "HTTP API",
                ApiKind::FunctionApp => "function HTTP trigger",
            };
            if api.kind == ApiKind::FunctionApp
                && crate::rules::cloud::app_service_auth_required(app, &api.id)
            {
                continue; // App Service authentication stands in front of every trigger
            }
            for route in &api.routes {
                if route.method == "OPTIONS" {
                    continue; // CORS preflight never carries credentials
                }
                let target = route
                    .function
                    .as_deref()
                    .map_or_else(String::new, |f| format!(" and invokes function `{f}`"));
                let resource = route.function.as_deref().or(Some(api.id.as_str()));
                let help = if api.kind == ApiKind::FunctionApp {
                    HELP_FUNCTION_APP
                } else {
                    HELP
                };
                match &route.auth {
                    AuthKind::None if !route.api_key_required && api.kind == ApiKind::FunctionApp => {
                        out.push(META.finding(
                            &route.origin,
                            resource,
                            format!(
                                "HTTP trigger `{} {}` of {}function app `{}` is anonymous ({}): anyone can call it without a key or identity",
                                route.method,
                                route.path,
                                route
                                    .function
                                    .as_deref()
                                    .filter(|f| *f != api.id)
                                    .map_or_else(String::new, |f| format!("function `{f}` in ")),
                                api.id,
                                implied_level(app, route)
                                    .map_or_else(|| "`authLevel: anonymous`".to_string(), |by| format!("`anonymous`: {by}")),
                            ),
                            help,
                        ));
                    }
                    AuthKind::None if !route.api_key_required => {
                        let mut f = META.finding(
                            &route.origin,
                            resource,
                            format!(
                                "route `{} {}` of {}{kind} `{}` has no authentication{target}",
                                route.method,
                                route.path,
                                if private { "private " } else { "" },
                                api.id
                            ),
                            help,
                        );
                        if private {
                            f.severity = Severity::Medium;
                        }
                        out.push(f);
                    }
                    AuthKind::Unknown(why) => out.push(META.unverified(
                        &route.origin,
                        resource,
                        format!(
                            "could not verify authentication of route `{} {}` of {kind} `{}`: {why}",
                            route.method, route.path, api.id
                        ),
                        help,
                    )),
                    _ => {}
                }
            }
        }
    }
}
