//! `warden iam` end to end: batch evaluation, single-request flags, analysis, checks.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use std::io::Write;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::File::create(&p)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    p
}

const ALLOW_GET: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;

#[test]
fn batch_prints_one_result_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = format!(
        "{}\n{}\nnot json\n",
        format_args!(
            r#"{{"request":{{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","principal":"arn:aws:iam::111122223333:user/a","context":{{}}}},"identityPolicies":[{ALLOW_GET}]}}"#
        ),
        format_args!(
            r#"{{"request":{{"action":"s3:PutObject","resource":"arn:aws:s3:::b/k","principal":"arn:aws:iam::111122223333:user/a","context":{{}}}},"identityPolicies":[{ALLOW_GET}]}}"#
        ),
    );
    let f = write(&dir, "cases.jsonl", &cases);
    let out = Command::cargo_bin("warden")
        .unwrap()
        .args(["iam", "eval", "--batch"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["decision"], "Allowed");
    assert_eq!(lines[0]["matched"][0]["statementIndex"], 0);
    assert_eq!(lines[1]["decision"], "ImplicitlyDenied");
    assert_eq!(lines[1]["blockedBy"]["policyType"], "identity");
    assert!(lines[2]["error"].as_str().unwrap().contains("line 3"));
}

#[test]
fn single_request_flags_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "p.json", ALLOW_GET);
    let run = |action: &str| {
        Command::cargo_bin("warden")
            .unwrap()
            .args([
                "iam",
                "eval",
                "--action",
                action,
                "--resource",
                "arn:aws:s3:::b/k",
                "--principal",
                "arn:aws:iam::111122223333:user/a",
                "--identity-policy",
            ])
            .arg(&p)
            .output()
            .unwrap()
    };
    let ok = run("s3:GetObject");
    assert_eq!(ok.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("\"Allowed\""));
    assert_eq!(run("s3:PutObject").status.code(), Some(1));
}

#[test]
fn analyze_reports_findings_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        &dir,
        "a.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}"#,
    );
    let b = write(
        &dir,
        "b.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}]}"#,
    );
    let out = Command::cargo_bin("warden")
        .unwrap()
        .args(["iam", "analyze"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let esc = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "privilege-escalation")
        .unwrap();
    assert_eq!(esc["severity"], "critical");
    assert_eq!(esc["path"], "/Statement/0");
}

#[test]
fn checks_pass_and_fail() {
    let dir = tempfile::tempdir().unwrap();
    let narrow = write(&dir, "n.json", ALLOW_GET);
    let broad = write(
        &dir,
        "b.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
    );
    let code = |args: &[&std::ffi::OsStr]| {
        Command::cargo_bin("warden")
            .unwrap()
            .args(args)
            .output()
            .unwrap()
            .status
            .code()
    };
    let s = |x: &str| std::ffi::OsStr::new(x).to_owned();
    assert_eq!(
        code(&[
            &s("iam"),
            &s("check"),
            &s("no-new-access"),
            narrow.as_os_str(),
            broad.as_os_str()
        ]),
        Some(0)
    );
    assert_eq!(
        code(&[
            &s("iam"),
            &s("check"),
            &s("no-new-access"),
            broad.as_os_str(),
            narrow.as_os_str()
        ]),
        Some(1)
    );
    assert_eq!(
        code(&[
            &s("iam"),
            &s("check"),
            &s("access-not-granted"),
            narrow.as_os_str(),
            &s("--action"),
            &s("s3:PutObject")
        ]),
        Some(0)
    );
    let public = write(
        &dir,
        "pub.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#,
    );
    assert_eq!(
        code(&[
            &s("iam"),
            &s("check"),
            &s("no-public-access"),
            public.as_os_str()
        ]),
        Some(1)
    );
}
