//! Building CloudFormation-shaped property maps from evaluated Terraform bodies: copying an
//! attribute under its CloudFormation name (keeping the Terraform key's origin), reading nested
//! blocks, renaming the keys of a block, and turning a policy given as JSON text into a document.

use crate::terraform::values::{json_to_node, key, list, map};
use warden_model::{Key, Node, Unknown, Val};
use warden_source::Origin;

/// A CloudFormation `Properties` map under construction.
#[derive(Debug, Clone)]
pub struct Props {
    pub entries: Vec<(Key, Node)>,
    pub origin: Origin,
}

impl Props {
    pub fn new(origin: &Origin) -> Self {
        Self {
            entries: Vec::new(),
            origin: origin.clone(),
        }
    }

    /// Copies `tf` from `body` as `cfn` when present and not null; true when copied.
    pub fn copy(&mut self, body: &Node, tf: &str, cfn: &str) -> bool {
        match body.entry(tf) {
            Some((k, v)) if !is_null(v) => {
                self.put(cfn, &k.origin, v.clone());
                true
            }
            _ => false,
        }
    }

    /// Copies several attributes: `(terraform, cloudformation)` pairs.
    pub fn copy_all(&mut self, body: &Node, pairs: &[(&str, &str)]) {
        for (tf, cfn) in pairs {
            self.copy(body, tf, cfn);
        }
    }

    /// Sets `cfn` (replacing an earlier value).
    pub fn put(&mut self, cfn: &str, key_origin: &Origin, value: Node) {
        self.entries.retain(|(k, _)| k.name != cfn);
        self.entries.push((key(cfn, key_origin), value));
    }

    pub fn get(&self, cfn: &str) -> Option<&Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == cfn)
            .map(|(_, v)| v)
    }

    /// Appends `item` to the list under `cfn`, creating it.
    pub fn push_item(&mut self, cfn: &str, key_origin: &Origin, item: Node) {
        match self.entries.iter_mut().find(|(k, _)| k.name == cfn) {
            Some((
                _,
                Node {
                    val: Val::List(items),
                    ..
                },
            )) => items.push(item),
            Some((_, other)) => {
                let first = other.clone();
                *other = list(vec![first, item], key_origin);
            }
            None => {
                let lo = item.origin.clone();
                self.entries
                    .push((key(cfn, key_origin), list(vec![item], &lo)));
            }
        }
    }

    pub fn into_node(self) -> Node {
        map(self.entries, &self.origin)
    }
}

pub fn is_null(node: &Node) -> bool {
    matches!(node.val, Val::Null)
}

/// The first instance of nested block `name` (blocks evaluate to lists of maps).
pub fn block<'a>(body: &'a Node, name: &str) -> Option<&'a Node> {
    let v = body.get(name)?;
    match &v.val {
        Val::List(items) => items.first(),
        Val::Map(_) => Some(v),
        _ => None,
    }
}

/// Every instance of nested block `name`.
pub fn blocks<'a>(body: &'a Node, name: &str) -> Vec<&'a Node> {
    match body.get(name).map(|v| &v.val) {
        Some(Val::List(items)) => items.iter().collect(),
        Some(Val::Map(_)) => body.get(name).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// A map with the listed keys of `node` renamed (others dropped; nulls skipped).
pub fn renamed(node: &Node, pairs: &[(&str, &str)]) -> Node {
    let mut p = Props::new(&node.origin);
    p.copy_all(node, pairs);
    p.into_node()
}

/// A policy attribute as a document: a map as is (from `jsonencode` or a policy document), JSON
/// text parsed (also a template with unknown parts, whose placeholders stay unknowns).
pub fn policy(node: &Node) -> Node {
    let text = match &node.val {
        Val::Str(s) => s.as_str(),
        Val::Unknown(u) => match &u.partial {
            Some(p) => p.as_str(),
            None => return node.clone(),
        },
        _ => return node.clone(),
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(j) => json_to_node(&j, &node.origin),
        Err(_) => node.clone(),
    }
}

/// A value naming resource `address` (a literal name linked to the resource that declares it).
pub fn reference_to(address: &str, written: &Node) -> Node {
    if target(written) == Some(address) {
        return written.clone();
    }
    let text = written.as_str().unwrap_or_default().to_string();
    Node::unknown(
        Unknown::new(text.clone(), "names a resource declared in this module")
            .resource(address)
            .with_partial(text),
        written.origin.clone(),
    )
}

/// The resource address an unknown value refers to.
pub fn target(node: &Node) -> Option<&str> {
    node.as_unknown().and_then(|u| u.resource.as_deref())
}
