//! Request validation declared in an API's OpenAPI definition (`DefinitionBody`, `Body`): the
//! operation's `x-amazon-apigateway-request-validator` (or the document's default) among the
//! document's `x-amazon-apigateway-request-validators`, Swagger 2 `body`, `query`, `header` and
//! `path` parameters (the body's content types from `consumes`), OpenAPI 3 `requestBody` and
//! parameters; models are the document's `definitions` or `components.schemas`, and an inline
//! body schema is a model of its own, as API Gateway imports them.

use super::{Model, ModelKey, Spec, builtin_models, node_json, parameter};
use warden_model::{Api, Node, Route};

const VALIDATOR: &str = "x-amazon-apigateway-request-validator";
const VALIDATORS: &str = "x-amazon-apigateway-request-validators";

fn document(api: &Api) -> Option<&Node> {
    api.properties
        .get("DefinitionBody")
        .or_else(|| api.properties.get("Body"))
}

/// The OpenAPI operation a route came from.
fn operation<'a>(doc: &'a Node, route: &Route) -> Option<(&'a Node, &'a Node)> {
    let item = doc.get("paths")?.get(&route.path)?;
    let op = item
        .entries()
        .iter()
        .find(|(k, _)| k.origin == route.origin)
        .map(|(_, v)| v)?;
    Some((item, op))
}

/// True when the route's OpenAPI operation names a request validator.
pub fn declares(api: &Api, route: &Route) -> bool {
    document(api)
        .and_then(|doc| {
            let (_, op) = operation(doc, route)?;
            op.get(VALIDATOR).or_else(|| doc.get(VALIDATOR))
        })
        .is_some()
}

/// `{"$ref": "#/parameters/X"}` → the document's parameter `X` (one level).
fn deref<'a>(doc: &'a Node, node: &'a Node, kinds: &[&str]) -> &'a Node {
    let Some(r) = node.get("$ref").and_then(Node::as_str) else {
        return node;
    };
    let Some(path) = r.strip_prefix("#/") else {
        return node;
    };
    let parts: Vec<&str> = path.split('/').collect();
    if parts.len() < 2 || !kinds.contains(&parts[..parts.len() - 1].join("/").as_str()) {
        return node;
    }
    doc.at(&parts).unwrap_or(node)
}

/// The model a body schema names (`$ref` to a definition), or a new model for an inline schema.
fn model_for(schema: &Node, models: &mut Vec<Model>) -> ModelKey {
    let named = schema.get("$ref").and_then(Node::as_str).and_then(|r| {
        r.strip_prefix("#/definitions/")
            .or_else(|| r.strip_prefix("#/components/schemas/"))
    });
    if let Some(name) = named.filter(|_| schema.entries().len() == 1) {
        return ModelKey::Name(name.to_string());
    }
    let name = format!("inline-{}", models.len());
    models.push(Model {
        name: name.clone(),
        id: None,
        schema: node_json(schema, &[]),
    });
    ModelKey::Name(name)
}

/// The validation spec of an OpenAPI route and the document's models, when it has a validator.
pub fn spec(
    api: &Api,
    route: &Route,
    what: &str,
    warnings: &mut Vec<String>,
) -> Option<(Spec, Vec<Model>)> {
    let doc = document(api)?;
    let (item, op) = operation(doc, route)?;
    let name = op.get(VALIDATOR).or_else(|| doc.get(VALIDATOR))?;
    let Some(v) = name
        .as_str()
        .and_then(|n| doc.get(VALIDATORS).and_then(|vs| vs.get(n)))
    else {
        warnings.push(format!(
            "{what}: its request validator is not declared in {VALIDATORS}; requests are NOT \
             validated"
        ));
        return None;
    };
    let flag = |key: &str| v.get(key).and_then(Node::as_bool).unwrap_or(false);
    let mut spec = Spec {
        validate_body: flag("validateRequestBody"),
        validate_params: flag("validateRequestParameters"),
        ..Spec::default()
    };
    let mut models: Vec<Model> = doc
        .get("definitions")
        .or_else(|| doc.at(&["components", "schemas"]))
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(k, s)| Model {
            name: k.name.clone(),
            id: None,
            schema: node_json(s, &[]),
        })
        .collect();
    let params = item.get("parameters").map(Node::items).unwrap_or_default();
    let op_params = op.get("parameters").map(Node::items).unwrap_or_default();
    for p in params.iter().chain(op_params) {
        let p = deref(doc, p, &["parameters", "components/parameters"]);
        let Some(pname) = p.get("name").and_then(Node::as_str) else {
            continue;
        };
        let required = p.get("required").and_then(Node::as_bool).unwrap_or(false);
        match p.get("in").and_then(Node::as_str) {
            Some("body") => {
                let Some(schema) = p.get("schema") else {
                    continue;
                };
                let key = model_for(schema, &mut models);
                let consumes = op.get("consumes").or_else(|| doc.get("consumes"));
                let types: Vec<String> = consumes
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(Node::as_str)
                    .map(str::to_string)
                    .collect();
                if types.is_empty() {
                    spec.models.push(("application/json".into(), key));
                } else {
                    for t in types {
                        spec.models.push((t, key.clone()));
                    }
                }
            }
            Some(loc @ ("query" | "header" | "path")) if required => {
                let loc = if loc == "query" { "querystring" } else { loc };
                if let Some(p) = parameter(&format!("method.request.{loc}.{pname}")) {
                    spec.required.push(p);
                }
            }
            _ => {}
        }
    }
    if let Some(rb) = op.get("requestBody") {
        let rb = deref(doc, rb, &["components/requestBodies"]);
        for (ct, media) in rb.get("content").map(Node::entries).unwrap_or_default() {
            if let Some(schema) = media.get("schema") {
                let key = model_for(schema, &mut models);
                spec.models.push((ct.name.clone(), key));
            }
        }
    }
    models.extend(builtin_models());
    Some((spec, models))
}
