//! Runs the selected rules over one app.

use crate::registry::all_rules;
use crate::selection::Selection;
use warden_model::{App, Finding};

/// Findings of every selected project-wide rule (dependency audit…).
pub fn run_project_rules(
    facts: &crate::facts::ProjectFacts<'_>,
    selection: &Selection,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in all_rules() {
        let meta = rule.meta();
        if !selection.enabled(meta.code) {
            continue;
        }
        let start = out.len();
        rule.check_project(facts, &mut out);
        if let Some(sev) = selection.severity.get(meta.code) {
            for f in &mut out[start..] {
                f.severity = *sev;
            }
        }
    }
    out
}

/// Findings of every selected rule on `app`, with severity overrides applied (unverified findings
/// stay at `info`).
pub fn run_rules(app: &App, selection: &Selection) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in all_rules() {
        let meta = rule.meta();
        if !selection.enabled(meta.code) {
            continue;
        }
        let start = out.len();
        rule.check(app, &mut out);
        if let Some(sev) = selection.severity.get(meta.code) {
            for f in &mut out[start..] {
                if f.severity != warden_model::Severity::Info {
                    f.severity = *sev;
                }
            }
        }
    }
    out
}

/// Every selected rule on one app alone, per-app and project-wide (the IAM engine's analysis of
/// its roles; no dependency audit): what fixtures and single-template checks need.
pub fn run_app(
    app: &App,
    selection: &Selection,
    sources: &warden_source::SourceMap,
) -> Vec<Finding> {
    let mut out = run_rules(app, selection);
    let apps = std::slice::from_ref(app);
    let roles = crate::iam_view::analyze(apps);
    let facts = crate::facts::ProjectFacts {
        apps,
        deps: None,
        sources,
        roles: &roles,
        secrets: &[],
        code: None,
    };
    out.extend(run_project_rules(&facts, selection));
    out
}
