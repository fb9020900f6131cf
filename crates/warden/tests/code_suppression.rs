//! Inline suppressions in files that are not templates: `// warden:ignore[CODE]` in handler code
//! silences that rule on that line only.
#![allow(clippy::unwrap_used)]

use std::process::Command;

const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  RunFn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs22.x
      Events:
        Run:
          Type: HttpApi
          Properties: {Path: /run, Method: post}
"#;

fn handler(comment: &str) -> String {
    format!(
        "const {{ exec }} = require(\"child_process\");\n\
         exports.handler = async (event) => {{\n\
         \x20 const body = JSON.parse(event.body);\n\
         \x20 exec(\"convert \" + body.file); {comment}\n\
         \x20 return {{ statusCode: 200 }};\n\
         }};\n"
    )
}

fn code_findings(comment: &str) -> (Vec<String>, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("template.yaml"), TEMPLATE).unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/app.js"), handler(comment)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args([
            "scan",
            "--format",
            "json",
            "--fail-on",
            "none",
            "--select",
            "CODE",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    (rules, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_line_comment_suppresses_the_named_rule_on_its_line() {
    let (open, _) = code_findings("");
    assert!(open.contains(&"CODE001".to_string()), "{open:?}");
    let (silenced, _) =
        code_findings("// warden:ignore[CODE001] the file name is checked by the caller");
    assert!(!silenced.contains(&"CODE001".to_string()), "{silenced:?}");
    let (other, _) = code_findings("// warden:ignore[CODE004]");
    assert!(
        other.contains(&"CODE001".to_string()),
        "another rule's code must not silence it"
    );
}
