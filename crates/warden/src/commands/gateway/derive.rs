//! `warden gateway --from TEMPLATE`: derives a gateway [`Config`] from the apps the scanner's
//! loader lowers from a SAM, CloudFormation or Serverless Framework template. Every API route that
//! invokes a function becomes a gateway route whose upstream is the Lambda Invoke API at
//! `ENDPOINT/2015-03-31/functions/<logical id>/invocations` (payload 2.0 for HTTP APIs, 1.0 for
//! REST APIs), with the template's authorizers, API-key requirements, throttling, usage plans and
//! CORS. What cannot be enforced locally is refused (or, on request, served unenforced) and
//! reported as a warning.

mod auth;
mod cors;
mod overlay;
mod table;
mod throttle;
mod validation;

#[cfg(test)]
mod tests;

pub use overlay::overlay;
pub use table::{RouteLine, render as render_table};

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use warden_gateway::Config;
use warden_gateway::config::{
    ApiKeyConfig, AuthorizerConfig, DenyConfig, EventVersion, KeyEntry, KeyFailure, RouteConfig,
    UpstreamConfig, WafMode,
};
use warden_model::{Api, ApiKind, App, AuthKind, Format, Node, Route, TriggerKind};

/// What the command line adds to the template.
#[derive(Debug, Clone)]
pub struct Options {
    /// Base URL of the Lambda Invoke API (`http://127.0.0.1:3001`).
    pub lambda_endpoint: String,
    /// API keys (id, value) accepted on every route that requires one.
    pub api_keys: Vec<(String, String)>,
    /// JWKS file used by every JWT/Cognito authorizer instead of `{issuer}/.well-known/jwks.json`.
    pub jwks_file: Option<PathBuf>,
    /// Serve routes whose authorizer cannot be enforced (IAM, Lambda) without authentication.
    pub allow_unenforceable: bool,
    /// WAF mode of every route.
    pub waf: WafMode,
}

/// The derived configuration, the warnings to print at start-up and the route table.
#[derive(Debug)]
pub struct Derived {
    pub config: Config,
    pub warnings: Vec<String>,
    pub table: Vec<RouteLine>,
}

/// Name of the shared authorizer that refuses every request.
const DENY: &str = "unenforceable";

/// Derives the gateway configuration from the apps of a template.
pub fn derive(apps: &[App], opts: &Options) -> Result<Derived, String> {
    if !opts.lambda_endpoint.starts_with("http://") && !opts.lambda_endpoint.starts_with("https://")
    {
        return Err(format!(
            "--lambda-endpoint `{}` must be an http:// or https:// URL",
            opts.lambda_endpoint
        ));
    }
    let mut out = Derived {
        config: Config::default(),
        warnings: Vec::new(),
        table: Vec::new(),
    };
    out.config.waf.mode = opts.waf;
    let aws: Vec<&App> = apps.iter().filter(|a| is_aws_template(a.format)).collect();
    // An API id several templates use (two `ServerlessRestApi`s, nested stacks) is qualified
    // with its template's name; ids used once keep their names, so existing overlays still apply.
    let mut api_ids: HashMap<&str, usize> = HashMap::new();
    for app in &aws {
        for api in app.apis.iter().filter(|a| a.kind.is_api_gateway()) {
            *api_ids.entry(api.id.as_str()).or_default() += 1;
        }
    }
    let mut functions: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for app in &aws {
        for api in app.apis.iter().filter(|a| a.kind.is_api_gateway()) {
            let name = if api_ids.get(api.id.as_str()).is_some_and(|n| *n > 1) {
                format!("{}:{}", app_label(&app.file), api.id)
            } else {
                api.id.clone()
            };
            derive_api(app, api, &name, opts, &mut out);
        }
        for f in &app.functions {
            let seen = functions.entry(f.id.as_str()).or_default();
            if !seen.contains(&app.file) {
                seen.push(app.file.clone());
            }
        }
        for f in &app.functions {
            if f.url.is_some() {
                out.warnings.push(format!(
                    "function `{}` has a function URL: not served by the gateway (a function URL \
                     has its own host name; put the function behind an API to serve it here)",
                    f.id
                ));
            }
        }
    }
    for (f, files) in functions.iter().filter(|(_, files)| files.len() > 1) {
        if out.table.iter().any(|l| l.function == *f) {
            out.warnings.push(format!(
                "function `{f}` is declared by {}: the routes of all of them invoke \
                 {}/2015-03-31/functions/{f}/invocations",
                files.join(", "),
                opts.lambda_endpoint
            ));
        }
    }
    if out.config.routes.is_empty() {
        return Err("the template has no API route that invokes a function".into());
    }
    Ok(out)
}

/// A template's short name: its path without the `.template.json`/`.yaml` ending and without a
/// leading `cdk.out/` (`svc-a/template`, `MyStack`).
fn app_label(file: &str) -> String {
    let mut s = file.strip_prefix("./").unwrap_or(file);
    s = s.strip_prefix("cdk.out/").unwrap_or(s);
    for ext in [".json", ".yaml", ".yml", ".template", ".nested"] {
        s = s.strip_suffix(ext).unwrap_or(s);
    }
    if s.is_empty() {
        file.to_string()
    } else {
        s.to_string()
    }
}

/// `/items/{id}` and `/items/{itemId}` match the same requests.
fn path_shape(path: &str) -> String {
    path.split('/')
        .map(|seg| match seg.strip_prefix('{') {
            Some(p) if p.ends_with("+}") => "{+}",
            Some(_) => "{}",
            None => seg,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn is_aws_template(f: Format) -> bool {
    matches!(
        f,
        Format::Sam | Format::CloudFormation | Format::ServerlessFramework | Format::Cdk
    )
}

/// Derives the routes of one API; `name` prefixes its routes, CORS policy, usage plan and
/// authorizers (the API's logical id, qualified with the template's name on a collision).
fn derive_api(app: &App, api: &Api, name: &str, opts: &Options, out: &mut Derived) {
    let cors_name = cors::policy(api, &mut out.warnings).map(|c| {
        out.config.cors.insert(name.to_string(), c);
        name.to_string()
    });
    let plan_name = throttle::usage_plan(app, api, &mut out.warnings).map(|p| {
        let plan = format!("{name}.plan");
        out.config.usage_plans.insert(plan.clone(), p);
        plan
    });
    let mut keys_warned = false;
    for route in &api.routes {
        let Some(function) = route.function.as_deref() else {
            continue;
        };
        if route.path != "$default"
            && let Err(e) = warden_gateway::route::PathTemplate::parse(&route.path)
        {
            out.warnings.push(format!(
                "{} {} of API `{}`: {e}; skipped",
                route.method, route.path, api.id
            ));
            continue;
        }
        if app.function(function).is_none() {
            out.warnings.push(format!(
                "{} {} of API `{}` invokes `{function}`, which is not a function of this template: skipped",
                route.method, route.path, api.id
            ));
            continue;
        }
        let event = event_of(app, api, route);
        let version = event_version(api, event);
        let upstream = format!(
            "{function}-{}",
            if version == EventVersion::V1 {
                "v1"
            } else {
                "v2"
            }
        );
        out.config
            .upstreams
            .entry(upstream.clone())
            .or_insert_with(|| UpstreamConfig::Lambda {
                endpoint: opts.lambda_endpoint.clone(),
                function: function.to_string(),
                event: version,
                max_concurrency: None,
                budget: None,
            });
        let mut line = RouteLine {
            api: name.to_string(),
            method: route.method.clone(),
            path: route.path.clone(),
            function: function.to_string(),
            event: version,
            auth: String::new(),
            limits: String::new(),
            cors: cors_name.clone(),
            validation: String::new(),
        };
        let mut authorizers = Vec::new();
        let mut scopes = Vec::new();
        match auth::for_route(app, api, name, route, event, opts) {
            auth::Outcome::Open => line.auth = "none".into(),
            auth::Outcome::Jwt {
                name: authorizer,
                config,
                scopes: s,
            } => {
                line.auth = format!(
                    "jwt `{}`",
                    route.authorizer.as_deref().unwrap_or(&authorizer)
                );
                out.config
                    .authorizers
                    .entry(authorizer.clone())
                    .or_insert(AuthorizerConfig::Jwt(*config));
                authorizers.push(authorizer);
                scopes = s;
            }
            auth::Outcome::Unenforceable(why) => {
                let what = format!("{} {} of API `{name}`", route.method, route.path);
                if opts.allow_unenforceable {
                    out.warnings.push(format!(
                        "{what}: {why}; served WITHOUT authentication (--allow-unenforceable)"
                    ));
                    line.auth = "NOT ENFORCED".into();
                } else {
                    out.warnings.push(format!(
                        "{what}: {why}; every request is refused with 401 \
                         (--allow-unenforceable serves it without authentication)"
                    ));
                    out.config
                        .authorizers
                        .entry(DENY.into())
                        .or_insert_with(|| {
                            AuthorizerConfig::Deny(DenyConfig {
                                reason: "authorizer not enforceable locally".into(),
                            })
                        });
                    authorizers.push(DENY.into());
                    line.auth = "refused (401)".into();
                }
            }
        }
        if route.api_key_required {
            let keys = format!("{name}.api-keys");
            if opts.api_keys.is_empty() && !keys_warned {
                keys_warned = true;
                out.warnings.push(format!(
                    "API `{name}` has routes that require an API key but no key was given \
                     (--api-key NAME=VALUE or --api-keys-file FILE): they answer 403"
                ));
            }
            out.config
                .authorizers
                .entry(keys.clone())
                .or_insert_with(|| {
                    AuthorizerConfig::ApiKey(ApiKeyConfig {
                        header: "x-api-key".into(),
                        keys: opts
                            .api_keys
                            .iter()
                            .map(|(id, value)| KeyEntry {
                                id: id.clone(),
                                sha256: warden_gateway::auth::api_key::hash_key(value),
                                plan: plan_name.clone(),
                            })
                            .collect(),
                        on_failure: KeyFailure::Forbidden,
                    })
                });
            authorizers.push(keys);
            line.auth = match line.auth.as_str() {
                "none" => "api key".into(),
                other => format!("{other} + api key"),
            };
            if let Some(p) = plan_name
                .as_deref()
                .and_then(|p| out.config.usage_plans.get(p))
            {
                line.limits.push_str(&table::plan_text(p));
            }
        }
        let rate_limit = throttle::route_limit(app, api, route, event, &mut out.warnings);
        if let Some(rl) = &rate_limit {
            let text = format!("{}/s burst {}", rl.rate, rl.burst);
            line.limits = if line.limits.is_empty() {
                text
            } else {
                format!("{text}; {}", line.limits)
            };
        }
        let what = format!("{} {} of API `{name}`", route.method, route.path);
        let valid = validation::for_route(app, api, route, event, &what, &mut out.warnings);
        line.validation = valid.summary;
        for (path, route_key, suffix) in paths(api, route) {
            let base_id = format!("{name} {} {}{suffix}", route.method, route.path);
            let id = unique_id(&out.config.routes, base_id);
            let route_methods = methods(&route.method);
            let shape = path_shape(&path);
            if let Some(earlier) = out.config.routes.iter().find(|r| {
                path_shape(&r.path) == shape
                    && (r.methods.is_empty()
                        || route_methods.is_empty()
                        || r.methods.iter().any(|m| route_methods.contains(m)))
            }) {
                out.warnings.push(format!(
                    "{what}: route `{}` has the same path: requests both match go to it \
                     (the gateway serves every API on one host)",
                    earlier.id
                ));
            }
            out.config.routes.push(RouteConfig {
                id,
                methods: methods(&route.method),
                path,
                upstream: upstream.clone(),
                authorizers: authorizers.clone(),
                public: authorizers.is_empty(),
                scopes: scopes.clone(),
                rate_limit: rate_limit.clone(),
                cors: cors_name.clone(),
                route_key: Some(route_key),
                schema: valid.schema.clone(),
                ..RouteConfig::default()
            });
        }
        out.table.push(line);
    }
}

/// Gateway paths of an API route: `$default` (HTTP APIs) catches every path, `/` included.
fn paths(api: &Api, route: &Route) -> Vec<(String, String, &'static str)> {
    if route.path == "$default" {
        return vec![
            ("/{proxy+}".into(), "$default".into(), ""),
            ("/".into(), "$default".into(), " (root)"),
        ];
    }
    let path = if route.path.starts_with('/') {
        route.path.clone()
    } else {
        format!("/{}", route.path)
    };
    let key = match api.kind {
        ApiKind::Http => format!("{} {path}", any_method(&route.method)),
        _ => format!("{} {path}", route.method),
    };
    vec![(path, key, "")]
}

fn any_method(m: &str) -> &str {
    if methods(m).is_empty() { "ANY" } else { m }
}

/// `ANY` (and its OpenAPI and Serverless spellings) means every method.
/// The methods of a route: every method for `ANY`; an Azure HTTP trigger's route lists its
/// methods separated by commas (`GET,POST`).
fn methods(m: &str) -> Vec<String> {
    match m.to_ascii_uppercase().as_str() {
        "ANY" | "*" | "X-AMAZON-APIGATEWAY-ANY-METHOD" => Vec::new(),
        other => other
            .split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect(),
    }
}

fn unique_id(routes: &[RouteConfig], base: String) -> String {
    if !routes.iter().any(|r| r.id == base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base} #{n}"))
        .find(|id| !routes.iter().any(|r| &r.id == id))
        .unwrap_or(base)
}

/// The SAM/Serverless event that declared a route, when the route came from one.
fn event_of<'a>(app: &'a App, api: &Api, route: &Route) -> Option<&'a Node> {
    let f = app.function(route.function.as_deref()?)?;
    let want = if api.kind == ApiKind::Http {
        TriggerKind::HttpApi
    } else {
        TriggerKind::Api
    };
    f.triggers
        .iter()
        .filter(|t| t.kind == want)
        .map(|t| &t.properties)
        .find(|p| {
            let path = p.get("Path").and_then(Node::as_str);
            let method = p.get("Method").and_then(Node::as_str);
            path.is_some_and(|x| x == route.path)
                && method.is_none_or(|m| m.eq_ignore_ascii_case(&route.method))
        })
}

/// Payload 2.0 for HTTP APIs unless the route asks for 1.0; payload 1.0 for REST APIs.
fn event_version(api: &Api, event: Option<&Node>) -> EventVersion {
    if api.kind == ApiKind::Rest {
        return EventVersion::V1;
    }
    let asked = event
        .and_then(|e| e.get("PayloadFormatVersion"))
        .or_else(|| api.properties.get("PayloadFormatVersion"))
        .or_else(|| api.properties.get("payload"))
        .and_then(Node::as_str);
    match asked {
        Some("1.0") => EventVersion::V1,
        _ => EventVersion::V2,
    }
}

/// How an authorizer kind reads in warnings.
pub(crate) fn kind_text(k: &AuthKind) -> String {
    match k {
        AuthKind::None => "none".into(),
        AuthKind::Iam => "an IAM (SigV4) authorizer".into(),
        AuthKind::Cognito => "a Cognito authorizer".into(),
        AuthKind::Jwt => "a JWT authorizer".into(),
        AuthKind::Lambda => "a Lambda authorizer".into(),
        AuthKind::Unknown(why) => format!("an authorizer Warden cannot resolve ({why})"),
    }
}

/// A resource id referred to by `Ref X` / `GetAtt X.Y` (or the node's own string).
pub(crate) fn reference(node: &Node) -> Option<String> {
    if let Some(s) = node.as_str() {
        return Some(s.to_string());
    }
    let u = node.as_unknown()?;
    if let Some(r) = &u.resource {
        return Some(r.clone());
    }
    let e = u.expr.as_str();
    e.strip_prefix("Ref ")
        .or_else(|| {
            e.strip_prefix("GetAtt ")
                .map(|t| t.split('.').next().unwrap_or(t))
        })
        .map(str::to_string)
}

/// The entry `key` of a map in any of the spellings formats use (`Issuer`, `issuer`).
pub(crate) fn get_ci<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.entries()
        .iter()
        .find(|(k, _)| k.name.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// Properties of the template resources of a kind that refer to `api` through `field`.
pub(crate) fn resources_for<'a>(
    app: &'a App,
    kind: &'a str,
    field: &'a str,
    api: &'a str,
) -> impl Iterator<Item = &'a Node> + 'a {
    app.resources
        .iter()
        .filter(move |r| r.kind == kind)
        .filter(move |r| {
            r.properties
                .get(field)
                .and_then(reference)
                .is_some_and(|id| id == api)
        })
        .map(|r| &r.properties)
}
