//! `warden scan --fix-secrets`: plaintext secrets move into dynamic references, formatting and
//! comments stay, values go into the local vault, and a rescan is clean.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

fn warden() -> Command {
    Command::new(env!("CARGO_BIN_EXE_warden"))
}

const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  # the orders function
  OrdersFn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          DB_PASSWORD: 'Pr0d-Orders-9f8a7c21e4'   # keep this comment
          GITHUB_TOKEN: ghp_Zx8Kq2Lm4Nv6Bc9Df1Gh3Jk5Lp7Qr0St2Uv4
          TABLE: orders
"#;

fn write(dir: &Path) {
    std::fs::write(dir.join("template.yaml"), TEMPLATE).unwrap();
}

#[test]
fn moves_secrets_to_references_and_the_vault() {
    let tmp = tempfile::tempdir().unwrap();
    let app = tmp.path().join("app");
    std::fs::create_dir(&app).unwrap();
    write(&app);
    let vault = tmp.path().join("vault");
    let key = tmp.path().join("kek");
    std::fs::write(&key, [7u8; 32]).unwrap();
    let init = warden()
        .args(["secrets", "init", "--vault"])
        .arg(&vault)
        .arg("--key-file")
        .arg(&key)
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );

    let out = warden()
        .args(["scan", "--format", "json", "--fix-secrets", "--vault"])
        .arg(&vault)
        .arg("--key-file")
        .arg(&key)
        .arg(&app)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("stored OrdersFn/DB_PASSWORD"), "{stderr}");
    assert!(!stderr.contains("Pr0d-Orders"), "value leaked: {stderr}");

    let fixed = std::fs::read_to_string(app.join("template.yaml")).unwrap();
    assert!(fixed.contains(
        "DB_PASSWORD: \"{{resolve:secretsmanager:OrdersFn/DB_PASSWORD}}\"   # keep this comment"
    ));
    assert!(fixed.contains("GITHUB_TOKEN: \"{{resolve:secretsmanager:OrdersFn/GITHUB_TOKEN}}\""));
    assert!(fixed.contains("  # the orders function\n"));
    assert!(fixed.contains("TABLE: orders"));
    assert!(!fixed.contains("Pr0d-Orders") && !fixed.contains("ghp_"));

    for (name, value) in [
        ("OrdersFn/DB_PASSWORD", "Pr0d-Orders-9f8a7c21e4"),
        (
            "OrdersFn/GITHUB_TOKEN",
            "ghp_Zx8Kq2Lm4Nv6Bc9Df1Gh3Jk5Lp7Qr0St2Uv4",
        ),
    ] {
        let got = warden()
            .args(["secrets", "get", name, "--vault"])
            .arg(&vault)
            .arg("--key-file")
            .arg(&key)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&got.stdout).trim_end(), value);
    }

    let rescan = warden()
        .args(["scan", "--select", "SEC001", "--format", "json"])
        .arg(&app)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&rescan.stdout).unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn without_a_vault_prints_commands_and_never_values() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path());
    let out = warden()
        .args(["scan", "--format", "json", "--fix-secrets"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warden secrets put OrdersFn/DB_PASSWORD"),
        "{stderr}"
    );
    assert!(!stderr.contains("Pr0d-Orders") && !stderr.contains("ghp_Zx8"));
}
