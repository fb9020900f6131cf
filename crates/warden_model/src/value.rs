//! Document values with origins, three-valued: known scalars and collections, or unknown with a reason.

use std::fmt;
use warden_source::Origin;

/// A map key with its own origin (findings about a key point at the key).
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub origin: Origin,
}

/// Why a value could not be resolved statically.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    /// Human-readable reason, e.g. "GetAtt Table.Arn (resource attribute known only at deploy time)".
    pub reason: String,
    /// The short expression this stands for, e.g. `GetAtt Table.Arn` or `Ref VpcId`.
    pub expr: String,
    /// The logical id of a resource this value refers to, when it is a reference to one.
    pub resource: Option<String>,
    /// True when the value comes from an external secret store (dynamic reference, `${ssm:}`,
    /// Key Vault reference): such a value is never a plaintext secret.
    pub external_secret: bool,
    /// A partially resolved string (e.g. `arn:aws:s3:::{{unknown:Ref Bucket}}/*`): the known parts as
    /// written, each unknown part as its placeholder. Lets the IAM engine see scoping and wildcards.
    pub partial: Option<String>,
}

impl Unknown {
    pub fn new(expr: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            expr: expr.into(),
            resource: None,
            external_secret: false,
            partial: None,
        }
    }

    pub fn resource(mut self, id: impl Into<String>) -> Self {
        self.resource = Some(id.into());
        self
    }

    pub fn secret_reference(mut self) -> Self {
        self.external_secret = true;
        self
    }

    /// The placeholder used when this value must become a string (e.g. inside an IAM policy
    /// handed to the IAM engine): never a wildcard, never equal to a real value.
    pub fn placeholder(&self) -> String {
        match &self.partial {
            Some(partial) => partial.clone(),
            None => format!("{{{{unknown:{}}}}}", self.expr),
        }
    }

    pub fn with_partial(mut self, partial: impl Into<String>) -> Self {
        self.partial = Some(partial.into());
        self
    }
}

/// A value kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    /// A number, kept as written.
    Num(String),
    Str(String),
    List(Vec<Node>),
    /// Entries in document order.
    Map(Vec<(Key, Node)>),
    Unknown(Box<Unknown>),
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub val: Val,
    pub origin: Origin,
}

impl Node {
    pub fn new(val: Val, origin: Origin) -> Self {
        Self { val, origin }
    }

    pub fn unknown(unknown: Unknown, origin: Origin) -> Self {
        Self::new(Val::Unknown(Box::new(unknown)), origin)
    }

    /// The entry `key` of a map.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.val {
            Val::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The key and entry `key` of a map.
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.val {
            Val::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// Walks a path of map keys.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.val {
            Val::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.val {
            Val::List(items) => items,
            _ => &[],
        }
    }

    /// A scalar as a string (strings, numbers and booleans), as CloudFormation coerces them.
    pub fn as_str(&self) -> Option<&str> {
        match &self.val {
            Val::Str(s) | Val::Num(s) => Some(s),
            Val::Bool(true) => Some("true"),
            Val::Bool(false) => Some("false"),
            _ => None,
        }
    }

    /// A boolean, accepting CloudFormation's string forms `"true"`/`"false"`.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.val {
            Val::Bool(b) => Some(*b),
            Val::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Val::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match &self.val {
            Val::Num(s) | Val::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_unknown(&self) -> Option<&Unknown> {
        match &self.val {
            Val::Unknown(u) => Some(u),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.val, Val::Unknown(_))
    }

    pub fn is_map(&self) -> bool {
        matches!(self.val, Val::Map(_))
    }

    /// A string or a list of strings as a list of nodes (IAM's "string or list" convention).
    pub fn one_or_many(&self) -> Vec<&Node> {
        match &self.val {
            Val::List(items) => items.iter().collect(),
            _ => vec![self],
        }
    }

    /// True when any value inside is unknown.
    pub fn contains_unknown(&self) -> bool {
        match &self.val {
            Val::Unknown(_) => true,
            Val::List(items) => items.iter().any(Node::contains_unknown),
            Val::Map(entries) => entries.iter().any(|(_, v)| v.contains_unknown()),
            _ => false,
        }
    }

    /// Converts to JSON; unknown values become their placeholder string (see [`Unknown::placeholder`]).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.val {
            Val::Null => J::Null,
            Val::Bool(b) => J::Bool(*b),
            Val::Num(s) => s
                .parse::<serde_json::Number>()
                .map_or_else(|_| J::String(s.clone()), J::Number),
            Val::Str(s) => J::String(s.clone()),
            Val::List(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Val::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
            Val::Unknown(u) => J::String(u.placeholder()),
        }
    }

    /// Finds the node whose document path is `path`, searching this subtree.
    pub fn find_path(&self, path: &str) -> Option<&Node> {
        if &*self.origin.path == path {
            return Some(self);
        }
        if !path.starts_with(&*self.origin.path) {
            return None;
        }
        match &self.val {
            Val::List(items) => items.iter().find_map(|n| n.find_path(path)),
            Val::Map(entries) => entries.iter().find_map(|(_, n)| n.find_path(path)),
            _ => None,
        }
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.val {
            Val::Unknown(u) => write!(f, "<{}>", u.expr),
            Val::Str(s) | Val::Num(s) => f.write_str(s),
            _ => write!(f, "{}", self.to_json()),
        }
    }
}

/// Escapes one segment of a document path (JSON pointer rules: `~` → `~0`, `/` → `~1`).
pub fn escape_path_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use warden_source::Span;

    fn o(path: &str) -> Origin {
        Origin::new(Arc::from("t.yaml"), Span::new(0, 1), path)
    }

    #[test]
    fn unknown_values_become_non_wildcard_placeholders() {
        let n = Node::unknown(
            Unknown::new("GetAtt T.Arn", "deploy time").resource("T"),
            o("/x"),
        );
        assert_eq!(n.to_json(), serde_json::json!("{{unknown:GetAtt T.Arn}}"));
        assert!(n.contains_unknown());
    }

    #[test]
    fn map_lookup_and_coercion() {
        let map = Node::new(
            Val::Map(vec![(
                Key {
                    name: "A".into(),
                    origin: o("/A"),
                },
                Node::new(Val::Str("True".into()), o("/A")),
            )]),
            o(""),
        );
        assert_eq!(map.get("A").and_then(Node::as_bool), Some(true));
        assert!(map.get("B").is_none());
        assert_eq!(map.find_path("/A").and_then(Node::as_str), Some("True"));
    }

    #[test]
    fn path_segments_are_escaped() {
        assert_eq!(escape_path_segment("a/b~c"), "a~1b~0c");
    }
}
