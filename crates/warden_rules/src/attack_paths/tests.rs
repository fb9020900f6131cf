//! Path computation over small templates: which entries count, which risks end a path, and how
//! severity and confidence follow the steps.
#![allow(clippy::unwrap_used)]

use super::*;
use std::sync::Arc;
use warden_input::cfn::{self, context::ParamOverrides};
use warden_input::document::{self, Limits};

const HEAD: &str =
    "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31\nResources:\n";

fn paths_of(resources: &str) -> Vec<AttackPath> {
    let text = format!("{HEAD}{resources}");
    let file: Arc<str> = Arc::from("t.yaml");
    let doc = document::parse(file.clone(), &text, &Limits::default()).unwrap();
    let app = cfn::lower(file, &doc.root, &ParamOverrides::new()).unwrap();
    let apps = vec![app];
    let roles = crate::iam_view::analyze(&apps);
    compute(&apps, &roles)
}

/// A SAM function with one inline statement and extra properties.
fn function(id: &str, statement: &str, extra: &str) -> String {
    format!(
        "  {id}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: a.h\n      CodeUri: src/\n      Policies:\n        - Statement:\n            - {statement}\n{extra}"
    )
}

const OPEN_ROUTE: &str = "      Events:\n        Get:\n          Type: HttpApi\n          Properties: {Path: /x, Method: get}\n";
const READ_SECRETS: &str =
    "{Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: \"*\"}";

#[test]
fn an_open_route_to_a_wide_read_is_one_high_path() {
    let paths = paths_of(&function("Fn", READ_SECRETS, OPEN_ROUTE));
    assert_eq!(paths.len(), 1);
    let p = &paths[0];
    assert_eq!(p.entry.kind, EntryKind::Route);
    assert_eq!(p.risk.kind, RiskKind::Exfiltration);
    assert_eq!(p.severity(), Severity::High);
    assert_eq!(p.confidence(), Confidence::High);
    assert_eq!(p.role, "FnRole");
    let steps = p.steps();
    assert!(steps[0].message.starts_with("entry: `GET /x`"));
    assert!(
        steps
            .iter()
            .any(|s| s.message.contains("secretsmanager:GetSecretValue"))
    );
}

#[test]
fn a_scoped_role_or_an_authorizer_breaks_the_path() {
    let scoped = "{Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders-AbCdEf}";
    assert!(paths_of(&function("Fn", scoped, OPEN_ROUTE)).is_empty());
    let iam_route = "      Events:\n        Get:\n          Type: Api\n          Properties: {Path: /x, Method: get, Auth: {Authorizer: AWS_IAM}}\n";
    assert!(paths_of(&function("Fn", READ_SECRETS, iam_route)).is_empty());
    let key_route = "      Events:\n        Get:\n          Type: Api\n          Properties: {Path: /x, Method: get, Auth: {ApiKeyRequired: true}}\n";
    assert!(paths_of(&function("Fn", READ_SECRETS, key_route)).is_empty());
}

#[test]
fn an_admin_role_ends_only_in_the_admin_risk() {
    let admin = "{Effect: Allow, Action: \"*\", Resource: \"*\"}";
    let paths = paths_of(&function("Fn", admin, OPEN_ROUTE));
    assert_eq!(paths.len(), 1);
    assert_eq!(paths[0].risk.kind, RiskKind::Admin);
    assert_eq!(paths[0].severity(), Severity::Critical);
}

#[test]
fn escalation_actions_are_not_told_again_as_writes() {
    let combo = "{Effect: Allow, Action: [iam:PassRole, lambda:CreateFunction, lambda:InvokeFunction], Resource: \"*\"}";
    let paths = paths_of(&function("Fn", combo, OPEN_ROUTE));
    let kinds: Vec<RiskKind> = paths.iter().map(|p| p.risk.kind).collect();
    assert_eq!(kinds, [RiskKind::Escalation]);
    assert!(
        paths[0]
            .message()
            .contains("iam:PassRole + lambda:CreateFunction")
    );
}

#[test]
fn a_limiting_condition_lowers_severity_and_confidence() {
    let tagged = "{Effect: Allow, Action: s3:GetObject, Resource: \"*\", Condition: {StringEquals: {aws:ResourceTag/team: a}}}";
    let paths = paths_of(&function("Fn", tagged, OPEN_ROUTE));
    assert_eq!(paths.len(), 1);
    assert!(paths[0].severity() < Severity::High);
    assert_eq!(paths[0].confidence(), Confidence::Medium);
    assert!(
        paths[0]
            .message()
            .contains("granted only when conditions on aws:ResourceTag/team")
    );
}

#[test]
fn a_suppressed_entry_is_accepted_as_intentionally_public() {
    let url = "      FunctionUrlConfig: {AuthType: NONE}\n";
    assert_eq!(paths_of(&function("Fn", READ_SECRETS, url)).len(), 1);
    let suppressed = function("Fn", READ_SECRETS, url).replace(
        "    Properties:\n",
        "    Metadata:\n      warden:\n        ignore:\n          - {rule: AUTH001, reason: signature verified in code}\n    Properties:\n",
    );
    assert!(paths_of(&suppressed).is_empty());
}

#[test]
fn permissions_for_anyone_and_for_services_without_source_are_entries() {
    let perms = "  Anyone:\n    Type: AWS::Lambda::Permission\n    Properties: {FunctionName: !Ref Fn, Action: lambda:InvokeFunction, Principal: \"*\"}\n  FromS3:\n    Type: AWS::Lambda::Permission\n    Properties: {FunctionName: !Ref Fn, Action: lambda:InvokeFunction, Principal: s3.amazonaws.com}\n  FromSns:\n    Type: AWS::Lambda::Permission\n    Properties: {FunctionName: !Ref Fn, Action: lambda:InvokeFunction, Principal: sns.amazonaws.com, SourceArn: !Ref Topic}\n";
    let paths = paths_of(&format!("{}{perms}", function("Fn", READ_SECRETS, "")));
    let entries: Vec<(EntryKind, Confidence)> = paths
        .iter()
        .map(|p| (p.entry.kind, p.confidence()))
        .collect();
    assert_eq!(
        entries,
        [
            (EntryKind::AnyPrincipal, Confidence::High),
            (EntryKind::ServiceWithoutSource, Confidence::Medium)
        ]
    );
}

#[test]
fn an_unverifiable_entry_is_information_only() {
    let text = "  Api:\n    Type: AWS::ApiGateway::RestApi\n  Res:\n    Type: AWS::ApiGateway::Resource\n    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: x}\n  Get:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: !Ref Api\n      ResourceId: !Ref Res\n      HttpMethod: GET\n      AuthorizationType: SOMETHING_NEW\n      Integration: {Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub \"arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations\"}\n";
    let paths = paths_of(&format!("{}{text}", function("Fn", READ_SECRETS, "")));
    assert_eq!(paths.len(), 1, "{paths:?}");
    assert_eq!(paths[0].severity(), Severity::Info);
    assert_eq!(paths[0].confidence(), Confidence::Low);
    assert!(paths[0].message().contains("could not verify the entry"));
}

#[test]
fn an_external_role_or_a_non_aws_function_has_no_path() {
    let text = "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: a.h\n      CodeUri: src/\n      Role: arn:aws:iam::111122223333:role/admin\n      FunctionUrlConfig: {AuthType: NONE}\n";
    assert!(paths_of(text).is_empty());
}

#[test]
fn a_url_whose_auth_type_is_a_parameter_is_unverified() {
    let text = format!(
        "{}  UrlAuth:\n    Type: AWS::SSM::Parameter\n    Properties: {{Type: String, Value: NONE}}\n",
        function(
            "Fn",
            READ_SECRETS,
            "      FunctionUrlConfig: {AuthType: !GetAtt UrlAuth.Value}\n"
        )
    );
    let paths = paths_of(&text);
    assert_eq!(paths.len(), 1, "{paths:?}");
    assert_eq!(paths[0].entry.kind, EntryKind::FunctionUrl);
    assert_eq!(paths[0].severity(), Severity::Info);
    assert!(
        paths[0]
            .message()
            .contains("`AuthType` could not be verified")
    );
}
