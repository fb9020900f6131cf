//! The same application written as SAM and as a Serverless Framework project gives the same
//! (rule, resource) findings: the vulnerable twins in `tests/corpus/xfmt-*`, and fixed twins
//! written here, which give none of those findings.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;
use warden_input::project::{self, LoadOptions};
use warden_rules::{Selection, run_rules};

fn findings(dir: &Path) -> BTreeSet<(String, String)> {
    let project = project::load(dir, &LoadOptions::default()).unwrap();
    assert!(project.errors.is_empty(), "{:?}", project.errors);
    assert_eq!(project.apps.len(), 1, "one app in {}", dir.display());
    run_rules(&project.apps[0], &Selection::default())
        .into_iter()
        .map(|f| {
            (
                f.rule.to_string(),
                implicit_api(f.resource.unwrap_or_default()),
            )
        })
        .collect()
}

/// The API each format creates implicitly from function events has a format-specific logical id
/// (SAM `ServerlessRestApi`, Serverless Framework `ApiGatewayRestApi`): the same API.
fn implicit_api(resource: String) -> String {
    match resource.as_str() {
        "ServerlessRestApi" | "ApiGatewayRestApi" => "<implicit REST API>".into(),
        "ServerlessHttpApi" | "HttpApi" => "<implicit HTTP API>".into(),
        _ => resource,
    }
}

fn corpus(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(name)
}

fn pair(s: &str, r: &str) -> (String, String) {
    (s.to_string(), r.to_string())
}

#[test]
fn vulnerable_twins_give_the_same_findings() {
    let sam = findings(&corpus("xfmt-sam"));
    let sls = findings(&corpus("xfmt-sls"));
    assert_eq!(sam, sls);
    for expected in [
        pair("IAM001", "createOrder"),
        pair("SEC001", "createOrder"),
        pair("AUTH002", "createOrder"),
        pair("AUTH001", "report"),
    ] {
        assert!(sls.contains(&expected), "{expected:?} missing from {sls:?}");
    }
    // The authenticated, least-privilege function gets only operational hygiene findings.
    assert!(
        !sls.iter()
            .any(|(rule, r)| r == "listOrders" && !rule.starts_with("OPS")),
        "{sls:?}"
    );
}

const FIXED_SAM: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  createOrder:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: src/orders.create
      CodeUri: .
      Environment:
        Variables:
          GITHUB_TOKEN: "{{resolve:secretsmanager:orders/github:SecretString:token}}"
      Policies:
        - Statement:
            - Effect: Allow
              Action: ["dynamodb:PutItem"]
              Resource: "arn:aws:dynamodb:us-east-1:123456789012:table/orders-dev"
      Events:
        Create:
          Type: Api
          Properties: {Path: /orders, Method: post, Auth: {Authorizer: AWS_IAM}}
  report:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: report.handler
      CodeUri: .
      FunctionUrlConfig:
        AuthType: AWS_IAM
"#;

const FIXED_SLS: &str = r#"service: orders
provider:
  name: aws
  runtime: nodejs20.x
functions:
  createOrder:
    handler: src/orders.create
    environment:
      GITHUB_TOKEN: ${ssm:/aws/reference/secretsmanager/orders/github}
    iamRoleStatements:
      - Effect: Allow
        Action: ["dynamodb:PutItem"]
        Resource: "arn:aws:dynamodb:us-east-1:123456789012:table/orders-${sls:stage}"
    events:
      - http: {path: orders, method: post, authorizer: aws_iam}
  report:
    handler: report.handler
    runtime: python3.12
    url:
      authorizer: aws_iam
"#;

#[test]
fn fixed_twins_give_none_of_those_findings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sam")).unwrap();
    std::fs::create_dir_all(dir.path().join("sls")).unwrap();
    std::fs::write(dir.path().join("sam/template.yaml"), FIXED_SAM).unwrap();
    std::fs::write(dir.path().join("sls/serverless.yml"), FIXED_SLS).unwrap();
    let sam = findings(&dir.path().join("sam"));
    let sls = findings(&dir.path().join("sls"));
    assert_eq!(sam, sls);
    for rule in ["IAM001", "SEC001", "AUTH001", "AUTH002"] {
        assert!(!sls.iter().any(|(r, _)| r == rule), "{rule} in {sls:?}");
    }
}
