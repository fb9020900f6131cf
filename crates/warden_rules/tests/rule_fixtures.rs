//! Snapshot tests: the findings of every rule fixture (`tests/fixtures/<CODE>/{fires,passes}.yaml`),
//! after suppressions and fingerprints, rendered one line each with location, severity and message.
#![allow(clippy::unwrap_used)]

use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;
use warden_input::cfn::{self, context::ParamOverrides};
use warden_input::document::{self, Limits};
use warden_rules::{Selection, all_rules, fingerprint, run_app, suppress};
use warden_source::{SourceFile, SourceMap};

fn render(code: &str, kind: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{code}/{kind}"));
    if dir.is_dir() {
        return render_dir(code, &dir);
    }
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{code}/{kind}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let file: Arc<str> = Arc::from(format!("{code}/{kind}.yaml"));
    let source = Arc::new(SourceFile::new(file.clone(), text));
    let doc = document::parse(file.clone(), &source.text, &Limits::default()).unwrap();
    let app = cfn::lower(file, &doc.root, &ParamOverrides::new()).unwrap();
    let mut sources = SourceMap::default();
    sources.insert(source.clone());
    let selection = Selection {
        select: vec![code.to_string()],
        ..Selection::default()
    };
    let mut findings = run_app(&app, &selection, &sources);
    suppress::apply(&mut findings, &app, &sources);
    findings.sort_by_key(|f| (f.origin.span.start, f.message.clone()));
    fingerprint::assign(&mut findings, &sources);
    lines(&findings, &sources, false)
}

/// A directory fixture (an Azure Functions project, a Terraform module): loaded as a scan loads
/// a project, every app checked.
fn render_dir(code: &str, dir: &Path) -> String {
    let project =
        warden_input::project::load(dir, &warden_input::project::LoadOptions::default()).unwrap();
    assert!(
        project.errors.is_empty(),
        "{}: {:?}",
        dir.display(),
        project.errors
    );
    let selection = Selection {
        select: vec![code.to_string()],
        ..Selection::default()
    };
    let mut findings = Vec::new();
    for app in &project.apps {
        let mut mine = run_app(app, &selection, &project.sources);
        suppress::apply(&mut mine, app, &project.sources);
        findings.extend(mine);
    }
    findings.sort_by_key(|f| {
        (
            f.origin.file.clone(),
            f.origin.span.start,
            f.message.clone(),
        )
    });
    fingerprint::assign(&mut findings, &project.sources);
    lines(&findings, &project.sources, true)
}

fn lines(findings: &[warden_model::Finding], sources: &SourceMap, with_file: bool) -> String {
    let mut out = String::new();
    for f in findings {
        let source = sources.get(&f.origin.file).unwrap();
        let start = source.position(f.origin.span.start);
        let end = source.position(f.origin.span.end);
        let flagged = &source.text[f.origin.span.start as usize..f.origin.span.end as usize];
        // Secrets stay out of snapshots: only the flagged text's length is recorded for SEC rules.
        let shown = if f.rule.starts_with("SEC") || f.category == warden_model::Category::Secret {
            format!("<{} bytes>", flagged.len())
        } else {
            flagged.to_string()
        };
        writeln!(
            out,
            "{}{}:{}-{}:{} {} {} {:?} [{}] {}\n    at {} flagged {}",
            if with_file {
                format!("{} ", f.origin.file)
            } else {
                String::new()
            },
            start.line,
            start.column,
            end.line,
            end.column,
            f.rule,
            f.severity,
            f.confidence,
            f.resource.as_deref().unwrap_or("-"),
            f.message,
            f.origin.path,
            shown,
        )
        .unwrap();
    }
    if out.is_empty() {
        out.push_str("(no findings)\n");
    }
    out
}

#[test]
fn fixture_snapshots() {
    // A rule without fixtures fails the catalog tests; here every fixture present is snapshotted.
    for rule in all_rules() {
        let code = rule.meta().code;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{code}"));
        if !dir.is_dir() {
            continue;
        }
        for kind in ["fires", "passes"] {
            insta::assert_snapshot!(format!("{code}_{kind}"), render(code, kind));
        }
    }
}
