//! The models of a REST API (SAM `Models`, `AWS::ApiGateway::Model`, the built-in `Empty` and
//! `Error`) and the body schema of one of them, its references to other models of the API inlined
//! under `definitions`.

use super::super::reference;
use serde_json::{Map, Value, json};
use warden_model::{Api, App, Node};

const DRAFT4: &str = "http://json-schema.org/draft-04/schema#";
/// Where inlined models live in a body schema (`#/definitions/apigw.NAME`).
const INLINED: &str = "apigw.";
/// Models referred to by one body schema, at most (a bound on hostile templates).
const MAX_MODELS: usize = 256;

/// How a method names its model: by name, or by the logical id of its `AWS::ApiGateway::Model`.
#[derive(Debug, Clone)]
pub enum ModelKey {
    Name(String),
    Id(String),
}

/// A model of the API.
pub struct Model {
    pub name: String,
    pub id: Option<String>,
    pub schema: Result<Value, String>,
}

/// The models of an API: SAM `Models`, `AWS::ApiGateway::Model` resources of the API, and API
/// Gateway's built-in `Empty` and `Error` models.
pub fn models_of(app: &App, api: &Api) -> Vec<Model> {
    let cfn: Vec<_> = app
        .resources
        .iter()
        .filter(|r| r.kind == "AWS::ApiGateway::Model")
        .filter(|r| {
            r.properties
                .get("RestApiId")
                .and_then(reference)
                .is_some_and(|id| id == api.id)
        })
        .collect();
    // `Ref Model` is the model's name: what an unknown `$ref` to a model resource resolves to.
    let names: Vec<(String, String)> = cfn
        .iter()
        .map(|r| {
            let name = r
                .properties
                .get("Name")
                .and_then(Node::as_str)
                .unwrap_or(&r.id);
            (r.id.clone(), name.to_string())
        })
        .collect();
    let mut out = Vec::new();
    if let Some(models) = api.properties.get("Models") {
        for (k, v) in models.entries() {
            out.push(Model {
                name: k.name.clone(),
                id: None,
                schema: node_json(v, &names),
            });
        }
    }
    for (r, (id, name)) in cfn.iter().zip(&names) {
        let schema = match r.properties.get("Schema") {
            None => Err("the model has no Schema".to_string()),
            Some(s) => match (s.as_str(), s.as_unknown()) {
                (Some(text), _) => serde_json::from_str(text)
                    .map_err(|e| format!("the model's Schema is not JSON: {e}")),
                // `!Sub '{"$ref": ".../restapis/${Api}/models/${Other}"}'`
                (None, Some(u)) => match u.partial.as_deref().map(|p| model_refs_in(p, &names)) {
                    Some(text) if !text.contains("{{unknown:") => serde_json::from_str(&text)
                        .map_err(|e| format!("the model's Schema is not JSON: {e}")),
                    _ => Err(format!("{} is not known statically", u.expr)),
                },
                _ => node_json(s, &names),
            },
        };
        out.push(Model {
            name: name.clone(),
            id: Some(id.clone()),
            schema,
        });
    }
    for m in builtin_models() {
        if !out.iter().any(|o| o.name == m.name) {
            out.push(m);
        }
    }
    out
}

/// API Gateway's built-in models, `Empty` and `Error`.
pub fn builtin_models() -> Vec<Model> {
    let mut out = Vec::new();
    for (name, schema) in [
        (
            "Empty",
            json!({"$schema": DRAFT4, "title": "Empty Schema", "type": "object"}),
        ),
        (
            "Error",
            json!({"$schema": DRAFT4, "title": "Error Schema", "type": "object",
                   "properties": {"message": {"type": "string"}}}),
        ),
    ] {
        out.push(Model {
            name: name.into(),
            id: None,
            schema: Ok(schema),
        });
    }
    out
}

/// A template value as JSON. An unknown `$ref` (`!Sub .../models/${Item}`) becomes the API
/// Gateway URL of the model it names; any other unknown value is an error.
pub fn node_json(node: &Node, names: &[(String, String)]) -> Result<Value, String> {
    if let Some(u) = node.as_unknown() {
        return Err(format!("{} is not known statically", u.expr));
    }
    Ok(match node.items() {
        items if !items.is_empty() => Value::Array(
            items
                .iter()
                .map(|n| node_json(n, names))
                .collect::<Result<_, _>>()?,
        ),
        _ if node.is_map() => {
            let mut obj = Map::new();
            for (k, v) in node.entries() {
                let value = match (k.name.as_str(), v.as_unknown()) {
                    ("$ref", Some(u)) => Value::String(
                        unknown_model_ref(u, names)
                            .ok_or_else(|| format!("`$ref` {} is not known statically", u.expr))?,
                    ),
                    _ => node_json(v, names)?,
                };
                obj.insert(k.name.clone(), value);
            }
            Value::Object(obj)
        }
        _ => node.to_json(),
    })
}

/// A partially known JSON text: `{{unknown:Ref ID}}` of a model resource becomes the model's
/// name, and the API id of a model URL (`restapis/{{unknown:Ref Api}}/models/`) a `-`.
fn model_refs_in(partial: &str, names: &[(String, String)]) -> String {
    let mut text = partial.to_string();
    for (id, name) in names {
        text = text.replace(&format!("{{{{unknown:Ref {id}}}}}"), name);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("/restapis/{{unknown:") {
        let after = &rest[i + "/restapis/".len()..];
        match after.find("}}/models/") {
            Some(j) => {
                out.push_str(&rest[..i]);
                out.push_str("/restapis/-");
                rest = &after[j + 2..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

/// `!Sub https://apigateway.amazonaws.com/restapis/${Api}/models/${Item}` → the URL of the
/// model `Item` names.
fn unknown_model_ref(u: &warden_model::Unknown, names: &[(String, String)]) -> Option<String> {
    let text = u.partial.as_deref().unwrap_or(&u.expr);
    let tail = &text[text.rfind("/models/")? + "/models/".len()..];
    let name = if tail.contains("unknown:") || tail.contains("${") || tail.starts_with('{') {
        let id = tail
            .trim_start_matches('{')
            .trim_start_matches("unknown:")
            .trim_start_matches("${")
            .trim_start_matches("Ref ")
            .trim_end_matches('}');
        names.iter().find(|(i, _)| i == id)?.1.clone()
    } else {
        tail.to_string()
    };
    Some(format!(
        "https://apigateway.amazonaws.com/restapis/-/models/{name}"
    ))
}

pub fn find<'m>(models: &'m [Model], key: &ModelKey) -> Option<&'m Model> {
    match key {
        ModelKey::Id(id) => models
            .iter()
            .find(|m| m.id.as_deref() == Some(id))
            .or_else(|| models.iter().find(|m| &m.name == id)),
        ModelKey::Name(n) => models
            .iter()
            .find(|m| &m.name == n)
            .or_else(|| models.iter().find(|m| m.name.eq_ignore_ascii_case(n))),
    }
}

/// The body schema of a model, its references to other models inlined.
pub fn body_schema(models: &[Model], root: &Model) -> Result<Value, String> {
    let mut schema = root.schema.clone()?;
    let mut queue = Vec::new();
    rewrite_refs(&mut schema, models, &mut queue)?;
    let mut defs = Map::new();
    while let Some(name) = queue.pop() {
        let key = format!("{INLINED}{name}");
        if defs.contains_key(&key) {
            continue;
        }
        if defs.len() >= MAX_MODELS {
            return Err("too many model references".into());
        }
        let model = find(models, &ModelKey::Name(name.clone())).ok_or("unreachable model")?;
        let mut s = model
            .schema
            .clone()
            .map_err(|e| format!("model `{name}`: {e}"))?;
        if let Value::Object(o) = &mut s {
            o.remove("$schema");
        }
        rewrite_refs(&mut s, models, &mut queue)?;
        defs.insert(key, s);
    }
    let Value::Object(obj) = &mut schema else {
        return Err("the model's schema is not an object".into());
    };
    obj.entry("$schema")
        .or_insert_with(|| Value::String(DRAFT4.into()));
    if !defs.is_empty() {
        match obj
            .entry("definitions")
            .or_insert_with(|| Value::Object(Map::new()))
        {
            Value::Object(d) => d.extend(defs),
            _ => return Err("the model's `definitions` is not an object".into()),
        }
    }
    Ok(schema)
}

/// Rewrites every `$ref` to a model of the API to `#/definitions/apigw.NAME` (queuing NAME);
/// local pointers stay; anything else is an error.
fn rewrite_refs(v: &mut Value, models: &[Model], queue: &mut Vec<String>) -> Result<(), String> {
    match v {
        Value::Object(obj) => {
            if let Some(Value::String(r)) = obj.get_mut("$ref") {
                let named = r
                    .strip_prefix("#/definitions/")
                    .or_else(|| r.strip_prefix("#/components/schemas/"))
                    .or_else(|| {
                        r.strip_prefix("https://apigateway.amazonaws.com/restapis/")
                            .and_then(|t| t.rsplit_once("/models/"))
                            .map(|(_, name)| name)
                    });
                match named.and_then(|n| find(models, &ModelKey::Name(n.to_string()))) {
                    Some(m) => {
                        let ok = m
                            .name
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                        if !ok {
                            return Err(format!("model name `{}` cannot be referenced", m.name));
                        }
                        *r = format!("#/definitions/{INLINED}{}", m.name);
                        queue.push(m.name.clone());
                    }
                    None if r.starts_with("#/definitions/") || r.starts_with("#/properties/") => {}
                    None if r.starts_with("https://apigateway.amazonaws.com/") => {
                        return Err(format!("`$ref` {r}: no such model in the template"));
                    }
                    None => {
                        return Err(format!(
                            "`$ref` {r} cannot be resolved (remote references are disabled)"
                        ));
                    }
                }
            }
            for (_, child) in obj.iter_mut() {
                rewrite_refs(child, models, queue)?;
            }
        }
        Value::Array(items) => {
            for child in items {
                rewrite_refs(child, models, queue)?;
            }
        }
        _ => {}
    }
    Ok(())
}
