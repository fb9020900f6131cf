//! Small constructors and conversions between JSON reference data and model nodes.

use warden_model::{Key, Node, Val};
use warden_source::Origin;

pub fn empty_map(origin: &Origin) -> Node {
    Node::new(Val::Map(Vec::new()), origin.clone())
}

/// Converts reference JSON (a managed policy, a SAM policy template) into a node tree whose every
/// value points at `origin` (where the template attaches it).
pub fn json_to_node(value: &serde_json::Value, origin: &Origin) -> Node {
    use serde_json::Value as J;
    let val = match value {
        J::Null => Val::Null,
        J::Bool(b) => Val::Bool(*b),
        J::Number(n) => Val::Num(n.to_string()),
        J::String(s) => Val::Str(s.clone()),
        J::Array(items) => Val::List(items.iter().map(|i| json_to_node(i, origin)).collect()),
        J::Object(map) => Val::Map(
            map.iter()
                .map(|(k, v)| {
                    (
                        Key {
                            name: k.clone(),
                            origin: origin.clone(),
                        },
                        json_to_node(v, origin),
                    )
                })
                .collect(),
        ),
    };
    Node::new(val, origin.clone())
}

/// The logical id of the resource a resolved value refers to (`!Ref X`, `!GetAtt X.Arn`, or a
/// `!Sub` string embedding one), restricted to ids accepted by `is_candidate`.
pub fn referenced_resource(node: &Node, is_candidate: impl Fn(&str) -> bool) -> Option<String> {
    let u = node.as_unknown()?;
    if let Some(id) = &u.resource
        && is_candidate(id)
    {
        return Some(id.clone());
    }
    let text = u.partial.as_deref().unwrap_or(&u.expr);
    text.split("{{unknown:")
        .skip(1)
        .filter_map(|chunk| chunk.split("}}").next())
        .filter_map(|expr| {
            let target = expr
                .strip_prefix("GetAtt ")
                .map(|t| t.split('.').next().unwrap_or(t))
                .or_else(|| expr.strip_prefix("Ref "))?;
            is_candidate(target).then(|| target.to_string())
        })
        .next()
        .or_else(|| {
            let target = u
                .expr
                .strip_prefix("GetAtt ")
                .map(|t| t.split('.').next().unwrap_or(t))
                .or_else(|| u.expr.strip_prefix("Ref "))?;
            is_candidate(target).then(|| target.to_string())
        })
}
