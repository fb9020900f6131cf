//! Request validation of derived REST API routes, as API Gateway validates before it invokes the
//! function: SAM `RequestModel` and `RequestParameters` of `Api` events (models from the API's
//! `Models`), CloudFormation `AWS::ApiGateway::Method` `RequestModels` and `RequestParameters`
//! with the `AWS::ApiGateway::RequestValidator` its `RequestValidatorId` names (models from
//! `AWS::ApiGateway::Model`), Serverless Framework `http` events' `request` ([`serverless`]).
//! Only what the validator asks for is checked, as in API Gateway.
//!
//! Models are JSON Schema draft 4 ([`models`]: a `$ref` to another model of the same API is
//! inlined; any other reference leaves the route's body unvalidated, with a warning that says
//! so). OpenAPI definitions: see [`openapi`]. HTTP APIs have no request validation: a template
//! that asks for it gets a warning.

mod models;
mod openapi;
mod serverless;

use super::{get_ci, reference};
use models::{Model, ModelKey, body_schema, builtin_models, find, models_of, node_json};
use serde_json::json;
use warden_gateway::config::SchemaConfig;
use warden_model::{Api, ApiKind, App, Node, Route};

/// What a route's validator checks, read from the template.
#[derive(Debug, Default)]
struct Spec {
    validate_body: bool,
    validate_params: bool,
    /// (content type, model) pairs of the method.
    models: Vec<(String, ModelKey)>,
    /// (location, name) of the required parameters (`querystring`, `header`, `path`).
    required: Vec<(String, String)>,
}

/// The validation of one route: the gateway schema (if anything is validated) and a summary for
/// the route table.
#[derive(Debug, Default)]
pub struct Outcome {
    pub schema: Option<SchemaConfig>,
    pub summary: String,
}

/// The validation of `route`; `what` names the route in warnings.
pub fn for_route(
    app: &App,
    api: &Api,
    route: &Route,
    event: Option<&Node>,
    what: &str,
    warnings: &mut Vec<String>,
) -> Outcome {
    let method = app
        .resources
        .iter()
        .find(|r| r.origin == route.origin && r.kind.starts_with("AWS::ApiGateway"))
        .map(|r| &r.properties);
    let sam =
        event.filter(|e| e.get("RequestModel").is_some() || e.get("RequestParameters").is_some());
    let sls = serverless::event(app, route);
    if api.kind != ApiKind::Rest {
        let asks = sam.is_some()
            || sls.is_some_and(serverless::declares)
            || openapi::declares(api, route)
            || method.is_some_and(|m| {
                m.get("RequestModels").is_some() || m.get("RequestParameters").is_some()
            });
        if asks {
            warnings.push(format!(
                "{what}: request models/parameters are ignored: HTTP APIs do not validate \
                 requests (in AWS either); requests are NOT validated"
            ));
        }
        return Outcome::default();
    }
    let spec = match (sls, sam, method) {
        (Some(ev), _, _) => serverless::spec(app, api, ev, what, warnings),
        (None, Some(ev), _) => sam_spec(ev, what, warnings).map(|s| (s, models_of(app, api))),
        (None, None, Some(m)) => cfn_spec(app, m, what, warnings).map(|s| (s, models_of(app, api))),
        (None, None, None) => openapi::spec(api, route, what, warnings),
    };
    match spec {
        Some((spec, models)) => build(&spec, &models, route, what, warnings),
        None => Outcome::default(),
    }
}

/// `method.request.querystring.q` → (`querystring`, `q`).
fn parameter(name: &str) -> Option<(String, String)> {
    let rest = name.strip_prefix("method.request.")?;
    let (loc, param) = rest.split_once('.')?;
    let loc = match loc {
        "querystring" | "multivaluequerystring" => "querystring",
        "header" | "multivalueheader" => "header",
        "path" => "path",
        _ => return None,
    };
    (!param.is_empty()).then(|| (loc.to_string(), param.to_string()))
}

/// SAM: `RequestModel: {Model, ValidateBody, ValidateParameters}`; SAM adds a validator only
/// when `ValidateBody` or `ValidateParameters` is given, the other one then defaulting to false.
fn sam_spec(ev: &Node, what: &str, warnings: &mut Vec<String>) -> Option<Spec> {
    let mut spec = Spec::default();
    let rm = ev.get("RequestModel");
    let flag = |key: &str| rm.and_then(|m| m.get(key));
    let (body, params) = (flag("ValidateBody"), flag("ValidateParameters"));
    if body.is_none() && params.is_none() {
        if rm.is_some() {
            warnings.push(format!(
                "{what}: RequestModel without ValidateBody or ValidateParameters: API Gateway \
                 does not validate this route's requests, nor does the gateway"
            ));
        }
        return None;
    }
    for (node, slot) in [
        (body, &mut spec.validate_body),
        (params, &mut spec.validate_params),
    ] {
        match node.map(Node::as_bool) {
            None => {}
            Some(Some(b)) => *slot = b,
            Some(None) => {
                warnings.push(format!(
                    "{what}: ValidateBody/ValidateParameters must be booleans; requests are NOT \
                     validated"
                ));
                return None;
            }
        }
    }
    if let Some(name) = rm.and_then(|m| m.get("Model")).and_then(Node::as_str) {
        spec.models
            .push(("application/json".into(), ModelKey::Name(name.to_string())));
    }
    for p in ev
        .get("RequestParameters")
        .map(Node::items)
        .unwrap_or_default()
    {
        let (name, required) = match p.as_str() {
            Some(name) => (name, false),
            None => match p.entries().first() {
                Some((k, v)) => (
                    k.name.as_str(),
                    get_ci(v, "Required")
                        .and_then(Node::as_bool)
                        .unwrap_or(false),
                ),
                None => continue,
            },
        };
        match parameter(name) {
            Some(loc_name) if required => spec.required.push(loc_name),
            Some(_) => {}
            None => warnings.push(format!("{what}: request parameter `{name}` not understood")),
        }
    }
    Some(spec)
}

/// CloudFormation: the method's validator, models and parameters.
fn cfn_spec(app: &App, method: &Node, what: &str, warnings: &mut Vec<String>) -> Option<Spec> {
    let validator = method.get("RequestValidatorId")?;
    let Some(v) = reference(validator).and_then(|id| {
        app.resources
            .iter()
            .find(|r| r.id == id && r.kind == "AWS::ApiGateway::RequestValidator")
    }) else {
        warnings.push(format!(
            "{what}: its RequestValidatorId is not a validator of this template; requests are \
             NOT validated"
        ));
        return None;
    };
    let flag = |key: &str| {
        v.properties
            .get(key)
            .and_then(Node::as_bool)
            .unwrap_or(false)
    };
    let mut spec = Spec {
        validate_body: flag("ValidateRequestBody"),
        validate_params: flag("ValidateRequestParameters"),
        ..Spec::default()
    };
    if let Some(models) = method.get("RequestModels") {
        for (ct, m) in models.entries() {
            let key = match m.as_unknown() {
                Some(_) => reference(m).map(ModelKey::Id),
                None => m.as_str().map(|s| ModelKey::Name(s.to_string())),
            };
            match key {
                Some(k) => spec.models.push((ct.name.clone(), k)),
                None => warnings.push(format!(
                    "{what}: the model for `{}` is not known statically",
                    ct.name
                )),
            }
        }
    }
    if let Some(params) = method.get("RequestParameters") {
        for (name, required) in params.entries() {
            match parameter(&name.name) {
                Some(p) if required.as_bool() == Some(true) => spec.required.push(p),
                Some(_) => {}
                None => warnings.push(format!(
                    "{what}: request parameter `{}` not understood",
                    name.name
                )),
            }
        }
    }
    Some(spec)
}

/// The gateway schema of a spec.
fn build(
    spec: &Spec,
    models: &[Model],
    route: &Route,
    what: &str,
    warnings: &mut Vec<String>,
) -> Outcome {
    let mut cfg = SchemaConfig::default();
    let mut summary = Vec::new();
    if spec.validate_body && !spec.models.is_empty() {
        let chosen = spec
            .models
            .iter()
            .find(|(ct, _)| ct.eq_ignore_ascii_case("application/json"))
            .or_else(|| spec.models.iter().find(|(ct, _)| ct == "$default"))
            .unwrap_or(&spec.models[0]);
        let schema = match find(models, &chosen.1) {
            None => Err(format!("model {:?} is not in the template", chosen.1)),
            Some(m) => body_schema(models, m).and_then(|s| {
                let probe = SchemaConfig {
                    body: Some(s.clone()),
                    ..SchemaConfig::default()
                };
                warden_gateway::schema::RouteSchema::compile(&probe).map(|_| s)
            }),
        };
        match schema {
            Err(e) => warnings.push(format!("{what}: {e}; the request body is NOT validated")),
            Ok(s) => {
                let same = |k: &ModelKey| {
                    find(models, k).map(|m| &m.name) == find(models, &chosen.1).map(|m| &m.name)
                };
                let (mine, others): (Vec<_>, Vec<_>) =
                    spec.models.iter().partition(|(_, k)| same(k));
                if !mine.iter().any(|(ct, _)| ct == "$default") {
                    cfg.content_types =
                        mine.iter().map(|(ct, _)| ct.to_ascii_lowercase()).collect();
                }
                if !others.is_empty() {
                    let list: Vec<_> = others.iter().map(|(ct, _)| ct.as_str()).collect();
                    warnings.push(format!(
                        "{what}: one body model per route: bodies of type {} are refused with \
                         415 instead of being validated against their own model",
                        list.join(", ")
                    ));
                }
                summary.push(if cfg.content_types.is_empty() {
                    "body".to_string()
                } else {
                    format!("body ({})", cfg.content_types.join(", "))
                });
                cfg.body = Some(s);
            }
        }
    }
    if spec.validate_params {
        let names = |loc: &str, lower: bool| -> Vec<String> {
            let mut v: Vec<String> = spec
                .required
                .iter()
                .filter(|(l, _)| l == loc)
                .map(|(_, n)| {
                    if lower {
                        n.to_ascii_lowercase()
                    } else {
                        n.clone()
                    }
                })
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let query = names("querystring", false);
        if !query.is_empty() {
            summary.push(format!("query {}", query.join(", ")));
            cfg.query = Some(json!({"type": "object", "required": query}));
        }
        let headers = names("header", true);
        if !headers.is_empty() {
            summary.push(format!("headers {}", headers.join(", ")));
            cfg.headers = Some(json!({"type": "object", "required": headers}));
        }
        // Required path parameters are implied by the route; one its path lacks never arrives.
        let missing: Vec<String> = names("path", false)
            .into_iter()
            .filter(|p| {
                !route.path.contains(&format!("{{{p}}}"))
                    && !route.path.contains(&format!("{{{p}+}}"))
            })
            .collect();
        if !missing.is_empty() {
            warnings.push(format!(
                "{what}: required path parameter(s) {} not in the path; every request is refused",
                missing.join(", ")
            ));
            summary.push(format!("path {}", missing.join(", ")));
            cfg.path = Some(json!({"type": "object", "required": missing}));
        }
    }
    if cfg.body.is_none() && cfg.query.is_none() && cfg.headers.is_none() && cfg.path.is_none() {
        return Outcome::default();
    }
    Outcome {
        schema: Some(cfg),
        summary: summary.join(", "),
    }
}
