//! JSON → [`Policy`]: strings-or-lists, element exclusivity, and JSON-pointer error paths.

use super::condition::parse_condition_block;
use super::principal::parse_principal;
use super::{
    ActionElement, ActionPattern, Effect, Policy, PolicyError, PrincipalElement, ResourceElement,
    ResourcePattern, Statement, Version,
};
use serde_json::{Map, Value};

pub(super) fn err(path: &str, message: impl Into<String>) -> PolicyError {
    PolicyError {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// A scalar as AWS reads it: strings as is, numbers and booleans in their JSON text.
pub(super) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string or a list of strings.
pub(super) fn string_list(v: &Value, path: &str) -> Result<Vec<String>, PolicyError> {
    match v {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, x)| scalar(x).ok_or_else(|| err(&format!("{path}/{i}"), "expected a string")))
            .collect(),
        other => scalar(other)
            .map(|s| vec![s])
            .ok_or_else(|| err(path, "expected a string or a list of strings")),
    }
}

pub(super) fn parse_policy(doc: &Value) -> Result<Policy, PolicyError> {
    let obj = doc
        .as_object()
        .ok_or_else(|| err("", "a policy must be a JSON object"))?;
    let mut version = Version::Missing;
    let mut id = None;
    let mut stmts = None;
    for (k, v) in obj {
        match k.as_str() {
            "Version" => {
                version = match v.as_str() {
                    Some("2012-10-17") => Version::V2012_10_17,
                    Some("2008-10-17") => Version::V2008_10_17,
                    Some(other) => Version::Other(other.to_owned()),
                    None => return Err(err("/Version", "expected a string")),
                }
            }
            "Id" => id = Some(scalar(v).ok_or_else(|| err("/Id", "expected a string"))?),
            "Statement" => stmts = Some(v),
            other => {
                return Err(err(
                    &format!("/{}", escape(other)),
                    format!("unknown policy element `{other}`"),
                ));
            }
        }
    }
    let stmts = stmts.ok_or_else(|| err("", "missing `Statement`"))?;
    let vars = version.supports_variables();
    let (statements, single) = match stmts {
        Value::Array(list) => {
            let mut out = Vec::with_capacity(list.len());
            for (i, s) in list.iter().enumerate() {
                out.push(parse_statement(s, i, &format!("/Statement/{i}"), vars)?);
            }
            (out, false)
        }
        Value::Object(_) => (vec![parse_statement(stmts, 0, "/Statement", vars)?], true),
        _ => return Err(err("/Statement", "expected an object or a list of objects")),
    };
    Ok(Policy {
        version,
        id,
        statements,
        single_statement: single,
    })
}

fn escape(k: &str) -> String {
    k.replace('~', "~0").replace('/', "~1")
}

fn parse_statement(
    v: &Value,
    index: usize,
    path: &str,
    vars: bool,
) -> Result<Statement, PolicyError> {
    let obj: &Map<String, Value> = v
        .as_object()
        .ok_or_else(|| err(path, "a statement must be an object"))?;
    let mut sid = None;
    let mut effect = None;
    let mut principal = None;
    let mut action = None;
    let mut resource = None;
    let mut conditions = Vec::new();
    let dup = |p: &str, what: &str| {
        err(
            p,
            format!("`{what}` cannot be combined with its `Not` form"),
        )
    };
    for (k, val) in obj {
        let p = format!("{path}/{}", escape(k));
        match k.as_str() {
            "Sid" => sid = Some(scalar(val).ok_or_else(|| err(&p, "expected a string"))?),
            "Effect" => {
                effect = Some(match val.as_str() {
                    Some("Allow") => Effect::Allow,
                    Some("Deny") => Effect::Deny,
                    _ => return Err(err(&p, "`Effect` must be \"Allow\" or \"Deny\"")),
                })
            }
            "Principal" | "NotPrincipal" => {
                if principal.is_some() {
                    return Err(dup(&p, "Principal"));
                }
                let spec = parse_principal(val, &p)?;
                principal = Some(if k == "Principal" {
                    PrincipalElement::Principal(spec)
                } else {
                    PrincipalElement::NotPrincipal(spec)
                });
            }
            "Action" | "NotAction" => {
                if action.is_some() {
                    return Err(dup(&p, "Action"));
                }
                let pats = string_list(val, &p)?
                    .iter()
                    .map(|s| ActionPattern::new(s))
                    .collect();
                action = Some(if k == "Action" {
                    ActionElement::Action(pats)
                } else {
                    ActionElement::NotAction(pats)
                });
            }
            "Resource" | "NotResource" => {
                if resource.is_some() {
                    return Err(dup(&p, "Resource"));
                }
                let pats = string_list(val, &p)?
                    .iter()
                    .map(|s| ResourcePattern::new(s, vars))
                    .collect();
                resource = Some(if k == "Resource" {
                    ResourceElement::Resource(pats)
                } else {
                    ResourceElement::NotResource(pats)
                });
            }
            "Condition" => conditions = parse_condition_block(val, &p, vars)?,
            other => return Err(err(&p, format!("unknown statement element `{other}`"))),
        }
    }
    let effect = effect.ok_or_else(|| err(path, "missing `Effect`"))?;
    let action = action.ok_or_else(|| err(path, "missing `Action` or `NotAction`"))?;
    Ok(Statement {
        index,
        sid,
        effect,
        principal,
        action,
        resource,
        conditions,
    })
}
