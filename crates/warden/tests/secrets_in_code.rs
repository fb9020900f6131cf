//! Secrets in handler code and configuration files (SEC008) through the real binary: found with
//! the function that ships them, look-alikes left alone, and never printed in any output format.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn app() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/secrets-in-code")
}

/// The quoted or assigned values planted in the app (read from its files, so the fake secrets are
/// written in one place only).
fn planted() -> Vec<String> {
    let code = std::fs::read_to_string(app().join("src/billing.py")).unwrap();
    let mut out: Vec<String> = [
        "aws_access_key_id=",
        "aws_secret_access_key=",
        "GITHUB_TOKEN = ",
    ]
    .iter()
    .map(|key| {
        let line = code.lines().find(|l| l.contains(key)).unwrap();
        line.split('"').nth(1).unwrap().to_string()
    })
    .collect();
    let env = std::fs::read_to_string(app().join("config/.env")).unwrap();
    let slack = env
        .lines()
        .find_map(|l| l.strip_prefix("SLACK_BOT_TOKEN="))
        .unwrap();
    out.push(slack.to_string());
    out
}

#[test]
fn planted_secrets_never_reach_any_output_format() {
    let secrets = planted();
    assert_eq!(secrets.len(), 4);
    for format in ["pretty", "json", "sarif", "github", "junit"] {
        let out = Command::new(env!("CARGO_BIN_EXE_warden"))
            .args([
                "scan",
                "--fail-on",
                "none",
                "--color",
                "always",
                "--format",
                format,
            ])
            .arg(app())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("SEC008"), "{format}: {text}");
        for s in &secrets {
            assert!(
                !text.contains(s.as_str()),
                "{format} leaks a planted secret"
            );
            assert!(!text.contains(&s[..12]), "{format} leaks a secret prefix");
        }
    }
}

#[test]
fn selecting_other_rules_skips_the_pass() {
    let out = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args([
            "scan",
            "--format",
            "json",
            "--select",
            "SEC001",
            "--fail-on",
            "none",
        ])
        .arg(app())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
}
