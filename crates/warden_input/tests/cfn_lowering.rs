//! CloudFormation/SAM lowering into the model, checked on the model itself: implicit roles, SAM
//! policy templates, role links, `Globals` merge, events as triggers, routes and their auth, plain
//! CloudFormation API Gateway, conditions and intrinsics.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use warden_input::cfn::{self, context::ParamOverrides};
use warden_input::document::{self, Limits};
use warden_model::{
    ApiKind, App, AuthKind, Format, Function, Node, PolicySource, Role, RoleLink, Route,
    TriggerKind, Val,
};

fn lower_with(text: &str, params: &[(&str, &str)]) -> App {
    let file: Arc<str> = Arc::from("template.yaml");
    let doc = document::parse(file.clone(), text, &Limits::default()).unwrap();
    let overrides: ParamOverrides = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    cfn::lower(file, &doc.root, &overrides).unwrap()
}

fn lower(text: &str) -> App {
    lower_with(text, &[])
}

fn function<'a>(app: &'a App, id: &str) -> &'a Function {
    app.function(id)
        .unwrap_or_else(|| panic!("no function {id}"))
}

fn role_of<'a>(app: &'a App, id: &str) -> &'a Role {
    app.role_of(function(app, id))
        .unwrap_or_else(|| panic!("{id} has no role in the app"))
}

fn route<'a>(app: &'a App, method: &str, path: &str) -> &'a Route {
    app.apis
        .iter()
        .flat_map(|a| &a.routes)
        .find(|r| r.method == method && r.path == path)
        .unwrap_or_else(|| panic!("no route {method} {path}"))
}

fn env<'a>(f: &'a Function, name: &str) -> &'a Node {
    &f.environment
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no env {name}"))
        .value
}

/// Every string (and unknown placeholder) of a policy document's `Resource` entries.
fn resources(doc: &Node) -> Vec<String> {
    let mut out = Vec::new();
    for stmt in doc.get("Statement").unwrap().one_or_many() {
        if let Some(r) = stmt.get("Resource") {
            for item in r.one_or_many() {
                out.push(match &item.val {
                    Val::Unknown(u) => u.placeholder(),
                    _ => item.as_str().unwrap().to_string(),
                });
            }
        }
    }
    out
}

const SAM: &str = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n";

#[test]
fn implicit_role_has_basic_execution_and_event_policies() {
    let app = lower(&format!(
        "{SAM}Resources:
  Queue:
    Type: AWS::SQS::Queue
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Tracing: Active
      Events:
        Jobs:
          Type: SQS
          Properties: {{Queue: !GetAtt Queue.Arn}}
"
    ));
    assert_eq!(app.format, Format::Sam);
    let f = function(&app, "Fn");
    assert!(matches!(&f.role, RoleLink::Resource(id) if id == "FnRole"));
    let role = role_of(&app, "Fn");
    assert_eq!(role.generated_for.as_deref(), Some("Fn"));
    let names: Vec<&str> = role.policies.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "AWSLambdaBasicExecutionRole",
            "AWSXrayWriteOnlyAccess",
            "AWSLambdaSQSQueueExecutionRole"
        ]
    );
    let basic = &role.policies[0];
    assert_eq!(
        basic.source,
        PolicySource::AwsManaged {
            name: "AWSLambdaBasicExecutionRole".into()
        }
    );
    let doc = basic.document.as_ref().unwrap().to_json().to_string();
    assert!(
        doc.contains("logs:CreateLogGroup") && doc.contains("logs:PutLogEvents"),
        "{doc}"
    );
    // Trust policy: assumable by Lambda.
    let trust = role.trust_policy.as_ref().unwrap().to_json().to_string();
    assert!(trust.contains("lambda.amazonaws.com") && trust.contains("sts:AssumeRole"));
}

#[test]
fn explicit_role_means_no_generated_role() {
    let app = lower(&format!(
        "{SAM}Resources:
  R:
    Type: AWS::IAM::Role
    Properties: {{AssumeRolePolicyDocument: {{}}}}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Role: !GetAtt R.Arn
"
    ));
    assert_eq!(app.roles.len(), 1);
    assert!(matches!(&function(&app, "Fn").role, RoleLink::Resource(id) if id == "R"));
}

#[test]
fn sam_policy_templates_expand_with_their_parameters() {
    let app = lower(&format!(
        "{SAM}Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - DynamoDBCrudPolicy:
            TableName: '*'
        - DynamoDBReadPolicy:
            TableName: !Ref Table
        - SQSSendMessagePolicy:
            QueueName: jobs
        - NoSuchPolicyTemplate:
            Foo: bar
"
    ));
    let role = role_of(&app, "Fn");
    let crud = role
        .policies
        .iter()
        .find(|p| p.name == "DynamoDBCrudPolicy")
        .unwrap();
    assert_eq!(
        crud.source,
        PolicySource::SamTemplate {
            name: "DynamoDBCrudPolicy".into()
        }
    );
    let doc = crud.document.as_ref().unwrap();
    let text = doc.to_json().to_string();
    assert!(
        text.contains("dynamodb:PutItem") && text.contains("dynamodb:DeleteItem"),
        "{text}"
    );
    let res = resources(doc);
    assert!(
        res.iter().any(|r| r.ends_with(":table/*")),
        "wildcard table resource in {res:?}"
    );
    // The account and region are unknown, never guessed and never a wildcard.
    assert!(
        res.iter()
            .all(|r| r.contains("{{unknown:") && !r.contains(":*:")),
        "{res:?}"
    );

    let read = role
        .policies
        .iter()
        .find(|p| p.name == "DynamoDBReadPolicy")
        .unwrap();
    let res = resources(read.document.as_ref().unwrap());
    assert!(
        res.iter()
            .any(|r| r.contains(":table/{{unknown:Ref Table}}")),
        "{res:?}"
    );
    assert!(!res.iter().any(|r| r.ends_with(":table/*")), "{res:?}");

    let sqs = role
        .policies
        .iter()
        .find(|p| p.name == "SQSSendMessagePolicy")
        .unwrap();
    let res = resources(sqs.document.as_ref().unwrap());
    assert!(res.iter().any(|r| r.ends_with(":jobs")), "{res:?}");

    let unknown = role
        .policies
        .iter()
        .find(|p| p.name == "NoSuchPolicyTemplate")
        .unwrap();
    assert_eq!(unknown.source, PolicySource::External);
    assert!(unknown.document.is_none());
}

#[test]
fn managed_policies_by_name_and_arn_resolve() {
    let app = lower(&format!(
        "{SAM}Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - AmazonS3ReadOnlyAccess
        - arn:aws:iam::aws:policy/AdministratorAccess
        - !Sub arn:${{AWS::Partition}}:iam::aws:policy/AWSLambdaExecute
        - arn:aws:iam::123456789012:policy/customer-thing
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: '*'
"
    ));
    let role = role_of(&app, "Fn");
    let by = |n: &str| {
        role.policies
            .iter()
            .find(|p| p.name == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    assert!(by("AmazonS3ReadOnlyAccess").document.is_some());
    assert_eq!(
        by("AdministratorAccess").source,
        PolicySource::AwsManaged {
            name: "AdministratorAccess".into()
        }
    );
    let inline = role
        .policies
        .iter()
        .find(|p| p.source == PolicySource::Inline)
        .unwrap();
    assert_eq!(inline.name, "FnRolePolicy4");
    let external = role
        .policies
        .iter()
        .find(|p| p.name.contains("customer-thing"))
        .unwrap();
    assert_eq!(external.source, PolicySource::External);
    assert!(external.document.is_none());
}

#[test]
fn role_links_follow_getatt_sub_and_ref() {
    let app = lower(
        "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: p
          PolicyDocument: {Statement: [{Effect: Allow, Action: 's3:*', Resource: '*'}]}
  Attached:
    Type: AWS::IAM::Policy
    Properties:
      Roles: [!Ref R]
      PolicyDocument: {Statement: [{Effect: Allow, Action: 'sqs:*', Resource: '*'}]}
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref R]
      PolicyDocument: {Statement: [{Effect: Allow, Action: 'sns:*', Resource: '*'}]}
  Bucket:
    Type: AWS::S3::Bucket
  A:
    Type: AWS::Lambda::Function
    Properties: {Role: !GetAtt R.Arn}
  B:
    Type: AWS::Lambda::Function
    Properties: {Role: !Sub '${R.Arn}'}
  C:
    Type: AWS::Lambda::Function
    Properties: {Role: 'arn:aws:iam::123456789012:role/x'}
  D:
    Type: AWS::Lambda::Function
    Properties: {Role: !GetAtt Bucket.Arn}
  E:
    Type: AWS::Lambda::Function
    Properties: {}
",
    );
    assert_eq!(app.format, Format::CloudFormation);
    for id in ["A", "B"] {
        assert!(
            matches!(&function(&app, id).role, RoleLink::Resource(r) if r == "R"),
            "{id}"
        );
    }
    assert!(
        matches!(&function(&app, "C").role, RoleLink::External(n) if n.as_str() == Some("arn:aws:iam::123456789012:role/x"))
    );
    assert!(matches!(&function(&app, "D").role, RoleLink::External(n) if n.is_unknown()));
    assert!(matches!(function(&app, "E").role, RoleLink::Missing));
    let role = app.role("R").unwrap();
    let names: Vec<&str> = role.policies.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["p", "Attached", "Managed"]);
    assert_eq!(
        role.policies[2].source,
        PolicySource::CustomerManaged {
            resource: "Managed".into()
        }
    );
}

#[test]
fn globals_merge_scalars_maps_and_lists() {
    let app = lower(&format!(
        "{SAM}Globals:
  Function:
    Runtime: python3.11
    Timeout: 10
    Layers: [arn:aws:lambda:eu-west-1:123456789012:layer:common:1]
    Environment:
      Variables:
        STAGE: prod
        LOG_LEVEL: info
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Layers: [arn:aws:lambda:eu-west-1:123456789012:layer:own:3]
      Environment:
        Variables:
          LOG_LEVEL: debug
          TABLE: orders
  Other:
    Type: AWS::Serverless::Function
    Properties: {{}}
  Plain:
    Type: AWS::Lambda::Function
    Properties: {{Role: arn:aws:iam::123456789012:role/x}}
"
    ));
    let f = function(&app, "Fn");
    assert_eq!(
        f.runtime.as_ref().unwrap().as_str(),
        Some("python3.12"),
        "local scalar wins"
    );
    assert_eq!(
        f.timeout.as_ref().unwrap().as_str(),
        Some("10"),
        "global scalar inherited"
    );
    let layers: Vec<&str> = f.layers.iter().map(|l| l.as_str().unwrap()).collect();
    assert_eq!(
        layers,
        [
            "arn:aws:lambda:eu-west-1:123456789012:layer:common:1",
            "arn:aws:lambda:eu-west-1:123456789012:layer:own:3"
        ],
        "lists concatenate, globals first"
    );
    let vars: Vec<(&str, &str)> = f
        .environment
        .iter()
        .map(|e| (e.name.as_str(), e.value.as_str().unwrap()))
        .collect();
    assert_eq!(
        vars,
        [
            ("STAGE", "prod"),
            ("LOG_LEVEL", "debug"),
            ("TABLE", "orders")
        ]
    );
    // A global value points at Globals, a local one at the function.
    assert!(env(f, "STAGE").origin.path.starts_with("/Globals/Function"));
    assert!(env(f, "TABLE").origin.path.starts_with("/Resources/Fn"));
    let other = function(&app, "Other");
    assert_eq!(other.runtime.as_ref().unwrap().as_str(), Some("python3.11"));
    assert_eq!(other.environment.len(), 2);
    // Globals never apply to plain CloudFormation resources.
    let plain = function(&app, "Plain");
    assert!(plain.runtime.is_none() && plain.environment.is_empty());
}

#[test]
fn events_become_triggers_with_sources() {
    let app = lower(&format!(
        "{SAM}Resources:
  Bucket: {{Type: AWS::S3::Bucket}}
  Queue: {{Type: AWS::SQS::Queue}}
  Topic: {{Type: AWS::SNS::Topic}}
  Table: {{Type: AWS::DynamoDB::Table}}
  Stream: {{Type: AWS::Kinesis::Stream}}
  Pool: {{Type: AWS::Cognito::UserPool}}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Upload: {{Type: S3, Properties: {{Bucket: !Ref Bucket, Events: 's3:ObjectCreated:*'}}}}
        Job: {{Type: SQS, Properties: {{Queue: !GetAtt Queue.Arn}}}}
        Note: {{Type: SNS, Properties: {{Topic: !Ref Topic}}}}
        Changes: {{Type: DynamoDB, Properties: {{Stream: !GetAtt Table.StreamArn, StartingPosition: LATEST}}}}
        Clicks: {{Type: Kinesis, Properties: {{Stream: !GetAtt Stream.Arn, StartingPosition: LATEST}}}}
        SignUp: {{Type: Cognito, Properties: {{UserPool: !Ref Pool, Trigger: PreSignUp}}}}
        Nightly: {{Type: Schedule, Properties: {{Schedule: rate(1 day)}}}}
        Later: {{Type: ScheduleV2, Properties: {{ScheduleExpression: rate(1 hour)}}}}
        Rule: {{Type: EventBridgeRule, Properties: {{Pattern: {{source: [aws.ec2]}}}}}}
        Old: {{Type: CloudWatchEvent, Properties: {{Pattern: {{source: [aws.ec2]}}}}}}
        Logs: {{Type: CloudWatchLogs, Properties: {{LogGroupName: x, FilterPattern: ''}}}}
        Iot: {{Type: IoTRule, Properties: {{Sql: SELECT 1}}}}
        Kafka: {{Type: SelfManagedKafka, Properties: {{Topics: [t]}}}}
        Msk: {{Type: MSK, Properties: {{Stream: arn:aws:kafka:eu-west-1:123456789012:cluster/c, Topics: [t]}}}}
        Mq: {{Type: MQ, Properties: {{Broker: arn:aws:mq:eu-west-1:123456789012:broker:b, Queues: [q]}}}}
        ExternalQueue: {{Type: SQS, Properties: {{Queue: arn:aws:sqs:eu-west-1:123456789012:other}}}}
"
    ));
    let f = function(&app, "Fn");
    let got: Vec<(&str, TriggerKind, Option<&str>)> = f
        .triggers
        .iter()
        .map(|t| (t.name.as_str(), t.kind.clone(), t.source.as_deref()))
        .collect();
    use TriggerKind as K;
    assert_eq!(
        got,
        [
            ("Upload", K::S3, Some("Bucket")),
            ("Job", K::Sqs, Some("Queue")),
            ("Note", K::Sns, Some("Topic")),
            ("Changes", K::DynamoDb, Some("Table")),
            ("Clicks", K::Kinesis, Some("Stream")),
            ("SignUp", K::Cognito, Some("Pool")),
            ("Nightly", K::Schedule, None),
            ("Later", K::Schedule, None),
            ("Rule", K::EventBridge, None),
            ("Old", K::EventBridge, None),
            ("Logs", K::CloudWatchLogs, None),
            ("Iot", K::IotRule, None),
            ("Kafka", K::SelfManagedKafka, None),
            ("Msk", K::Msk, None),
            ("Mq", K::Mq, None),
            ("ExternalQueue", K::Sqs, None),
        ]
    );
    // Pollers get their managed policies on the implicit role.
    let role = role_of(&app, "Fn");
    for p in [
        "AWSLambdaSQSQueueExecutionRole",
        "AWSLambdaDynamoDBExecutionRole",
        "AWSLambdaKinesisExecutionRole",
        "AWSLambdaMSKExecutionRole",
    ] {
        assert!(role.policies.iter().any(|x| x.name == p), "{p}");
    }
}

#[test]
fn plain_cloudformation_event_sources_become_triggers() {
    let app = lower(
        "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Role: arn:aws:iam::123456789012:role/x}
  Queue: {Type: AWS::SQS::Queue}
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: {FunctionName: !Ref Fn, EventSourceArn: !GetAtt Queue.Arn}
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      NotificationConfiguration:
        LambdaConfigurations:
          - {Event: 's3:ObjectCreated:*', Function: !GetAtt Fn.Arn}
  Topic: {Type: AWS::SNS::Topic}
  Sub:
    Type: AWS::SNS::Subscription
    Properties: {Protocol: lambda, TopicArn: !Ref Topic, Endpoint: !GetAtt Fn.Arn}
  Perm:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !GetAtt Fn.Arn, Action: lambda:InvokeFunction, Principal: s3.amazonaws.com, SourceArn: !GetAtt Bucket.Arn}
",
    );
    let f = function(&app, "Fn");
    let got: Vec<(TriggerKind, Option<&str>)> = f
        .triggers
        .iter()
        .map(|t| (t.kind.clone(), t.source.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (TriggerKind::Sqs, Some("Queue")),
            (TriggerKind::S3, Some("Bucket")),
            (TriggerKind::Sns, Some("Topic"))
        ]
    );
    let perm = &app.permissions[0];
    assert_eq!(perm.function.as_deref(), Some("Fn"));
    assert!(perm.source_arn.as_ref().unwrap().is_unknown());
}

#[test]
fn sam_routes_resolve_their_authentication() {
    let app = lower(&format!(
        "{SAM}Globals:
  Api:
    Auth:
      ApiKeyRequired: true
Resources:
  Pool: {{Type: AWS::Cognito::UserPool}}
  AuthFn:
    Type: AWS::Serverless::Function
    Properties: {{}}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ApiKeyRequired: false
        DefaultAuthorizer: Cognito
        Authorizers:
          Cognito: {{UserPoolArn: !GetAtt Pool.Arn}}
          Custom: {{FunctionArn: !GetAtt AuthFn.Arn}}
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        Authorizers:
          Jwt: {{JwtConfiguration: {{issuer: https://issuer.example.com, audience: [a]}}, IdentitySource: $request.header.Authorization}}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Default: {{Type: Api, Properties: {{RestApiId: !Ref Api, Path: /a, Method: get}}}}
        Open: {{Type: Api, Properties: {{RestApiId: !Ref Api, Path: /b, Method: get, Auth: {{Authorizer: NONE}}}}}}
        Iam: {{Type: Api, Properties: {{RestApiId: !Ref Api, Path: /c, Method: post, Auth: {{Authorizer: AWS_IAM}}}}}}
        Lambda: {{Type: Api, Properties: {{RestApiId: !Ref Api, Path: /d, Method: put, Auth: {{Authorizer: Custom}}}}}}
        Missing: {{Type: Api, Properties: {{RestApiId: !Ref Api, Path: /e, Method: get, Auth: {{Authorizer: Nope}}}}}}
        Keyed: {{Type: Api, Properties: {{RestApiId: !Ref Api, Path: /f, Method: get, Auth: {{Authorizer: NONE, ApiKeyRequired: true}}}}}}
        Implicit: {{Type: Api, Properties: {{Path: /g, Method: delete}}}}
        HttpJwt: {{Type: HttpApi, Properties: {{ApiId: !Ref Http, Path: /h, Method: GET, Auth: {{Authorizer: Jwt}}}}}}
        HttpOpen: {{Type: HttpApi, Properties: {{ApiId: !Ref Http, Path: /i, Method: GET}}}}
"
    ));
    let check = |m: &str, p: &str, auth: AuthKind, authorizer: Option<&str>, key: bool| {
        let r = route(&app, m, p);
        assert_eq!(r.auth, auth, "{m} {p}");
        assert_eq!(r.authorizer.as_deref(), authorizer, "{m} {p}");
        assert_eq!(r.api_key_required, key, "{m} {p}");
        assert_eq!(r.function.as_deref(), Some("Fn"));
    };
    check("GET", "/a", AuthKind::Cognito, Some("Cognito"), false);
    check("GET", "/b", AuthKind::None, None, false);
    check("POST", "/c", AuthKind::Iam, Some("AWS_IAM"), false);
    check("PUT", "/d", AuthKind::Lambda, Some("Custom"), false);
    assert!(matches!(
        route(&app, "GET", "/e").auth,
        AuthKind::Unknown(_)
    ));
    check("GET", "/f", AuthKind::None, None, true);
    // The implicit API takes Globals.Api: no authorizer, but an API key.
    check("DELETE", "/g", AuthKind::None, None, true);
    check("GET", "/h", AuthKind::Jwt, Some("Jwt"), false);
    check("GET", "/i", AuthKind::None, None, false);
    let implicit = app
        .apis
        .iter()
        .find(|a| a.id == "ServerlessRestApi")
        .unwrap();
    assert!(implicit.implicit && implicit.kind == ApiKind::Rest);
    let http = app.apis.iter().find(|a| a.id == "Http").unwrap();
    assert!(!http.implicit && http.kind == ApiKind::Http);
    // Each route also becomes a trigger of its function with the API as source.
    let f = function(&app, "Fn");
    let t = f.triggers.iter().find(|t| t.name == "HttpJwt").unwrap();
    assert_eq!(
        (t.kind.clone(), t.source.as_deref()),
        (TriggerKind::HttpApi, Some("Http"))
    );
}

#[test]
fn openapi_security_decides_route_auth() {
    let app = lower(&format!(
        "{SAM}Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {{}}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      DefinitionBody:
        swagger: '2.0'
        security: [{{Sig: []}}]
        securityDefinitions:
          Sig: {{type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}}
          Key: {{type: apiKey, name: x-api-key, in: header}}
          Tok: {{type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: custom, x-amazon-apigateway-authorizer: {{type: token}}}}
        paths:
          /a:
            get:
              x-amazon-apigateway-integration: {{uri: !Sub 'arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{Fn.Arn}}/invocations'}}
            post:
              security: []
            put:
              security: [{{Key: []}}]
            patch:
              security: [{{Tok: []}}]
            delete:
              security: [{{Ghost: []}}]
"
    ));
    let a = |m: &str| route(&app, m, "/a");
    assert_eq!(a("GET").auth, AuthKind::Iam);
    assert_eq!(a("GET").function.as_deref(), Some("Fn"));
    assert_eq!(a("POST").auth, AuthKind::None);
    assert!(a("PUT").auth == AuthKind::None && a("PUT").api_key_required);
    assert_eq!(a("PATCH").auth, AuthKind::Lambda);
    assert!(matches!(a("DELETE").auth, AuthKind::Unknown(_)));
}

#[test]
fn plain_api_gateway_methods_and_v2_routes() {
    let app = lower(
        "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Role: arn:aws:iam::123456789012:role/x}
  Rest: {Type: AWS::ApiGateway::RestApi, Properties: {Name: r}}
  Auth:
    Type: AWS::ApiGateway::Authorizer
    Properties: {RestApiId: !Ref Rest, Type: COGNITO_USER_POOLS, ProviderARNs: [x]}
  Items:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Rest, ParentId: !GetAtt Rest.RootResourceId, PathPart: items}
  Item:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Rest, ParentId: !Ref Items, PathPart: '{id}'}
  GetItem:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Rest
      ResourceId: !Ref Item
      HttpMethod: get
      AuthorizationType: COGNITO_USER_POOLS
      AuthorizerId: !Ref Auth
      Integration: {Uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations'}
  ListItems:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Rest
      ResourceId: !Ref Items
      HttpMethod: GET
      AuthorizationType: NONE
      ApiKeyRequired: true
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Rest
      MethodSettings: [{HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 10}]
  Http: {Type: AWS::ApiGatewayV2::Api, Properties: {ProtocolType: HTTP}}
  Ws: {Type: AWS::ApiGatewayV2::Api, Properties: {ProtocolType: WEBSOCKET}}
  Jwt:
    Type: AWS::ApiGatewayV2::Authorizer
    Properties: {ApiId: !Ref Http, AuthorizerType: JWT}
  Integration:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {ApiId: !Ref Http, IntegrationType: AWS_PROXY, IntegrationUri: !GetAtt Fn.Arn}
  Secure:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Http, RouteKey: 'POST /x', AuthorizationType: JWT, AuthorizerId: !Ref Jwt, Target: !Sub 'integrations/${Integration}'}
  Open:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Http, RouteKey: $default, Target: !Join [/, [integrations, !Ref Integration]]}
  Quick: {Type: AWS::ApiGatewayV2::Api, Properties: {ProtocolType: HTTP, Target: !GetAtt Fn.Arn}}
",
    );
    let get = route(&app, "GET", "/items/{id}");
    assert_eq!(get.auth, AuthKind::Cognito);
    assert_eq!(get.authorizer.as_deref(), Some("Auth"));
    assert_eq!(get.function.as_deref(), Some("Fn"));
    let list = route(&app, "GET", "/items");
    assert!(list.auth == AuthKind::None && list.api_key_required && list.function.is_none());
    let rest = app.apis.iter().find(|a| a.id == "Rest").unwrap();
    assert!(
        rest.throttling.is_some(),
        "stage method settings are the API's throttling"
    );
    assert_eq!(rest.authorizers["Auth"].kind, AuthKind::Cognito);

    let secure = route(&app, "POST", "/x");
    assert_eq!(
        (secure.auth.clone(), secure.function.as_deref()),
        (AuthKind::Jwt, Some("Fn"))
    );
    let http_routes = &app.apis.iter().find(|a| a.id == "Http").unwrap().routes;
    let open = http_routes.iter().find(|r| r.path == "$default").unwrap();
    assert_eq!(
        (open.auth.clone(), open.function.as_deref()),
        (AuthKind::None, Some("Fn"))
    );
    assert!(
        !app.apis.iter().any(|a| a.id == "Ws"),
        "WebSocket APIs are not HTTP APIs"
    );
    let quick = &app.apis.iter().find(|a| a.id == "Quick").unwrap().routes[0];
    assert_eq!(
        (quick.auth.clone(), quick.function.as_deref()),
        (AuthKind::None, Some("Fn"))
    );
    // Routes declared outside the function give it API triggers.
    let f = function(&app, "Fn");
    assert!(
        f.triggers
            .iter()
            .any(|t| t.kind == TriggerKind::Api && t.source.as_deref() == Some("Rest"))
    );
    assert!(
        f.triggers
            .iter()
            .any(|t| t.kind == TriggerKind::HttpApi && t.source.as_deref() == Some("Http"))
    );
}

#[test]
fn function_urls_sam_and_plain() {
    let app = lower(&format!(
        "{SAM}Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      FunctionUrlConfig: {{AuthType: NONE, Cors: {{AllowOrigins: ['*']}}}}
  B:
    Type: AWS::Lambda::Function
    Properties: {{Role: arn:aws:iam::123456789012:role/x}}
  BUrl:
    Type: AWS::Lambda::Url
    Properties: {{TargetFunctionArn: !GetAtt B.Arn, AuthType: AWS_IAM}}
  C:
    Type: AWS::Serverless::Function
    Properties: {{}}
"
    ));
    let a = function(&app, "A").url.as_ref().unwrap();
    assert_eq!(a.auth_type.as_str(), Some("NONE"));
    assert!(a.cors.is_some());
    assert_eq!(
        function(&app, "B").url.as_ref().unwrap().auth_type.as_str(),
        Some("AWS_IAM")
    );
    assert!(function(&app, "C").url.is_none());
}

#[test]
fn conditions_parameters_and_novalue() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env: {Type: String, Default: dev}
  Secret: {Type: String, NoEcho: true}
  Password: {Type: String, Default: plain-default}
Mappings:
  Sizes:
    dev: {memory: 128}
    prod: {memory: 1024}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Condition IsDev]
  Either: !Or [!Condition IsProd, !Condition IsDev]
Resources:
  ProdOnly:
    Type: AWS::Lambda::Function
    Condition: IsProd
    Properties: {Role: arn:aws:iam::123456789012:role/x}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/x
      MemorySize: !FindInMap [Sizes, !Ref Env, memory]
      Environment:
        Variables:
          PICK: !If [IsProd, '{{resolve:secretsmanager:db}}', !Ref Password]
          GONE: !If [IsDev, !Ref AWS::NoValue, kept]
          SECRET: !Ref Secret
          BOTH: !If [Both, yes-both, no-both]
          EITHER: !If [Either, yes-either, no-either]
          REGION: !Ref AWS::Region
          PARTITION: !Sub 'arn:${AWS::Partition}:s3:::x'
          JOINED: !Join ['-', [a, !Ref Env, c]]
          SELECTED: !Select [1, !Split [',', 'x,y,z']]
          IMPORTED: !ImportValue other-stack-output
          B64: !Base64 plain
";
    let dev = lower(text);
    assert!(
        dev.function("ProdOnly").is_none(),
        "a false condition drops the resource"
    );
    let f = function(&dev, "Fn");
    assert_eq!(f.memory_size.as_ref().unwrap().as_str(), Some("128"));
    assert_eq!(env(f, "PICK").as_str(), Some("plain-default"));
    assert!(
        !f.environment.iter().any(|e| e.name == "GONE"),
        "AWS::NoValue removes the variable"
    );
    let secret = env(f, "SECRET").as_unknown().unwrap();
    assert!(secret.reason.contains("no default"), "{}", secret.reason);
    assert_eq!(env(f, "BOTH").as_str(), Some("no-both"));
    assert_eq!(env(f, "EITHER").as_str(), Some("yes-either"));
    assert!(env(f, "REGION").is_unknown());
    assert_eq!(env(f, "PARTITION").as_str(), Some("arn:aws:s3:::x"));
    assert_eq!(env(f, "JOINED").as_str(), Some("a-dev-c"));
    assert_eq!(env(f, "SELECTED").as_str(), Some("y"));
    assert!(env(f, "IMPORTED").is_unknown());
    assert_eq!(env(f, "B64").as_str(), Some("plain"));

    let prod = lower_with(text, &[("Env", "prod"), ("Secret", "from-cli")]);
    assert!(prod.function("ProdOnly").is_some());
    let f = function(&prod, "Fn");
    assert_eq!(f.memory_size.as_ref().unwrap().as_str(), Some("1024"));
    let pick = env(f, "PICK").as_unknown().unwrap();
    assert!(
        pick.external_secret,
        "a dynamic reference is an external secret"
    );
    assert_eq!(env(f, "GONE").as_str(), Some("kept"));
    assert_eq!(env(f, "SECRET").as_str(), Some("from-cli"));
    assert_eq!(env(f, "JOINED").as_str(), Some("a-prod-c"));
    // Parameters keep their declaration.
    let secret = prod.parameters.iter().find(|p| p.name == "Secret").unwrap();
    assert!(secret.no_echo && secret.default.is_none());
}

#[test]
fn parameter_given_a_dynamic_reference_is_an_external_secret() {
    let text = format!(
        "{SAM}Parameters:
  DbPassword: {{Type: String, Default: dev-password-123}}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          DB_PASSWORD: !Ref DbPassword
          DSN: !Sub 'postgres://app:${{DbPassword}}@db:5432/app'
"
    );
    let app = lower_with(
        &text,
        &[(
            "DbPassword",
            "{{resolve:secretsmanager:prod/db:SecretString:password}}",
        )],
    );
    let f = function(&app, "Fn");
    for name in ["DB_PASSWORD", "DSN"] {
        let u = env(f, name)
            .as_unknown()
            .unwrap_or_else(|| panic!("{name} should be unknown: {:?}", env(f, name)));
        assert!(u.external_secret, "{name}");
    }
}

#[test]
fn metadata_suppressions_are_read() {
    let app = lower(
        "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Metadata:
      warden:
        ignore:
          - {rule: AUTH001, reason: webhook verifies HMAC}
          - SEC001
          - {reason: no rule given}
    Properties: {Role: arn:aws:iam::123456789012:role/x}
",
    );
    let s: Vec<(&str, &str, Option<&str>)> = app
        .suppressions
        .iter()
        .map(|s| (s.resource.as_str(), s.rule.as_str(), s.reason.as_deref()))
        .collect();
    assert_eq!(
        s,
        [
            ("Fn", "AUTH001", Some("webhook verifies HMAC")),
            ("Fn", "SEC001", None)
        ]
    );
}

#[test]
fn origins_point_at_the_template_text() {
    let text = format!(
        "{SAM}Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          TOKEN: abc
"
    );
    let app = lower(&text);
    let v = env(function(&app, "Fn"), "TOKEN");
    assert_eq!(
        &text[v.origin.span.start as usize..v.origin.span.end as usize],
        "abc"
    );
    assert_eq!(
        &*v.origin.path,
        "/Resources/Fn/Properties/Environment/Variables/TOKEN"
    );
}

#[test]
fn not_a_template_is_an_error() {
    let file: Arc<str> = Arc::from("x.yaml");
    let empty = ParamOverrides::new();
    for text in [
        "- a\n- b\n",
        "Description: nothing\n",
        "Resources: [1, 2]\n",
    ] {
        let doc = document::parse(file.clone(), text, &Limits::default()).unwrap();
        assert!(
            cfn::lower(file.clone(), &doc.root, &empty).is_err(),
            "{text}"
        );
    }
}

#[test]
fn sam_state_machine_gets_the_role_sam_generates_from_policies() {
    let app = lower(
        r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Policies:
        - LambdaInvokePolicy:
            FunctionName: !Ref Worker
  Given:
    Type: AWS::Serverless::StateMachine
    Properties:
      Role: arn:aws:iam::123456789012:role/flows
  Worker:
    Type: AWS::Lambda::Function
    Properties: {Handler: a.b, Runtime: python3.12, Role: arn:aws:iam::123456789012:role/w}
"#,
    );
    let role = app.role("FlowRole").expect("generated role");
    assert_eq!(role.generated_for.as_deref(), Some("Flow"));
    let trust = role.trust_policy.as_ref().unwrap().to_json().to_string();
    assert!(trust.contains("states.amazonaws.com"), "{trust}");
    assert_eq!(role.policies.len(), 1);
    let doc = role.policies[0]
        .document
        .as_ref()
        .unwrap()
        .to_json()
        .to_string();
    assert!(
        doc.contains("lambda:InvokeFunction") && doc.contains("{{unknown:Ref Worker}}"),
        "{doc}"
    );
    assert!(
        app.role("GivenRole").is_none(),
        "an explicit Role means no generated role"
    );
}
