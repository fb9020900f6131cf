//! A read-only view of one resolved `serverless.yml`: the provider block, the functions, the
//! names of the stage and service, and the resource table (declared and generated), with the
//! small helpers every lowering step shares.

use std::collections::HashMap;
use warden_model::{Key, Node, Unknown, Val};
use warden_source::Origin;

/// The resolved configuration and what lowering needs to know about it.
pub struct Service<'a> {
    pub config: &'a Node,
    /// `provider`, or an empty map.
    pub provider: &'a Node,
    /// Function key → definition, in document order.
    pub functions: Vec<(&'a Key, &'a Node)>,
    pub service: Node,
    pub stage: String,
    /// Logical id → CloudFormation type: `resources.Resources` and what the framework generates.
    pub types: HashMap<String, String>,
    /// Origin used for values the framework synthesises for the whole service.
    pub origin: Origin,
}

impl Service<'_> {
    /// A provider-level setting.
    pub fn provider_at(&self, path: &[&str]) -> Option<&Node> {
        self.provider
            .at(path)
            .filter(|n| !matches!(n.val, Val::Null))
    }

    /// The key and value of `name` in the function, else in the provider.
    pub fn inherited<'n>(&'n self, def: &'n Node, name: &str) -> Option<(&'n Key, &'n Node)> {
        def.entry(name)
            .filter(|(_, v)| !matches!(v.val, Val::Null))
            .or_else(|| {
                self.provider
                    .entry(name)
                    .filter(|(_, v)| !matches!(v.val, Val::Null))
            })
    }

    pub fn is_function(&self, key: &str) -> bool {
        self.functions.iter().any(|(k, _)| k.name == key)
    }

    pub fn type_of(&self, id: &str) -> Option<&str> {
        self.types.get(id).map(String::as_str)
    }

    /// The `service` name as text (a partial placeholder when unknown).
    pub fn service_text(&self) -> String {
        match &self.service.val {
            Val::Unknown(u) => u.placeholder(),
            _ => self
                .service
                .as_str()
                .or_else(|| self.service.get("name").and_then(Node::as_str))
                .unwrap_or("service")
                .to_string(),
        }
    }
}

/// The logical id a resolved value refers to (`!Ref X`, `!GetAtt X.Arn`, a `!Sub` embedding one,
/// or a plain logical id), when `accept` takes it.
pub fn referenced(node: &Node, accept: impl Fn(&str) -> bool) -> Option<String> {
    if let Some(s) = node.as_str() {
        return accept(s).then(|| s.to_string());
    }
    let u = node.as_unknown()?;
    if let Some(id) = &u.resource
        && accept(id)
    {
        return Some(id.clone());
    }
    let texts = [u.partial.as_deref().unwrap_or(""), u.expr.as_str()];
    texts
        .iter()
        .flat_map(|t| {
            t.split("{{unknown:")
                .skip(1)
                .filter_map(|c| c.split("}}").next())
                .chain([*t])
        })
        .find_map(|expr| {
            let target = expr
                .strip_prefix("GetAtt ")
                .map(|t| t.split('.').next().unwrap_or(t))
                .or_else(|| expr.strip_prefix("Ref "))?;
            accept(target).then(|| target.to_string())
        })
}

pub fn str_node(s: impl Into<String>, origin: &Origin) -> Node {
    Node::new(Val::Str(s.into()), origin.clone())
}

pub fn list_node(items: Vec<Node>, origin: &Origin) -> Node {
    Node::new(Val::List(items), origin.clone())
}

/// A map from entries; each key takes its value's origin unless given.
pub fn map_node(entries: Vec<(String, Option<Origin>, Node)>, origin: &Origin) -> Node {
    Node::new(
        Val::Map(
            entries
                .into_iter()
                .map(|(name, key_origin, v)| {
                    (
                        Key {
                            name,
                            origin: key_origin.unwrap_or_else(|| v.origin.clone()),
                        },
                        v,
                    )
                })
                .collect(),
        ),
        origin.clone(),
    )
}

/// A string known except for deploy-time parts, written with `{{unknown:…}}` placeholders.
pub fn partial_node(expr: &str, partial: String, origin: &Origin) -> Node {
    if partial.contains("{{unknown:") {
        Node::unknown(
            Unknown::new(expr, "known only at deploy time").with_partial(partial),
            origin.clone(),
        )
    } else {
        str_node(partial, origin)
    }
}

/// Reference JSON (a managed policy, a generated trust policy) as nodes pointing at `origin`.
pub fn json_node(value: &serde_json::Value, origin: &Origin) -> Node {
    use serde_json::Value as J;
    let val = match value {
        J::Null => Val::Null,
        J::Bool(b) => Val::Bool(*b),
        J::Number(n) => Val::Num(n.to_string()),
        J::String(s) => Val::Str(s.clone()),
        J::Array(items) => Val::List(items.iter().map(|i| json_node(i, origin)).collect()),
        J::Object(map) => Val::Map(
            map.iter()
                .map(|(k, v)| {
                    (
                        Key {
                            name: k.clone(),
                            origin: origin.clone(),
                        },
                        json_node(v, origin),
                    )
                })
                .collect(),
        ),
    };
    Node::new(val, origin.clone())
}

/// True for a truthy setting (`true`, `"true"`), false for absent or false.
pub fn truthy(node: Option<&Node>) -> bool {
    node.and_then(Node::as_bool).unwrap_or(false)
}
