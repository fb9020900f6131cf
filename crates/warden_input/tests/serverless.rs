//! Serverless Framework lowering: variables, roles, functions, events, URLs and `resources`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use warden_input::project::{self, LoadOptions, Project};
use warden_model::{
    ApiKind, App, AuthKind, Format, Node, PolicySource, Role, RoleLink, TriggerKind, Val,
};

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn load_with(files: &[(&str, &str)], opts: &LoadOptions) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), files);
    let project = project::load(dir.path(), opts).unwrap();
    (dir, project)
}

fn load(yaml: &str) -> (App, Project) {
    let (_dir, project) = load_with(&[("serverless.yml", yaml)], &LoadOptions::default());
    let app = project.apps.first().cloned().expect("one app");
    (app, project)
}

fn env<'a>(app: &'a App, function: &str, name: &str) -> &'a Node {
    &app.function(function)
        .unwrap()
        .environment
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no env {name}"))
        .value
}

fn line(project: &Project, node_origin: &warden_source::Origin) -> u32 {
    project
        .sources
        .get(&node_origin.file)
        .unwrap()
        .position(node_origin.span.start)
        .line
}

fn statements(role: &Role) -> Vec<&Node> {
    role.policies
        .iter()
        .filter_map(|p| p.document.as_ref())
        .flat_map(|d| d.get("Statement").map(Node::items).unwrap_or_default())
        .collect()
}

fn has_action(role: &Role, action: &str) -> bool {
    statements(role).iter().any(|s| {
        s.get("Action")
            .is_some_and(|a| a.one_or_many().iter().any(|x| x.as_str() == Some(action)))
    })
}

#[test]
fn self_opt_sls_and_fallbacks_resolve() {
    let (app, _) = load(
        r#"
service: shop
provider:
  name: aws
  runtime: nodejs20.x
  stage: ${opt:stage, 'qa'}
custom:
  tables:
    qa: orders-qa
    prod: orders-prod
  table: ${self:custom.tables.${sls:stage}}
  port: 8080
functions:
  api:
    handler: src/api.handler
    environment:
      TABLE: ${self:custom.table}
      STAGE: ${sls:stage}
      LABEL: ${self:service}-${sls:stage}-${self:custom.port}
      REGION: ${opt:region, self:provider.region, 'us-east-1'}
      MISSING: ${self:custom.nope, 'fallback'}
"#,
    );
    assert_eq!(app.format, Format::ServerlessFramework);
    assert_eq!(env(&app, "api", "TABLE").as_str(), Some("orders-qa"));
    assert_eq!(env(&app, "api", "STAGE").as_str(), Some("qa"));
    assert_eq!(env(&app, "api", "LABEL").as_str(), Some("shop-qa-8080"));
    assert_eq!(env(&app, "api", "REGION").as_str(), Some("us-east-1"));
    assert_eq!(env(&app, "api", "MISSING").as_str(), Some("fallback"));
}

#[test]
fn cli_options_override_defaults() {
    let mut opts = LoadOptions::default();
    opts.serverless.cli.insert("stage".into(), "prod".into());
    let (_d, project) = load_with(
        &[(
            "serverless.yml",
            "service: s\nprovider: {name: aws, stage: dev}\nfunctions:\n  f:\n    handler: h.h\n    environment:\n      STAGE: ${sls:stage}\n      P: ${param:dbHost}\nparams:\n  prod: {dbHost: prod-db.internal}\n  default: {dbHost: localhost}\n",
        )],
        &opts,
    );
    let app = &project.apps[0];
    assert_eq!(env(app, "f", "STAGE").as_str(), Some("prod"));
    assert_eq!(env(app, "f", "P").as_str(), Some("prod-db.internal"));
}

#[test]
fn external_stores_are_unknown_secret_references() {
    let (app, _) = load(
        r#"
service: s
provider: {name: aws}
functions:
  f:
    handler: h.h
    environment:
      DB_PASSWORD: ${ssm:/shop/db/password}
      API_KEY: ${param:stripeKey}
      OUT: ${cf:other-stack.Url}
      ACCOUNT: ${aws:accountId}
      HOME_DIR: ${env:HOME}
      MIXED: "Bearer ${ssm:/shop/token}"
"#,
    );
    for name in ["DB_PASSWORD", "API_KEY", "OUT", "ACCOUNT"] {
        let u = env(&app, "f", name)
            .as_unknown()
            .unwrap_or_else(|| panic!("{name} known"));
        assert!(u.external_secret, "{name} not marked external");
    }
    let home = env(&app, "f", "HOME_DIR").as_unknown().unwrap();
    assert!(!home.external_secret);
    assert!(home.reason.contains("--allow-env"));
    let mixed = env(&app, "f", "MIXED").as_unknown().unwrap();
    assert_eq!(
        mixed.partial.as_deref(),
        Some("Bearer {{unknown:ssm:/shop/token}}")
    );
}

#[test]
fn env_is_read_only_when_allowed() {
    let mut opts = LoadOptions::default();
    opts.serverless.allow_env = true;
    opts.serverless
        .env
        .insert("WARDEN_TEST_STAGE".into(), "beta".into());
    let (_d, project) = load_with(
        &[(
            "serverless.yml",
            "service: s\nprovider: {name: aws}\nfunctions:\n  f:\n    handler: h.h\n    environment:\n      A: ${env:WARDEN_TEST_STAGE}\n      B: ${env:WARDEN_SURELY_UNSET_VAR_123, 'dflt'}\n",
        )],
        &opts,
    );
    assert_eq!(env(&project.apps[0], "f", "A").as_str(), Some("beta"));
    assert_eq!(env(&project.apps[0], "f", "B").as_str(), Some("dflt"));
}

#[test]
fn file_variables_are_confined_to_the_root() {
    let outer = tempfile::tempdir().unwrap();
    write(
        outer.path(),
        &[
            ("secret.yml", "password: outside-root\n"),
            (
                "proj/serverless.yml",
                "service: s\nprovider: {name: aws}\ncustom: ${file(./config/${sls:stage}.yml)}\nfunctions:\n  f:\n    handler: h.h\n    environment:\n      DB: ${self:custom.db.name}\n      LEAK: ${file(../secret.yml):password}\n      GONE: ${file(./nope.yml):x}\n      JS: ${file(./values.js):x}\n",
            ),
            ("proj/config/dev.yml", "db:\n  name: orders-dev\n"),
            ("proj/values.js", "module.exports = {x: 1}\n"),
        ],
    );
    let root = outer.path().join("proj");
    let project = project::load(&root, &LoadOptions::default()).unwrap();
    let app = &project.apps[0];
    let db = env(app, "f", "DB");
    assert_eq!(db.as_str(), Some("orders-dev"));
    // The value keeps its origin in the included file.
    assert_eq!(&*db.origin.file, "config/dev.yml");
    assert_eq!(line(&project, &db.origin), 2);
    let leak = env(app, "f", "LEAK");
    assert!(
        leak.is_unknown(),
        "a file outside the root was read: {leak:?}"
    );
    assert!(env(app, "f", "GONE").is_unknown());
    assert!(env(app, "f", "JS").is_unknown());
    let messages: Vec<&str> = project.errors.iter().map(|e| e.message.as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("outside the scanned root")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("nope.yml") && m.contains("not found")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("not executed")),
        "{messages:?}"
    );
}

#[test]
fn cycles_depth_and_expansion_are_bounded() {
    let mut bomb = String::from("service: s\nprovider: {name: aws}\ncustom:\n  l0: x\n");
    for i in 1..40 {
        bomb.push_str(&format!(
            "  l{i}: [\"${{self:custom.l{}}}\", \"${{self:custom.l{}}}\"]\n",
            i - 1,
            i - 1
        ));
    }
    bomb.push_str(
        "  a: ${self:custom.b}\n  b: ${self:custom.a}\nfunctions:\n  f:\n    handler: h.h\n    environment:\n      A: ${self:custom.a}\n      BOMB: ${self:custom.l39}\n      BAD: ${self:custom.a\n",
    );
    let (app, project) = load(&bomb);
    assert!(env(&app, "f", "A").contains_unknown());
    assert!(env(&app, "f", "BAD").is_unknown());
    assert!(env(&app, "f", "BOMB").contains_unknown());
    let messages: Vec<&str> = project.errors.iter().map(|e| e.message.as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("cyclic")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("invalid variable syntax")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("expand to more than")),
        "{messages:?}"
    );
}

#[test]
fn provider_statements_make_one_service_role() {
    let (app, project) = load(
        r#"service: s
provider:
  name: aws
  iam:
    role:
      statements:
        - Effect: Allow
          Action: "*"
          Resource: "*"
      managedPolicies:
        - arn:aws:iam::aws:policy/ReadOnlyAccess
functions:
  a: {handler: a.h}
  b: {handler: b.h}
"#,
    );
    let role = app.role("IamRoleLambdaExecution").unwrap();
    for f in ["a", "b"] {
        assert!(
            matches!(&app.function(f).unwrap().role, RoleLink::Resource(r) if r == "IamRoleLambdaExecution")
        );
    }
    assert!(has_action(role, "*"));
    assert!(has_action(role, "logs:PutLogEvents"));
    assert!(role.policies.iter().any(|p| p.source
        == PolicySource::AwsManaged {
            name: "ReadOnlyAccess".into()
        }
        && p.document.is_some()));
    let star = statements(role)
        .into_iter()
        .find_map(|s| s.get("Action").filter(|a| a.as_str() == Some("*")))
        .unwrap();
    assert_eq!(line(&project, &star.origin), 8);
}

#[test]
fn legacy_keys_custom_roles_and_per_function_roles() {
    let (app, _) = load(
        r#"service: s
provider:
  name: aws
  iamRoleStatements:
    - {Effect: Allow, Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*"}
  iamManagedPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess"]
functions:
  shared: {handler: a.h}
  own:
    handler: b.h
    iamRoleStatements:
      - {Effect: Allow, Action: ["dynamodb:*"], Resource: "*"}
  inherits:
    handler: c.h
    iamRoleStatementsInherit: true
    iamRoleStatements:
      - {Effect: Allow, Action: ["sqs:SendMessage"], Resource: "*"}
  custom:
    handler: d.h
    role: MyRole
  external:
    handler: e.h
    role: arn:aws:iam::123456789012:role/ops
resources:
  Resources:
    MyRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument: {}
        Policies:
          - PolicyName: p
            PolicyDocument: {Statement: [{Effect: Allow, Action: "iam:*", Resource: "*"}]}
"#,
    );
    let service = app.role("IamRoleLambdaExecution").unwrap();
    assert!(has_action(service, "s3:GetObject"));
    assert!(
        service
            .policies
            .iter()
            .any(|p| p.name == "AdministratorAccess")
    );
    let own = app.role("OwnIamRoleLambdaExecution").unwrap();
    assert_eq!(own.generated_for.as_deref(), Some("own"));
    assert!(has_action(own, "dynamodb:*"));
    assert!(
        !has_action(own, "s3:GetObject"),
        "inherited without iamRoleStatementsInherit"
    );
    let inherits = app.role("InheritsIamRoleLambdaExecution").unwrap();
    assert!(has_action(inherits, "sqs:SendMessage") && has_action(inherits, "s3:GetObject"));
    assert!(
        matches!(&app.function("custom").unwrap().role, RoleLink::Resource(r) if r == "MyRole")
    );
    assert!(has_action(app.role("MyRole").unwrap(), "iam:*"));
    assert!(
        matches!(&app.function("external").unwrap().role, RoleLink::External(n) if n.as_str().unwrap().ends_with("role/ops"))
    );
}

#[test]
fn provider_role_arn_replaces_the_generated_role() {
    let (app, _) = load(
        "service: s\nprovider:\n  name: aws\n  iam:\n    role: arn:aws:iam::123456789012:role/shared\nfunctions:\n  f: {handler: h.h}\n",
    );
    assert!(app.roles.is_empty());
    assert!(matches!(
        &app.function("f").unwrap().role,
        RoleLink::External(_)
    ));
}

#[test]
fn function_settings_inherit_from_the_provider() {
    let (app, _) = load(
        r#"service: s
provider:
  name: aws
  runtime: python3.12
  kmsKeyArn: arn:aws:kms:us-east-1:123456789012:key/abc
  tracing: {lambda: true}
  environment:
    SHARED: one
    OVERRIDE: provider
functions:
  f:
    handler: app.main
    timeout: 30
    reservedConcurrency: 5
    environment:
      OVERRIDE: function
      TABLE: !Ref Orders
resources:
  Resources:
    Orders: {Type: AWS::DynamoDB::Table}
"#,
    );
    let f = app.function("f").unwrap();
    assert_eq!(
        f.runtime.as_ref().and_then(Node::as_str),
        Some("python3.12")
    );
    assert_eq!(f.handler.as_ref().and_then(Node::as_str), Some("app.main"));
    assert_eq!(f.timeout.as_ref().and_then(Node::as_i64), Some(30));
    assert_eq!(f.memory_size.as_ref().and_then(Node::as_i64), Some(1024));
    assert_eq!(
        f.reserved_concurrency.as_ref().and_then(Node::as_i64),
        Some(5)
    );
    assert!(f.kms_key.is_some());
    assert_eq!(f.tracing.as_ref().and_then(Node::as_str), Some("Active"));
    assert_eq!(env(&app, "f", "SHARED").as_str(), Some("one"));
    assert_eq!(env(&app, "f", "OVERRIDE").as_str(), Some("function"));
    assert_eq!(
        env(&app, "f", "TABLE")
            .as_unknown()
            .unwrap()
            .resource
            .as_deref(),
        Some("Orders")
    );
    assert_eq!(
        f.properties
            .at(&["TracingConfig", "Mode"])
            .and_then(Node::as_str),
        Some("Active")
    );
    assert!(has_action(
        app.role("IamRoleLambdaExecution").unwrap(),
        "xray:PutTraceSegments"
    ));
    assert!(app.resource("Orders").is_some());
}

#[test]
fn http_events_become_routes_with_their_authentication() {
    let (app, project) = load(
        r#"service: s
provider:
  name: aws
  httpApi:
    authorizers:
      jwtAuth: {type: jwt, identitySource: $request.header.Authorization, issuerUrl: https://issuer, audience: [a]}
      fnAuth: {type: request, functionName: auth}
functions:
  auth: {handler: auth.h}
  api:
    handler: api.h
    events:
      - http: GET /open
      - http: {path: iam, method: post, authorizer: aws_iam}
      - http: {path: cognito, method: get, authorizer: {arn: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_x"}}
      - http: {path: custom, method: get, authorizer: auth}
      - http: {path: keyed, method: get, private: true}
      - http: {path: undeclared, method: get, authorizer: nobody}
      - httpApi: GET /h/open
      - httpApi: {method: GET, path: /h/jwt, authorizer: {name: jwtAuth}}
      - httpApi: {method: GET, path: /h/lambda, authorizer: {name: fnAuth}}
      - httpApi: {method: GET, path: /h/iam, authorizer: {type: aws_iam}}
      - httpApi: '*'
"#,
    );
    let rest = app.apis.iter().find(|a| a.kind == ApiKind::Rest).unwrap();
    assert_eq!(rest.id, "ApiGatewayRestApi");
    let auth = |path: &str| rest.routes.iter().find(|r| r.path == path).unwrap();
    assert_eq!(auth("/open").auth, AuthKind::None);
    assert_eq!(auth("/open").method, "GET");
    assert_eq!(line(&project, &auth("/open").origin), 13);
    assert_eq!(auth("/iam").auth, AuthKind::Iam);
    assert_eq!(auth("/cognito").auth, AuthKind::Cognito);
    assert_eq!(auth("/custom").auth, AuthKind::Lambda);
    assert!(auth("/keyed").api_key_required && auth("/keyed").auth == AuthKind::None);
    assert!(matches!(auth("/undeclared").auth, AuthKind::Unknown(_)));
    let http = app.apis.iter().find(|a| a.kind == ApiKind::Http).unwrap();
    assert_eq!(http.id, "HttpApi");
    let h = |path: &str| http.routes.iter().find(|r| r.path == path).unwrap();
    assert_eq!(h("/h/open").auth, AuthKind::None);
    assert_eq!(h("/h/jwt").auth, AuthKind::Jwt);
    assert_eq!(h("/h/lambda").auth, AuthKind::Lambda);
    assert_eq!(h("/h/iam").auth, AuthKind::Iam);
    assert_eq!(h("$default").method, "ANY");
    let api = app.function("api").unwrap();
    assert_eq!(
        api.triggers
            .iter()
            .filter(|t| t.kind == TriggerKind::Api)
            .count(),
        6
    );
    assert_eq!(
        api.triggers
            .iter()
            .filter(|t| t.kind == TriggerKind::HttpApi)
            .count(),
        5
    );
}

#[test]
fn other_events_become_triggers_with_sources() {
    let (app, _) = load(
        r#"service: s
provider: {name: aws}
functions:
  worker:
    handler: w.h
    events:
      - s3: photos
      - s3: {bucket: !Ref Uploads, event: "s3:ObjectCreated:*"}
      - sns: alerts
      - sqs: {arn: !GetAtt Jobs.Arn}
      - stream: {type: dynamodb, arn: !GetAtt Orders.StreamArn}
      - stream: arn:aws:kinesis:us-east-1:123456789012:stream/clicks
      - schedule: rate(5 minutes)
      - eventBridge: {pattern: {source: [aws.ec2]}}
      - cognitoUserPool: {pool: users, trigger: PreSignUp}
      - websocket: $connect
resources:
  Resources:
    Uploads: {Type: AWS::S3::Bucket}
    Jobs: {Type: AWS::SQS::Queue}
    Orders: {Type: AWS::DynamoDB::Table}
"#,
    );
    let f = app.function("worker").unwrap();
    let kinds: Vec<(TriggerKind, Option<String>)> = f
        .triggers
        .iter()
        .map(|t| (t.kind.clone(), t.source.clone()))
        .collect();
    assert_eq!(kinds[0], (TriggerKind::S3, Some("S3BucketPhotos".into())));
    assert_eq!(kinds[1], (TriggerKind::S3, Some("Uploads".into())));
    assert_eq!(kinds[2], (TriggerKind::Sns, Some("SNSTopicAlerts".into())));
    assert_eq!(kinds[3], (TriggerKind::Sqs, Some("Jobs".into())));
    assert_eq!(kinds[4], (TriggerKind::DynamoDb, Some("Orders".into())));
    assert_eq!(kinds[5].0, TriggerKind::Kinesis);
    assert_eq!(kinds[6].0, TriggerKind::Schedule);
    assert_eq!(kinds[7].0, TriggerKind::EventBridge);
    assert_eq!(kinds[8].0, TriggerKind::Cognito);
    assert_eq!(kinds[9].0, TriggerKind::Other("WebSocket".into()));
    assert_eq!(
        app.resource("S3BucketPhotos").unwrap().kind,
        "AWS::S3::Bucket"
    );
    let role = app.role("IamRoleLambdaExecution").unwrap();
    assert!(has_action(role, "sqs:ReceiveMessage"));
    assert!(has_action(role, "dynamodb:GetRecords"));
    assert!(has_action(role, "kinesis:GetRecords"));
}

#[test]
fn function_urls() {
    let (app, project) = load(
        "service: s\nprovider: {name: aws}\nfunctions:\n  open:\n    handler: a.h\n    url: true\n  iam:\n    handler: b.h\n    url:\n      authorizer: aws_iam\n  corsy:\n    handler: c.h\n    url:\n      cors: true\n  none:\n    handler: d.h\n",
    );
    let open = app.function("open").unwrap().url.as_ref().unwrap();
    assert_eq!(open.auth_type.as_str(), Some("NONE"));
    assert_eq!(line(&project, &open.auth_type.origin), 6);
    let iam = app.function("iam").unwrap().url.as_ref().unwrap();
    assert_eq!(iam.auth_type.as_str(), Some("AWS_IAM"));
    let corsy = app.function("corsy").unwrap().url.as_ref().unwrap();
    assert_eq!(corsy.auth_type.as_str(), Some("NONE"));
    assert!(corsy.cors.is_some());
    assert!(app.function("none").unwrap().url.is_none());
}

#[test]
fn resources_attach_to_generated_functions_and_apis() {
    let (app, _) = load(
        r#"service: s
provider: {name: aws}
functions:
  hello:
    handler: h.h
    events:
      - http: {path: x, method: get, authorizer: {type: COGNITO_USER_POOLS, authorizerId: !Ref PoolAuthorizer}}
resources:
  - Resources:
      PublicInvoke:
        Type: AWS::Lambda::Permission
        Properties:
          FunctionName: !GetAtt HelloLambdaFunction.Arn
          Action: lambda:InvokeFunction
          Principal: s3.amazonaws.com
  - Resources:
      PoolAuthorizer:
        Type: AWS::ApiGateway::Authorizer
        Properties:
          RestApiId: !Ref ApiGatewayRestApi
          Type: COGNITO_USER_POOLS
          ProviderARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/x]
      Queue: {Type: AWS::SQS::Queue}
"#,
    );
    let perm = app
        .permissions
        .iter()
        .find(|p| p.id == "PublicInvoke")
        .unwrap();
    assert_eq!(perm.function.as_deref(), Some("hello"));
    assert_eq!(
        app.functions.len(),
        1,
        "placeholders must not become functions"
    );
    assert!(app.resource("Queue").is_some());
    assert!(app.resource("HelloLambdaFunction").is_none());
    let rest = app
        .apis
        .iter()
        .find(|a| a.id == "ApiGatewayRestApi")
        .unwrap();
    assert_eq!(rest.routes[0].auth, AuthKind::Cognito);
    assert!(rest.authorizers.contains_key("PoolAuthorizer"));
    assert_eq!(app.apis.len(), 1);
}

#[test]
fn scripts_other_providers_and_malformed_files_are_errors() {
    let (_d, project) = load_with(
        &[
            ("a/serverless.ts", "export default {service: 'x'}\n"),
            ("b/serverless.yml", "service: g\nprovider: {name: google}\n"),
            ("c/serverless.yml", "service: [unclosed\n"),
            ("d/serverless.yml", "- just\n- a list\n"),
            (
                "e/serverless.json",
                "{\"service\": \"j\", \"provider\": {\"name\": \"aws\"}, \"functions\": {\"f\": {\"handler\": \"h.h\", \"url\": true}}}",
            ),
        ],
        &LoadOptions::default(),
    );
    let errs: Vec<(&str, &str)> = project
        .errors
        .iter()
        .map(|e| (e.file.as_str(), e.message.as_str()))
        .collect();
    assert!(
        errs.iter()
            .any(|(f, m)| *f == "a/serverless.ts" && m.contains("not executed: unsupported")),
        "{errs:?}"
    );
    assert!(
        errs.iter()
            .any(|(f, m)| *f == "b/serverless.yml" && m.contains("google")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|(f, _)| *f == "c/serverless.yml"),
        "{errs:?}"
    );
    assert!(
        errs.iter()
            .any(|(f, m)| *f == "d/serverless.yml" && m.contains("not a mapping")),
        "{errs:?}"
    );
    assert_eq!(project.apps.len(), 1);
    assert_eq!(project.apps[0].file, "e/serverless.json");
    assert!(project.apps[0].function("f").unwrap().url.is_some());
}

#[test]
fn hostile_values_never_panic() {
    for text in [
        "service: ${",
        "service: ${self:}\nprovider: ${self:}\nfunctions: ${self:functions}\n",
        "functions: {f: {events: [{http: {}}, {httpApi: {authorizer: {}}}, {s3: {}}, {sqs: []}, {stream: 3}, 7, {http: null}]}}\n",
        "functions: {f: {url: {authorizer: 5}, environment: [1, 2], iamRoleStatements: 'x', role: {}}}\n",
        "provider: {iam: {role: {statements: 5, managedPolicies: [null, {}]}}}\nfunctions: [{a: {handler: x}}, 3, {b: null}]\n",
        "resources: [1, {Resources: 2}, {Resources: {X: {Type: 9}}}]\nfunctions: {f: {handler: h}}\n",
        "custom: {a: '${file(/etc/passwd)}', b: '${file()}', c: '${self:custom.${self:custom.c}}'}\n",
    ] {
        let (_d, project) = load_with(&[("serverless.yml", text)], &LoadOptions::default());
        assert!(project.apps.len() + project.errors.len() >= 1, "{text}");
    }
}

#[test]
fn json_values_stay_typed() {
    let (app, _) = load(
        "service: s\nprovider: {name: aws}\ncustom:\n  size: 512\n  flags: {on: true}\nfunctions:\n  f:\n    handler: h.h\n    memorySize: ${self:custom.size}\n    environment: ${self:custom.flags}\n",
    );
    let f = app.function("f").unwrap();
    assert!(matches!(f.memory_size.as_ref().unwrap().val, Val::Num(ref n) if n == "512"));
    assert_eq!(env(&app, "f", "on").as_bool(), Some(true));
}

#[test]
fn websocket_functions_get_the_framework_connection_statement() {
    let (app, _p) = load(
        "service: chat\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  send:\n    handler: h.send\n    events:\n      - websocket: $default\n  plain:\n    handler: h.plain\n",
    );
    let role = app.role("IamRoleLambdaExecution").unwrap();
    assert!(has_action(role, "execute-api:ManageConnections"));
    let (app, _p) = load(
        "service: api\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  plain:\n    handler: h.plain\n",
    );
    let role = app.role("IamRoleLambdaExecution").unwrap();
    assert!(!has_action(role, "execute-api:ManageConnections"));
}

#[test]
fn lift_constructs_attach_grants_the_template_does_not_show() {
    let (app, _p) = load(
        "service: jobs\nprovider:\n  name: aws\n  runtime: nodejs20.x\nconstructs:\n  jobs:\n    type: queue\n    worker:\n      handler: w.handler\nfunctions:\n  producer:\n    handler: p.handler\nplugins:\n  - serverless-lift\n",
    );
    let role = app.role("IamRoleLambdaExecution").unwrap();
    assert!(
        role.policies
            .iter()
            .any(|p| p.source == PolicySource::External && p.document.is_none()),
        "{:?}",
        role.policies.iter().map(|p| &p.name).collect::<Vec<_>>()
    );
}
