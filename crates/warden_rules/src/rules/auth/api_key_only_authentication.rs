//! AUTH003: an API route whose only protection is an API key.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::api_kind;
use warden_model::{ApiKind, App, AuthKind, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an API route that requires an API key (`ApiKeyRequired: true`, an OpenAPI `apiKey`
/// scheme) but has no authorizer and no IAM authorization. An Azure HTTP trigger at
/// `authLevel: function` or `admin` (the platform default) is reported at low: the function key
/// is a shared secret, not a caller's identity.
///
/// ## Why is this bad?
/// API keys identify a client application for usage plans; they are not credentials. They travel
/// in a header, are embedded in front-end code and shared between users, never expire by default,
/// and say nothing about who the caller is. Anyone holding the key reaches the function (SAS-3).
///
/// ## Insecure example
/// ```yaml
/// Events:
///   ListOrders:
///     Type: Api
///     Properties: {Path: /orders, Method: get, Auth: {ApiKeyRequired: true}}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Events:
///   ListOrders:
///     Type: Api
///     Properties:
///       Path: /orders
///       Method: get
///       Auth: {ApiKeyRequired: true, Authorizer: CognitoAuth}
/// ```
///
/// ## References
/// Amazon API Gateway "Usage plans and API keys" (do not use API keys for authentication);
/// OWASP Serverless Top 10 SAS-3; CWE-287.
#[derive(Debug)]
pub struct ApiKeyOnlyAuthentication;

static META: RuleMeta = RuleMeta {
    code: "AUTH003",
    name: "api-key-only-authentication",
    category: Category::Auth,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "API perimeter: every route authenticated",
    cwe: &[287],
    owasp: &["SAS-3"],
    source: include_str!("api_key_only_authentication.rs"),
};

const HELP: &str = "keep the API key for usage plans, and authenticate callers with an authorizer (Cognito, JWT, Lambda) or AWS_IAM";
const HELP_FUNCTION_APP: &str = "authenticate callers with App Service authentication or API Management in front of the function app, and keep function keys for service-to-service calls";

impl Rule for ApiKeyOnlyAuthentication {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for api in &app.apis {
            if api.kind == ApiKind::FunctionApp
                && crate::rules::cloud::app_service_auth_required(app, &api.id)
            {
                continue; // callers authenticate with App Service authentication
            }
            for route in &api.routes {
                if route.method == "OPTIONS"
                    || route.auth != AuthKind::None
                    || !route.api_key_required
                {
                    continue;
                }
                let target = route
                    .function
                    .as_deref()
                    .filter(|f| *f != api.id)
                    .map_or_else(String::new, |f| format!(" to reach function `{f}`"));
                let resource = route.function.as_deref().or(Some(api.id.as_str()));
                if api.kind == ApiKind::FunctionApp {
                    // A function key: one secret shared by every caller, and the platform's
                    // default. Worth knowing, not an open endpoint.
                    let mut f = META.finding(
                        &route.origin,
                        resource,
                        format!(
                            "HTTP trigger `{} {}` of function app `{}` is protected only by a function key shared by every caller{target}",
                            route.method,
                            route.path,
                            api.id
                        ),
                        HELP_FUNCTION_APP,
                    );
                    f.severity = Severity::Low;
                    out.push(f);
                    continue;
                }
                out.push(META.finding(
                    &route.origin,
                    resource,
                    format!(
                        "route `{} {}` of {} `{}` is protected only by an API key: anyone holding the key can call it{target}",
                        route.method,
                        route.path,
                        api_kind(api),
                        api.id
                    ),
                    HELP,
                ));
            }
        }
    }
}
