//! The scan pipeline after loading: rules per app in parallel, suppressions, ordering,
//! fingerprints, baseline, statistics.

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use warden_input::discover::DiscoverError;
use warden_input::project::{self, LoadOptions};
use warden_model::{Finding, Report, Stats};
use warden_rules::baseline::Baseline;
use warden_rules::{Selection, fingerprint, run_rules, suppress};
use warden_source::{SourceFile, SourceMap};

/// Options of the dependency pass.
pub struct DepsOptions {
    /// `--vuln-db` paths (else `WARDEN_VULN_DB`, else what `warden db fetch` stored).
    pub vuln_db: Vec<PathBuf>,
}

/// A finished scan.
pub struct Outcome {
    pub report: Report,
    pub sources: SourceMap,
    pub suppressed: usize,
    pub baselined: usize,
    /// Why the dependency pass did not run, when it did not (said once by the caller).
    pub deps_note: Option<String>,
}

pub fn scan(
    root: &Path,
    load: &LoadOptions,
    selection: &Selection,
    baseline: Option<&Baseline>,
    deps: &DepsOptions,
) -> Result<Outcome, DiscoverError> {
    let started = Instant::now();
    let mut project = project::load(root, load)?;
    let (audit, deps_note) = dependency_audit(root, &project, selection, deps);
    if let Some(report) = &audit {
        add_manifest_sources(root, report, &mut project.sources);
        project.errors.extend(
            report
                .errors
                .iter()
                .map(|e| warden_model::ScanError::new(e.file.to_string_lossy(), &e.message)),
        );
        project.errors.sort();
    }
    let (secrets, secret_sources) = if selection.enabled("SEC008") {
        crate::secret_pass::run(&project.files, &project.sources, load.max_file_size)
    } else {
        (Vec::new(), Vec::new())
    };
    for source in secret_sources {
        project.sources.insert(source);
    }
    let code = code_analysis(root, &mut project, selection);
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
    let roles = if (2..=8).any(|n| selection.enabled(&format!("IAM00{n}")))
        || ["PATH001", "PATH002", "IAM010", "IAM011"]
            .iter()
            .any(|c| selection.enabled(c))
    {
        warden_rules::iam_view::analyze(&project.apps)
    } else {
        Vec::new()
    };
    let facts = warden_rules::ProjectFacts {
        apps: &project.apps,
        deps: audit.as_ref(),
        sources: &sources,
        roles: &roles,
        secrets: &secrets,
        code: code.as_ref(),
    };
    let mut project_findings = warden_rules::run_project_rules(&facts, selection);
    let mut suppressed = 0;
    // Findings located in a template go through that app's suppressions too.
    for app in &project.apps {
        let (mut mine, rest): (Vec<Finding>, Vec<Finding>) = project_findings
            .into_iter()
            .partition(|f| *f.origin.file == *app.file);
        suppressed += suppress::apply(&mut mine, app, &sources);
        project_findings = rest;
        project_findings.extend(mine);
    }
    // Findings in code and configuration files honour inline comments on their line.
    let (mut elsewhere, in_templates): (Vec<Finding>, Vec<Finding>) = project_findings
        .into_iter()
        .partition(|f| project.apps.iter().all(|a| *f.origin.file != *a.file));
    suppressed += suppress::apply_inline(&mut elsewhere, &sources);
    let mut findings = in_templates;
    findings.extend(elsewhere);
    for (f, s) in per_app {
        findings.extend(f);
        suppressed += s;
    }
    warden_rules::construct_paths::annotate(&mut findings, &project.apps);
    warden_rules::rules::secrets::hardcoded_secret_in_source::drop_overlaps(
        &mut findings,
        &sources,
    );
    findings.sort_by(|a, b| {
        (
            &a.origin.file,
            a.origin.span.start,
            a.rule,
            &a.message,
            a.origin.span.end,
        )
            .cmp(&(
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
        deps_note,
    })
}

/// Analyses handler code (taint from event sources to sinks, logging, errors, SDK calls; functions
/// in parallel) when a code rule or an SDK-call rule runs; keeps the code files' text for excerpts.
fn code_analysis(
    root: &Path,
    project: &mut project::Project,
    selection: &Selection,
) -> Option<warden_code::CodeReport> {
    let wanted = warden_rules::all_rules()
        .iter()
        .map(|r| r.meta().code)
        .any(|c| (c.starts_with("CODE") || c == "IAM010" || c == "IAM011") && selection.enabled(c));
    if !wanted {
        return None;
    }
    let root_dir = if root.is_dir() {
        root
    } else {
        root.parent().unwrap_or(root)
    };
    let report = warden_code::analyze(root_dir, &project.apps);
    for source in &report.sources {
        if project.sources.get(&source.path).is_none() {
            project.sources.insert(source.clone());
        }
    }
    project.errors.extend(
        report
            .errors
            .iter()
            .map(|e| warden_model::ScanError::new(&e.file, &e.message)),
    );
    project.errors.sort();
    Some(report)
}

/// Audits the project's lockfiles and manifests against OSV data, when a dependency rule runs.
fn dependency_audit(
    root: &Path,
    project: &project::Project,
    selection: &Selection,
    opts: &DepsOptions,
) -> (Option<warden_deps::AuditReport>, Option<String>) {
    if !["DEP001", "DEP002"].iter().any(|c| selection.enabled(c)) {
        return (None, None);
    }
    let root_dir = if root.is_dir() {
        root
    } else {
        root.parent().unwrap_or(root)
    };
    let paths: Vec<PathBuf> = project
        .files
        .iter()
        .map(|(f, _)| PathBuf::from(&f.rel))
        .collect();
    let sources = warden_deps::resolve_sources(&opts.vuln_db);
    match warden_deps::VulnDb::open(&sources, &warden_deps::default_cache_dir()) {
        Ok(db) => {
            let manifests = warden_deps::discover_manifests(root_dir, &paths);
            (Some(warden_deps::audit(&manifests, &db)), None)
        }
        Err(e) => {
            // Without advisory data only unpinned builds can be reported: skip reading lockfiles.
            let manifests = warden_deps::discover_manifests_where(root_dir, &paths, |f| {
                !warden_deps::is_lockfile(f) || f == warden_deps::ManifestFormat::Requirements
            });
            if manifests.is_empty() {
                return (None, None);
            }
            let report = warden_deps::audit(&manifests, &warden_deps::VulnDb::empty());
            (
                Some(report),
                Some(format!(
                    "dependency audit skipped: {e} (give OSV data with --vuln-db or WARDEN_VULN_DB, or run `warden db fetch`)"
                )),
            )
        }
    }
}

/// Keeps the text of every manifest a dependency finding points at, for excerpts and fingerprints.
fn add_manifest_sources(root: &Path, report: &warden_deps::AuditReport, sources: &mut SourceMap) {
    let root_dir = if root.is_dir() {
        root
    } else {
        root.parent().unwrap_or(root)
    };
    let files = report
        .findings
        .iter()
        .map(|f| &f.file)
        .chain(report.unpinned.iter().map(|u| &u.manifest));
    for rel in files {
        let key = rel.to_string_lossy().replace('\\', "/");
        if sources.get(&key).is_some() {
            continue;
        }
        if let Ok(text) = std::fs::read_to_string(root_dir.join(rel)) {
            sources.insert(Arc::new(SourceFile::new(key, text)));
        }
    }
}
