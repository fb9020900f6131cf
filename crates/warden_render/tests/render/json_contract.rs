//! The JSON output contract of DESIGN.md, key by key.

use crate::{render, render_empty};
use serde_json::Value;
use warden_render::Format;

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn top_level_and_finding_keys_are_exactly_the_contract() {
    let out = render(Format::Json);
    assert!(out.ends_with("}\n") && !out.ends_with("\n\n"));
    assert!(out.starts_with("{\n  \"version\": 1,\n  \"tool\": {\n    \"name\": \"warden\","));
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        keys(&doc),
        ["version", "tool", "findings", "errors", "stats"]
    );
    assert_eq!(doc["version"], 1);
    assert_eq!(keys(&doc["tool"]), ["name", "version"]);
    assert_eq!(doc["tool"]["version"], "0.1.0");
    assert_eq!(
        keys(&doc["stats"]),
        ["files_scanned", "apps", "functions", "duration_ms"]
    );
    assert_eq!(doc["stats"]["duration_ms"], 1234);
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 7);
    for f in findings {
        assert_eq!(
            keys(f),
            [
                "rule",
                "name",
                "category",
                "severity",
                "confidence",
                "message",
                "file",
                "line",
                "column",
                "end_line",
                "end_column",
                "resource",
                "fingerprint",
                "help"
            ]
        );
    }
    for e in doc["errors"].as_array().unwrap() {
        assert_eq!(keys(e), ["file", "message"]);
    }
}

#[test]
fn findings_are_sorted_and_located() {
    let doc: Value = serde_json::from_str(&render(Format::Json)).unwrap();
    let order: Vec<(&str, &str, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap(),
                f["rule"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("api/openapi.json", "CORS001", 1),
            ("gone.yaml", "CFG001", 1),
            ("template.yaml", "SEC001", 11),
            ("template.yaml", "SEC001", 12),
            ("template.yaml", "AUTH002", 14),
            ("template.yaml", "IAM005", 15),
            ("template.yaml", "IAM001", 22),
        ]
    );
    let f = &doc["findings"][6];
    // `- Effect: Allow` at column 15 of line 22, to just after `Resource: "*"` on line 24.
    assert_eq!(
        (&f["line"], &f["column"], &f["end_line"], &f["end_column"]),
        (
            &Value::from(22),
            &Value::from(15),
            &Value::from(24),
            &Value::from(30)
        )
    );
    assert_eq!(f["category"], "iam");
    assert_eq!(f["resource"], "OrderRole");
    // A file missing from the source map: line 1, column 1, and no resource is `null`.
    let missing = &doc["findings"][1];
    assert_eq!(
        (
            &missing["line"],
            &missing["column"],
            &missing["end_line"],
            &missing["end_column"]
        ),
        (
            &Value::from(1),
            &Value::from(1),
            &Value::from(1),
            &Value::from(1)
        )
    );
    assert!(missing["resource"].is_null());
    // Non-ASCII text counts characters, not bytes: `"Cors"` after a long line of ASCII only.
    let cors = &doc["findings"][0];
    assert_eq!(
        cors["message"],
        "API `Api` (Ünïcødé) answers CORS requests from any origin"
    );
    assert_eq!(doc["errors"][0]["file"], "broken.yaml");
}

#[test]
fn empty_report_has_every_key() {
    let doc: Value = serde_json::from_str(&render_empty(Format::Json)).unwrap();
    assert_eq!(
        keys(&doc),
        ["version", "tool", "findings", "errors", "stats"]
    );
    assert_eq!(doc["findings"], Value::Array(vec![]));
    assert_eq!(doc["errors"], Value::Array(vec![]));
}
