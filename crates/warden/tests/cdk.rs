//! CDK output end to end: `cdk.out/*.template.json` scans as CloudFormation, asset copies are
//! skipped, and every finding about a construct names its `aws:cdk:path`.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn scan_json(dir: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(["scan", "--format", "json", "--fail-on", "none"])
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn findings_name_the_construct_and_asset_copies_are_not_scanned() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/cdk-orders");
    let report = scan_json(&dir);
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert_eq!(f["file"], "cdk.out/OrdersStack.template.json", "{f}");
        let message = f["message"].as_str().unwrap();
        assert!(
            message.ends_with("(CDK construct `OrdersStack/OrderFn/Resource`)"),
            "{message}"
        );
    }
    let url = findings.iter().find(|f| f["rule"] == "AUTH001").unwrap();
    assert_eq!(url["resource"], "OrderFn4D7B0E3F");
    assert_eq!(
        report["stats"]["apps"], 1,
        "the asset copy must not be an app"
    );
    assert_eq!(report["errors"].as_array().unwrap().len(), 0);
}

#[test]
fn a_plain_template_is_not_annotated() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("template.json"),
        r#"{"Resources": {"Fn": {"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "python3.12", "Handler": "app.handler", "Role": "arn:aws:iam::123456789012:role/r",
            "Code": {"ZipFile": "x"}}},
          "Url": {"Type": "AWS::Lambda::Url", "Properties": {"AuthType": "NONE",
            "TargetFunctionArn": {"Fn::GetAtt": ["Fn", "Arn"]}}}}}"#,
    )
    .unwrap();
    let report = scan_json(dir.path());
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["rule"] == "AUTH001"));
    assert!(
        findings
            .iter()
            .all(|f| !f["message"].as_str().unwrap().contains("CDK construct"))
    );
}
