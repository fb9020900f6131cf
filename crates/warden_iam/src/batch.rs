//! The JSON case format of `warden iam eval --batch` (one case a line) and its result format.
//!
//! Case: `{"request": {"action", "resource", "principal" (ARN, service principal or null),
//! "principalAccount"?, "resourceAccount"?, "context": {key: string | [strings]}},
//! "identityPolicies": [policy…], "resourcePolicy"?, "permissionBoundaries"?: [policy…],
//! "serviceControlPolicies"?: [{"orgIdentifier", "policies": [policy…]}…],
//! "resourceControlPolicies"?: same shape, "sessionPolicy"?, "endpointPolicies"?: [policy…]}`.
//!
//! Result: `{"decision": "Allowed"|"ImplicitlyDenied"|"ExplicitlyDenied", "matched": […],
//! "blockedBy"?: {"policyType", "level"?, "orgIdentifier"?}}`.

use crate::eval::{Decision, OrgLevel, PolicySet, evaluate};
use crate::policy::{Policy, PolicyError};
use crate::request::{Context, ContextValue, Request};
use serde_json::{Map, Value, json};

/// A case that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// Not JSON.
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A field is missing or has the wrong shape.
    #[error("{0}")]
    Shape(String),
    /// A policy did not parse.
    #[error("{field}{source}")]
    Policy {
        /// Where the policy sits in the case (`identityPolicies/0`).
        field: String,
        /// The policy error.
        source: PolicyError,
    },
}

/// A parsed case.
#[derive(Debug, Clone)]
pub struct Case {
    /// The request.
    pub request: Request,
    /// The policies.
    pub policies: PolicySet,
}

fn shape(msg: impl Into<String>) -> CaseError {
    CaseError::Shape(msg.into())
}

fn policy(v: &Value, field: &str) -> Result<Policy, CaseError> {
    Policy::parse(v).map_err(|source| CaseError::Policy {
        field: field.to_owned(),
        source,
    })
}

fn policy_list(v: Option<&Value>, field: &str) -> Result<Vec<Policy>, CaseError> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, p)| policy(p, &format!("{field}/{i}")))
            .collect(),
        Some(_) => Err(shape(format!("`{field}` must be a list of policies"))),
    }
}

fn levels(v: Option<&Value>, field: &str) -> Result<Vec<OrgLevel>, CaseError> {
    let items = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(shape(format!("`{field}` must be a list of levels"))),
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, lvl) in items.iter().enumerate() {
        let obj = lvl
            .as_object()
            .ok_or_else(|| shape(format!("`{field}/{i}` must be an object")))?;
        let org_identifier = obj
            .get("orgIdentifier")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let policies = policy_list(obj.get("policies"), &format!("{field}/{i}/policies"))?;
        out.push(OrgLevel {
            org_identifier,
            policies,
        });
    }
    Ok(out)
}

/// Reads a request context object.
pub fn context_from_json(v: Option<&Value>) -> Result<Context, CaseError> {
    let mut ctx = Context::default();
    let Some(v) = v else { return Ok(ctx) };
    if v.is_null() {
        return Ok(ctx);
    }
    let obj = v
        .as_object()
        .ok_or_else(|| shape("`request.context` must be an object"))?;
    for (k, val) in obj {
        let value = match val {
            Value::Array(items) => ContextValue::Multi(
                items
                    .iter()
                    .map(|x| {
                        scalar(x).ok_or_else(|| shape(format!("context `{k}`: expected strings")))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            other => ContextValue::Single(
                scalar(other).ok_or_else(|| shape(format!("context `{k}`: expected a string")))?,
            ),
        };
        ctx.set(k, value);
    }
    Ok(ctx)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Case {
    /// Parses one case from JSON text.
    pub fn from_json_str(text: &str) -> Result<Case, CaseError> {
        Case::from_json(&serde_json::from_str(text)?)
    }

    /// Parses one case.
    pub fn from_json(v: &Value) -> Result<Case, CaseError> {
        let obj: &Map<String, Value> = v
            .as_object()
            .ok_or_else(|| shape("a case must be a JSON object"))?;
        let req = obj
            .get("request")
            .and_then(Value::as_object)
            .ok_or_else(|| shape("missing `request` object"))?;
        let s = |k: &str| req.get(k).and_then(Value::as_str);
        let action = s("action").ok_or_else(|| shape("missing `request.action`"))?;
        let resource = s("resource").unwrap_or("*");
        let principal = match req.get("principal") {
            None | Some(Value::Null) => None,
            Some(Value::String(p)) => Some(p.as_str()),
            Some(_) => return Err(shape("`request.principal` must be a string or null")),
        };
        let context = context_from_json(req.get("context"))?;
        let request = Request::new(action, resource, principal, context)
            .with_principal_account(s("principalAccount"))
            .with_resource_account(s("resourceAccount"));
        let policies = PolicySet {
            identity: policy_list(obj.get("identityPolicies"), "identityPolicies")?,
            resource: match obj.get("resourcePolicy") {
                None | Some(Value::Null) => None,
                Some(p) => Some(policy(p, "resourcePolicy")?),
            },
            boundaries: policy_list(obj.get("permissionBoundaries"), "permissionBoundaries")?,
            scps: levels(obj.get("serviceControlPolicies"), "serviceControlPolicies")?,
            rcps: levels(
                obj.get("resourceControlPolicies"),
                "resourceControlPolicies",
            )?,
            session: match obj.get("sessionPolicy") {
                None | Some(Value::Null) => None,
                Some(p) => Some(policy(p, "sessionPolicy")?),
            },
            endpoints: policy_list(obj.get("endpointPolicies"), "endpointPolicies")?,
        };
        Ok(Case { request, policies })
    }

    /// Evaluates the case.
    pub fn evaluate(&self) -> Decision {
        evaluate(&self.request, &self.policies)
    }

    /// Evaluates the case and renders the result object.
    pub fn result_json(&self) -> Value {
        decision_json(&self.evaluate(), &self.policies)
    }
}

fn outcome_str(o: crate::eval::Outcome) -> &'static str {
    match o {
        crate::eval::Outcome::Allowed => "Allowed",
        crate::eval::Outcome::ImplicitlyDenied => "ImplicitlyDenied",
        crate::eval::Outcome::ExplicitlyDenied => "ExplicitlyDenied",
    }
}

fn find_policy<'a>(set: &'a PolicySet, r: &crate::eval::StatementRef) -> Option<&'a Policy> {
    use crate::eval::PolicyKind as K;
    match r.kind {
        K::Identity => set.identity.get(r.policy_index),
        K::Resource => set.resource.as_ref(),
        K::PermissionBoundary => set.boundaries.get(r.policy_index),
        K::Session => set.session.as_ref(),
        K::Endpoint => set.endpoints.get(r.policy_index),
        K::ServiceControl => set.scps.get(r.level?)?.policies.get(r.policy_index),
        K::ResourceControl => set.rcps.get(r.level?)?.policies.get(r.policy_index),
    }
}

/// Renders a decision as the batch result object.
pub fn decision_json(d: &Decision, set: &PolicySet) -> Value {
    let matched: Vec<Value> = d
        .matched
        .iter()
        .map(|r| {
            let mut m = Map::new();
            m.insert("policyType".into(), json!(r.kind.as_str()));
            if let Some(l) = r.level {
                m.insert("level".into(), json!(l));
            }
            m.insert("policyIndex".into(), json!(r.policy_index));
            m.insert("statementIndex".into(), json!(r.statement_index));
            let sid = find_policy(set, r)
                .and_then(|p| p.statements.get(r.statement_index))
                .and_then(|s| s.sid.clone());
            if let Some(sid) = sid {
                m.insert("sid".into(), json!(sid));
            }
            m.insert("effect".into(), json!(r.effect));
            Value::Object(m)
        })
        .collect();
    let mut out = Map::new();
    out.insert("decision".into(), json!(outcome_str(d.outcome)));
    out.insert("matched".into(), Value::Array(matched));
    if let Some(g) = d.blocked_by {
        let mut b = Map::new();
        b.insert("policyType".into(), json!(g.kind.as_str()));
        if let Some(l) = g.level {
            b.insert("level".into(), json!(l));
            let levels = match g.kind {
                crate::eval::PolicyKind::ServiceControl => &set.scps,
                _ => &set.rcps,
            };
            if let Some(lvl) = levels.get(l) {
                b.insert("orgIdentifier".into(), json!(lvl.org_identifier));
            }
        }
        out.insert("blockedBy".into(), Value::Object(b));
    }
    Value::Object(out)
}
