//! Hostile input: one directory full of files built to crash, hang or exhaust a scanner, next to
//! one good vulnerable template. The scan must finish, list every bad file in `errors`, still
//! report the good file's findings, and exit 1.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const HEADER: &str = "AWSTemplateFormatVersion: '2010-09-09'\n";

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Billion laughs: ten levels of ten aliases each.
fn yaml_bomb() -> String {
    let mut s = String::from(HEADER);
    s.push_str("Metadata:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        s.push_str(&format!(
            "  l{i}: &l{i} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]\n"
        ));
    }
    s.push_str(
        "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Tags: *l9\n",
    );
    s
}

/// A 50 MB template: real header, then a huge `Metadata` block.
fn write_huge(root: &Path, rel: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(HEADER.as_bytes()).unwrap();
    f.write_all(b"Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\nMetadata:\n")
        .unwrap();
    let line = "  k: padding-padding-padding-padding-padding-padding-padding\n".to_string();
    let mut written = 0usize;
    let mut i = 0u64;
    while written < 50 * 1024 * 1024 {
        let l = line.replacen("k:", &format!("k{i}:"), 1);
        f.write_all(l.as_bytes()).unwrap();
        written += l.len();
        i += 1;
    }
    f.flush().unwrap();
}

fn binary(len: usize) -> Vec<u8> {
    // Deterministic noise with NUL bytes and every byte value.
    let mut x: u32 = 0x1234_5678;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn hostile_directory_is_scanned_without_crash() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();

    // The good file.
    let example = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/orders-vulnerable/template.yaml");
    write(root, "good/template.yaml", &std::fs::read(example).unwrap());

    // Alias-expansion bomb.
    write(root, "bomb/template.yaml", yaml_bomb().as_bytes());
    // Over the size cap.
    write_huge(root, "huge/template.yaml");
    // Binary noise under a template's name.
    write(root, "binary/template.yaml", &binary(64 * 1024));
    // A template with an invalid UTF-8 byte in a value.
    let mut bad_utf8 = format!(
        "{HEADER}Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: \""
    )
    .into_bytes();
    bad_utf8.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
    bad_utf8.extend_from_slice(b"\"\n");
    write(root, "utf8/template.yaml", &bad_utf8);
    // Invalid UTF-8 without any template marker, still under a template's name.
    write(root, "latin1/template.yaml", b"Descripci\xf3n: plantilla\n");
    // Nesting far deeper than any template.
    let depth = 100_000;
    let mut deep = String::from(HEADER);
    deep.push_str("Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      X: ");
    deep.push_str(&"[".repeat(depth));
    deep.push_str(&"]".repeat(depth));
    deep.push('\n');
    write(root, "deep/template.yaml", deep.as_bytes());
    // Deep JSON too (a different parser).
    let mut deep_json =
        String::from("{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\"A\": ");
    deep_json.push_str(&"{\"a\": ".repeat(depth));
    deep_json.push('1');
    deep_json.push_str(&"}".repeat(depth));
    deep_json.push_str("}}");
    write(root, "deepjson/template.json", deep_json.as_bytes());
    // A single enormous scalar.
    let mut big_scalar = format!(
        "{HEADER}Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: "
    );
    big_scalar.push_str(&"x".repeat(3 * 1024 * 1024));
    big_scalar.push('\n');
    write(root, "scalar/template.yaml", big_scalar.as_bytes());

    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        std::fs::create_dir_all(root.join("links")).unwrap();
        symlink("loop-b.yaml", root.join("links/loop-a.yaml")).unwrap();
        symlink("loop-a.yaml", root.join("links/loop-b.yaml")).unwrap();
        symlink("self", root.join("links/self")).unwrap();
        symlink("/etc", root.join("links/etc")).unwrap();
        symlink("/etc/passwd", root.join("links/template.yaml")).unwrap();
    }

    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args([
            "scan",
            root.to_str().unwrap(),
            "--format",
            "json",
            "--quiet",
        ])
        // The first rules of the catalog, whose findings on the example are known exactly.
        .args(["--select", "AUTH001,AUTH002,EVT001,IAM001,SEC001"])
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(
        elapsed < Duration::from_secs(60),
        "hostile scan took {elapsed:?}"
    );

    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<(String, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_string(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let error_for = |file: &str| {
        errors
            .iter()
            .find(|(f, _)| f == file)
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| panic!("no error for {file}; errors: {errors:#?}"))
    };
    assert!(
        error_for("bomb/template.yaml").contains("alias"),
        "{}",
        error_for("bomb/template.yaml")
    );
    assert!(error_for("huge/template.yaml").contains("size limit"));
    error_for("binary/template.yaml");
    assert!(error_for("utf8/template.yaml").contains("UTF-8"));
    error_for("latin1/template.yaml");
    assert!(
        error_for("deep/template.yaml").contains("deep")
            || error_for("deep/template.yaml").contains("nest")
    );
    error_for("deepjson/template.json");
    error_for("scalar/template.yaml");
    #[cfg(unix)]
    {
        error_for("links/loop-a.yaml");
        error_for("links/loop-b.yaml");
        error_for("links/self");
        assert!(error_for("links/etc").contains("outside"));
        assert!(error_for("links/template.yaml").contains("outside"));
    }
    // Nothing outside the root was read.
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("root:x:0:0"));

    // The good file is fully reported, and only it has findings.
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 8, "{findings:#?}");
    assert!(findings.iter().all(|f| f["file"] == "good/template.yaml"));
    let mut rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    rules.sort_unstable();
    rules.dedup();
    assert_eq!(rules, ["AUTH001", "AUTH002", "EVT001", "IAM001", "SEC001"]);
    assert_eq!(report["stats"]["apps"], 1);
}

#[test]
fn scanning_a_single_hostile_file_is_an_error_entry_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "template.yaml", yaml_bomb().as_bytes());
    let out = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args([
            "scan",
            dir.path().join("template.yaml").to_str().unwrap(),
            "--format",
            "json",
            "-q",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"].as_array().unwrap().len(), 1);
    assert_eq!(report["errors"][0]["file"], "template.yaml");
}
