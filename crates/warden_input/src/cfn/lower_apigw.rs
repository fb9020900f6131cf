//! Plain CloudFormation API Gateway (`AWS::ApiGateway::*`, `AWS::ApiGatewayV2::*`) and OpenAPI
//! definitions (`DefinitionBody`, `Body`): APIs, routes, their authentication and the function each
//! route integrates with.

use super::context::Context;
use super::convert::referenced_resource;
use super::lower_sam_api::auth_for;
use std::collections::{BTreeMap, HashMap};
use warden_model::{Api, ApiKind, App, AuthKind, Authorizer, Node, Resource, Route};

/// Routes declared in an OpenAPI document (Swagger 2 or OpenAPI 3) with API Gateway extensions.
pub fn openapi_routes(api: &Api, body: &Node) -> Vec<Route> {
    let schemes = body
        .at(&["components", "securitySchemes"])
        .or_else(|| body.get("securityDefinitions"));
    let root_security = body.get("security");
    let mut routes = Vec::new();
    let Some(paths) = body.get("paths") else {
        return routes;
    };
    for (path, item) in paths.entries() {
        for (method, op) in item.entries() {
            let m = method.name.to_ascii_uppercase();
            let is_method = matches!(
                m.as_str(),
                "GET" | "PUT" | "POST" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS"
            ) || method.name == "x-amazon-apigateway-any-method";
            if !is_method {
                continue;
            }
            let function = op
                .at(&["x-amazon-apigateway-integration", "uri"])
                .and_then(|uri| referenced_resource(uri, |_| true));
            let security = op.get("security").or(root_security);
            let (auth, authorizer, api_key_required) = match security {
                Some(reqs) => security_auth(reqs, schemes),
                None => {
                    let (auth, name) = auth_for(api, None);
                    (auth, name, false)
                }
            };
            routes.push(Route {
                method: if m.starts_with("X-AMAZON") {
                    "ANY".into()
                } else {
                    m
                },
                path: path.name.clone(),
                origin: method.origin.clone(),
                function,
                auth,
                authorizer,
                api_key_required,
            });
        }
    }
    routes
}

/// Authentication from an OpenAPI `security` requirement list: the strongest scheme named.
fn security_auth(reqs: &Node, schemes: Option<&Node>) -> (AuthKind, Option<String>, bool) {
    let mut api_key = false;
    let mut best: Option<(AuthKind, String)> = None;
    for req in reqs.items() {
        for (name, _) in req.entries() {
            let scheme = schemes.and_then(|s| s.get(&name.name));
            let authtype = scheme
                .and_then(|s| s.get("x-amazon-apigateway-authtype"))
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_ascii_lowercase();
            let authorizer_type = scheme
                .and_then(|s| s.at(&["x-amazon-apigateway-authorizer", "type"]))
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_ascii_lowercase();
            let kind = scheme.and_then(|s| s.get("type")).and_then(Node::as_str);
            let auth = match (authtype.as_str(), authorizer_type.as_str(), kind) {
                ("cognito_user_pools", _, _) | (_, "cognito_user_pools", _) => AuthKind::Cognito,
                ("awssigv4", _, _) => AuthKind::Iam,
                (_, "jwt", _) | (_, _, Some("oauth2" | "openIdConnect")) => AuthKind::Jwt,
                ("custom", _, _) | (_, "token" | "request", _) => AuthKind::Lambda,
                (_, _, Some("apiKey")) => {
                    api_key = true;
                    continue;
                }
                _ if scheme.is_none() => {
                    AuthKind::Unknown(format!("security scheme {} is not declared", name.name))
                }
                _ => AuthKind::Unknown(format!("security scheme {} of unknown type", name.name)),
            };
            if best.is_none() {
                best = Some((auth, name.name.clone()));
            }
        }
    }
    match best {
        Some((auth, name)) => (auth, Some(name), api_key),
        None => (AuthKind::None, None, api_key),
    }
}

/// APIs, routes, authorizers, stages and usage plans declared with plain CloudFormation.
pub fn lower(app: &mut App, ctx: &Context<'_>) {
    let by_id: HashMap<&str, &Resource> =
        app.resources.iter().map(|r| (r.id.as_str(), r)).collect();
    let is_kind = |kind: &'static str| move |id: &str| ctx.resource_type(id) == Some(kind);
    let mut apis: Vec<Api> = Vec::new();
    for res in &app.resources {
        let p = &res.properties;
        match res.kind.as_str() {
            "AWS::ApiGateway::RestApi" => {
                let mut api = plain_api(res, ApiKind::Rest);
                if let Some(body) = p.get("Body") {
                    api.routes = openapi_routes(&api, body);
                }
                apis.push(api);
            }
            "AWS::ApiGatewayV2::Api"
                if p.get("ProtocolType").and_then(Node::as_str) != Some("WEBSOCKET") =>
            {
                let mut api = plain_api(res, ApiKind::Http);
                if let Some(body) = p.get("Body") {
                    api.routes = openapi_routes(&api, body);
                }
                if let Some(target) = p.get("Target") {
                    // Quick create: one `$default` route with no authorizer.
                    api.routes.push(Route {
                        method: "ANY".into(),
                        path: "$default".into(),
                        origin: target.origin.clone(),
                        function: referenced_resource(target, |_| true),
                        auth: AuthKind::None,
                        authorizer: None,
                        api_key_required: false,
                    });
                }
                apis.push(api);
            }
            _ => {}
        }
    }
    for res in &app.resources {
        let p = &res.properties;
        let api_of = |key: &str, kind: &'static str| {
            p.get(key)
                .and_then(|v| referenced_resource(v, is_kind(kind)))
        };
        match res.kind.as_str() {
            "AWS::ApiGateway::Authorizer" => {
                let Some(api) = api_of("RestApiId", "AWS::ApiGateway::RestApi") else {
                    continue;
                };
                let kind = match p.get("Type").and_then(Node::as_str) {
                    Some("COGNITO_USER_POOLS") => AuthKind::Cognito,
                    Some("TOKEN" | "REQUEST") => AuthKind::Lambda,
                    other => AuthKind::Unknown(format!("authorizer type {other:?}")),
                };
                add_authorizer(&mut apis, &api, res, kind);
            }
            "AWS::ApiGatewayV2::Authorizer" => {
                let Some(api) = api_of("ApiId", "AWS::ApiGatewayV2::Api") else {
                    continue;
                };
                let kind = match p.get("AuthorizerType").and_then(Node::as_str) {
                    Some("JWT") => AuthKind::Jwt,
                    Some("REQUEST") => AuthKind::Lambda,
                    other => AuthKind::Unknown(format!("authorizer type {other:?}")),
                };
                add_authorizer(&mut apis, &api, res, kind);
            }
            "AWS::ApiGateway::Method" => {
                let Some(api) = api_of("RestApiId", "AWS::ApiGateway::RestApi") else {
                    continue;
                };
                let method = p.get("HttpMethod").and_then(Node::as_str).unwrap_or("ANY");
                let path = resource_path(p.get("ResourceId"), &by_id, ctx);
                let auth = match p.get("AuthorizationType").and_then(Node::as_str) {
                    None | Some("NONE") => AuthKind::None,
                    Some("AWS_IAM") => AuthKind::Iam,
                    Some("COGNITO_USER_POOLS") => AuthKind::Cognito,
                    Some("CUSTOM") => AuthKind::Lambda,
                    Some(other) => AuthKind::Unknown(format!("AuthorizationType {other}")),
                };
                let function = p
                    .at(&["Integration", "Uri"])
                    .and_then(|u| referenced_resource(u, |_| true));
                push_route(
                    &mut apis,
                    &api,
                    Route {
                        method: method.to_ascii_uppercase(),
                        path,
                        origin: res.origin.clone(),
                        function,
                        auth,
                        authorizer: p
                            .get("AuthorizerId")
                            .and_then(|a| referenced_resource(a, |_| true)),
                        api_key_required: p
                            .get("ApiKeyRequired")
                            .and_then(Node::as_bool)
                            .unwrap_or(false),
                    },
                );
            }
            "AWS::ApiGatewayV2::Route" => {
                let Some(api) = api_of("ApiId", "AWS::ApiGatewayV2::Api") else {
                    continue;
                };
                let key = p
                    .get("RouteKey")
                    .and_then(Node::as_str)
                    .unwrap_or("$default");
                let (method, path) = key.split_once(' ').unwrap_or(("ANY", key));
                let auth = match p.get("AuthorizationType").and_then(Node::as_str) {
                    None | Some("NONE") => AuthKind::None,
                    Some("AWS_IAM") => AuthKind::Iam,
                    Some("JWT") => AuthKind::Jwt,
                    Some("CUSTOM") => AuthKind::Lambda,
                    Some(other) => AuthKind::Unknown(format!("AuthorizationType {other}")),
                };
                let function = p
                    .get("Target")
                    .and_then(|t| referenced_resource(t, is_kind("AWS::ApiGatewayV2::Integration")))
                    .and_then(|integration| by_id.get(integration.as_str()).copied())
                    .and_then(|i| i.properties.get("IntegrationUri"))
                    .and_then(|u| referenced_resource(u, |_| true));
                push_route(
                    &mut apis,
                    &api,
                    Route {
                        method: method.to_ascii_uppercase(),
                        path: path.to_string(),
                        origin: res.origin.clone(),
                        function,
                        auth,
                        authorizer: p
                            .get("AuthorizerId")
                            .and_then(|a| referenced_resource(a, |_| true)),
                        api_key_required: p
                            .get("ApiKeyRequired")
                            .and_then(Node::as_bool)
                            .unwrap_or(false),
                    },
                );
            }
            "AWS::ApiGateway::Stage" | "AWS::ApiGatewayV2::Stage" => {
                let api = api_of("RestApiId", "AWS::ApiGateway::RestApi")
                    .or_else(|| api_of("ApiId", "AWS::ApiGatewayV2::Api"));
                if let Some(api) = api.and_then(|id| apis.iter_mut().find(|a| a.id == id)) {
                    if api.throttling.is_none() {
                        api.throttling = p
                            .get("MethodSettings")
                            .or_else(|| p.get("DefaultRouteSettings"))
                            .cloned();
                    }
                    if api.access_log.is_none() {
                        api.access_log = p
                            .get("AccessLogSetting")
                            .or_else(|| p.get("AccessLogSettings"))
                            .cloned();
                    }
                }
            }
            "AWS::ApiGateway::UsagePlan" => {
                let throttle = p.get("Throttle").or_else(|| p.get("Quota"));
                for stage in p.get("ApiStages").map(Node::items).unwrap_or_default() {
                    let api = stage
                        .get("ApiId")
                        .and_then(|v| referenced_resource(v, is_kind("AWS::ApiGateway::RestApi")));
                    if let Some(api) = api.and_then(|id| apis.iter_mut().find(|a| a.id == id))
                        && api.throttling.is_none()
                    {
                        api.throttling = throttle.cloned();
                    }
                }
            }
            _ => {}
        }
    }
    app.apis.extend(apis);
}

fn plain_api(res: &Resource, kind: ApiKind) -> Api {
    let p = &res.properties;
    Api {
        id: res.id.clone(),
        kind,
        origin: res.origin.clone(),
        implicit: false,
        routes: Vec::new(),
        authorizers: BTreeMap::new(),
        default_authorizer: None,
        api_key_required: None,
        cors: p.get("CorsConfiguration").cloned(),
        throttling: None,
        access_log: None,
        endpoint: p.get("EndpointConfiguration").cloned(),
        properties: p.clone(),
    }
}

fn add_authorizer(apis: &mut [Api], api: &str, res: &Resource, kind: AuthKind) {
    if let Some(a) = apis.iter_mut().find(|a| a.id == api) {
        a.authorizers.insert(
            res.id.clone(),
            Authorizer {
                name: res.id.clone(),
                origin: res.origin.clone(),
                kind,
            },
        );
    }
}

fn push_route(apis: &mut [Api], api: &str, mut route: Route) {
    if let Some(a) = apis.iter_mut().find(|a| a.id == api) {
        // A CUSTOM/JWT route names its authorizer: take its precise kind when declared.
        if let Some(kind) = route
            .authorizer
            .as_ref()
            .and_then(|n| a.authorizers.get(n))
            .map(|au| au.kind.clone())
            && !matches!(route.auth, AuthKind::None | AuthKind::Iam)
        {
            route.auth = kind;
        }
        a.routes.push(route);
    }
}

/// The path of an `AWS::ApiGateway::Resource` chain (`/orders/{id}`), `/` for the root.
fn resource_path(id: Option<&Node>, by_id: &HashMap<&str, &Resource>, ctx: &Context<'_>) -> String {
    let is_res = |id: &str| ctx.resource_type(id) == Some("AWS::ApiGateway::Resource");
    let mut parts = Vec::new();
    let mut current = id.and_then(|n| referenced_resource(n, is_res));
    let mut guard = 0;
    while let Some(rid) = current {
        guard += 1;
        if guard > 64 {
            break;
        }
        let Some(res) = by_id.get(rid.as_str()) else {
            break;
        };
        match res.properties.get("PathPart").and_then(Node::as_str) {
            Some(part) => parts.push(part.to_string()),
            None => parts.push("{?}".into()),
        }
        current = res
            .properties
            .get("ParentId")
            .and_then(|n| referenced_resource(n, is_res));
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}
