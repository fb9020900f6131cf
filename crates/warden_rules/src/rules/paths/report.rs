//! Shared reporting of the PATH rules: one finding per (entry, function, risk kind), located at the
//! entry, with every step as a related location.

use crate::attack_paths::{RiskKind, compute};
use crate::facts::ProjectFacts;
use crate::meta::RuleMeta;
use warden_model::Finding;

/// Reports every attack path whose dangerous end is one of `kinds`.
pub fn report(
    facts: &ProjectFacts<'_>,
    meta: &'static RuleMeta,
    kinds: &[RiskKind],
    help: &str,
    out: &mut Vec<Finding>,
) {
    for path in compute(facts.apps, facts.roles) {
        if !kinds.contains(&path.risk.kind) {
            continue;
        }
        let mut f = meta.finding(
            &path.entry.origin,
            Some(&path.function),
            path.message(),
            help,
        );
        f.severity = path.severity();
        f.confidence = path.confidence();
        f.related = path.steps();
        out.push(f);
    }
}
