//! The corpus: small realistic apps under `tests/corpus/`, each scanned by the real binary and
//! compared with its `expected.json` (every finding's rule, file, line and resource, exactly).
//!
//! Directories named `deps-*` belong to the dependency audit's own harness
//! (`crates/warden_deps/tests/corpus.rs`, which needs the vulnerability database) and are skipped,
//! as are `equivalence*` (one app in several formats, compared by `tests/equivalence.rs`).
//!
//! The comparison is exact over the whole catalog: a new rule's findings on every app are
//! reviewed and added. `WARDEN_BLESS=1` rewrites every `expected.json` from the scan (review the
//! diff before committing it).
//!
//! A corpus directory may hold an `args` file: extra command-line arguments, one per line (for
//! `--param` overrides). Every corpus app must parse: `errors` must be empty.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

fn corpus_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus_root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            // `equivalence*` hold one app in several formats: tests/equivalence.rs runs them.
            !name.starts_with("deps-") && !name.starts_with("equivalence")
        })
        .collect();
    dirs.sort();
    dirs
}

/// `(rule, file, line, resource)` of each finding, sorted.
type Key = (String, String, u64, Option<String>);

fn keys(findings: &[Value]) -> Vec<Key> {
    let mut out: Vec<Key> = findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["resource"].as_str().map(str::to_string),
            )
        })
        .collect();
    out.sort();
    out
}

fn scan(dir: &Path) -> (i32, Value) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_warden"));
    cmd.arg("scan")
        .arg(dir)
        .args(["--format", "json", "--quiet"]);
    let args_file = dir.join("args");
    if args_file.is_file() {
        let text = std::fs::read_to_string(&args_file).unwrap();
        cmd.args(text.lines().filter(|l| !l.trim().is_empty()));
    }
    let out = cmd.output().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: stdout is not JSON ({e}); stderr: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

#[test]
fn corpus_has_at_least_ten_apps() {
    let dirs = corpus_dirs();
    assert!(dirs.len() >= 10, "only {} corpus apps", dirs.len());
    for dir in &dirs {
        assert!(
            dir.join("expected.json").is_file(),
            "{} has no expected.json",
            dir.display()
        );
    }
}

#[test]
fn every_corpus_app_gives_exactly_its_expected_findings() {
    let mut failures = Vec::new();
    let mut rules_seen = std::collections::BTreeSet::new();
    for dir in corpus_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let expected: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap())
                .unwrap_or_else(|e| panic!("{name}/expected.json: {e}"));
        let (code, report) = scan(&dir);
        let errors = report["errors"].as_array().unwrap();
        if !errors.is_empty() {
            failures.push(format!("{name}: unexpected errors {errors:?}"));
        }
        let got = keys(report["findings"].as_array().unwrap());
        if std::env::var_os("WARDEN_BLESS").is_some() {
            bless(&dir, &got);
            continue;
        }
        let want = keys(&expected);
        rules_seen.extend(got.iter().map(|k| k.0.clone()));
        if got != want {
            let missing: Vec<_> = want.iter().filter(|k| !got.contains(k)).collect();
            let extra: Vec<_> = got.iter().filter(|k| !want.contains(k)).collect();
            failures.push(format!("{name}: missing {missing:?}, extra {extra:?}"));
        }
        // Exit code: 1 exactly when a finding reaches the threshold (high, or the config's).
        let threshold = if name.contains("suppressions-config") {
            "critical"
        } else {
            "high"
        };
        let rank = |s: &str| {
            ["info", "low", "medium", "high", "critical"]
                .iter()
                .position(|x| *x == s)
        };
        let failing = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| rank(f["severity"].as_str().unwrap()) >= rank(threshold));
        if code != i32::from(failing) {
            failures.push(format!(
                "{name}: exit code {code}, findings at/above {threshold}: {failing}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "corpus mismatches:\n{}",
        failures.join("\n")
    );
    // The corpus exercises at least the first rules of the catalog.
    for rule in ["AUTH001", "AUTH002", "EVT001", "IAM001", "SEC001"] {
        assert!(rules_seen.contains(rule), "no corpus app triggers {rule}");
    }
}

/// Rewrites `expected.json` from the scan (`WARDEN_BLESS=1`).
fn bless(dir: &Path, got: &[Key]) {
    let rows: Vec<String> = got
        .iter()
        .map(|(rule, file, line, resource)| {
            format!(
                "  {}",
                serde_json::json!({"rule": rule, "file": file, "line": line, "resource": resource})
            )
        })
        .collect();
    let text = if rows.is_empty() {
        "[]\n".to_string()
    } else {
        format!("[\n{}\n]\n", rows.join(",\n"))
    };
    std::fs::write(dir.join("expected.json"), text).unwrap();
}
