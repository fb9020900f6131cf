//! `resources` (a map, or a list of maps from `${file(…)}`): `Resources`, `Conditions`,
//! `Mappings` and `Outputs` lowered by the CloudFormation code, in a synthetic template that also
//! declares what the framework generates (functions, roles, APIs, buckets, topics) so that
//! `!GetAtt HelloLambdaFunction.Arn` or `!Ref ApiGatewayRestApi` resolve. After lowering, those
//! placeholders are dropped and what `resources` attached to them (permissions, URLs, event source
//! mappings, API Gateway methods and authorizers) is moved onto the framework's functions and APIs.

use super::naming;
use super::service::{map_node, str_node};
use std::collections::HashMap;
use warden_model::{Api, App, Key, Node, Val};
use warden_source::Origin;

/// Generated logical id → what it stands for in the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder {
    /// A function, by its key in `functions`.
    Function(String),
    Role,
    RestApi,
    HttpApi,
    Other,
}

/// The synthetic template and the placeholders it declares.
pub struct Synthetic {
    pub template: Node,
    pub placeholders: HashMap<String, Placeholder>,
    /// Logical id → type, declared and generated.
    pub types: HashMap<String, String>,
}

/// `resources` sections merged into one map per section (`Resources`, `Conditions`, …).
fn sections(resources: Option<&Node>) -> Vec<(String, Vec<(Key, Node)>)> {
    let mut out: Vec<(String, Vec<(Key, Node)>)> = Vec::new();
    let blocks: Vec<&Node> = match resources {
        Some(r) if matches!(r.val, Val::List(_)) => r.items().iter().collect(),
        Some(r) => vec![r],
        None => Vec::new(),
    };
    for block in blocks {
        for (section, body) in block.entries() {
            if !matches!(
                section.name.as_str(),
                "Resources" | "Conditions" | "Mappings" | "Outputs"
            ) {
                continue;
            }
            let slot = match out.iter().position(|(n, _)| *n == section.name) {
                Some(i) => i,
                None => {
                    out.push((section.name.clone(), Vec::new()));
                    out.len() - 1
                }
            };
            for (k, v) in body.entries() {
                let entries = &mut out[slot].1;
                match entries.iter_mut().find(|(ek, _)| ek.name == k.name) {
                    Some(existing) => existing.1 = v.clone(),
                    None => entries.push((k.clone(), v.clone())),
                }
            }
        }
    }
    out
}

/// Builds the template from `resources` and the ids the framework generates.
pub fn synthetic(
    resources: Option<&Node>,
    generated: &[(String, &str, Placeholder)],
    origin: &Origin,
) -> Synthetic {
    let mut sections = sections(resources);
    let mut types = HashMap::new();
    let mut placeholders = HashMap::new();
    let slot = match sections.iter().position(|(n, _)| n == "Resources") {
        Some(i) => i,
        None => {
            sections.push(("Resources".into(), Vec::new()));
            sections.len() - 1
        }
    };
    for (k, v) in &sections[slot].1 {
        let ty = v.get("Type").and_then(Node::as_str).unwrap_or("");
        types.insert(k.name.clone(), ty.to_string());
    }
    for (id, ty, what) in generated {
        if types.contains_key(id) {
            continue; // declared (or overridden) in `resources`: the declaration is lowered as is
        }
        types.insert(id.clone(), (*ty).to_string());
        placeholders.insert(id.clone(), what.clone());
        let decl = map_node(vec![("Type".into(), None, str_node(*ty, origin))], origin);
        sections[slot].1.push((
            Key {
                name: id.clone(),
                origin: origin.clone(),
            },
            decl,
        ));
    }
    let template = Node::new(
        Val::Map(
            sections
                .into_iter()
                .map(|(name, entries)| {
                    (
                        Key {
                            name,
                            origin: origin.clone(),
                        },
                        Node::new(Val::Map(entries), origin.clone()),
                    )
                })
                .collect(),
        ),
        origin.clone(),
    );
    Synthetic {
        template,
        placeholders,
        types,
    }
}

/// Merges the app lowered from the synthetic template into the service's app.
pub fn merge(app: &mut App, lowered: App, placeholders: &HashMap<String, Placeholder>) {
    let function_of = |id: &str| match placeholders.get(id) {
        Some(Placeholder::Function(key)) => Some(key.clone()),
        _ => None,
    };
    let remap = |f: &mut Option<String>| {
        if let Some(key) = f.as_deref().and_then(function_of) {
            *f = Some(key);
        }
    };
    for func in lowered.functions {
        match function_of(&func.id) {
            Some(key) => {
                if let Some(target) = app.functions.iter_mut().find(|f| f.id == key) {
                    for t in func.triggers {
                        if !target.triggers.iter().any(|x| x.origin == t.origin) {
                            target.triggers.push(t);
                        }
                    }
                    if target.url.is_none() {
                        target.url = func.url;
                    }
                }
            }
            None if placeholders.contains_key(&func.id) => {}
            None => app.functions.push(func),
        }
    }
    for role in lowered.roles {
        if placeholders.contains_key(&role.id) {
            continue;
        }
        // `resources` overriding a generated role (`IamRoleLambdaExecution`): the framework merges
        // the declaration into the role it generates.
        match app.roles.iter_mut().find(|r| r.id == role.id) {
            Some(existing) => {
                existing.policies.extend(role.policies);
                if existing.permissions_boundary.is_none() {
                    existing.permissions_boundary = role.permissions_boundary;
                }
            }
            None => app.roles.push(role),
        }
    }
    for mut p in lowered.permissions {
        remap(&mut p.function);
        app.permissions.push(p);
    }
    for mut api in lowered.apis {
        for route in &mut api.routes {
            remap(&mut route.function);
        }
        let target = match placeholders.get(&api.id) {
            Some(Placeholder::RestApi | Placeholder::HttpApi) => Some(api.id.clone()),
            Some(_) => continue,
            None => None,
        };
        match target.and_then(|id| app.apis.iter_mut().find(|a| a.id == id)) {
            Some(existing) => absorb(existing, api),
            None if placeholders.contains_key(&api.id) => {
                // Only `resources` routes on a framework API that no event created.
                if !api.routes.is_empty() || !api.authorizers.is_empty() {
                    api.implicit = true;
                    app.apis.push(api);
                }
            }
            None => app.apis.push(api),
        }
    }
    app.resources.extend(
        lowered
            .resources
            .into_iter()
            .filter(|r| !placeholders.contains_key(&r.id)),
    );
    app.suppressions.extend(lowered.suppressions);
}

/// Routes, authorizers and stage settings declared in `resources` for a framework API.
fn absorb(api: &mut Api, from: Api) {
    api.routes.extend(from.routes);
    for (name, a) in from.authorizers {
        api.authorizers.entry(name).or_insert(a);
    }
    if api.throttling.is_none() {
        api.throttling = from.throttling;
    }
    if api.access_log.is_none() {
        api.access_log = from.access_log;
    }
}

/// The ids the framework generates for the service's functions and APIs.
pub fn generated_ids(function_keys: &[String]) -> Vec<(String, &'static str, Placeholder)> {
    let mut out = Vec::new();
    for key in function_keys {
        out.push((
            naming::function(key),
            "AWS::Lambda::Function",
            Placeholder::Function(key.clone()),
        ));
        out.push((
            naming::function_role(key),
            "AWS::IAM::Role",
            Placeholder::Role,
        ));
        out.push((
            naming::function_url(key),
            "AWS::Lambda::Url",
            Placeholder::Other,
        ));
        out.push((
            naming::log_group(key),
            "AWS::Logs::LogGroup",
            Placeholder::Other,
        ));
    }
    out.push((
        naming::SERVICE_ROLE.into(),
        "AWS::IAM::Role",
        Placeholder::Role,
    ));
    out.push((
        naming::REST_API.into(),
        "AWS::ApiGateway::RestApi",
        Placeholder::RestApi,
    ));
    out.push((
        naming::HTTP_API.into(),
        "AWS::ApiGatewayV2::Api",
        Placeholder::HttpApi,
    ));
    out.push((
        naming::WEBSOCKET_API.into(),
        "AWS::ApiGatewayV2::Api",
        Placeholder::Other,
    ));
    out.push((
        "ServerlessDeploymentBucket".into(),
        "AWS::S3::Bucket",
        Placeholder::Other,
    ));
    out
}
