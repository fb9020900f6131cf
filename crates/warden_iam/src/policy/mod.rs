//! Policy grammar: a JSON policy document parsed into statements with compiled patterns.
//!
//! Every element AWS allows as a string or a list accepts both. Each statement keeps its index in
//! the document and its `Sid`, so a caller can map a finding back to its source position.

mod condition;
mod parse;
mod principal;

pub use condition::{BaseOp, Compiled, CondValue, ConditionClause, Family, Operator, SetOp};
pub use principal::{PrincipalMatch, PrincipalSpec};

use crate::arn::ArnPattern;
use crate::pattern::Glob;
use crate::request::{Context, Request};
use crate::template::Template;

/// A policy that could not be parsed; `path` is a JSON pointer into the document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct PolicyError {
    /// JSON pointer such as `/Statement/2/Effect`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// The policy language version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    /// `2012-10-17`: policy variables are honoured.
    V2012_10_17,
    /// `2008-10-17`.
    V2008_10_17,
    /// No `Version` element (treated like 2008-10-17).
    Missing,
    /// Anything else (rejected by AWS; kept for validation).
    Other(String),
}

impl Version {
    /// True when policy variables are substituted.
    pub fn supports_variables(&self) -> bool {
        matches!(self, Version::V2012_10_17)
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Effect {
    /// Allow.
    Allow,
    /// Deny.
    Deny,
}

/// One action pattern (`s3:Get*`), matched case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPattern {
    /// As written.
    pub raw: String,
    /// Lower-cased service part (`*` for a bare `*`).
    pub service: Glob,
    /// Lower-cased action part.
    pub name: Glob,
    /// Lower-cased whole pattern.
    pub full: Glob,
}

impl ActionPattern {
    /// Compiles an action pattern.
    pub fn new(raw: &str) -> ActionPattern {
        let lower = raw.to_ascii_lowercase();
        let (svc, name) = lower.split_once(':').unwrap_or((lower.as_str(), "*"));
        let svc_is_star = lower == "*";
        ActionPattern {
            raw: raw.to_owned(),
            service: Glob::new(svc),
            name: if svc_is_star {
                Glob::Any
            } else {
                Glob::new(name)
            },
            full: Glob::new(&lower),
        }
    }

    /// Matches a lower-cased `service:action`.
    pub fn matches(&self, action_lower: &str) -> bool {
        self.full.matches(action_lower)
    }
}

/// One resource pattern; variables (when the version allows them) resolve per request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourcePattern {
    /// As written.
    pub raw: String,
    /// Compiled pattern (of the raw text when there is no template).
    pub compiled: ArnPattern,
    /// Present when the text uses policy variables or escapes.
    pub template: Option<Template>,
}

impl ResourcePattern {
    /// Compiles a resource pattern.
    pub fn new(raw: &str, variables: bool) -> ResourcePattern {
        let template = if variables {
            Template::parse(raw)
        } else {
            None
        };
        ResourcePattern {
            raw: raw.to_owned(),
            compiled: ArnPattern::new(raw),
            template,
        }
    }

    /// True when this pattern is an unresolved template value (`{{unknown:…}}`).
    pub fn is_unknown(&self) -> bool {
        self.raw.contains("{{unknown:")
    }

    /// Matches the request's resource; `None` when a policy variable has no value.
    pub fn matches(&self, req: &Request) -> Option<bool> {
        let full = req.match_resource();
        let fields = req.match_fields();
        match &self.template {
            None => Some(self.compiled.matches(full, fields.as_ref())),
            Some(t) => {
                let mut chars = Vec::new();
                t.resolve_chars(&req.context, true, &mut chars)?;
                Some(ArnPattern::from_chars(&chars).matches(full, fields.as_ref()))
            }
        }
    }
}

/// `Action` or `NotAction`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionElement {
    /// `Action`.
    Action(Vec<ActionPattern>),
    /// `NotAction`.
    NotAction(Vec<ActionPattern>),
}

impl ActionElement {
    /// True when the element applies to the lower-cased action.
    pub fn matches(&self, action_lower: &str) -> bool {
        match self {
            ActionElement::Action(p) => p.iter().any(|p| p.matches(action_lower)),
            ActionElement::NotAction(p) => !p.iter().any(|p| p.matches(action_lower)),
        }
    }

    /// The patterns.
    pub fn patterns(&self) -> &[ActionPattern] {
        match self {
            ActionElement::Action(p) | ActionElement::NotAction(p) => p,
        }
    }

    /// True for `NotAction`.
    pub fn is_not(&self) -> bool {
        matches!(self, ActionElement::NotAction(_))
    }
}

/// `Resource` or `NotResource`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceElement {
    /// `Resource`.
    Resource(Vec<ResourcePattern>),
    /// `NotResource`.
    NotResource(Vec<ResourcePattern>),
}

impl ResourceElement {
    /// True when the element applies to the request's resource. A policy variable without a
    /// value makes its pattern unusable: `Resource` ignores that pattern, and `NotResource`
    /// does not apply at all (it cannot tell whether the resource is excluded).
    pub fn matches(&self, req: &Request) -> bool {
        match self {
            ResourceElement::Resource(p) => p.iter().any(|p| p.matches(req) == Some(true)),
            ResourceElement::NotResource(p) => p.iter().all(|pat| pat.matches(req) == Some(false)),
        }
    }

    /// The patterns.
    pub fn patterns(&self) -> &[ResourcePattern] {
        match self {
            ResourceElement::Resource(p) | ResourceElement::NotResource(p) => p,
        }
    }

    /// True for `NotResource`.
    pub fn is_not(&self) -> bool {
        matches!(self, ResourceElement::NotResource(_))
    }
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalElement {
    /// `Principal`.
    Principal(PrincipalSpec),
    /// `NotPrincipal`.
    NotPrincipal(PrincipalSpec),
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Position in the document's `Statement` list (0 for a lone object).
    pub index: usize,
    /// `Sid`, if any.
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// `Principal`/`NotPrincipal`, if any.
    pub principal: Option<PrincipalElement>,
    /// `Action`/`NotAction`.
    pub action: ActionElement,
    /// `Resource`/`NotResource`; absent (trust policies) means every resource.
    pub resource: Option<ResourceElement>,
    /// `Condition` clauses (all must hold).
    pub conditions: Vec<ConditionClause>,
}

impl Statement {
    /// True when every condition clause holds for the context.
    pub fn conditions_hold(&self, ctx: &Context) -> bool {
        self.conditions.iter().all(|c| c.evaluate(ctx))
    }

    /// Action, resource and condition match (the principal is checked by the caller).
    pub fn applies(&self, req: &Request) -> bool {
        self.action.matches(req.action_lower())
            && self.resource.as_ref().is_none_or(|r| r.matches(req))
            && self.conditions_hold(&req.context)
    }
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// `Version`.
    pub version: Version,
    /// `Id`, if any.
    pub id: Option<String>,
    /// Statements in document order.
    pub statements: Vec<Statement>,
    /// True when `Statement` was a lone object rather than a list.
    pub single_statement: bool,
}

impl Policy {
    /// Parses a policy document.
    pub fn parse(doc: &serde_json::Value) -> Result<Policy, PolicyError> {
        parse::parse_policy(doc)
    }

    /// Parses a policy document from JSON text.
    pub fn from_json_str(text: &str) -> Result<Policy, PolicyError> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| PolicyError {
            path: String::new(),
            message: format!("invalid JSON: {e}"),
        })?;
        Policy::parse(&v)
    }

    /// A JSON pointer to a statement, for mapping back to the source.
    pub fn statement_pointer(&self, statement_index: usize) -> String {
        if self.single_statement {
            "/Statement".to_owned()
        } else {
            format!("/Statement/{statement_index}")
        }
    }
}

impl<'de> serde::Deserialize<'de> for Policy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Policy, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Policy::parse(&v).map_err(serde::de::Error::custom)
    }
}
