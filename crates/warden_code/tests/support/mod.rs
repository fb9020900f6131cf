//! Test helpers: analyse a snippet written to a temporary directory.
#![allow(clippy::unwrap_used, dead_code)]

use warden_code::IssueKind;
use warden_code::sources::spec_for_triggers;
use warden_model::TriggerKind;

pub fn run_files(
    files: &[(&str, &str)],
    entry: &str,
    export: &str,
    triggers: &[TriggerKind],
) -> Vec<warden_code::Issue> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let issues =
        warden_code::analyze::analyze_file(dir.path(), entry, export, spec_for_triggers(triggers))
            .unwrap();
    // Every step of every flow points into a file that was read.
    for issue in &issues {
        for step in &issue.flow {
            assert!(
                files.iter().any(|(name, _)| *name == &*step.origin.file),
                "step outside the analysed files: {step:?}"
            );
        }
    }
    issues
}

pub fn js(text: &str) -> Vec<warden_code::Issue> {
    run_files(
        &[("index.js", text)],
        "index.js",
        "handler",
        &[TriggerKind::Api],
    )
}

pub fn ts(text: &str) -> Vec<warden_code::Issue> {
    run_files(
        &[("index.ts", text)],
        "index.ts",
        "handler",
        &[TriggerKind::Api],
    )
}

pub fn py(text: &str) -> Vec<warden_code::Issue> {
    run_files(
        &[("app.py", text)],
        "app.py",
        "handler",
        &[TriggerKind::Api],
    )
}

pub fn kinds(issues: &[warden_code::Issue]) -> Vec<IssueKind> {
    issues.iter().map(|i| i.kind).collect()
}
