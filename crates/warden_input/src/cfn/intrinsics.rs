//! Intrinsic function resolution into three-valued model values.
//!
//! `Ref`, `Fn::GetAtt`, `Fn::Sub` (both forms), `Fn::Join`, `Fn::Select`, `Fn::Split`,
//! `Fn::FindInMap`, `Fn::If` with `Conditions`, `Fn::Base64` (transparent: analysis wants the
//! plaintext) and dynamic references (`{{resolve:…}}`) are resolved; everything else becomes
//! [`Val::Unknown`] with a reason, never a guess. `Ref: AWS::NoValue` removes the property.

use super::context::{Context, ParamOverrides};
use std::cell::RefCell;
use std::collections::HashMap;
use warden_model::{Key, Node, Unknown, Val};
use warden_source::Origin;

/// Deepest intrinsic nesting resolved before giving up (hostile templates).
const MAX_DEPTH: u32 = 64;

/// Resolves values of one template.
pub struct Resolver<'a> {
    pub ctx: &'a Context<'a>,
    overrides: &'a ParamOverrides,
    conditions: RefCell<HashMap<String, CondState>>,
}

#[derive(Clone, Copy)]
enum CondState {
    InProgress,
    Done(Option<bool>),
}

impl<'a> Resolver<'a> {
    pub fn new(ctx: &'a Context<'a>, overrides: &'a ParamOverrides) -> Self {
        Self {
            ctx,
            overrides,
            conditions: RefCell::new(HashMap::new()),
        }
    }

    /// Resolves a value. `None` means `AWS::NoValue`: the property is absent.
    pub fn resolve(&self, node: &Node) -> Option<Node> {
        self.resolve_at(node, 0)
    }

    /// Resolves, mapping `AWS::NoValue` to `null`.
    pub fn resolve_or_null(&self, node: &Node) -> Node {
        self.resolve(node)
            .unwrap_or_else(|| Node::new(Val::Null, node.origin.clone()))
    }

    /// Evaluates a named condition: `Some(true|false)`, or `None` when it depends on unknowns.
    pub fn condition(&self, name: &str) -> Option<bool> {
        if let Some(state) = self.conditions.borrow().get(name) {
            return match state {
                CondState::Done(v) => *v,
                CondState::InProgress => None, // a cycle: undecidable
            };
        }
        let def = *self.ctx.condition_defs.get(name)?;
        self.conditions
            .borrow_mut()
            .insert(name.to_string(), CondState::InProgress);
        let value = self.eval_condition(def, 0);
        self.conditions
            .borrow_mut()
            .insert(name.to_string(), CondState::Done(value));
        value
    }

    fn eval_condition(&self, node: &Node, depth: u32) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        let (key, arg) = single_entry(node)?;
        match key {
            "Condition" => self.condition(arg.as_str()?),
            "Fn::Not" => Some(!self.eval_condition(arg.items().first()?, depth + 1)?),
            "Fn::And" => {
                let mut unknown = false;
                for item in arg.items() {
                    match self.eval_condition(item, depth + 1) {
                        Some(false) => return Some(false),
                        Some(true) => {}
                        None => unknown = true,
                    }
                }
                (!unknown).then_some(true)
            }
            "Fn::Or" => {
                let mut unknown = false;
                for item in arg.items() {
                    match self.eval_condition(item, depth + 1) {
                        Some(true) => return Some(true),
                        Some(false) => {}
                        None => unknown = true,
                    }
                }
                (!unknown).then_some(false)
            }
            "Fn::Equals" => {
                let items = arg.items();
                let a = self.resolve_at(items.first()?, depth + 1)?;
                let b = self.resolve_at(items.get(1)?, depth + 1)?;
                Some(a.as_str()? == b.as_str()?)
            }
            _ => None,
        }
    }

    fn resolve_at(&self, node: &Node, depth: u32) -> Option<Node> {
        if depth > MAX_DEPTH {
            return Some(unknown(
                node,
                "nesting",
                "intrinsic functions nested too deeply",
            ));
        }
        match &node.val {
            Val::Str(s) if s.contains("{{resolve:") => Some(dynamic_reference(node, s)),
            Val::List(items) => Some(Node::new(
                Val::List(
                    items
                        .iter()
                        .filter_map(|i| self.resolve_at(i, depth + 1))
                        .collect(),
                ),
                node.origin.clone(),
            )),
            Val::Map(entries) => {
                if let [(key, arg)] = entries.as_slice()
                    && is_intrinsic(&key.name)
                {
                    return self.intrinsic(node, &key.name, arg, depth + 1);
                }
                Some(Node::new(
                    Val::Map(
                        entries
                            .iter()
                            .filter_map(|(k, v)| Some((k.clone(), self.resolve_at(v, depth + 1)?)))
                            .collect(),
                    ),
                    node.origin.clone(),
                ))
            }
            _ => Some(node.clone()),
        }
    }

    fn intrinsic(&self, node: &Node, name: &str, arg: &Node, depth: u32) -> Option<Node> {
        let o = &node.origin;
        match name {
            "Ref" => match arg.as_str() {
                Some(target) => self.reference(target, o),
                None => Some(unknown(node, "Ref", "Ref needs a name")),
            },
            "Fn::GetAtt" => Some(self.get_att(node, arg, depth)),
            "Fn::Sub" => Some(self.sub(node, arg, depth)),
            "Fn::Join" => Some(self.join(node, arg, depth)),
            "Fn::Select" => self.select(node, arg, depth),
            "Fn::Split" => Some(self.split(node, arg, depth)),
            "Fn::FindInMap" => Some(self.find_in_map(node, arg, depth)),
            "Fn::If" => self.fn_if(node, arg, depth),
            "Fn::Base64" => self.resolve_at(arg, depth),
            "Condition" => Some(match arg.as_str().and_then(|c| self.condition(c)) {
                Some(b) => Node::new(Val::Bool(b), o.clone()),
                None => unknown(node, "Condition", "condition depends on unknown values"),
            }),
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                Some(match self.eval_condition(node, depth) {
                    Some(b) => Node::new(Val::Bool(b), o.clone()),
                    None => unknown(node, name, "condition depends on unknown values"),
                })
            }
            "Fn::ImportValue" => Some(unknown(
                node,
                "ImportValue",
                "exported by another stack, known only at deploy time",
            )),
            "Fn::GetAZs" => Some(unknown(
                node,
                "GetAZs",
                "availability zones of the deploy region",
            )),
            "Fn::Cidr" => Some(unknown(node, "Cidr", "Fn::Cidr is not evaluated")),
            "Fn::Transform" => Some(unknown(node, "Transform", "macros are never executed")),
            _ => Some(unknown(node, name, "intrinsic function is not evaluated")),
        }
    }

    fn reference(&self, target: &str, o: &Origin) -> Option<Node> {
        if target == "AWS::NoValue" {
            return None;
        }
        if let Some(value) = self.ctx.pseudo(target, self.overrides) {
            return Some(match value {
                Ok(s) => Node::new(Val::Str(s), o.clone()),
                Err(u) => Node::unknown(u, o.clone()),
            });
        }
        if let Some(param) = self.ctx.parameters.get(target) {
            return Some(match param {
                // A parameter default is a literal: resolve it in place but point at the use site.
                Some(value) => {
                    let mut v = value.clone();
                    v.origin = Origin::new(o.file.clone(), o.span, o.path.clone());
                    // `--param Db={{resolve:secretsmanager:…}}`: CloudFormation resolves the
                    // dynamic reference after substitution, so the value is an external secret.
                    match &v.val {
                        Val::Str(s) if s.contains("{{resolve:") => dynamic_reference(&v, s),
                        _ => v,
                    }
                }
                None => Node::unknown(
                    Unknown::new(
                        format!("Ref {target}"),
                        format!("parameter {target} has no default and no --param value"),
                    ),
                    o.clone(),
                ),
            });
        }
        if self.ctx.is_resource(target) {
            return Some(Node::unknown(
                Unknown::new(
                    format!("Ref {target}"),
                    "resource identifier known only at deploy time",
                )
                .resource(target),
                o.clone(),
            ));
        }
        Some(Node::unknown(
            Unknown::new(
                format!("Ref {target}"),
                format!("no parameter or resource named {target}"),
            ),
            o.clone(),
        ))
    }

    fn get_att(&self, node: &Node, arg: &Node, depth: u32) -> Node {
        let parts: Vec<String> = match &arg.val {
            Val::Str(s) => s.splitn(2, '.').map(str::to_string).collect(),
            Val::List(items) => items
                .iter()
                .map(|i| {
                    self.resolve_at(i, depth)
                        .and_then(|n| n.as_str().map(str::to_string))
                        .unwrap_or_else(|| "?".into())
                })
                .collect(),
            _ => Vec::new(),
        };
        let [resource, attr] = parts.as_slice() else {
            return unknown(node, "GetAtt", "GetAtt needs a resource and an attribute");
        };
        let mut u = Unknown::new(
            format!("GetAtt {resource}.{attr}"),
            "resource attribute known only at deploy time",
        );
        if self.ctx.is_resource(resource) {
            u = u.resource(resource.clone());
        }
        Node::unknown(u, node.origin.clone())
    }

    fn sub(&self, node: &Node, arg: &Node, depth: u32) -> Node {
        let (template, vars) = match &arg.val {
            Val::Str(s) => (s.as_str(), None),
            Val::List(items) => match (items.first().and_then(Node::as_str), items.get(1)) {
                (Some(t), vars) => (t, vars),
                _ => return unknown(node, "Sub", "Sub needs a template string"),
            },
            _ => return unknown(node, "Sub", "Sub needs a template string"),
        };
        let mut out = String::new();
        let mut all_known = true;
        let mut external_secret = false;
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let var = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = var.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let value = match vars.and_then(|v| v.get(var)) {
                Some(v) => self.resolve_at(v, depth),
                None if var.contains('.') && !var.starts_with("AWS::") => {
                    let (res, attr) = var.split_once('.').unwrap_or((var, ""));
                    let att = Node::new(Val::Str(format!("{res}.{attr}")), node.origin.clone());
                    Some(self.get_att(node, &att, depth))
                }
                None => self.reference(var, &node.origin),
            };
            match value.as_ref().map(|v| (&v.val, v)) {
                Some((Val::Unknown(u), _)) => {
                    all_known = false;
                    external_secret |= u.external_secret;
                    out.push_str(&u.placeholder());
                }
                Some((_, v)) => match v.as_str() {
                    Some(s) => out.push_str(s),
                    None => {
                        all_known = false;
                        out.push_str(&format!("{{{{unknown:{var}}}}}"));
                    }
                },
                None => {}
            }
        }
        out.push_str(rest);
        if all_known {
            let n = Node::new(Val::Str(out.clone()), node.origin.clone());
            if out.contains("{{resolve:") {
                return dynamic_reference(&n, &out);
            }
            return n;
        }
        let mut u = Unknown::new(
            format!("Sub {template}"),
            "string built from values known only at deploy time",
        )
        .with_partial(out);
        u.external_secret = external_secret;
        Node::unknown(u, node.origin.clone())
    }

    fn join(&self, node: &Node, arg: &Node, depth: u32) -> Node {
        let items = arg.items();
        let (Some(delim), Some(list)) = (items.first(), items.get(1)) else {
            return unknown(node, "Join", "Join needs a delimiter and a list");
        };
        let delim = self
            .resolve_at(delim, depth)
            .and_then(|d| d.as_str().map(str::to_string));
        let list = self.resolve_at(list, depth);
        let (Some(delim), Some(list)) = (delim, list) else {
            return unknown(node, "Join", "Join delimiter or list unknown");
        };
        if list.is_unknown() {
            return unknown(node, "Join", "Join list known only at deploy time");
        }
        let mut parts = Vec::new();
        let mut all_known = true;
        for item in list.items() {
            match &item.val {
                Val::Unknown(u) => {
                    all_known = false;
                    parts.push(u.placeholder());
                }
                _ => match item.as_str() {
                    Some(s) => parts.push(s.to_string()),
                    None => {
                        all_known = false;
                        parts.push("{{unknown:non-scalar}}".into());
                    }
                },
            }
        }
        let joined = parts.join(&delim);
        if all_known {
            Node::new(Val::Str(joined), node.origin.clone())
        } else {
            Node::unknown(
                Unknown::new("Join", "joined from values known only at deploy time")
                    .with_partial(joined),
                node.origin.clone(),
            )
        }
    }

    fn select(&self, node: &Node, arg: &Node, depth: u32) -> Option<Node> {
        let items = arg.items();
        let index = items
            .first()
            .and_then(|i| self.resolve_at(i, depth))
            .and_then(|i| i.as_i64());
        let list = items.get(1).and_then(|l| self.resolve_at(l, depth));
        match (index, list) {
            (Some(i), Some(list)) if !list.is_unknown() => {
                let picked = usize::try_from(i)
                    .ok()
                    .and_then(|i| list.items().get(i))
                    .cloned();
                Some(picked.unwrap_or_else(|| unknown(node, "Select", "index out of range")))
            }
            _ => Some(unknown(
                node,
                "Select",
                "Select over values known only at deploy time",
            )),
        }
    }

    fn split(&self, node: &Node, arg: &Node, depth: u32) -> Node {
        let items = arg.items();
        let delim = items
            .first()
            .and_then(|d| self.resolve_at(d, depth))
            .and_then(|d| d.as_str().map(str::to_string));
        let source = items.get(1).and_then(|s| self.resolve_at(s, depth));
        match (delim, source.as_ref().and_then(|s| s.as_str())) {
            (Some(d), Some(s)) if !d.is_empty() => Node::new(
                Val::List(
                    s.split(d.as_str())
                        .map(|p| Node::new(Val::Str(p.to_string()), node.origin.clone()))
                        .collect(),
                ),
                node.origin.clone(),
            ),
            _ => unknown(node, "Split", "Split of a value known only at deploy time"),
        }
    }

    fn find_in_map(&self, node: &Node, arg: &Node, depth: u32) -> Node {
        let items = arg.items();
        let keys: Vec<Option<String>> = items
            .iter()
            .take(3)
            .map(|k| {
                self.resolve_at(k, depth)
                    .and_then(|k| k.as_str().map(str::to_string))
            })
            .collect();
        let default = items.get(3).and_then(|d| d.get("DefaultValue"));
        let found = match (self.ctx.mappings, keys.as_slice()) {
            (Some(maps), [Some(a), Some(b), Some(c)]) => maps.at(&[a, b, c]),
            _ => None,
        };
        match (found, default) {
            (Some(v), _) => self.resolve_at(v, depth).unwrap_or_else(|| v.clone()),
            (None, Some(d)) => self.resolve_at(d, depth).unwrap_or_else(|| d.clone()),
            (None, None) => unknown(node, "FindInMap", "mapping keys known only at deploy time"),
        }
    }

    fn fn_if(&self, node: &Node, arg: &Node, depth: u32) -> Option<Node> {
        let items = arg.items();
        let (Some(cond), Some(yes), Some(no)) = (
            items.first().and_then(Node::as_str),
            items.get(1),
            items.get(2),
        ) else {
            return Some(unknown(
                node,
                "If",
                "Fn::If needs a condition and two values",
            ));
        };
        match self.condition(cond) {
            Some(true) => self.resolve_at(yes, depth),
            Some(false) => self.resolve_at(no, depth),
            None => Some(unknown(
                node,
                &format!("If {cond}"),
                format!("condition {cond} depends on values known only at deploy time"),
            )),
        }
    }
}

fn is_intrinsic(key: &str) -> bool {
    key == "Ref" || key == "Condition" || key.starts_with("Fn::")
}

fn single_entry(node: &Node) -> Option<(&str, &Node)> {
    match node.entries() {
        [(k, v)] => Some((k.name.as_str(), v)),
        _ => None,
    }
}

fn unknown(node: &Node, expr: &str, reason: impl Into<String>) -> Node {
    Node::unknown(Unknown::new(expr, reason), node.origin.clone())
}

/// `{{resolve:service:…}}`: the value lives in an external store and is fetched at deploy time.
fn dynamic_reference(node: &Node, s: &str) -> Node {
    let start = s.find("{{resolve:").unwrap_or(0);
    let reference = s[start..]
        .split("}}")
        .next()
        .unwrap_or("")
        .trim_start_matches("{{");
    let service = reference.split(':').nth(1).unwrap_or("");
    let reason = match service {
        "secretsmanager" => "dynamic reference to AWS Secrets Manager",
        "ssm-secure" => "dynamic reference to an SSM SecureString parameter",
        "ssm" => "dynamic reference to an SSM parameter",
        _ => "dynamic reference",
    };
    let u = Unknown::new(reference.to_string(), reason)
        .secret_reference()
        .with_partial(s.to_string());
    Node::unknown(u, node.origin.clone())
}

/// A synthetic map node (used when SAM generates properties).
pub fn map_node(entries: Vec<(&str, Node)>, origin: &Origin) -> Node {
    Node::new(
        Val::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    (
                        Key {
                            name: k.to_string(),
                            origin: origin.clone(),
                        },
                        v,
                    )
                })
                .collect(),
        ),
        origin.clone(),
    )
}
