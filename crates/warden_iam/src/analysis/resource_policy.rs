//! Resource policies: public and cross-account grants, and service grants without a source
//! condition (confused deputy).

use super::limits::classify_conditions;
use super::{Finding, FindingKind, Severity};
use crate::arn::split_arn;
use crate::policy::{Effect, Policy, PrincipalElement};

fn account_of(v: &str) -> Option<&str> {
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v);
    }
    split_arn(v).map(|f| f[4]).filter(|a| !a.is_empty())
}

/// Analyses a resource policy owned by `account` (when known).
pub fn analyze_resource_policy(policy: &Policy, account: Option<&str>) -> Vec<Finding> {
    let mut out = Vec::new();
    for st in policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
    {
        let (cond, keys) = classify_conditions(st);
        let limited = cond == super::ConditionEffect::Limiting;
        let actions: Vec<String> = st.action.patterns().iter().map(|p| p.raw.clone()).collect();
        let spec = match &st.principal {
            Some(PrincipalElement::Principal(s)) => s,
            Some(PrincipalElement::NotPrincipal(_)) => {
                out.push(Finding {
                    kind: FindingKind::PublicResourcePolicy,
                    severity: if limited {
                        Severity::Medium
                    } else {
                        Severity::Critical
                    },
                    message:
                        "`Allow` with `NotPrincipal` grants everyone except the listed principals"
                            .to_owned(),
                    policy_index: 0,
                    statement_index: st.index,
                    actions,
                    limited_by: keys,
                });
                continue;
            }
            None => continue,
        };
        if spec.is_public() {
            let (severity, note) = if limited {
                (
                    Severity::Low,
                    format!(
                        " unless its condition on {} restricts callers",
                        keys.join(", ")
                    ),
                )
            } else {
                (Severity::Critical, String::new())
            };
            out.push(Finding {
                kind: FindingKind::PublicResourcePolicy,
                severity,
                message: format!(
                    "resource policy grants {} to everyone (`Principal: *`){note}",
                    actions.join(", ")
                ),
                policy_index: 0,
                statement_index: st.index,
                actions: actions.clone(),
                limited_by: keys.clone(),
            });
            continue;
        }
        let foreign: Vec<&str> = spec
            .aws
            .iter()
            .filter(|v| match (account_of(v), account) {
                (Some(a), Some(own)) => a != own,
                _ => false,
            })
            .map(String::as_str)
            .collect();
        if !foreign.is_empty() {
            out.push(Finding {
                kind: FindingKind::CrossAccountResourcePolicy,
                severity: if limited {
                    Severity::Low
                } else {
                    Severity::Medium
                },
                message: format!(
                    "resource policy grants {} to another account: {}",
                    actions.join(", "),
                    foreign.join(", ")
                ),
                policy_index: 0,
                statement_index: st.index,
                actions: actions.clone(),
                limited_by: keys.clone(),
            });
        }
        let source_keys = [
            "aws:sourcearn",
            "aws:sourceaccount",
            "aws:sourceorgid",
            "aws:sourceorgpaths",
        ];
        let has_source = st
            .conditions
            .iter()
            .any(|c| source_keys.contains(&c.key_lower.as_str()) && !c.operator.base.negated());
        if !spec.service.is_empty() && !has_source {
            out.push(Finding {
                kind: FindingKind::ServicePrincipalWithoutSource,
                severity: Severity::Medium,
                message: format!(
                    "resource policy grants {} to {} without an `aws:SourceArn` or `aws:SourceAccount` condition",
                    actions.join(", "),
                    spec.service.join(", ")
                ),
                policy_index: 0,
                statement_index: st.index,
                actions,
                limited_by: Vec::new(),
            });
        }
    }
    out
}
