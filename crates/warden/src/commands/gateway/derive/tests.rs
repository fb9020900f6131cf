//! Derivation from CloudFormation and Serverless Framework apps (the SAM app is covered end to
//! end by `tests/gateway_from.rs`).
#![allow(clippy::unwrap_used)]

use super::*;
use warden_gateway::config::{AuthorizerConfig, RateKey};

fn derive_file(name: &str, text: &str, opts: &Options) -> Derived {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let project =
        warden_input::project::load(&path, &warden_input::project::LoadOptions::default()).unwrap();
    derive(&project.apps, opts).unwrap()
}

fn opts() -> Options {
    Options {
        lambda_endpoint: "http://127.0.0.1:3001".into(),
        api_keys: vec![("partner".into(), "pk-123".into())],
        jwks_file: None,
        allow_unenforceable: false,
        waf: WafMode::Block,
    }
}

fn route<'a>(d: &'a Derived, id: &str) -> &'a RouteConfig {
    d.config.routes.iter().find(|r| r.id == id).unwrap()
}

#[test]
fn cloudformation_http_api() {
    let d = derive_file(
        "template.yaml",
        include_str!("testdata/cfn_http_api.yaml"),
        &opts(),
    );
    let items = route(&d, "Api GET /items/{id}");
    assert_eq!(items.authorizers, ["Api.Auth"]);
    let rl = items.rate_limit.as_ref().unwrap();
    assert_eq!((rl.rate, rl.burst, rl.key), (5.0, 2, RateKey::Route));
    let AuthorizerConfig::Jwt(j) = &d.config.authorizers["Api.Auth"] else {
        panic!("not a JWT authorizer");
    };
    assert_eq!(j.issuers, ["https://idp.example.com/"]);
    assert_eq!(j.audiences, ["aud-1"]);
    assert_eq!(
        j.jwks_url.as_deref(),
        Some("https://idp.example.com/.well-known/jwks.json")
    );
    // `$default` catches every path, the root included, with the stage's default throttle.
    let any = route(&d, "Api ANY $default");
    assert_eq!(any.path, "/{proxy+}");
    assert!(any.methods.is_empty() && any.public);
    assert_eq!(any.route_key.as_deref(), Some("$default"));
    assert_eq!(any.rate_limit.as_ref().unwrap().rate, 50.0);
    assert_eq!(route(&d, "Api ANY $default (root)").path, "/");
    let cors = &d.config.cors["Api"];
    assert_eq!(cors.allow_origins, ["https://a.example"]);
    assert!(cors.allow_methods.contains(&"DELETE".to_string()));
    let Some(UpstreamConfig::Lambda {
        function, event, ..
    }) = d.config.upstreams.get("Fn-v2")
    else {
        panic!("no upstream");
    };
    assert_eq!((function.as_str(), *event), ("Fn", EventVersion::V2));
    d.config.validate().unwrap();
}

#[test]
fn serverless_framework_app() {
    let d = derive_file(
        "serverless.yml",
        include_str!("testdata/serverless.yml"),
        &opts(),
    );
    let partner = route(&d, "ApiGatewayRestApi POST /partner/orders");
    assert_eq!(partner.authorizers, ["ApiGatewayRestApi.api-keys"]);
    let AuthorizerConfig::ApiKey(k) = &d.config.authorizers["ApiGatewayRestApi.api-keys"] else {
        panic!("not an API key authorizer");
    };
    assert_eq!(k.on_failure, KeyFailure::Forbidden);
    assert_eq!(k.keys[0].id, "partner");
    assert_eq!(
        k.keys[0].sha256,
        warden_gateway::auth::api_key::hash_key("pk-123")
    );
    let plan = &d.config.usage_plans[k.keys[0].plan.as_deref().unwrap()];
    assert_eq!(plan.quota_month, Some(100));
    let rl = plan.rate_limit.as_ref().unwrap();
    assert_eq!((rl.rate, rl.burst, rl.key), (5.0, 10, RateKey::Principal));
    let products = route(&d, "HttpApi GET /products");
    assert_eq!(products.authorizers, ["HttpApi.main"]);
    assert_eq!(
        d.config.cors["HttpApi"].allow_origins,
        ["https://shop.example"]
    );
    d.config.validate().unwrap();
}

#[test]
fn endpoint_must_be_a_url() {
    let mut o = opts();
    o.lambda_endpoint = "127.0.0.1:3001".into();
    assert!(derive(&[], &o).unwrap_err().contains("--lambda-endpoint"));
    assert!(derive(&[], &opts()).unwrap_err().contains("no API route"));
}

#[test]
fn overlay_wins_and_merges_routes_by_id() {
    let d = derive_file(
        "template.yaml",
        include_str!("testdata/cfn_http_api.yaml"),
        &opts(),
    );
    let over = r#"
[server]
max_body_bytes = 1024
[[routes]]
id = "Api GET /items/{id}"
path = "/items/{id}"
upstream = "Fn-v2"
public = true
[[routes]]
id = "extra"
path = "/extra"
upstream = "Fn-v2"
public = true
"#;
    let c = overlay(&d.config, over, std::path::Path::new("o.toml")).unwrap();
    assert_eq!(c.server.max_body_bytes, 1024);
    assert_eq!(c.server.max_header_bytes, d.config.server.max_header_bytes);
    assert_eq!(c.routes.len(), d.config.routes.len() + 1);
    assert!(
        c.routes
            .iter()
            .any(|r| r.id == "Api GET /items/{id}" && r.public)
    );
    assert!(
        overlay(
            &d.config,
            "[server]\nbogus = 1",
            std::path::Path::new("o.toml")
        )
        .is_err()
    );
}

#[test]
fn hostile_values_are_skipped_with_warnings() {
    let text = include_str!("testdata/cfn_http_api.yaml")
        .replace("ThrottlingRateLimit: 50\n", "ThrottlingRateLimit: 1e300\n")
        .replace(
            "GET /items/{id}\"\n      AuthorizationType",
            "GET /items/{i{d}\"\n      AuthorizationType",
        );
    let d = derive_file("template.yaml", &text, &opts());
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("/items/{i{d}") && w.contains("skipped")),
        "{:?}",
        d.warnings
    );
    assert!(d.config.routes.iter().all(|r| !r.path.contains("{i{")));
    assert!(
        d.warnings.iter().any(|w| w.contains("beyond")),
        "{:?}",
        d.warnings
    );
    assert!(route(&d, "Api ANY $default").rate_limit.is_none());
    d.config.validate().unwrap();
}

#[test]
fn cognito_authorizers_of_rest_apis() {
    let sam = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthorizer: Pool
        Authorizers:
          Pool:
            UserPoolArn: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Abc
          Unknown:
            UserPoolArn: !GetAtt UserPool.Arn
  UserPool:
    Type: AWS::Cognito::UserPool
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: .
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /me
            Method: get
            Auth:
              AuthorizationScopes: [profile/read]
        Other:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /other
            Method: get
            Auth:
              Authorizer: Unknown
"#;
    let d = derive_file("template.yaml", sam, &opts());
    let me = route(&d, "Api GET /me");
    assert_eq!(me.authorizers, ["Api.Pool"]);
    assert_eq!(me.scopes, ["profile/read"]);
    let AuthorizerConfig::Jwt(j) = &d.config.authorizers["Api.Pool"] else {
        panic!("not a JWT authorizer");
    };
    assert_eq!(
        j.issuers,
        ["https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc"]
    );
    assert!(!j.verify_audience && j.audiences.is_empty());
    // A pool known only at deploy time cannot be checked: refused, with a warning.
    assert_eq!(route(&d, "Api GET /other").authorizers, [DENY]);
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("/other") && w.contains("not known statically")),
        "{:?}",
        d.warnings
    );
    d.config.validate().unwrap();
}
