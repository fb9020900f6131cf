//! What each Azure Functions source declares, before it is lowered into the model: functions with
//! their HTTP triggers (authorization level, route, methods) and other triggers. Every reader
//! (`function.json`, Python v2, Node v4, C#) produces these.

use std::sync::Arc;
use warden_model::{Key, Node, TriggerKind, Val};
use warden_source::{Origin, Span};

/// The `authLevel` of an HTTP trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthLevel {
    /// No key: anyone may call the function.
    Anonymous,
    /// A function key (or the host key) is required.
    Function,
    /// The host's master key is required.
    Admin,
    /// Not known statically (a placeholder, a variable); the text as written.
    Unknown(String),
}

impl AuthLevel {
    /// From a level's name in any of the models' spellings (`anonymous`, `ANONYMOUS`,
    /// `Anonymous`).
    pub fn parse(text: &str) -> Self {
        match text.to_ascii_lowercase().as_str() {
            "anonymous" => AuthLevel::Anonymous,
            "function" => AuthLevel::Function,
            "admin" | "system" => AuthLevel::Admin,
            _ => AuthLevel::Unknown(text.to_string()),
        }
    }
}

/// An HTTP trigger of a function.
#[derive(Debug, Clone)]
pub struct HttpDecl {
    pub auth: AuthLevel,
    /// Where the level comes from: the `authLevel` value, or the trigger (or app) that implies it.
    pub auth_origin: Origin,
    /// When the level is implied, what implies it (e.g. "the default of `function.json`").
    pub implied_by: Option<String>,
    /// A Python blueprint route without `auth_level`: it takes the `http_auth_level` of the
    /// project's `FunctionApp` when the blueprint is registered (resolved per project).
    pub inherits_app_level: bool,
    /// The route template as written; `None` means the function's name.
    pub route: Option<String>,
    /// Upper-case methods; empty means every method.
    pub methods: Vec<String>,
    /// The trigger declaration (binding, decorator, call, attribute).
    pub origin: Origin,
}

/// A non-HTTP trigger.
#[derive(Debug, Clone)]
pub struct TriggerDecl {
    /// The binding type as `function.json` spells it (`queueTrigger`, `timerTrigger`).
    pub binding: String,
    pub origin: Origin,
    pub properties: Node,
}

impl TriggerDecl {
    /// The model's trigger kind: timers are schedules, the rest keep the binding's name.
    pub fn kind(&self) -> TriggerKind {
        if self.binding.eq_ignore_ascii_case("timerTrigger") {
            TriggerKind::Schedule
        } else {
            TriggerKind::Other(format!("azure:{}", self.binding))
        }
    }
}

/// One function as a source declares it.
#[derive(Debug, Clone)]
pub struct FunctionDecl {
    pub name: String,
    pub origin: Origin,
    /// The entry point (`scriptFile`/`entryPoint`, the Python function, the C# method).
    pub handler: Option<Node>,
    /// The directory holding the function's code, relative to the scanned root.
    pub code_dir: String,
    pub runtime: Option<&'static str>,
    pub http: Vec<HttpDecl>,
    pub triggers: Vec<TriggerDecl>,
}

/// An origin in `file` covering bytes `[start, end)`.
pub fn origin_at(file: &Arc<str>, start: usize, end: usize, path: impl Into<Arc<str>>) -> Origin {
    let s = u32::try_from(start).unwrap_or(u32::MAX);
    let e = u32::try_from(end).unwrap_or(u32::MAX);
    Origin::new(file.clone(), Span::new(s, e), path)
}

/// A string node.
pub fn str_node(value: impl Into<String>, origin: Origin) -> Node {
    Node::new(Val::Str(value.into()), origin)
}

/// A map node from `(name, value)` pairs (keys share their value's origin).
pub fn map_node(entries: Vec<(&str, Node)>, origin: Origin) -> Node {
    Node::new(
        Val::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    (
                        Key {
                            name: k.to_string(),
                            origin: v.origin.clone(),
                        },
                        v,
                    )
                })
                .collect(),
        ),
        origin,
    )
}

/// The directory part of a relative path (`""` for a file at the root).
pub fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `dir/name`, or `name` at the root.
pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_in_every_spelling() {
        assert_eq!(AuthLevel::parse("ANONYMOUS"), AuthLevel::Anonymous);
        assert_eq!(AuthLevel::parse("Function"), AuthLevel::Function);
        assert_eq!(AuthLevel::parse("admin"), AuthLevel::Admin);
        assert_eq!(
            AuthLevel::parse("AuthLevelValue"),
            AuthLevel::Unknown("AuthLevelValue".into())
        );
    }

    #[test]
    fn paths() {
        assert_eq!(parent_dir("a/b/function.json"), "a/b");
        assert_eq!(parent_dir("function.json"), "");
        assert_eq!(join("", "x"), "x");
        assert_eq!(join("a", "x"), "a/x");
    }
}

/// The `function.json` binding type a C# attribute or Java annotation names: `QueueTrigger` →
/// `queueTrigger` (the first character lowered; identifiers may be non-ASCII).
pub fn binding_name(attribute: &str) -> String {
    let mut chars = attribute.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A non-HTTP trigger declared by an attribute or annotation (`[QueueTrigger("q", Connection =
/// "c")]`): its keyword arguments with string values become the binding's properties.
pub fn attribute_trigger(
    file: &Arc<str>,
    function: &str,
    attribute: &str,
    binding: String,
    args: &[super::expr::Arg],
    origin: Origin,
) -> TriggerDecl {
    let props = args
        .iter()
        .filter_map(|arg| {
            let k = arg.key.as_deref()?;
            let o = origin_at(
                file,
                arg.value.start,
                arg.value.end,
                format!("/{function}/{attribute}/{k}"),
            );
            Some((k, str_node(arg.value.str()?, o)))
        })
        .collect();
    TriggerDecl {
        binding,
        origin: origin.clone(),
        properties: map_node(props, origin),
    }
}

#[cfg(test)]
mod binding_tests {
    use super::binding_name;

    #[test]
    fn binding_names_lower_the_first_character_of_any_identifier() {
        assert_eq!(binding_name("QueueTrigger"), "queueTrigger");
        assert_eq!(binding_name("ÉvénementTrigger"), "événementTrigger");
        assert_eq!(binding_name(""), "");
    }
}
