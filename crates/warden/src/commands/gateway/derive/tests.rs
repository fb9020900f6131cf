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

/// SAM: `RequestModel` with the API's `Models` (a model referring to another one), and
/// `RequestParameters` validated because `ValidateParameters` is set.
#[test]
fn sam_request_models_and_parameters() {
    let sam = r##"
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Models:
        Order:
          type: object
          required: [item, qty]
          properties:
            item:
              $ref: "#/definitions/item"
            qty: {type: integer, minimum: 1, exclusiveMaximum: true, maximum: 10}
        Item:
          type: object
          required: [sku]
          properties:
            sku: {type: string}
        Remote:
          type: object
          properties:
            x:
              $ref: https://example.com/schemas/x.json
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: .
      Events:
        Create:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /orders
            Method: post
            RequestModel:
              Model: Order
              Required: true
              ValidateBody: true
              ValidateParameters: true
            RequestParameters:
              - method.request.querystring.dry
              - method.request.querystring.tenant:
                  Required: true
              - method.request.header.X-Request-Id:
                  Required: true
                  Caching: false
        Unvalidated:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /drafts
            Method: post
            RequestModel:
              Model: Order
        BodyOnly:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /body-only
            Method: post
            RequestModel:
              Model: Order
              ValidateBody: true
            RequestParameters:
              - method.request.querystring.tenant:
                  Required: true
        Remote:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /remote
            Method: post
            RequestModel:
              Model: Remote
              ValidateBody: true
"##;
    let d = derive_file("template.yaml", sam, &opts());
    let s = route(&d, "Api POST /orders").schema.as_ref().unwrap();
    assert_eq!(s.content_types, ["application/json"]);
    assert_eq!(s.max_json_depth, 32);
    let body = s.body.as_ref().unwrap();
    assert_eq!(body["$schema"], "http://json-schema.org/draft-04/schema#");
    assert_eq!(
        body["properties"]["item"]["$ref"],
        "#/definitions/apigw.Item"
    );
    assert_eq!(body["definitions"]["apigw.Item"]["required"][0], "sku");
    assert_eq!(
        s.query.as_ref().unwrap()["required"],
        serde_json::json!(["tenant"])
    );
    assert_eq!(
        s.headers.as_ref().unwrap()["required"],
        serde_json::json!(["x-request-id"])
    );
    // The derived schema behaves as the model: draft 4 (`exclusiveMaximum: true`), refs inlined.
    let compiled = warden_gateway::schema::RouteSchema::compile(s).unwrap();
    let check = |body: &str| {
        compiled
            .check(
                Some("application/json"),
                Some("tenant=t"),
                &[],
                [("x-request-id", &b"1"[..])],
                body.as_bytes(),
            )
            .map_err(|e| e.status().as_u16())
    };
    assert_eq!(check(r#"{"item": {"sku": "a"}, "qty": 2}"#), Ok(()));
    assert_eq!(check(r#"{"item": {}, "qty": 2}"#), Err(422));
    assert_eq!(check(r#"{"item": {"sku": "a"}, "qty": 10}"#), Err(422));
    // No ValidateBody/ValidateParameters: SAM adds no validator; nothing is validated.
    assert!(route(&d, "Api POST /drafts").schema.is_none());
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("/drafts") && w.contains("does not validate")),
        "{:?}",
        d.warnings
    );
    // ValidateParameters defaults to false when only ValidateBody is given.
    let b = route(&d, "Api POST /body-only").schema.as_ref().unwrap();
    assert!(b.body.is_some() && b.query.is_none());
    // A remote reference: the body is not validated, and the warning says so.
    assert!(route(&d, "Api POST /remote").schema.is_none());
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("/remote") && w.contains("body is NOT validated")),
        "{:?}",
        d.warnings
    );
    assert!(
        d.table
            .iter()
            .any(|l| l.validation.contains("query tenant"))
    );
    d.config.validate().unwrap();
}

/// CloudFormation: Method + RequestValidator + Model (one referring to another through its API
/// Gateway URL); only what the validator asks for is validated.
#[test]
fn cloudformation_request_validators() {
    let cfn = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: shop
  Items:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Api
      ParentId: !GetAtt Api.RootResourceId
      PathPart: items
  ItemModel:
    Type: AWS::ApiGateway::Model
    Properties:
      RestApiId: !Ref Api
      Name: Item
      ContentType: application/json
      Schema:
        type: object
        required: [sku]
        properties:
          sku: {type: string, pattern: "^[A-Z0-9]+$"}
  BatchModel:
    Type: AWS::ApiGateway::Model
    Properties:
      RestApiId: !Ref Api
      ContentType: application/json
      Schema: !Sub |
        {"type": "array", "items": {"$ref": "https://apigateway.amazonaws.com/restapis/${Api}/models/${ItemModel}"}}
  Everything:
    Type: AWS::ApiGateway::RequestValidator
    Properties:
      RestApiId: !Ref Api
      ValidateRequestBody: true
      ValidateRequestParameters: true
  ParamsOnly:
    Type: AWS::ApiGateway::RequestValidator
    Properties:
      RestApiId: !Ref Api
      ValidateRequestParameters: true
  Post:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Items
      HttpMethod: POST
      AuthorizationType: NONE
      RequestValidatorId: !Ref Everything
      RequestModels:
        application/json: !Ref ItemModel
      RequestParameters:
        method.request.querystring.tenant: true
        method.request.querystring.debug: false
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  Put:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Items
      HttpMethod: PUT
      AuthorizationType: NONE
      RequestValidatorId: !Ref ParamsOnly
      RequestModels:
        application/json: Item
      RequestParameters:
        method.request.header.X-Tenant: true
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  Patch:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Items
      HttpMethod: PATCH
      AuthorizationType: NONE
      RequestValidatorId: !Ref Everything
      RequestModels:
        application/json: !Ref BatchModel
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  Delete:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Items
      HttpMethod: DELETE
      AuthorizationType: NONE
      RequestModels:
        application/json: Item
      RequestParameters:
        method.request.querystring.tenant: true
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: "x"}
"#;
    let d = derive_file("template.yaml", cfn, &opts());
    let post = route(&d, "Api POST /items").schema.as_ref().unwrap();
    assert_eq!(post.body.as_ref().unwrap()["required"][0], "sku");
    assert_eq!(post.content_types, ["application/json"]);
    assert_eq!(
        post.query.as_ref().unwrap()["required"],
        serde_json::json!(["tenant"])
    );
    // ParamsOnly: the model is not checked, the header is.
    let put = route(&d, "Api PUT /items").schema.as_ref().unwrap();
    assert!(put.body.is_none() && put.query.is_none());
    assert_eq!(
        put.headers.as_ref().unwrap()["required"],
        serde_json::json!(["x-tenant"])
    );
    // A model referring to another through its API Gateway URL: inlined.
    let patch = route(&d, "Api PATCH /items").schema.as_ref();
    let body = patch
        .and_then(|s| s.body.as_ref())
        .unwrap_or_else(|| panic!("{:?}", d.warnings));
    assert_eq!(body["items"]["$ref"], "#/definitions/apigw.Item");
    // No validator: API Gateway validates nothing, neither does the gateway.
    assert!(route(&d, "Api DELETE /items").schema.is_none());
    d.config.validate().unwrap();
}

/// HTTP APIs have no request validation: a template that asks for it gets a warning.
#[test]
fn http_api_request_models_are_a_warning() {
    let text = include_str!("testdata/cfn_http_api.yaml").replace(
        "GET /items/{id}\"\n",
        "GET /items/{id}\"\n      RequestParameters:\n        route.request.querystring.q: {Required: true}\n",
    );
    let d = derive_file("template.yaml", &text, &opts());
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("/items/{id}") && w.contains("HTTP APIs do not validate")),
        "{:?}",
        d.warnings
    );
    assert!(route(&d, "Api GET /items/{id}").schema.is_none());
}

/// Two templates with the same API ids: names are qualified with the template's name; a
/// template alone keeps today's names.
#[test]
fn apps_with_the_same_api_ids_do_not_collide() {
    let app = |path: &str, issuer: &str| {
        format!(
            r#"
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Cors: "'https://{path}.example'"
    Auth:
      DefaultAuthorizer: Jwt
      Authorizers:
        Jwt:
          UserPoolArn: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/{issuer}
Resources:
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
            Path: /{path}
            Method: get
        Shared:
          Type: Api
          Properties:
            Path: /shared
            Method: get
"#
        )
    };
    let dir = tempfile::tempdir().unwrap();
    for (sub, issuer) in [("a", "eu-west-1_A"), ("b", "eu-west-1_B")] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("template.yaml"), app(sub, issuer)).unwrap();
    }
    let project =
        warden_input::project::load(dir.path(), &warden_input::project::LoadOptions::default())
            .unwrap();
    assert_eq!(project.apps.len(), 2);
    let d = derive(&project.apps, &opts()).unwrap();
    let ids: Vec<&str> = d.config.routes.iter().map(|r| r.id.as_str()).collect();
    assert!(
        ids.contains(&"a/template:ServerlessRestApi GET /a"),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"b/template:ServerlessRestApi GET /b"),
        "{ids:?}"
    );
    let a = route(&d, "a/template:ServerlessRestApi GET /a");
    let b = route(&d, "b/template:ServerlessRestApi GET /b");
    assert_eq!(a.cors.as_deref(), Some("a/template:ServerlessRestApi"));
    assert_eq!(b.cors.as_deref(), Some("b/template:ServerlessRestApi"));
    assert_eq!(
        d.config.cors["b/template:ServerlessRestApi"].allow_origins,
        ["https://b.example"]
    );
    // Each API keeps its own authorizer (its own user pool).
    let issuer = |r: &RouteConfig| match &d.config.authorizers[&r.authorizers[0]] {
        AuthorizerConfig::Jwt(j) => j.issuers[0].clone(),
        _ => panic!("not a JWT authorizer"),
    };
    assert!(issuer(a).ends_with("eu-west-1_A") && issuer(b).ends_with("eu-west-1_B"));
    // The same path in both: served by the first, with a warning; the shared function too.
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("/shared") && w.contains("same path")),
        "{:?}",
        d.warnings
    );
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("function `Fn` is declared by")),
        "{:?}",
        d.warnings
    );
    d.config.validate().unwrap();
    // One template alone: unqualified names, as before.
    let single = derive_file("template.yaml", &app("a", "eu-west-1_A"), &opts());
    assert!(
        single
            .config
            .routes
            .iter()
            .any(|r| r.id == "ServerlessRestApi GET /a")
    );
    assert!(single.config.cors.contains_key("ServerlessRestApi"));
}

/// OpenAPI definitions: validators by name (operation or document default), Swagger 2 body and
/// query parameters, OpenAPI 3 request bodies and header parameters.
#[test]
fn openapi_request_validators() {
    let sam = r##"
Transform: AWS::Serverless-2016-10-31
Resources:
  V2:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        swagger: "2.0"
        x-amazon-apigateway-request-validators:
          all: {validateRequestBody: true, validateRequestParameters: true}
          params: {validateRequestBody: false, validateRequestParameters: true}
        x-amazon-apigateway-request-validator: all
        definitions:
          Pet:
            type: object
            required: [name]
            properties: {name: {type: string}, tag: {$ref: "#/definitions/Tag"}}
          Tag: {type: string, maxLength: 3}
        paths:
          /pets:
            post:
              consumes: [application/json]
              parameters:
                - {in: body, name: pet, required: true, schema: {$ref: "#/definitions/Pet"}}
                - {in: query, name: owner, required: true, type: string}
                - {in: query, name: page, type: string}
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
            get:
              x-amazon-apigateway-request-validator: params
              parameters:
                - {in: body, name: pet, schema: {$ref: "#/definitions/Pet"}}
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  V3:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        openapi: "3.0.1"
        x-amazon-apigateway-request-validators:
          all: {validateRequestBody: true, validateRequestParameters: true}
        paths:
          /notes:
            put:
              x-amazon-apigateway-request-validator: all
              parameters:
                - {in: header, name: X-Tenant, required: true, schema: {type: string}}
              requestBody:
                content:
                  application/json:
                    schema: {type: object, required: [text], properties: {text: {type: string}}}
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: .
"##;
    let d = derive_file("template.yaml", sam, &opts());
    let post = route(&d, "V2 POST /pets").schema.as_ref().unwrap();
    let body = post.body.as_ref().unwrap();
    assert_eq!(body["required"][0], "name");
    assert_eq!(body["properties"]["tag"]["$ref"], "#/definitions/apigw.Tag");
    assert_eq!(body["definitions"]["apigw.Tag"]["maxLength"], 3);
    assert_eq!(post.content_types, ["application/json"]);
    assert_eq!(
        post.query.as_ref().unwrap()["required"],
        serde_json::json!(["owner"])
    );
    // `params` validates parameters only, and there are none required: nothing to check.
    assert!(route(&d, "V2 GET /pets").schema.is_none());
    let put = route(&d, "V3 PUT /notes").schema.as_ref().unwrap();
    assert_eq!(put.body.as_ref().unwrap()["required"][0], "text");
    assert_eq!(
        put.headers.as_ref().unwrap()["required"],
        serde_json::json!(["x-tenant"])
    );
    d.config.validate().unwrap();
}

/// Recursive models compile; models that cannot be used leave the body unvalidated, saying so.
#[test]
fn recursive_and_unusable_models() {
    let sam = r##"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Dynamic: {Type: String}
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Models:
        Tree:
          type: object
          properties:
            children: {type: array, items: {$ref: "#/definitions/tree"}}
        Ghost:
          type: object
          properties:
            x: {$ref: "https://apigateway.amazonaws.com/restapis/abc/models/Nope"}
        Scalar: "just a string"
        Unknown:
          type: object
          properties:
            x: {type: !Ref Dynamic}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: a.h
      CodeUri: .
      Events:
        Tree:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /tree, Method: post,
                       RequestModel: {Model: Tree, ValidateBody: true}}
        Ghost:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /ghost, Method: post,
                       RequestModel: {Model: Ghost, ValidateBody: true}}
        Scalar:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /scalar, Method: post,
                       RequestModel: {Model: Scalar, ValidateBody: true}}
        Unknown:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /unknown, Method: post,
                       RequestModel: {Model: Unknown, ValidateBody: true}}
        Missing:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /missing, Method: post,
                       RequestModel: {Model: Missing, ValidateBody: true}}
"##;
    let d = derive_file("template.yaml", sam, &opts());
    let tree = route(&d, "Api POST /tree").schema.as_ref().unwrap();
    let compiled = warden_gateway::schema::RouteSchema::compile(tree).unwrap();
    let check = |b: &str| {
        compiled
            .check(Some("application/json"), None, &[], [], b.as_bytes())
            .is_ok()
    };
    assert!(check(r#"{"children": [{"children": []}]}"#));
    assert!(!check(r#"{"children": [{"children": [1]}]}"#));
    for path in ["/ghost", "/scalar", "/unknown", "/missing"] {
        assert!(
            route(&d, &format!("Api POST {path}")).schema.is_none(),
            "{path}"
        );
        assert!(
            d.warnings
                .iter()
                .any(|w| w.contains(path) && w.contains("body is NOT validated")),
            "{path}: {:?}",
            d.warnings
        );
    }
    d.config.validate().unwrap();
}

/// Serverless Framework `http` events: `request.schemas` in every form (a `${file(...)}`, a
/// `{name, schema}` map, a provider model, JSON text, v2's `request.schema`) and
/// `request.parameters` (`true`, `{required, mappedValue}`); a validator only when something is
/// required or has a schema, as the Framework compiles it; `httpApi` events validate nothing.
#[test]
fn serverless_request_schemas_and_parameters() {
    let sls = r#"
service: shop
provider:
  name: aws
  runtime: nodejs20.x
  apiGateway:
    request:
      schemas:
        order-model:
          name: OrderModel
          description: an order
          schema: ${file(schemas/order.json)}
        bare-model:
          type: object
          required: [bare]
functions:
  orders:
    handler: h.orders
    events:
      - http:
          method: post
          path: orders
          request:
            schemas:
              application/json: ${file(schemas/order.json)}
            parameters:
              querystrings: {tenant: true, dry: false}
              headers:
                X-Request-Id: {required: true, mappedValue: context.requestId}
                X-Optional: {required: false}
                X-Mapped: {mappedValue: context.requestId}
      - http:
          method: post
          path: named
          request:
            schemas:
              application/json:
                name: NamedModel
                schema: {type: object, required: [named]}
      - http:
          method: post
          path: provider
          request:
            schemas:
              application/json: order-model
              application/vnd.order+json: order-model
      - http:
          method: post
          path: bare
          request: {schemas: {application/json: bare-model}}
      - http:
          method: post
          path: text
          request: {schemas: {application/json: '{"type": "object", "required": ["t"]}'}}
      - http:
          method: post
          path: legacy
          request: {schema: {application/json: {type: object, required: [legacy]}}}
      - http:
          method: get
          path: optional
          request: {parameters: {querystrings: {q: false}, headers: {h: {required: false}}}}
      - http:
          method: get
          path: items/{id}
          request: {parameters: {paths: {id: true}, querystrings: {page: true}}}
      - http:
          method: post
          path: broken
          request: {schemas: {application/json: not-a-model}}
      - http:
          method: post
          path: mixed
          request:
            schemas:
              application/json: {type: object, required: [j]}
              text/plain: {type: string}
      - http:
          method: get
          path: dynamic
          request: {parameters: {querystrings: {q: '${ssm:/shop/required}'}}}
      - httpApi:
          method: post
          path: /v2/orders
          request: {schemas: {application/json: order-model}}
"#;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("schemas")).unwrap();
    std::fs::write(
        dir.path().join("schemas/order.json"),
        r#"{"$schema": "http://json-schema.org/draft-04/schema#", "type": "object",
            "required": ["sku", "qty"],
            "properties": {"sku": {"type": "string", "pattern": "^[A-Z0-9]+$"},
                           "qty": {"type": "integer", "minimum": 1}}}"#,
    )
    .unwrap();
    let path = dir.path().join("serverless.yml");
    std::fs::write(&path, sls).unwrap();
    let project =
        warden_input::project::load(&path, &warden_input::project::LoadOptions::default()).unwrap();
    let d = derive(&project.apps, &opts()).unwrap();
    let schema = |id: &str| {
        route(&d, &format!("ApiGatewayRestApi {id}"))
            .schema
            .as_ref()
    };
    let warned = |path: &str, what: &str| {
        assert!(
            d.warnings
                .iter()
                .any(|w| w.contains(path) && w.contains(what)),
            "{path}: {what}: {:?}",
            d.warnings
        );
    };

    // `${file(...)}` schema, a required query parameter, required headers (`{mappedValue}`
    // without `required` is required), optional ones left out.
    let s = schema("POST /orders").unwrap();
    assert_eq!(s.content_types, ["application/json"]);
    assert_eq!(
        s.query.as_ref().unwrap()["required"],
        serde_json::json!(["tenant"])
    );
    assert_eq!(
        s.headers.as_ref().unwrap()["required"],
        serde_json::json!(["x-mapped", "x-request-id"])
    );
    let compiled = warden_gateway::schema::RouteSchema::compile(s).unwrap();
    let check = |ct: &str, query: &str, body: &str| {
        compiled
            .check(
                Some(ct),
                Some(query),
                &[],
                [("x-request-id", &b"1"[..]), ("x-mapped", &b"1"[..])],
                body.as_bytes(),
            )
            .map_err(|e| e.status().as_u16())
    };
    let good = r#"{"sku": "AB12", "qty": 2}"#;
    assert_eq!(check("application/json", "tenant=t", good), Ok(()));
    assert_eq!(
        check(
            "application/json",
            "tenant=t",
            r#"{"sku": "ab 12", "qty": 2}"#
        ),
        Err(422)
    );
    assert_eq!(
        check("application/json", "tenant=t", r#"{"sku": "AB12"}"#),
        Err(422)
    );
    assert_eq!(check("application/json", "dry=1", good), Err(422));
    assert_eq!(check("text/plain", "tenant=t", good), Err(415));
    assert!(
        d.table.iter().any(|l| l.path == "/orders"
            && l.validation
                == "body (application/json), query tenant, headers x-mapped, x-request-id"),
        "{:?}",
        d.table
    );

    // `{name, schema}`, a provider model (`{name, schema}` or the schema itself), JSON text
    // and v2's `request.schema`: each route's body must have its own required property.
    for (id, prop) in [
        ("POST /named", "named"),
        ("POST /provider", "sku"),
        ("POST /bare", "bare"),
        ("POST /text", "t"),
        ("POST /legacy", "legacy"),
    ] {
        let body = schema(id).and_then(|s| s.body.as_ref()).expect(id);
        assert_eq!(body["required"][0], prop, "{id}");
        assert_eq!(
            body["$schema"], "http://json-schema.org/draft-04/schema#",
            "{id}"
        );
    }
    // The same model for two content types: both accepted.
    let mut types = schema("POST /provider").unwrap().content_types.clone();
    types.sort();
    assert_eq!(types, ["application/json", "application/vnd.order+json"]);

    // Nothing required and no schema: the Framework adds no validator.
    assert!(schema("GET /optional").is_none());
    // A required path parameter is implied by the path; the query parameter is checked.
    let items = schema("GET /items/{id}").unwrap();
    assert!(items.path.is_none() && items.body.is_none());
    assert_eq!(
        items.query.as_ref().unwrap()["required"],
        serde_json::json!(["page"])
    );
    // A string that is neither a provider model nor JSON: the body is not validated, saying so.
    assert!(schema("POST /broken").is_none());
    warned("/broken", "body is NOT validated");
    // Different schemas per content type: the JSON one, other types refused with a warning.
    assert_eq!(
        schema("POST /mixed").unwrap().content_types,
        ["application/json"]
    );
    warned("/mixed", "one body model per route");
    // A requirement only known at deploy time.
    assert!(schema("GET /dynamic").is_none());
    warned("/dynamic", "not known statically; it is NOT validated");
    // `httpApi`: no validation in AWS; a warning.
    assert!(route(&d, "HttpApi POST /v2/orders").schema.is_none());
    warned("/v2/orders", "HTTP APIs do not validate");
    d.config.validate().unwrap();
}

/// Serverless `request` blocks of the wrong shapes derive what they can and never panic.
#[test]
fn serverless_request_of_odd_shapes() {
    let sls = r#"
service: odd
provider: {name: aws, runtime: nodejs20.x}
functions:
  odd:
    handler: h.odd
    events:
      - http: {method: post, path: scalar, request: 5}
      - http: {method: post, path: list, request: {schemas: [a, b], parameters: {querystrings: [q]}}}
      - http:
          method: post
          path: fallback
          request: {schemas: null, schema: {application/json: {type: object, required: [f]}}}
      - http:
          method: get
          path: strings
          request: {parameters: {querystrings: {a: "true", b: "false", c: 7, d: null}}}
"#;
    let d = derive_file("serverless.yml", sls, &opts());
    let schema = |id: &str| {
        route(&d, &format!("ApiGatewayRestApi {id}"))
            .schema
            .as_ref()
    };
    assert!(schema("POST /scalar").is_none());
    assert!(schema("POST /list").is_none());
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("/list") && w.contains("is not a map")),
        "{:?}",
        d.warnings
    );
    // `schemas: null` is absent: v2's `schema` applies.
    let f = schema("POST /fallback")
        .and_then(|s| s.body.as_ref())
        .unwrap();
    assert_eq!(f["required"][0], "f");
    // CloudFormation's booleans: "true" is required, "false" and null are not, 7 is refused.
    let s = schema("GET /strings").unwrap();
    assert_eq!(
        s.query.as_ref().unwrap()["required"],
        serde_json::json!(["a"])
    );
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("`c`") && w.contains("is not a boolean")),
        "{:?}",
        d.warnings
    );
    d.config.validate().unwrap();
}
