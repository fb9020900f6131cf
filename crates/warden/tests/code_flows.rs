//! Handler code analysis through the real binary: injection findings carry their data flow into
//! SARIF `codeFlows` and the pretty output, severities follow the trigger's exposure, and selecting
//! no code rule skips the code pass.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn app(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../tests/corpus/{name}"))
}

fn scan(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_warden"))
        .arg("scan")
        .arg(dir)
        .args(args)
        .args(["--fail-on", "none"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn sarif_code_flows_run_from_the_event_to_the_sink() {
    let doc: Value = serde_json::from_str(&scan(
        &app("code-sls-python-vulnerable"),
        &["--format", "sarif", "--select", "CODE"],
    ))
    .unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let sql = results
        .iter()
        .find(|r| r["ruleId"] == "CODE004")
        .expect("a SQL injection finding");
    let steps = sql["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .unwrap();
    let uri = |s: &Value| {
        s["location"]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // The source is in the handler, the sink in the local module it calls.
    assert_eq!(uri(&steps[0]), "src/admin.py");
    assert!(
        steps[0]["location"]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("event.body"),
        "{steps:#?}"
    );
    assert_eq!(uri(steps.last().unwrap()), "src/lib/store.py");
    assert!(steps.iter().any(|s| {
        s["location"]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("passed to `find_customer`")
    }));
    // Public route: critical; SQS consumer: medium.
    assert_eq!(sql["properties"]["severity"], "critical");
    let pickle = results.iter().find(|r| r["ruleId"] == "CODE003").unwrap();
    assert_eq!(pickle["properties"]["severity"], "medium");
}

#[test]
fn pretty_output_lists_the_flow_steps() {
    let out = scan(
        &app("code-sam-node-vulnerable"),
        &[
            "--format", "pretty", "--select", "CODE004", "--color", "never",
        ],
    );
    assert!(out.contains("CODE004"), "{out}");
    assert!(out.contains("flow 1: src/report.ts:8:"), "{out}");
}

#[test]
fn fixed_handlers_give_no_code_findings_and_the_pass_can_be_skipped() {
    for name in [
        "code-sam-node-fixed",
        "code-sls-python-fixed",
        "code-sls-express-fixed",
    ] {
        let doc: Value =
            serde_json::from_str(&scan(&app(name), &["--format", "json", "--select", "CODE"]))
                .unwrap();
        assert_eq!(
            doc["findings"].as_array().unwrap().len(),
            0,
            "{name}: {doc:#}"
        );
    }
    let doc: Value = serde_json::from_str(&scan(
        &app("code-sam-node-vulnerable"),
        &["--format", "json", "--ignore", "CODE"],
    ))
    .unwrap();
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| !f["rule"].as_str().unwrap().starts_with("CODE"))
    );
}

/// Copies a directory tree (small corpus apps only).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn ignore_comments_next_to_the_code_suppress_code_findings() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&app("code-sls-python-vulnerable"), dir.path());
    let web = dir.path().join("src/web.py");
    let text = std::fs::read_to_string(&web).unwrap().replace(
        "    os.system(\"convert",
        "    # warden:ignore[CODE001] name checked by the WAF rule\n    os.system(\"convert",
    );
    std::fs::write(&web, text).unwrap();
    let doc: Value = serde_json::from_str(&scan(
        dir.path(),
        &["--format", "json", "--select", "CODE001"],
    ))
    .unwrap();
    let files: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["src/admin.py"], "{doc:#}");
}
