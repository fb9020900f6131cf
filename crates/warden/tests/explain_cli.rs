//! `warden explain` end to end: the text and JSON views of a function, its attack paths, secret
//! values never printed, `FILE:ID` for ambiguous ids, and exit 2 for a function that does not exist.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use std::path::Path;

/// An app with one public route to a function that reads every secret, a plaintext secret in its
/// environment, and a second template declaring a function with the same id.
const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: orders.get
      CodeUri: src/
      Environment:
        Variables:
          DB_PASSWORD: "Sup3r-S3cret-Value-9f8a7c21e4"
          TABLE_NAME: orders
      Policies:
        - Statement:
            - Effect: Allow
              Action: secretsmanager:GetSecretValue
              Resource: "*"
      Events:
        GetOrders:
          Type: Api
          Properties: {Path: /orders, Method: get}
  ScopedFn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: scoped.get
      CodeUri: src/
      FunctionUrlConfig:
        AuthType: AWS_IAM
"#;

const OTHER: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  ScopedFn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      CodeUri: src/
"#;

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("template.yaml"), TEMPLATE).unwrap();
    std::fs::create_dir(dir.path().join("other")).unwrap();
    std::fs::write(dir.path().join("other/template.yaml"), OTHER).unwrap();
    dir
}

fn explain(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("warden")
        .unwrap()
        .arg("explain")
        .args(args)
        .arg(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn text_view_names_route_role_permissions_and_path() {
    let dir = project();
    let (code, out, _) = explain(dir.path(), &["OrdersFn"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("function `OrdersFn` (sam, template.yaml:4)"),
        "{out}"
    );
    assert!(out.contains("runtime: python3.12"), "{out}");
    assert!(
        out.contains("role `OrdersFnRole` (generated for the function)"),
        "{out}"
    );
    assert!(
        out.contains("aws-managed      AWSLambdaBasicExecutionRole"),
        "{out}"
    );
    assert!(out.contains("secretsmanager"), "{out}");
    assert!(
        out.contains("dangerous grants:\n    high may read every secret in the account"),
        "{out}"
    );
    assert!(
        out.contains("GET /orders on REST API `ServerlessRestApi`, auth: none  OPEN TO ANYONE"),
        "{out}"
    );
    assert!(
        out.contains("environment variables (names only): DB_PASSWORD, TABLE_NAME"),
        "{out}"
    );
    assert!(out.contains("attack paths (1):"), "{out}");
    assert!(
        out.contains(
            "1. high PATH001 (confidence high): anyone on the internet can call `GET /orders`"
        ),
        "{out}"
    );
    assert!(
        out.contains("may read every secret in the account (secretsmanager:GetSecretValue on *)"),
        "{out}"
    );
    // Every step of the path, with its line.
    assert!(
        out.contains("template.yaml:20  entry: `GET /orders`"),
        "{out}"
    );
    assert!(out.contains("granted to role `OrdersFnRole` here"), "{out}");
}

#[test]
fn json_view_is_structured_and_never_holds_env_values() {
    let dir = project();
    let (code, out, _) = explain(dir.path(), &["OrdersFn", "--format", "json"]);
    assert_eq!(code, 0);
    assert!(
        !out.contains("Sup3r-S3cret"),
        "an environment value leaked: {out}"
    );
    assert!(
        !out.contains("\"orders\""),
        "an environment value leaked: {out}"
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["function"], "OrdersFn");
    assert_eq!(v["format"], "sam");
    assert_eq!(v["at"]["line"], 4);
    assert_eq!(v["role"]["id"], "OrdersFnRole");
    assert_eq!(v["role"]["permissions"]["administrator"], false);
    assert_eq!(v["role"]["dangerous_grants"][0]["kind"], "exfiltration");
    assert_eq!(v["role"]["dangerous_grants"][0]["at"][0]["line"], 16);
    let services: Vec<&str> = v["role"]["permissions"]["by_service"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["service"].as_str().unwrap())
        .collect();
    assert!(services.contains(&"secretsmanager"), "{services:?}");
    assert_eq!(v["routes"][0]["method"], "GET");
    assert_eq!(v["routes"][0]["open"], true);
    let env: Vec<&str> = v["environment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(env, ["DB_PASSWORD", "TABLE_NAME"]);
    let paths = v["attack_paths"].as_array().unwrap();
    assert_eq!(paths.len(), 1);
    assert_eq!(paths[0]["rule"], "PATH001");
    assert_eq!(paths[0]["entry"], "route");
    assert_eq!(paths[0]["risk"], "exfiltration");
    assert_eq!(paths[0]["severity"], "high");
    assert!(paths[0]["steps"].as_array().unwrap().len() >= 3);
}

#[test]
fn text_view_never_prints_env_values() {
    let dir = project();
    let (_, out, err) = explain(dir.path(), &["OrdersFn"]);
    assert!(!out.contains("Sup3r-S3cret") && !err.contains("Sup3r-S3cret"));
}

#[test]
fn a_function_without_paths_says_so() {
    let dir = project();
    let (code, out, _) = explain(dir.path(), &["template.yaml:ScopedFn"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("function URL: AuthType AWS_IAM  template.yaml:"),
        "{out}"
    );
    assert!(!out.contains("OPEN TO ANYONE"), "{out}");
    assert!(out.contains("attack paths (0):"), "{out}");
}

#[test]
fn an_ambiguous_id_lists_the_qualified_names() {
    let dir = project();
    let (code, out, err) = explain(dir.path(), &["ScopedFn"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("template.yaml:ScopedFn"), "{err}");
    assert!(err.contains("other/template.yaml:ScopedFn"), "{err}");
    let (code, out, _) = explain(dir.path(), &["other/template.yaml:ScopedFn"]);
    assert_eq!(code, 0);
    assert!(out.contains("runtime: nodejs22.x"), "{out}");
}

#[test]
fn a_missing_function_exits_2_with_the_functions_that_exist() {
    let dir = project();
    let (code, out, err) = explain(dir.path(), &["NoSuchFn"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("no function `NoSuchFn`"), "{err}");
    assert!(err.contains("template.yaml:OrdersFn"), "{err}");
}

#[test]
fn an_unknown_format_is_a_tool_error() {
    let dir = project();
    let (code, _, err) = explain(dir.path(), &["OrdersFn", "--format", "xml"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown format"), "{err}");
}
