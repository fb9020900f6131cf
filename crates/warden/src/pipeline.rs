//! The scan pipeline after loading: rules per app in parallel, suppressions, ordering,
//! fingerprints, baseline, statistics.

use rayon::prelude::*;
use std::path::Path;
use std::time::Instant;
use warden_input::discover::DiscoverError;
use warden_input::project::{self, LoadOptions};
use warden_model::{Finding, Report, Stats};
use warden_rules::baseline::Baseline;
use warden_rules::{Selection, fingerprint, run_rules, suppress};
use warden_source::SourceMap;

/// A finished scan.
pub struct Outcome {
    pub report: Report,
    pub sources: SourceMap,
    pub suppressed: usize,
    pub baselined: usize,
}

pub fn scan(
    root: &Path,
    load: &LoadOptions,
    selection: &Selection,
    baseline: Option<&Baseline>,
) -> Result<Outcome, DiscoverError> {
    let started = Instant::now();
    let project = project::load(root, load)?;
    let sources = project.sources;
    let per_app: Vec<(Vec<Finding>, usize)> = project
        .apps
        .par_iter()
        .map(|app| {
            let mut findings = run_rules(app, selection);
            let suppressed = suppress::apply(&mut findings, app, &sources);
            (findings, suppressed)
        })
        .collect();
    let mut findings = Vec::new();
    let mut suppressed = 0;
    for (f, s) in per_app {
        findings.extend(f);
        suppressed += s;
    }
    findings.sort_by(|a, b| {
        (&a.origin.file, a.origin.span.start, a.rule, &a.message, a.origin.span.end).cmp(&(
            &b.origin.file,
            b.origin.span.start,
            b.rule,
            &b.message,
            b.origin.span.end,
        ))
    });
    findings.dedup_by(|a, b| a.rule == b.rule && a.origin == b.origin && a.message == b.message);
    fingerprint::assign(&mut findings, &sources);
    let baselined = baseline.map_or(0, |b| b.filter(&mut findings));
    let stats = Stats {
        files_scanned: project.files.len() as u64,
        apps: project.apps.len() as u64,
        functions: project.apps.iter().map(|a| a.functions.len() as u64).sum(),
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    };
    Ok(Outcome {
        report: Report {
            findings,
            errors: project.errors,
            stats,
        },
        sources,
        suppressed,
        baselined,
    })
}
