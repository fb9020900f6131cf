//! Request validation of Serverless Framework `http` events, as the Framework (v3) compiles it:
//! `request.schemas` (`{content type: schema}`, the schema an inline JSON Schema, a
//! `${file(...)}` the loader resolved, JSON text, a `{name, schema, description}` map, or the key
//! of a model of `provider.apiGateway.request.schemas`; v2's `request.schema` when `schemas` is
//! absent) and `request.parameters` (`querystrings`, `headers`, `paths`: `name: true` is
//! required, `{required, mappedValue}` is required unless `required: false`). The Framework adds
//! a validator of both body and parameters to a method as soon as it has a schema or a required
//! parameter; without either nothing is validated.

use super::models::{Model, ModelKey, builtin_models, models_of, node_json};
use super::{Spec, parameter};
use serde_json::Value;
use warden_model::{Api, App, Format, Node, Route, TriggerKind, Val};

/// The `http`/`httpApi` event of a Serverless Framework app that declared `route`.
pub fn event<'a>(app: &'a App, route: &Route) -> Option<&'a Node> {
    if app.format != Format::ServerlessFramework {
        return None;
    }
    app.function(route.function.as_deref()?)?
        .triggers
        .iter()
        .filter(|t| matches!(t.kind, TriggerKind::Api | TriggerKind::HttpApi))
        .find(|t| t.origin == route.origin)
        .map(|t| &t.properties)
}

/// True when the event asks for request validation (`request.schemas`, `schema`, `parameters`).
pub fn declares(ev: &Node) -> bool {
    ev.get("request").is_some_and(|r| {
        ["schemas", "schema", "parameters"]
            .iter()
            .any(|k| r.get(k).is_some())
    })
}

/// The validation spec of an `http` event and the models it can use, when the Framework would
/// give its method a validator.
pub fn spec(
    app: &App,
    api: &Api,
    ev: &Node,
    what: &str,
    warnings: &mut Vec<String>,
) -> Option<(Spec, Vec<Model>)> {
    let request = ev.get("request")?;
    let mut spec = Spec {
        validate_body: true,
        validate_params: true,
        ..Spec::default()
    };
    if let Some(params) = request.get("parameters") {
        for (plural, loc) in [
            ("querystrings", "querystring"),
            ("headers", "header"),
            ("paths", "path"),
        ] {
            for (name, value) in params.get(plural).map(Node::entries).unwrap_or_default() {
                match required(value) {
                    Ok(false) => {}
                    Ok(true) => match parameter(&format!("method.request.{loc}.{}", name.name)) {
                        Some(p) => spec.required.push(p),
                        None => warnings.push(format!(
                            "{what}: request parameter `{}` not understood",
                            name.name
                        )),
                    },
                    Err(why) => warnings.push(format!(
                        "{what}: whether the {loc} parameter `{}` is required {why}; it is NOT \
                         validated",
                        name.name
                    )),
                }
            }
        }
    }
    let mut models = models_of(app, api);
    let provider = api.properties.at(&["request", "schemas"]);
    for (key, def) in provider.map(Node::entries).unwrap_or_default() {
        // `{name, schema, description}`, or the schema itself.
        let schema = def.get("schema").filter(|s| truthy(s)).unwrap_or(def);
        models.push(Model {
            name: key.name.clone(),
            id: None,
            schema: schema_json(schema),
        });
    }
    // `null` is absent, as for the Framework.
    let present = |k: &str| request.get(k).filter(|n| n.val != Val::Null);
    let (field, schemas) = match present("schemas") {
        Some(s) => ("schemas", Some(s)),
        None => ("schema", present("schema")),
    };
    if let Some(schemas) = schemas {
        if !schemas.is_map() {
            warnings.push(format!(
                "{what}: `request.{field}` is not a map of content types to schemas; the \
                 request body is NOT validated"
            ));
        }
        for (ct, config) in schemas.entries() {
            let provider_model = config
                .as_str()
                .filter(|_| field == "schemas")
                .filter(|k| provider.and_then(|p| p.get(k)).is_some());
            let key = match provider_model {
                Some(k) => ModelKey::Name(k.to_string()),
                None => {
                    let schema = match config.get("schema") {
                        Some(s) if field == "schemas" && truthy(s) => s,
                        _ => config,
                    };
                    // Spaces keep this name apart from every model a `$ref` can name.
                    let name = format!("{} schema of {what}", ct.name);
                    models.push(Model {
                        name: name.clone(),
                        id: None,
                        schema: schema_json(schema),
                    });
                    ModelKey::Name(name)
                }
            };
            spec.models.push((ct.name.clone(), key));
        }
    }
    if spec.models.is_empty() && spec.required.is_empty() {
        return None;
    }
    models.extend(builtin_models());
    Some((spec, models))
}

/// `name: true`, or `{required: BOOL, mappedValue}` (required when `required` is absent): the
/// value the Framework writes to the method's `RequestParameters`, read as CloudFormation does.
fn required(value: &Node) -> Result<bool, &'static str> {
    let v = if value.is_map() {
        match value.get("required") {
            None => return Ok(true),
            Some(r) => r,
        }
    } else {
        value
    };
    match (&v.val, v.as_bool()) {
        (_, Some(b)) => Ok(b),
        (Val::Null, _) => Ok(false),
        (Val::Unknown(_), _) => Err("is not known statically"),
        _ => Err("is not a boolean"),
    }
}

/// JavaScript truthiness of a resolved value, as the Framework tests these fields.
fn truthy(n: &Node) -> bool {
    match &n.val {
        Val::Null => false,
        Val::Bool(b) => *b,
        Val::Num(s) => s.parse::<f64>().is_ok_and(|x| x != 0.0 && !x.is_nan()),
        Val::Str(s) => !s.is_empty(),
        Val::List(_) | Val::Map(_) | Val::Unknown(_) => true,
    }
}

/// A schema as JSON: a map as written (or read from `${file(...)}`), a string as JSON text.
fn schema_json(node: &Node) -> Result<Value, String> {
    match node.as_str() {
        Some(text) if !node.is_unknown() => serde_json::from_str(text).map_err(|_| {
            let shown: String = text.chars().take(60).collect();
            format!(
                "its schema `{shown}` is neither a model of provider.apiGateway.request.schemas \
                 nor JSON text"
            )
        }),
        _ => node_json(node, &[]),
    }
}
