//! Cross-format equivalence: one small vulnerable application written three ways (SAM,
//! Serverless Framework, Terraform) under `tests/corpus/equivalence/`, scanned by the real binary,
//! must give the same set of (rule, resource) findings; the fixed twins under
//! `tests/corpus/equivalence-fixed/` must give none.
//!
//! Resource names are compared format-independently: the last segment of a Terraform address
//! (`aws_lambda_function.OrdersFn` → `OrdersFn`), the logical id or function key otherwise. The
//! fixtures name their resources identically in every format. The Terraform twin also checks
//! `--var` on the command line.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const FORMATS: [&str; 3] = ["sam", "serverless", "terraform"];

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(name)
}

fn scan(dir: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_warden"))
        .arg("scan")
        .arg(dir)
        .args(["--format", "json", "--quiet"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: stdout is not JSON ({e}); stderr: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The format-independent name of a finding's resource.
fn name(resource: &str) -> String {
    resource.rsplit('.').next().unwrap_or(resource).to_string()
}

/// (rule, resource name) of every finding, with the format's errors.
fn findings(dir: &Path) -> (BTreeSet<(String, String)>, Vec<Value>) {
    let report = scan(dir);
    let set = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                name(f["resource"].as_str().unwrap_or("")),
            )
        })
        .collect();
    (set, report["errors"].as_array().unwrap().clone())
}

#[test]
fn the_same_app_in_three_formats_gives_the_same_findings() {
    let mut sets = Vec::new();
    for format in FORMATS {
        let (set, errors) = findings(&corpus("equivalence").join(format));
        assert!(errors.is_empty(), "{format}: errors {errors:?}");
        sets.push((format, set));
    }
    let (_, sam) = &sets[0];
    // The planted problems are found (in SAM, and so in every format by the comparison below).
    for (rule, resource) in [
        ("IAM001", "OrdersFn"),  // wildcard action
        ("AUTH001", "OrdersFn"), // public function URL
        ("AUTH002", "OrdersFn"), // unauthenticated route
        ("SEC001", "OrdersFn"),  // a plaintext password in the environment
        ("DATA009", "OrdersFn"), // ...kept under the AWS managed key
        ("DATA004", "Jobs"),     // queue without a customer managed key
        ("EVT001", "OrdersFn"),  // permission without a source
    ] {
        assert!(
            sam.contains(&(rule.to_string(), resource.to_string())),
            "SAM misses ({rule}, {resource}): {sam:?}"
        );
    }
    for (format, set) in &sets[1..] {
        let missing: Vec<_> = sam.difference(set).collect();
        let extra: Vec<_> = set.difference(sam).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{format} differs from sam: missing {missing:?}, extra {extra:?}"
        );
    }
}

#[test]
fn the_fixed_twins_give_no_findings() {
    for format in FORMATS {
        let (set, errors) = findings(&corpus("equivalence-fixed").join(format));
        assert!(errors.is_empty(), "{format}: errors {errors:?}");
        assert!(set.is_empty(), "{format} fixed twin still has {set:?}");
    }
}

#[test]
fn resource_names_are_format_independent() {
    assert_eq!(name("aws_lambda_function.OrdersFn"), "OrdersFn");
    assert_eq!(name("module.m.aws_sqs_queue.Jobs"), "Jobs");
    assert_eq!(name("OrdersFn"), "OrdersFn");
}

/// `--var NAME=VALUE` fills a Terraform variable (and changes what the scan sees); a malformed
/// `--var` is a tool error.
#[test]
fn terraform_variables_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        corpus("equivalence-fixed").join("terraform/main.tf"),
        dir.path().join("main.tf"),
    )
    .unwrap();
    let rules = |extra: &[&str]| -> BTreeSet<String> {
        let out = Command::new(env!("CARGO_BIN_EXE_warden"))
            .arg("scan")
            .arg(dir.path())
            .args(["--format", "json", "--quiet"])
            .args(extra)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(rules(&[]).is_empty());
    // An AWS managed key for the queue instead of the customer managed one.
    let managed = rules(&["--var", "kms_key_arn=alias/aws/sqs"]);
    assert!(managed.contains("DATA004"), "{managed:?}");
    let bad = Command::new(env!("CARGO_BIN_EXE_warden"))
        .arg("scan")
        .arg(dir.path())
        .args(["--var", "no-equals-sign"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
