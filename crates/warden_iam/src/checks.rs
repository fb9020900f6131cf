//! Offline equivalents of Access Analyzer's custom policy checks.
//!
//! * [`no_new_access`]: policy A grants nothing that policy B does not.
//! * [`access_not_granted`]: a policy grants none of the listed actions (on the listed resources).
//! * [`no_public_access`]: a resource policy grants nothing to everyone.
//!
//! The first two evaluate sample requests: every catalog action a statement of A names, on a
//! resource built from each of A's resource patterns (wildcards filled in) or from the action's
//! documented ARN formats, with a context satisfying A's conditions.

use crate::analysis::{FindingKind, Severity, analyze_resource_policy, expand::ActionSet};
use crate::catalog::{ActionInfo, catalog};
use crate::eval::{PolicySet, evaluate};
use crate::policy::{Effect, Policy, ResourceElement};
use crate::request::{Context, Request};

/// The result of a check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckResult {
    /// True when the check passes.
    pub pass: bool,
    /// Why it fails (empty when it passes).
    pub reasons: Vec<String>,
}

const PRINCIPAL: &str = "arn:aws:iam::123456789012:role/warden-check";

fn sample_from_pattern(p: &str) -> String {
    p.replace("${", "")
        .replace('}', "")
        .replace(['*', '?'], "x")
}

fn samples_for(action: ActionInfo<'_>, resource: &Option<ResourceElement>) -> Vec<String> {
    let mut out = Vec::new();
    match resource {
        Some(ResourceElement::Resource(ps)) => {
            for p in ps {
                if p.compiled.is_any() {
                    out.extend(format_samples(action));
                    out.push("*".to_owned());
                } else {
                    out.push(sample_from_pattern(&p.raw));
                }
            }
        }
        _ => {
            out.extend(format_samples(action));
            out.push("*".to_owned());
        }
    }
    out
}

fn format_samples(action: ActionInfo<'_>) -> Vec<String> {
    action
        .resource_types()
        .map(|(rt, _)| {
            let mut s = rt.arn_format.clone();
            for (var, val) in [
                ("${Partition}", "aws"),
                ("${Region}", "us-east-1"),
                ("${Account}", "123456789012"),
            ] {
                s = s.replace(var, val);
            }
            while let (Some(a), Some(b)) = (s.find("${"), s.find('}')) {
                if b < a {
                    break;
                }
                s.replace_range(a..=b, "sample");
            }
            s
        })
        .collect()
}

fn satisfying_context(p: &Policy) -> Context {
    let mut ctx = Context::default();
    for st in &p.statements {
        for c in &st.conditions {
            if c.operator.base.negated() || ctx.get(&c.key_lower).is_some() {
                continue;
            }
            if let Some(v) = c.values.first() {
                ctx.insert(&c.key, &sample_from_pattern(&v.raw));
            }
        }
    }
    ctx
}

/// Fails when `candidate` allows a sampled request that `reference` does not.
pub fn no_new_access(candidate: &Policy, reference: &Policy) -> CheckResult {
    let cat = catalog();
    let ctx = satisfying_context(candidate);
    let a = PolicySet {
        identity: vec![candidate.clone()],
        ..Default::default()
    };
    let b = PolicySet {
        identity: vec![reference.clone()],
        ..Default::default()
    };
    let mut reasons = Vec::new();
    for st in candidate
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
    {
        for i in ActionSet::of_element(cat, &st.action).iter() {
            let info = ActionInfo {
                catalog: cat,
                index: i,
            };
            let name = info.full_name();
            for res in samples_for(info, &st.resource) {
                let req = Request::new(&name, &res, Some(PRINCIPAL), ctx.clone());
                if evaluate(&req, &a).is_allowed() && !evaluate(&req, &b).is_allowed() {
                    reasons.push(format!(
                        "statement {} grants {name} on {res}, which the reference policy does not",
                        st.index
                    ));
                    break;
                }
            }
            if reasons.len() >= 20 {
                return CheckResult {
                    pass: false,
                    reasons,
                };
            }
        }
    }
    CheckResult {
        pass: reasons.is_empty(),
        reasons,
    }
}

/// Fails when `policy` allows any of `actions` (patterns, expanded against the catalog) on any of
/// `resources` (any resource when empty).
pub fn access_not_granted(
    policy: &Policy,
    actions: &[String],
    resources: &[String],
) -> CheckResult {
    let cat = catalog();
    let ctx = satisfying_context(policy);
    let set = PolicySet {
        identity: vec![policy.clone()],
        ..Default::default()
    };
    let el = crate::policy::ActionElement::Action(
        actions
            .iter()
            .map(|a| crate::policy::ActionPattern::new(a))
            .collect(),
    );
    let mut reasons = Vec::new();
    for i in ActionSet::of_element(cat, &el).iter() {
        let info = ActionInfo {
            catalog: cat,
            index: i,
        };
        let name = info.full_name();
        let samples: Vec<String> = if resources.is_empty() {
            let mut s: Vec<String> = policy
                .statements
                .iter()
                .flat_map(|st| samples_for(info, &st.resource))
                .collect();
            s.extend(format_samples(info));
            s
        } else {
            resources.to_vec()
        };
        for res in samples {
            let req = Request::new(&name, &res, Some(PRINCIPAL), ctx.clone());
            let d = evaluate(&req, &set);
            if d.is_allowed() {
                let st = d.matched.first().map_or(0, |m| m.statement_index);
                reasons.push(format!("statement {st} grants {name} on {res}"));
                break;
            }
        }
    }
    CheckResult {
        pass: reasons.is_empty(),
        reasons,
    }
}

/// Fails when a resource policy grants anything to everyone without a limiting condition.
pub fn no_public_access(policy: &Policy) -> CheckResult {
    let reasons: Vec<String> = analyze_resource_policy(policy, None)
        .into_iter()
        .filter(|f| f.kind == FindingKind::PublicResourcePolicy && f.severity >= Severity::Medium)
        .map(|f| format!("statement {}: {}", f.statement_index, f.message))
        .collect();
    CheckResult {
        pass: reasons.is_empty(),
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(v: serde_json::Value) -> Policy {
        Policy::parse(&v).unwrap()
    }

    #[test]
    fn checks() {
        let narrow = p(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}),
        );
        let broad = p(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}),
        );
        assert!(no_new_access(&narrow, &broad).pass);
        let r = no_new_access(&broad, &narrow);
        assert!(!r.pass && !r.reasons.is_empty());
        assert!(access_not_granted(&narrow, &["s3:PutObject".to_owned()], &[]).pass);
        assert!(!access_not_granted(&narrow, &["s3:GetObject".to_owned()], &[]).pass);
        assert!(
            access_not_granted(
                &narrow,
                &["s3:GetObject".to_owned()],
                &["arn:aws:s3:::other/k".to_owned()]
            )
            .pass
        );
        let public = p(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}),
        );
        assert!(!no_public_access(&public).pass);
        let org = p(
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-123"}}}]}),
        );
        assert!(no_public_access(&org).pass);
    }
}
