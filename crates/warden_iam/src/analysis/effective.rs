//! Effective permissions of a principal and the findings read off single statements and actions.

use super::actions::{EffectiveActions, Grant, GrantTable};
use super::expand::ActionSet;
use super::index::{CatalogIndex, index};
use super::limits::{ConditionEffect, classify_conditions, pattern_covers_format, pattern_service};
use super::{Finding, FindingKind, PrincipalPolicies, Severity};
use crate::catalog::{AccessLevel, Catalog, catalog};
use crate::policy::{ActionElement, Effect, Policy, ResourceElement, ResourcePattern, Statement};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Per-statement answers to "does this `Resource` cover every resource of a type", cached per
/// resource type (dense numbering from the catalog index).
struct Breadth<'a> {
    /// `None` when the statement covers every resource (`*`, no `Resource`, `NotResource`).
    pats: Option<&'a [ResourcePattern]>,
    /// 0 not computed, 1 no, 2 yes; allocated on first use.
    cache: Vec<u8>,
}

impl<'a> Breadth<'a> {
    fn new(st: &'a Statement) -> Breadth<'a> {
        let pats = match &st.resource {
            None | Some(ResourceElement::NotResource(_)) => None,
            Some(ResourceElement::Resource(p)) => {
                if p.iter().any(|p| p.compiled.is_any() && !p.is_unknown()) {
                    None
                } else {
                    Some(p.as_slice())
                }
            }
        };
        Breadth {
            pats,
            cache: Vec::new(),
        }
    }

    /// True when the statement covers every resource of one of action `i`'s types (`cat` is
    /// the catalog `ix` was built from).
    fn unconstrained(&mut self, cat: &Catalog, ix: &CatalogIndex, i: usize) -> bool {
        let Some(pats) = self.pats else { return true };
        if self.cache.is_empty() {
            self.cache = vec![0; ix.type_count];
        }
        for &t in ix.types_of(i) {
            let t = t as usize;
            let hit = match self.cache.get(t).copied() {
                Some(1) => false,
                Some(2) => true,
                _ => {
                    let fmt = ix.format_of(cat, t);
                    let service = ix.type_services.get(t).and_then(Option::as_deref);
                    let v = pats.iter().any(|p| {
                        // Exact fast reject on the service field, then the full check.
                        let excluded = matches!(
                            (service, pattern_service(&p.compiled)),
                            (Some(s), Some(g)) if !g.matches(s)
                        );
                        !excluded && pattern_covers_format(p, fmt)
                    });
                    if let Some(c) = self.cache.get_mut(t) {
                        *c = if v { 2 } else { 1 };
                    }
                    v
                }
            };
            if hit {
                return true;
            }
        }
        false
    }
}

/// Actions a set of policies allows on every resource (or at all), for boundaries and SCPs.
fn gate_sets(cat: &Catalog, ix: &CatalogIndex, policies: &[&Policy]) -> (ActionSet, ActionSet) {
    let mut any = ActionSet::empty(cat);
    let mut broad = ActionSet::empty(cat);
    for p in policies {
        for st in p.statements.iter().filter(|s| s.effect == Effect::Allow) {
            let set = ActionSet::of_element(cat, &st.action);
            let mut b = Breadth::new(st);
            for i in set.iter() {
                any.insert(i);
                if b.unconstrained(cat, ix, i) {
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

pub(super) fn compute(p: &PrincipalPolicies) -> EffectiveActions {
    let cat = catalog();
    let ix = index();
    let mut all: Vec<&Policy> = p.identity.iter().collect();
    if let Some(b) = &p.boundary {
        all.push(b);
    }
    for l in &p.scps {
        all.extend(l.policies.iter());
    }
    // `usable`: allowed by every gate and not denied; `broad`: every gate allows it on every
    // resource (otherwise a grant is narrowed by the gate, never unconstrained).
    let mut usable = ActionSet::full(cat);
    usable.subtract(&denied(cat, &all));
    let mut broad = ActionSet::full(cat);
    let gates = p.boundary.iter().map(|b| gate_sets(cat, ix, &[b])).chain(
        p.scps
            .iter()
            .map(|l| gate_sets(cat, ix, &l.policies.iter().collect::<Vec<_>>())),
    );
    for (g_any, g_broad) in gates {
        usable.intersect_with(&g_any);
        broad.intersect_with(&g_broad);
    }
    let mut table = GrantTable::new();
    for (pi, pol) in p.identity.iter().enumerate() {
        for st in pol.statements.iter().filter(|s| s.effect == Effect::Allow) {
            let (condition, limited_by) = classify_conditions(st);
            let mut set = ActionSet::of_element(cat, &st.action);
            set.intersect_with(&usable);
            let mut breadth = Breadth::new(st);
            let grant = Grant {
                policy_index: pi,
                statement_index: st.index,
                unconstrained: false,
                condition,
                limited_by,
            };
            table.add(&set, &grant, |i| {
                broad.contains(i) && breadth.unconstrained(cat, ix, i)
            });
        }
    }
    table.finish()
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

/// The catalog actions of the credentials and exfiltration lists.
fn lists() -> &'static (ActionSet, ActionSet) {
    static LISTS: OnceLock<(ActionSet, ActionSet)> = OnceLock::new();
    LISTS.get_or_init(|| {
        let cat = catalog();
        (
            CatalogIndex::set_of(cat, CREDENTIALS),
            CatalogIndex::set_of(cat, EXFILTRATION),
        )
    })
}

fn writes_resource_policy(prefix: &str, n: &str) -> bool {
    prefix != "iam"
        && ["Policy", "Permission", "Acl", "Grant"]
            .iter()
            .any(|w| n.contains(w))
        && !n.starts_with("Get")
        && !n.starts_with("List")
        && !n.starts_with("Describe")
}

pub(super) fn action_findings(eff: &EffectiveActions, out: &mut Vec<Finding>) {
    type Key = (FindingKind, usize, usize, ConditionEffect);
    let mut groups: BTreeMap<Key, (Vec<String>, Vec<String>)> = BTreeMap::new();
    let (credentials, exfiltration) = lists();
    for (info, a) in eff.iter() {
        let Some(g) = a.best() else { continue };
        let broad = g.unconstrained;
        let kind = if credentials.contains(info.index) && (broad || !a.resource_level) {
            Some(FindingKind::CredentialsExposure)
        } else if exfiltration.contains(info.index) && broad {
            Some(FindingKind::DataExfiltration)
        } else if a.level == AccessLevel::PermissionsManagement
            && broad
            && writes_resource_policy(&info.service().prefix, info.name())
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
            e.0.push(info.full_name());
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
