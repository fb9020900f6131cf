//! Precision and recall on the fixture set: every planted secret is found by the expected
//! detector on the expected line, nothing else is reported, and look-alikes yield nothing.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use warden_secrets::scan_text;

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn files(name: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir(name))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "expected.tsv")
        .collect();
    out.sort();
    out
}

#[test]
fn every_positive_is_found_with_its_detector_and_nothing_else() {
    let expected: BTreeSet<(String, u32, String)> =
        fs::read_to_string(dir("positives").join("expected.tsv"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| {
                let mut f = l.split('\t');
                (
                    f.next().unwrap().to_owned(),
                    f.next().unwrap().parse().unwrap(),
                    f.next().unwrap().to_owned(),
                )
            })
            .collect();
    let mut found = BTreeSet::new();
    for path in files("positives") {
        let bytes = fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for m in scan_text(&path, &bytes) {
            let secret = String::from_utf8_lossy(&bytes[m.start..m.end]);
            assert!(
                !m.redacted.contains(&*secret),
                "{name}:{} redaction leaks",
                m.line
            );
            assert!(m.line <= m.end_line && m.column >= 1);
            found.insert((name.clone(), m.line, m.detector.to_owned()));
        }
    }
    let missing: Vec<_> = expected.difference(&found).collect();
    let extra: Vec<_> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nextra: {extra:#?}"
    );
    assert!(expected.len() >= 45);
}

#[test]
fn lookalikes_yield_nothing() {
    let mut reported = Vec::new();
    for path in files("lookalikes") {
        let bytes = fs::read(&path).unwrap();
        for m in scan_text(&path, &bytes) {
            reported.push(format!(
                "{}:{}:{} {} {} ({})",
                path.file_name().unwrap().to_string_lossy(),
                m.line,
                m.column,
                m.detector,
                m.redacted,
                m.key.unwrap_or_default()
            ));
        }
    }
    assert!(
        reported.is_empty(),
        "false positives:\n{}",
        reported.join("\n")
    );
}

#[test]
fn positions_point_at_the_secret() {
    let text = "x = 1\nGITHUB_TOKEN=\"ghp_Zq8Vd3LmZ2xTf9RkW7pNcQ4sB6yH1jK0aE5u\"\n";
    let m = scan_text(Path::new("a.py"), text.as_bytes());
    assert_eq!(m.len(), 1);
    let m = &m[0];
    assert_eq!(
        (m.detector, m.line, m.column, m.end_line, m.end_column),
        ("github-token", 2, 15, 2, 55)
    );
    assert_eq!(
        &text[m.start..m.end],
        "ghp_Zq8Vd3LmZ2xTf9RkW7pNcQ4sB6yH1jK0aE5u"
    );
    assert_eq!(m.redacted, "ghp_************");
}

#[test]
fn private_key_spans_lines() {
    let bytes = fs::read(dir("positives").join("deploy_key.pem")).unwrap();
    let m = scan_text(Path::new("deploy_key.pem"), &bytes);
    assert_eq!(m.len(), 1);
    assert_eq!((m[0].line, m[0].column), (1, 1));
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u32;
    assert_eq!(m[0].end_line, lines);
    assert!(bytes[..m[0].end].ends_with(b"-----END RSA PRIVATE KEY-----"));
}

#[test]
fn binary_content_is_skipped() {
    let mut bytes = b"\x7fELF\x00\x01".to_vec();
    bytes.extend_from_slice(b"GITHUB_TOKEN=\"ghp_Zq8Vd3LmZ2xTf9RkW7pNcQ4sB6yH1jK0aE5u\"");
    assert!(scan_text(Path::new("a.bin"), &bytes).is_empty());
}
