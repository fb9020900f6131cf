//! Small constructors and conversions for evaluated Terraform values (model [`Node`]s): scalars,
//! maps with key origins, numbers formatted as Terraform prints them, string coercion, and
//! unknowns built from several parts (partial strings, the resource they refer to).

use warden_model::{Key, Node, Unknown, Val};
use warden_source::Origin;

pub fn str_node(s: impl Into<String>, origin: &Origin) -> Node {
    Node::new(Val::Str(s.into()), origin.clone())
}

pub fn null(origin: &Origin) -> Node {
    Node::new(Val::Null, origin.clone())
}

pub fn bool_node(b: bool, origin: &Origin) -> Node {
    Node::new(Val::Bool(b), origin.clone())
}

pub fn list(items: Vec<Node>, origin: &Origin) -> Node {
    Node::new(Val::List(items), origin.clone())
}

pub fn map(entries: Vec<(Key, Node)>, origin: &Origin) -> Node {
    Node::new(Val::Map(entries), origin.clone())
}

pub fn key(name: impl Into<String>, origin: &Origin) -> Key {
    Key {
        name: name.into(),
        origin: origin.clone(),
    }
}

/// A number node, printed without a fractional part when it is whole.
pub fn num(n: f64, origin: &Origin) -> Node {
    Node::new(Val::Num(fmt_num(n)), origin.clone())
}

pub fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

pub fn as_f64(node: &Node) -> Option<f64> {
    match &node.val {
        Val::Num(s) | Val::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An unknown value.
pub fn unknown(expr: impl Into<String>, reason: impl Into<String>, origin: &Origin) -> Node {
    Node::unknown(Unknown::new(expr, reason), origin.clone())
}

/// The string form of a known scalar, as string templates print it; lists and maps (the result of
/// `jsonencode`) print as JSON. `None` for unknown and null values.
pub fn to_text(node: &Node) -> Option<String> {
    match &node.val {
        Val::Str(s) | Val::Num(s) => Some(s.clone()),
        Val::Bool(b) => Some(b.to_string()),
        Val::List(_) | Val::Map(_) if !node.contains_unknown() => Some(node.to_json().to_string()),
        _ => None,
    }
}

/// Approximate size of a value in bytes (strings and keys), for evaluation limits.
pub fn size(node: &Node) -> usize {
    match &node.val {
        Val::Str(s) | Val::Num(s) => s.len(),
        Val::List(items) => items.iter().map(size).sum::<usize>() + 8,
        Val::Map(entries) => {
            entries
                .iter()
                .map(|(k, v)| k.name.len() + size(v))
                .sum::<usize>()
                + 8
        }
        _ => 8,
    }
}

/// Terraform equality of two known values (`None` when either contains an unknown).
pub fn equal(a: &Node, b: &Node) -> Option<bool> {
    if a.contains_unknown() || b.contains_unknown() {
        return None;
    }
    if let (Some(x), Some(y)) = (num_of(a), num_of(b)) {
        return Some(x == y);
    }
    Some(a.to_json() == b.to_json())
}

fn num_of(node: &Node) -> Option<f64> {
    match &node.val {
        Val::Num(s) => s.parse().ok(),
        _ => None,
    }
}

/// A placeholder for one unknown part of a string (see [`Unknown::placeholder`]).
pub fn placeholder(node: &Node) -> String {
    match &node.val {
        Val::Unknown(u) => u.placeholder(),
        // A structure with unknown parts (`"${jsonencode(...)}"`) prints as JSON with placeholders.
        Val::List(_) | Val::Map(_) => node.to_json().to_string(),
        _ => "{{unknown:null}}".to_string(),
    }
}

/// The first resource any unknown inside `node` refers to.
pub fn first_resource(node: &Node) -> Option<String> {
    match &node.val {
        Val::Unknown(u) => u.resource.clone(),
        Val::List(items) => items.iter().find_map(first_resource),
        Val::Map(entries) => entries.iter().find_map(|(_, v)| first_resource(v)),
        _ => None,
    }
}

/// Converts JSON into a node tree whose values all point at `origin`. A string holding an unknown
/// placeholder (`{{unknown:…}}`, from a template with references) becomes an unknown again, so
/// references inside JSON policies keep linking to their resources.
pub fn json_to_node(value: &serde_json::Value, origin: &Origin) -> Node {
    use serde_json::Value as J;
    let val = match value {
        J::Null => Val::Null,
        J::Bool(b) => Val::Bool(*b),
        J::Number(n) => Val::Num(n.to_string()),
        J::String(s) if s.contains("{{unknown:") => return placeholder_string(s, origin),
        J::String(s) => Val::Str(s.clone()),
        J::Array(items) => Val::List(items.iter().map(|i| json_to_node(i, origin)).collect()),
        J::Object(m) => Val::Map(
            m.iter()
                .map(|(k, v)| (key(k.clone(), origin), json_to_node(v, origin)))
                .collect(),
        ),
    };
    Node::new(val, origin.clone())
}

/// A string with unknown placeholders as an unknown with that partial form.
pub fn placeholder_string(s: &str, origin: &Origin) -> Node {
    let inner: Vec<&str> = s
        .split("{{unknown:")
        .skip(1)
        .filter_map(|c| c.split("}}").next())
        .collect();
    let expr = inner.first().copied().unwrap_or(s).to_string();
    let mut u = Unknown::new(expr.clone(), "refers to values known only at apply time");
    if s != format!("{{{{unknown:{expr}}}}}") {
        u = u.with_partial(s);
    }
    if let Some(res) = inner.iter().find_map(|e| resource_of_expr(e)) {
        u = u.resource(res);
    }
    Node::unknown(u, origin.clone())
}

/// The resource address a reference expression such as `aws_iam_role.fn.arn` or
/// `module.m.aws_s3_bucket.b[0].id` names: everything but the last attribute.
pub fn resource_of_expr(expr: &str) -> Option<String> {
    let expr = expr.trim();
    if expr.starts_with("var.") || expr.starts_with("local.") || !expr.contains('.') {
        return None;
    }
    let (addr, _attr) = expr.rsplit_once('.')?;
    addr.contains('.').then(|| addr.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use warden_source::Span;

    fn o() -> Origin {
        Origin::new(Arc::from("main.tf"), Span::new(0, 1), "x")
    }

    #[test]
    fn numbers_print_like_terraform() {
        assert_eq!(fmt_num(3.0), "3");
        assert_eq!(fmt_num(2.5), "2.5");
    }

    #[test]
    fn placeholders_in_json_become_unknowns_with_their_resource() {
        let j = serde_json::json!({"Resource": "{{unknown:aws_s3_bucket.b.arn}}/*"});
        let n = json_to_node(&j, &o());
        let u = n.get("Resource").unwrap().as_unknown().unwrap().clone();
        assert_eq!(u.resource.as_deref(), Some("aws_s3_bucket.b"));
        assert_eq!(
            u.partial.as_deref(),
            Some("{{unknown:aws_s3_bucket.b.arn}}/*")
        );
    }
}
