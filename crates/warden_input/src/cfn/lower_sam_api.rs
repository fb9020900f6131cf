//! `AWS::Serverless::Api` and `AWS::Serverless::HttpApi`, explicit or implicit, and the routes
//! function events add to them, with SAM's authentication semantics: an event's `Auth.Authorizer`
//! (`NONE`, `AWS_IAM` or a named authorizer) wins over the API's `DefaultAuthorizer`; API keys from
//! the event or the API's `Auth.ApiKeyRequired`.

use super::convert::empty_map;
use std::collections::{BTreeMap, HashMap};
use warden_model::{Api, ApiKind, App, AuthKind, Authorizer, Node, Resource, Route};
use warden_source::Origin;

/// SAM's logical ids for the APIs it creates from events.
pub const IMPLICIT_REST: &str = "ServerlessRestApi";
pub const IMPLICIT_HTTP: &str = "ServerlessHttpApi";

/// A route an `Api`/`HttpApi` event asks for, placed once every API is known.
#[derive(Debug)]
pub struct PendingRoute {
    /// The API named by `RestApiId`/`ApiId`; `None` for the implicit API.
    pub api: Option<String>,
    pub http: bool,
    pub function: String,
    pub event: Node,
    pub origin: Origin,
}

#[derive(Debug, Default)]
pub struct ImplicitApis {
    pending: Vec<PendingRoute>,
    /// Resolved `Globals.Api` and `Globals.HttpApi`, the implicit APIs' properties.
    pub rest_globals: Option<Node>,
    pub http_globals: Option<Node>,
}

impl ImplicitApis {
    pub fn add(&mut self, route: PendingRoute) {
        self.pending.push(route);
    }

    /// Creates the implicit APIs that events need and places every pending route.
    pub fn finish(self, app: &mut App) {
        // Routes each API's OpenAPI definition declares (events' routes are pushed after them).
        let mut declared: HashMap<String, usize> = app
            .apis
            .iter()
            .map(|a| (a.id.clone(), a.routes.len()))
            .collect();
        for route in self.pending {
            let api_id = route.api.clone().unwrap_or_else(|| {
                if route.http {
                    IMPLICIT_HTTP
                } else {
                    IMPLICIT_REST
                }
                .to_string()
            });
            if !app.apis.iter().any(|a| a.id == api_id) {
                let (kind, globals) = if route.http {
                    (ApiKind::Http, &self.http_globals)
                } else {
                    (ApiKind::Rest, &self.rest_globals)
                };
                let props = globals.clone().unwrap_or_else(|| empty_map(&route.origin));
                let mut api = api_from(&api_id, kind, &route.origin, props);
                api.implicit = route.api.is_none();
                declared.insert(api.id.clone(), api.routes.len());
                app.apis.push(api);
            }
            if let Some(api) = app.apis.iter_mut().find(|a| a.id == api_id) {
                let r = route_from(api, &route);
                let n = declared.get(&api_id).copied().unwrap_or(0);
                merge_or_push(api, n, r, &route);
            }
        }
    }
}

pub fn lower_rest(app: &mut App, res: &Resource) {
    app.apis.push(api_from(
        &res.id,
        ApiKind::Rest,
        &res.origin,
        res.properties.clone(),
    ));
}

pub fn lower_http(app: &mut App, res: &Resource) {
    app.apis.push(api_from(
        &res.id,
        ApiKind::Http,
        &res.origin,
        res.properties.clone(),
    ));
}

fn api_from(id: &str, kind: ApiKind, origin: &Origin, props: Node) -> Api {
    let auth = props.get("Auth");
    let mut authorizers = BTreeMap::new();
    if let Some(list) = auth.and_then(|a| a.get("Authorizers")) {
        for (name, def) in list.entries() {
            let kind = if def.get("JwtConfiguration").is_some() {
                AuthKind::Jwt
            } else if def.get("UserPoolArn").is_some() {
                AuthKind::Cognito
            } else if def.get("FunctionArn").is_some() {
                AuthKind::Lambda
            } else {
                AuthKind::Unknown(format!("authorizer {} of unknown type", name.name))
            };
            authorizers.insert(
                name.name.clone(),
                Authorizer {
                    name: name.name.clone(),
                    origin: name.origin.clone(),
                    kind,
                },
            );
        }
    }
    let throttling = match kind {
        ApiKind::Rest => props.get("MethodSettings").cloned(),
        ApiKind::Http => props.get("DefaultRouteSettings").cloned(),
        ApiKind::FunctionApp => None,
    };
    let mut api = Api {
        id: id.to_string(),
        kind,
        origin: origin.clone(),
        implicit: false,
        routes: Vec::new(),
        authorizers,
        default_authorizer: auth.and_then(|a| a.get("DefaultAuthorizer")).cloned(),
        api_key_required: auth.and_then(|a| a.get("ApiKeyRequired")).cloned(),
        cors: props
            .get("Cors")
            .or_else(|| props.get("CorsConfiguration"))
            .cloned(),
        throttling,
        access_log: props
            .get("AccessLogSetting")
            .or_else(|| props.get("AccessLogSettings"))
            .cloned(),
        endpoint: props.get("EndpointConfiguration").cloned(),
        properties: props.clone(),
    };
    if let Some(body) = props.get("DefinitionBody") {
        api.routes
            .extend(super::lower_apigw::openapi_routes(&api, body));
    }
    api
}

/// Places an event's route. When the API's OpenAPI definition already declares the same method
/// and path, the definition's operation is that route (SAM adds nothing for it; with
/// `DefinitionUri` it cannot change the file): the event only tells which function it invokes,
/// and an explicit `Auth.Authorizer` on the event replaces the operation's authentication.
fn merge_or_push(api: &mut Api, declared: usize, r: Route, pending: &PendingRoute) {
    let explicit_auth = pending.event.at(&["Auth", "Authorizer"]).is_some();
    let n = declared.min(api.routes.len());
    let matching = api.routes[..n].iter_mut().find(|d| {
        d.path == r.path
            && (d.method == r.method || d.method == "ANY")
            && (d.function.is_none() || d.function == r.function)
    });
    match matching {
        Some(d) => {
            d.function = r.function;
            if explicit_auth {
                d.auth = r.auth;
                d.authorizer = r.authorizer;
                d.api_key_required = r.api_key_required;
            }
        }
        None => api.routes.push(r),
    }
}

/// Authentication of a route given the authorizer name it asks for (or the API default).
pub fn auth_for(api: &Api, name: Option<&Node>) -> (AuthKind, Option<String>) {
    let chosen = name.or(api.default_authorizer.as_ref());
    let Some(chosen) = chosen else {
        return (AuthKind::None, None);
    };
    match chosen.as_str() {
        Some("NONE") => (AuthKind::None, None),
        Some("AWS_IAM") => (AuthKind::Iam, Some("AWS_IAM".into())),
        Some(n) => match api.authorizers.get(n) {
            Some(a) => (a.kind.clone(), Some(n.to_string())),
            None => (
                AuthKind::Unknown(format!("authorizer {n} is not declared on API {}", api.id)),
                Some(n.to_string()),
            ),
        },
        None => (
            AuthKind::Unknown(format!("authorizer given as {chosen}")),
            None,
        ),
    }
}

fn route_from(api: &Api, route: &PendingRoute) -> Route {
    let ev = &route.event;
    let auth = ev.get("Auth");
    let (auth_kind, authorizer) = auth_for(api, auth.and_then(|a| a.get("Authorizer")));
    let api_key_required = auth
        .and_then(|a| a.get("ApiKeyRequired"))
        .or(api.api_key_required.as_ref())
        .and_then(Node::as_bool)
        .unwrap_or(false);
    let default_path = if route.http { "$default" } else { "/" };
    let default_method = if route.http { "ANY" } else { "GET" };
    Route {
        method: ev
            .get("Method")
            .and_then(Node::as_str)
            .unwrap_or(default_method)
            .to_ascii_uppercase(),
        path: ev
            .get("Path")
            .and_then(Node::as_str)
            .unwrap_or(default_path)
            .to_string(),
        origin: route.origin.clone(),
        function: Some(route.function.clone()),
        auth: auth_kind,
        authorizer,
        api_key_required,
    }
}
