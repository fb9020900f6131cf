//! Effective permissions of a principal and the findings read off single statements and actions.

use super::expand::ActionSet;
use super::limits::{ConditionEffect, classify_conditions, pattern_covers_format};
use super::{Finding, FindingKind, PrincipalPolicies, Severity};
use crate::catalog::{AccessLevel, ActionInfo, Catalog, catalog};
use crate::policy::{ActionElement, Effect, Policy, ResourceElement, Statement};
use std::collections::{BTreeMap, HashMap};

/// One statement granting an action.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Grant {
    /// Policy index.
    pub policy_index: usize,
    /// Statement index.
    pub statement_index: usize,
    /// True when the grant covers every resource of the action's type.
    pub unconstrained: bool,
    /// How the statement's conditions bear on it.
    pub condition: ConditionEffect,
    /// Limiting condition keys.
    pub limited_by: Vec<String>,
}

/// An action the principal may perform.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EffectiveAction {
    /// Access level.
    pub level: AccessLevel,
    /// Whether the action supports resource-level permissions.
    pub resource_level: bool,
    /// Statements granting it.
    pub grants: Vec<Grant>,
}

impl EffectiveAction {
    /// The broadest grant: unconstrained first, then the least limiting condition.
    pub fn best(&self) -> Option<&Grant> {
        self.grants.iter().min_by_key(|g| {
            (
                !g.unconstrained,
                g.condition == ConditionEffect::Limiting,
                g.policy_index,
                g.statement_index,
            )
        })
    }

    /// True when some grant covers every resource of the action's type.
    pub fn unconstrained(&self) -> bool {
        self.grants.iter().any(|g| g.unconstrained)
    }
}

/// Per-statement cache of "does this `Resource` cover every resource of a type".
struct Breadth<'a> {
    st: &'a Statement,
    cache: HashMap<(usize, u16), bool>,
}

impl Breadth<'_> {
    fn unconstrained(&mut self, a: ActionInfo<'_>) -> bool {
        let pats = match &self.st.resource {
            None | Some(ResourceElement::NotResource(_)) => return true,
            Some(ResourceElement::Resource(p)) => p,
        };
        if pats.iter().any(|p| p.compiled.is_any() && !p.is_unknown()) {
            return true;
        }
        let svc = a.catalog.actions[a.index].service;
        let types: Vec<u16> = a.catalog.actions[a.index]
            .resources
            .iter()
            .map(|(i, _)| *i)
            .collect();
        types.into_iter().any(|rt| {
            *self.cache.entry((svc, rt)).or_insert_with(|| {
                let fmt = &a.catalog.services[svc]
                    .resource_types
                    .get(usize::from(rt))
                    .map(|r| r.arn_format.as_str())
                    .unwrap_or("");
                pats.iter().any(|p| pattern_covers_format(p, fmt))
            })
        })
    }
}

/// Actions a set of policies allows on every resource (or at all), for boundaries and SCPs.
fn gate_sets(cat: &Catalog, policies: &[&Policy]) -> (ActionSet, ActionSet) {
    let mut any = ActionSet::empty(cat);
    let mut broad = ActionSet::empty(cat);
    for p in policies {
        for st in p.statements.iter().filter(|s| s.effect == Effect::Allow) {
            let set = ActionSet::of_element(cat, &st.action);
            let mut b = Breadth {
                st,
                cache: HashMap::new(),
            };
            for i in set.iter() {
                any.insert(i);
                if b.unconstrained(ActionInfo {
                    catalog: cat,
                    index: i,
                }) {
                    broad.insert(i);
                }
            }
        }
    }
    (any, broad)
}

/// Actions removed by unconditional denies on every resource.
fn denied(cat: &Catalog, policies: &[&Policy]) -> ActionSet {
    let mut out = ActionSet::empty(cat);
    for p in policies {
        for st in p
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Deny && s.conditions.is_empty())
        {
            let all_res = match &st.resource {
                None => true,
                Some(ResourceElement::Resource(ps)) => ps.iter().any(|p| p.compiled.is_any()),
                Some(ResourceElement::NotResource(ps)) => ps.is_empty(),
            };
            if all_res {
                for i in ActionSet::of_element(cat, &st.action).iter() {
                    out.insert(i);
                }
            }
        }
    }
    out
}

pub(super) fn compute(p: &PrincipalPolicies) -> BTreeMap<String, EffectiveAction> {
    let cat = catalog();
    let mut out: BTreeMap<String, EffectiveAction> = BTreeMap::new();
    let mut all: Vec<&Policy> = p.identity.iter().collect();
    if let Some(b) = &p.boundary {
        all.push(b);
    }
    for l in &p.scps {
        all.extend(l.policies.iter());
    }
    let removed = denied(cat, &all);
    let boundary = p.boundary.as_ref().map(|b| gate_sets(cat, &[b]));
    let scps: Vec<(ActionSet, ActionSet)> = p
        .scps
        .iter()
        .map(|l| gate_sets(cat, &l.policies.iter().collect::<Vec<_>>()))
        .collect();
    for (pi, pol) in p.identity.iter().enumerate() {
        for st in pol.statements.iter().filter(|s| s.effect == Effect::Allow) {
            let (condition, limited_by) = classify_conditions(st);
            let set = ActionSet::of_element(cat, &st.action);
            let mut breadth = Breadth {
                st,
                cache: HashMap::new(),
            };
            for i in set.iter() {
                if removed.contains(i) {
                    continue;
                }
                let gates = boundary.iter().chain(scps.iter());
                let mut narrowed = false;
                let mut blocked = false;
                for (any, broad) in gates {
                    blocked |= !any.contains(i);
                    narrowed |= !broad.contains(i);
                }
                if blocked {
                    continue;
                }
                let info = ActionInfo {
                    catalog: cat,
                    index: i,
                };
                let unconstrained = !narrowed && breadth.unconstrained(info);
                let e = out
                    .entry(info.full_name())
                    .or_insert_with(|| EffectiveAction {
                        level: info.level(),
                        resource_level: info.has_resource_types(),
                        grants: Vec::new(),
                    });
                e.grants.push(Grant {
                    policy_index: pi,
                    statement_index: st.index,
                    unconstrained,
                    condition,
                    limited_by: limited_by.clone(),
                });
            }
        }
    }
    out
}

fn severity_for(base: Severity, condition: ConditionEffect) -> Severity {
    if condition == ConditionEffect::Limiting {
        base.lowered()
    } else {
        base
    }
}

fn condition_note(condition: ConditionEffect, keys: &[String], st: &Statement) -> String {
    match condition {
        ConditionEffect::Limiting => format!(
            " (granted only when its condition on {} holds)",
            keys.join(", ")
        ),
        ConditionEffect::NonLimiting => {
            let ks: Vec<&str> = st.conditions.iter().map(|c| c.key.as_str()).collect();
            format!(
                " (its condition on {} does not limit who can use it)",
                ks.join(", ")
            )
        }
        ConditionEffect::None => String::new(),
    }
}

/// True when the statement allows every action on every resource.
pub(super) fn is_admin_equivalent(st: &Statement) -> bool {
    let all_actions = match &st.action {
        ActionElement::Action(ps) => ps.iter().any(|p| p.full.is_any()),
        ActionElement::NotAction(_) => true,
    };
    let all_resources = match &st.resource {
        None | Some(ResourceElement::NotResource(_)) => true,
        Some(ResourceElement::Resource(ps)) => {
            ps.iter().any(|p| p.compiled.is_any() && !p.is_unknown())
        }
    };
    st.effect == Effect::Allow && all_actions && all_resources
}

pub(super) fn statement_findings(p: &PrincipalPolicies, out: &mut Vec<Finding>) {
    for (pi, pol) in p.identity.iter().enumerate() {
        for st in pol.statements.iter().filter(|s| s.effect == Effect::Allow) {
            let (cond, keys) = classify_conditions(st);
            let note = condition_note(cond, &keys, st);
            if is_admin_equivalent(st) {
                let what = if st.action.is_not() {
                    let ex: Vec<&str> = st
                        .action
                        .patterns()
                        .iter()
                        .map(|p| p.raw.as_str())
                        .collect();
                    format!(
                        "allows every action except {} on every resource",
                        ex.join(", ")
                    )
                } else {
                    "allows every action on every resource".to_owned()
                };
                out.push(Finding {
                    kind: FindingKind::AdminEquivalent,
                    severity: severity_for(Severity::Critical, cond),
                    message: format!("statement {what}: administrator-equivalent{note}"),
                    policy_index: pi,
                    statement_index: st.index,
                    actions: st.action.patterns().iter().map(|p| p.raw.clone()).collect(),
                    limited_by: keys,
                });
                continue;
            }
            if let ActionElement::Action(ps) = &st.action {
                for pat in ps
                    .iter()
                    .filter(|p| p.service.is_exact() && p.name.is_any())
                {
                    let star_res = match &st.resource {
                        None | Some(ResourceElement::NotResource(_)) => true,
                        Some(ResourceElement::Resource(rs)) => {
                            rs.iter().any(|r| r.compiled.is_any() && !r.is_unknown())
                        }
                    };
                    let base = if star_res {
                        Severity::High
                    } else {
                        Severity::Medium
                    };
                    out.push(Finding {
                        kind: FindingKind::ServiceWildcard,
                        severity: severity_for(base, cond),
                        message: format!(
                            "`{}` allows every action of the service{}{note}",
                            pat.raw,
                            if star_res { " on every resource" } else { "" }
                        ),
                        policy_index: pi,
                        statement_index: st.index,
                        actions: vec![pat.raw.clone()],
                        limited_by: keys.clone(),
                    });
                }
            }
        }
    }
}

const CREDENTIALS: &[&str] = &[
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "ecr:GetAuthorizationToken",
    "redshift:GetClusterCredentials",
    "redshift-serverless:GetCredentials",
    "sts:GetSessionToken",
    "sts:GetFederationToken",
    "sso:GetRoleCredentials",
    "cognito-identity:GetCredentialsForIdentity",
    "ec2:GetPasswordData",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "rds-db:Connect",
    "codepipeline:PollForJobs",
    "gamelift:RequestUploadCredentials",
    "ec2-instance-connect:SendSSHPublicKey",
];

const EXFILTRATION: &[&str] = &[
    "s3:GetObject",
    "s3:GetObjectVersion",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "secretsmanager:GetSecretValue",
    "dynamodb:Scan",
    "dynamodb:Query",
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
];

fn writes_resource_policy(name: &str) -> bool {
    let n = name.split(':').nth(1).unwrap_or_default();
    !name.starts_with("iam:")
        && ["Policy", "Permission", "Acl", "Grant"]
            .iter()
            .any(|w| n.contains(w))
        && !n.starts_with("Get")
        && !n.starts_with("List")
        && !n.starts_with("Describe")
}

pub(super) fn action_findings(eff: &BTreeMap<String, EffectiveAction>, out: &mut Vec<Finding>) {
    type Key = (FindingKind, usize, usize, ConditionEffect);
    let mut groups: BTreeMap<Key, (Vec<String>, Vec<String>)> = BTreeMap::new();
    let is = |list: &[&str], name: &str| list.iter().any(|a| a.eq_ignore_ascii_case(name));
    for (name, a) in eff {
        let Some(g) = a.best() else { continue };
        let broad = g.unconstrained;
        let kind = if is(CREDENTIALS, name) && (broad || !a.resource_level) {
            Some(FindingKind::CredentialsExposure)
        } else if is(EXFILTRATION, name) && broad {
            Some(FindingKind::DataExfiltration)
        } else if a.level == AccessLevel::PermissionsManagement
            && broad
            && writes_resource_policy(name)
        {
            Some(FindingKind::ResourceExposure)
        } else if a.level == AccessLevel::PermissionsManagement && broad {
            Some(FindingKind::UnconstrainedPermissionsManagement)
        } else if a.level == AccessLevel::Write && broad && a.resource_level {
            Some(FindingKind::UnconstrainedWrite)
        } else {
            None
        };
        if let Some(kind) = kind {
            let e = groups
                .entry((kind, g.policy_index, g.statement_index, g.condition))
                .or_default();
            e.0.push(name.clone());
            for k in &g.limited_by {
                if !e.1.contains(k) {
                    e.1.push(k.clone());
                }
            }
        }
    }
    for ((kind, pi, si, cond), (actions, keys)) in groups {
        let (base, what) = match kind {
            FindingKind::CredentialsExposure => (Severity::High, "may create or read credentials"),
            FindingKind::DataExfiltration => (Severity::High, "may read data on every resource"),
            FindingKind::ResourceExposure => (
                Severity::High,
                "may rewrite resource policies on every resource",
            ),
            FindingKind::UnconstrainedPermissionsManagement => {
                (Severity::High, "may manage permissions on every resource")
            }
            _ => (Severity::Medium, "may write to every resource"),
        };
        let shown: Vec<&str> = actions.iter().take(8).map(String::as_str).collect();
        let more = if actions.len() > 8 {
            format!(" and {} more", actions.len() - 8)
        } else {
            String::new()
        };
        let note = match cond {
            ConditionEffect::Limiting => format!(
                " (granted only when its condition on {} holds)",
                keys.join(", ")
            ),
            ConditionEffect::NonLimiting => {
                " (its conditions do not limit who can use it)".to_owned()
            }
            ConditionEffect::None => String::new(),
        };
        let mut listed = actions.clone();
        listed.truncate(50);
        out.push(Finding {
            kind,
            severity: severity_for(base, cond),
            message: format!("principal {what}: {}{more}{note}", shown.join(", ")),
            policy_index: pi,
            statement_index: si,
            actions: listed,
            limited_by: keys,
        });
    }
}
