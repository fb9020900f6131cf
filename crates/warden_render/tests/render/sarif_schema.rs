//! SARIF output validated against the official SARIF 2.1.0 schema (offline), and its mapping.

use crate::{render, render_empty};
use serde_json::Value;
use warden_render::Format;

/// Where the official schema may sit: `$WARDEN_SARIF_SCHEMA`, the repository's `schemas/`, or the
/// project's shared folder next to the repository. Not finding it is a failure, never a skip.
fn schema_path() -> std::path::PathBuf {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let candidates = [
        std::env::var_os("WARDEN_SARIF_SCHEMA").map(Into::into),
        Some(workspace.join("schemas/sarif-schema-2.1.0.json")),
        Some(workspace.join("../shared/schemas/sarif-schema-2.1.0.json")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p: &std::path::PathBuf| p.is_file())
        .expect("the SARIF 2.1.0 schema: set WARDEN_SARIF_SCHEMA or add schemas/sarif-schema-2.1.0.json")
}

fn validator() -> jsonschema::Validator {
    let path = schema_path();
    let text = std::fs::read_to_string(&path).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid(out: &str) -> Value {
    let doc: Value = serde_json::from_str(out).unwrap();
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
    doc
}

#[test]
fn fixture_report_is_valid_sarif() {
    let doc = assert_valid(&render(Format::Sarif));
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    // Every catalog rule sorted by code, then the uncatalogued rule a finding names.
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["AUTH002", "CORS001", "IAM001", "IAM005", "SEC001", "CFG001"]
    );
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    let sec = &rules[4];
    assert_eq!(sec["properties"]["security-severity"], "9.5");
    assert_eq!(sec["properties"]["precision"], "high");
    assert_eq!(
        sec["properties"]["tags"],
        serde_json::json!(["security", "secret", "CWE-798", "SAS-3"])
    );
    assert_eq!(sec["defaultConfiguration"]["level"], "error");
    assert!(
        sec["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## Why is this bad?")
    );

    let results = run["results"].as_array().unwrap();
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(
        levels,
        [
            "note", "note", "error", "error", "error", "warning", "error"
        ]
    );
    let wildcard = &results[6];
    assert_eq!(wildcard["partialFingerprints"]["warden/v1"], "fp-IAM001");
    let region = &wildcard["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"]
        ),
        (
            &Value::from(22),
            &Value::from(15),
            &Value::from(24),
            &Value::from(30)
        )
    );
    let related = wildcard["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 2);
    assert_eq!(related[0]["physicalLocation"]["region"]["startLine"], 15);
    assert_eq!(
        related[1]["physicalLocation"]["artifactLocation"]["uri"],
        "gone.yaml"
    );
    assert_eq!(wildcard["properties"]["resource"], "OrderRole");
    // No fingerprint, no `partialFingerprints`; unknown file, no end of region.
    assert!(results[1].get("partialFingerprints").is_none());
    assert!(
        results[1]["locations"][0]["physicalLocation"]["region"]
            .get("endLine")
            .is_none()
    );

    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "broken.yaml"
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn empty_report_is_valid_sarif() {
    let doc = assert_valid(&render_empty(Format::Sarif));
    assert_eq!(doc["runs"][0]["results"], Value::Array(vec![]));
    assert_eq!(doc["version"], "2.1.0");
}

#[test]
fn source_root_becomes_a_file_uri() {
    let options = crate::fixture::options().with_source_root("/home/ci/my app");
    let out = crate::render_with(
        Format::Sarif,
        &crate::fixture::report(),
        &crate::fixture::sources(),
        &options,
    );
    let doc = assert_valid(&out);
    assert_eq!(
        doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        "file:///home/ci/my%20app/"
    );
}

#[test]
fn the_validator_rejects_broken_sarif() {
    // The test above would be meaningless if the schema accepted anything.
    let mut doc: Value = serde_json::from_str(&render(Format::Sarif)).unwrap();
    doc["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator().is_valid(&doc));
}

/// A data-flow finding (source → steps → sink) renders as one `codeFlows` entry, valid SARIF.
#[test]
fn data_flows_are_code_flows() {
    use std::sync::Arc;
    use warden_model::{Category, Confidence, Finding, Related, Report, Severity};
    use warden_source::{Origin, SourceFile, SourceMap, Span};

    let code =
        "exports.handler = async (event) => {\n  const cmd = event.body;\n  exec(cmd);\n};\n";
    let at = |needle: &str| {
        let start = code.find(needle).unwrap() as u32;
        Origin::new(
            "src/app.js".into(),
            Span::new(start, start + needle.len() as u32),
            "",
        )
    };
    let step = |needle: &str, message: &str| Related {
        origin: at(needle),
        message: message.into(),
    };
    let finding = Finding {
        rule: "CODE001",
        name: "command-injection",
        category: Category::Injection,
        severity: Severity::Critical,
        confidence: Confidence::High,
        message: "attacker-controlled data reaches `exec(cmd)`".into(),
        origin: at("exec(cmd)"),
        resource: Some("Fn".into()),
        help: "do not".into(),
        related: Vec::new(),
        flow: vec![
            step("event.body", "`event.body`: HTTP request body"),
            step("cmd =", "assigned to `cmd`"),
            step("exec(cmd)", "reaches `child_process.exec`"),
        ],
        fingerprint: "fp".into(),
    };
    let report = Report {
        findings: vec![finding],
        ..Report::default()
    };
    let mut sources = SourceMap::new();
    sources.insert(Arc::new(SourceFile::new("src/app.js", code)));
    let out = crate::render_with(Format::Sarif, &report, &sources, &crate::fixture::options());
    let doc = assert_valid(&out);
    let result = &doc["runs"][0]["results"][0];
    let steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .unwrap();
    assert_eq!(steps.len(), 3);
    assert_eq!(
        steps[0]["location"]["message"]["text"],
        "`event.body`: HTTP request body"
    );
    assert_eq!(
        steps[0]["location"]["physicalLocation"]["region"]["startLine"],
        2
    );
    assert_eq!(
        steps[2]["location"]["physicalLocation"]["region"]["startLine"],
        3
    );
    assert_eq!(steps[2]["executionOrder"], 2);
}

#[test]
fn security_hub_controls_are_rule_properties_when_known() {
    let mut rules = crate::fixture::rules();
    rules[0].security_hub = &["APIGateway.8"];
    let out = warden_render::render_to_string(
        Format::Sarif,
        &crate::fixture::report(),
        &crate::fixture::sources(),
        &rules,
        &crate::fixture::options(),
    )
    .unwrap();
    let doc = assert_valid(&out);
    let descriptors = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let with: Vec<&Value> = descriptors
        .iter()
        .filter(|r| r["properties"].get("security-hub").is_some())
        .collect();
    assert_eq!(with.len(), 1);
    assert_eq!(with[0]["id"], rules[0].code);
    assert_eq!(
        with[0]["properties"]["security-hub"],
        serde_json::json!(["APIGateway.8"])
    );
}
