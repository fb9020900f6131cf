//! Integration: `warden gateway --from TEMPLATE --listen HOST:PORT --lambda-endpoint URL` on a SAM
//! app (gateway_support/from_template.yaml) with a fake Lambda Invoke API that records every
//! invocation: the v2 (HTTP API) and v1 (REST API) events, the mapping of function results back
//! to HTTP, JWT authorizer outcomes, API keys and usage-plan quotas, throttling, the WAF, CORS,
//! unenforceable authorizers, `--check` and `--config` overlays.
#![allow(clippy::unwrap_used)]

mod gateway_support;

use axum::extract::{Path as AxPath, State};
use gateway_support::{start_args, testkit, warden};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::{Arc, Mutex};
use testkit::{Client, JwksServer, RSA1, RSA2, claims, mint};

type Calls = Arc<Mutex<Vec<(String, Value)>>>;

const TEMPLATE: &str = include_str!("gateway_support/from_template.yaml");
const KEY: &str = "key-alice-0123456789abcdef";

/// A Lambda Invoke API: records (path, event) and answers per function. `ReportsFn` answers a
/// payload-1.0 result (status 201, multi-value headers, base64 body); `OrdersFn` a payload-2.0
/// result with cookies; `AdminFn` a plain 200.
async fn fake_lambda() -> (std::net::SocketAddr, Calls) {
    let calls: Calls = Arc::default();
    async fn invoke(
        State(calls): State<Calls>,
        AxPath(name): AxPath<String>,
        uri: axum::http::Uri,
        body: axum::body::Bytes,
    ) -> axum::Json<Value> {
        let event: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        calls
            .lock()
            .unwrap()
            .push((uri.path().to_string(), event.clone()));
        axum::Json(match name.as_str() {
            "ReportsFn" => json!({
                "statusCode": 201,
                "headers": {"content-type": "text/plain"},
                "multiValueHeaders": {"x-multi": ["a", "b"]},
                "body": "cmVwb3J0IGNyZWF0ZWQ=",
                "isBase64Encoded": true
            }),
            "OrdersFn" => json!({
                "statusCode": 200,
                "headers": {"content-type": "application/json", "x-fn": "orders"},
                "cookies": ["session=s1; HttpOnly", "theme=dark"],
                "body": json!({"order": event["pathParameters"]["id"]}).to_string()
            }),
            _ => json!({"statusCode": 200, "body": "ok"}),
        })
    }
    let app = axum::Router::new()
        .route(
            "/2015-03-31/functions/{name}/invocations",
            axum::routing::post(invoke),
        )
        .with_state(calls.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, calls)
}

fn write_template(dir: &Path, issuer: &str) -> String {
    let p = dir.join("template.yaml");
    std::fs::write(&p, TEMPLATE.replace("ISSUER", issuer)).unwrap();
    p.to_string_lossy().into_owned()
}

fn take(calls: &Calls) -> Vec<(String, Value)> {
    std::mem::take(&mut *calls.lock().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn derived_gateway_enforces_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let jwks = JwksServer::start(&[("k1", RSA1)]).await;
    let issuer = format!("http://{}", jwks.addr);
    let template = write_template(dir.path(), &issuer);
    let (lambda, calls) = fake_lambda().await;
    let endpoint = format!("http://{lambda}");
    let key_arg = format!("alice={KEY}");
    let gw = start_args(
        dir.path(),
        &[
            "--from",
            &template,
            "--lambda-endpoint",
            &endpoint,
            "--api-key",
            &key_arg,
        ],
        &[],
    );
    let stderr = gw.stderr();
    assert!(stderr.contains("/orders/{id}"), "route table: {stderr}");
    assert!(stderr.contains("IAM"), "IAM warning: {stderr}");
    assert!(!stderr.contains(KEY), "API key printed: {stderr}");
    let c = Client::new();
    let token = mint(RSA1, Some("k1"), &claims("alice", json!({"iss": issuer})));
    let bearer = format!("Bearer {token}");

    // HTTP API + JWT authorizer: 401 without a token or with a wrong one, nothing invoked.
    let url = gw.url("/orders/42?x=1&x=2");
    assert_eq!(c.get(&url, &[]).await.status, 401);
    let wrong_aud = mint(
        RSA1,
        Some("k1"),
        &claims("alice", json!({"iss": issuer, "aud": "other"})),
    );
    let r = c
        .get(&url, &[("authorization", &format!("Bearer {wrong_aud}"))])
        .await;
    assert_eq!(r.status, 401);
    let foreign_key = mint(RSA2, Some("k1"), &claims("alice", json!({"iss": issuer})));
    let r = c
        .get(&url, &[("authorization", &format!("Bearer {foreign_key}"))])
        .await;
    assert_eq!(r.status, 401);
    assert!(
        take(&calls).is_empty(),
        "refused requests reached the function"
    );

    // A valid token: a payload 2.0 event to OrdersFn, the 2.0 result mapped back.
    let r = c
        .get(
            &url,
            &[
                ("authorization", &bearer),
                ("cookie", "a=1; b=2"),
                ("x-trace", "t1"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({"order": "42"}));
    assert_eq!(r.headers["x-fn"], "orders");
    let cookies: Vec<_> = r.headers.get_all("set-cookie").iter().collect();
    assert_eq!(cookies, ["session=s1; HttpOnly", "theme=dark"]);
    let got = take(&calls);
    assert_eq!(got.len(), 1);
    let (path, ev) = &got[0];
    assert_eq!(path, "/2015-03-31/functions/OrdersFn/invocations");
    assert_eq!(ev["version"], "2.0");
    assert_eq!(ev["routeKey"], "GET /orders/{id}");
    assert_eq!(ev["rawPath"], "/orders/42");
    assert_eq!(ev["rawQueryString"], "x=1&x=2");
    assert_eq!(ev["queryStringParameters"], json!({"x": "1,2"}));
    assert_eq!(ev["pathParameters"], json!({"id": "42"}));
    assert_eq!(ev["cookies"], json!(["a=1", "b=2"]));
    assert_eq!(ev["headers"]["x-trace"], "t1");
    assert!(ev["headers"].get("cookie").is_none());
    assert_eq!(ev["requestContext"]["http"]["method"], "GET");
    assert_eq!(ev["requestContext"]["http"]["path"], "/orders/42");
    assert_eq!(ev["requestContext"]["routeKey"], "GET /orders/{id}");
    assert_eq!(
        ev["requestContext"]["authorizer"]["jwt"]["claims"]["sub"],
        "alice"
    );
    assert_eq!(ev["isBase64Encoded"], false);
    assert!(ev.get("body").is_none());

    // Greedy path parameter on an open ANY route.
    let r = c.post(&gw.url("/files/a/b/c.txt"), &[], "hello").await;
    assert_eq!(r.status, 200);
    let got = take(&calls);
    let ev = &got[0].1;
    assert_eq!(ev["routeKey"], "ANY /files/{proxy+}");
    assert_eq!(ev["pathParameters"], json!({"proxy": "a/b/c.txt"}));
    assert_eq!(ev["requestContext"]["http"]["method"], "POST");
    assert_eq!(ev["body"], "hello");

    // REST API + API key: 403 without or with a wrong key (nothing invoked), then a payload
    // 1.0 event to ReportsFn and the 1.0 result (multi-value headers, base64 body) mapped back.
    let rurl = gw.url("/reports/7?a=1&a=2");
    let body = r#"{"title":"q3"}"#;
    let ct = ("content-type", "application/json");
    assert_eq!(c.post(&rurl, &[ct], body).await.status, 403);
    assert_eq!(
        c.post(&rurl, &[ct, ("x-api-key", "not-the-key")], body)
            .await
            .status,
        403
    );
    assert!(take(&calls).is_empty());
    let r = c.post(&rurl, &[ct, ("x-api-key", KEY)], body).await;
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.text(), "report created");
    let multi: Vec<_> = r.headers.get_all("x-multi").iter().collect();
    assert_eq!(multi, ["a", "b"]);
    let got = take(&calls);
    let (path, ev) = &got[0];
    assert_eq!(path, "/2015-03-31/functions/ReportsFn/invocations");
    assert!(ev.get("version").is_none(), "payload 1.0 has no version");
    assert_eq!(ev["resource"], "/reports/{id}");
    assert_eq!(ev["path"], "/reports/7");
    assert_eq!(ev["httpMethod"], "POST");
    assert_eq!(ev["pathParameters"], json!({"id": "7"}));
    assert_eq!(ev["queryStringParameters"], json!({"a": "2"}));
    assert_eq!(
        ev["multiValueQueryStringParameters"],
        json!({"a": ["1", "2"]})
    );
    assert_eq!(ev["headers"]["content-type"], "application/json");
    assert_eq!(
        ev["multiValueHeaders"]["content-type"],
        json!(["application/json"])
    );
    assert_eq!(ev["body"], body);
    assert_eq!(ev["isBase64Encoded"], false);
    assert_eq!(ev["requestContext"]["resourcePath"], "/reports/{id}");
    assert_eq!(ev["requestContext"]["httpMethod"], "POST");
    assert_eq!(ev["requestContext"]["identity"]["apiKeyId"], "alice");

    // The usage plan's quota (3 a day per key): two more pass, the fourth is refused.
    for _ in 0..2 {
        assert_eq!(
            c.post(&rurl, &[ct, ("x-api-key", KEY)], body).await.status,
            201
        );
    }
    let r = c.post(&rurl, &[ct, ("x-api-key", KEY)], body).await;
    assert_eq!(r.status, 429);
    assert!(r.headers.contains_key("retry-after"));
    take(&calls);

    // An open REST route: no key needed.
    assert_eq!(c.get(&gw.url("/public"), &[]).await.status, 201);
    // IAM authorizer: cannot be enforced here, refused with 401 and never invoked.
    assert_eq!(c.get(&gw.url("/admin"), &[]).await.status, 401);
    let got = take(&calls);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "/2015-03-31/functions/ReportsFn/invocations");

    // Route throttling from RouteSettings (1/s, burst 3): 3 pass at once, then 429s.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(c.get(&gw.url("/limited"), &[]).await.status);
    }
    let ok = statuses.iter().filter(|s| **s == 200).count();
    assert!(
        (3..=4).contains(&ok),
        "burst 3 at 1/s admitted {statuses:?}"
    );
    assert_eq!(statuses[..3], [200, 200, 200], "{statuses:?}");
    assert!(statuses.contains(&429), "{statuses:?}");
    take(&calls);

    // WAF in block mode by default: attacks are refused before the function.
    let sqli = gw.url("/health?q=1%27%20OR%20%271%27%3D%271");
    assert_eq!(c.get(&sqli, &[]).await.status, 403);
    let trav = gw.url("/files/x?file=..%2F..%2F..%2Fetc%2Fpasswd");
    assert_eq!(c.get(&trav, &[]).await.status, 403);
    assert_eq!(
        c.get(&gw.url("/health?q=an+ordinary+question"), &[])
            .await
            .status,
        200
    );
    let got = take(&calls);
    assert_eq!(got.len(), 1, "only the benign request was invoked");

    // CORS per the template's CorsConfiguration.
    let pre = |origin: &'static str, method: &'static str, headers: &'static str| {
        http::Request::builder()
            .method("OPTIONS")
            .uri(gw.url("/orders/42"))
            .header("origin", origin)
            .header("access-control-request-method", method)
            .header("access-control-request-headers", headers)
            .body(http_body_util::Full::new(bytes::Bytes::new()))
            .unwrap()
    };
    let r = c
        .send(pre("https://app.example.com", "GET", "authorization"))
        .await;
    assert!(r.status == 204 || r.status == 200, "{}", r.status);
    assert_eq!(
        r.headers["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(r.headers["access-control-max-age"], "600");
    assert_eq!(
        c.send(pre("https://evil.example", "GET", "authorization"))
            .await
            .status,
        403
    );
    assert_eq!(
        c.send(pre("https://app.example.com", "DELETE", "authorization"))
            .await
            .status,
        403
    );
    assert_eq!(
        c.send(pre("https://app.example.com", "GET", "x-custom"))
            .await
            .status,
        403
    );
    // An actual cross-origin call gets the allow-origin header.
    let r = c
        .get(&gw.url("/health"), &[("origin", "https://app.example.com")])
        .await;
    assert_eq!(
        r.headers["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert!(take(&calls).len() == 1);
    assert_eq!(c.get(&gw.url("/nowhere"), &[]).await.status, 404);
    assert!(!gw.stdout().contains(KEY) && !gw.stderr().contains(KEY));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unenforceable_routes_can_be_served_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let template = write_template(dir.path(), "https://issuer.test");
    let (lambda, calls) = fake_lambda().await;
    let endpoint = format!("http://{lambda}");
    let jwks_file = dir.path().join("jwks.json");
    std::fs::write(&jwks_file, testkit::jwks(&[("k1", RSA1)])).unwrap();
    let jwks_arg = jwks_file.to_string_lossy().into_owned();
    let gw = start_args(
        dir.path(),
        &[
            "--from",
            &template,
            "--lambda-endpoint",
            &endpoint,
            "--allow-unenforceable",
            "--jwks-file",
            &jwks_arg,
            "--waf",
            "off",
        ],
        &[],
    );
    assert!(
        gw.stderr().contains("WITHOUT authentication"),
        "{}",
        gw.stderr()
    );
    let c = Client::new();
    assert_eq!(c.get(&gw.url("/admin"), &[]).await.status, 200);
    assert_eq!(
        take(&calls)[0].0,
        "/2015-03-31/functions/AdminFn/invocations"
    );
    // The JWKS file replaces the issuer's JWKS URL; a bare token (no `Bearer`) is accepted.
    let token = mint(RSA1, Some("k1"), &claims("bob", json!({})));
    assert_eq!(
        c.get(&gw.url("/orders/1"), &[("authorization", &token)])
            .await
            .status,
        200
    );
    // Audience as API Gateway's JWT authorizers check it: `aud` (string or list), or
    // `client_id` when the token has no `aud` (Cognito access tokens).
    let now = warden_gateway::time::unix_secs();
    let access = |client: &str| json!({"iss": "https://issuer.test", "sub": "c", "client_id": client, "iat": now, "exp": now + 300});
    for (claims, want) in [
        (access("warden-api"), 200),
        (access("other-client"), 401),
        (claims("d", json!({"aud": ["x", "warden-api"]})), 200),
        (
            claims("d", json!({"aud": ["x", "y"], "client_id": "warden-api"})),
            401,
        ),
    ] {
        let t = mint(RSA1, Some("k1"), &claims);
        let got = c
            .get(
                &gw.url("/orders/1"),
                &[("authorization", &format!("Bearer {t}"))],
            )
            .await
            .status;
        assert_eq!(got, want, "{claims}");
    }
    // No key was given: routes that require one refuse everything with 403.
    assert!(gw.stderr().contains("no key was given"));
    assert_eq!(
        c.post(&gw.url("/reports/1"), &[("x-api-key", "anything")], "{}")
            .await
            .status,
        403
    );
    // `--waf off`: no inspection.
    let sqli = gw.url("/health?q=1%27%20OR%20%271%27%3D%271");
    assert_eq!(c.get(&sqli, &[]).await.status, 200);
}

#[test]
fn check_prints_the_derived_configuration_and_config_overlays_it() {
    let dir = tempfile::tempdir().unwrap();
    let template = write_template(dir.path(), "https://issuer.test");
    let key_arg = format!("alice={KEY}");
    let (code, out, err) = warden(&[
        "gateway",
        "--from",
        &template,
        "--check",
        "--api-key",
        &key_arg,
    ]);
    assert_eq!(code, 0, "{err}");
    let cfg: toml::Value = toml::from_str(&out).unwrap();
    let routes = cfg["routes"].as_array().unwrap();
    let ids: Vec<&str> = routes.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"HttpApi GET /orders/{id}"), "{ids:?}");
    assert!(ids.contains(&"RestApi POST /reports/{id}"), "{ids:?}");
    let up = &cfg["upstreams"]["ReportsFn-v1"];
    assert_eq!(up["endpoint"].as_str(), Some("http://127.0.0.1:3001"));
    assert_eq!(up["event"].as_str(), Some("v1"));
    assert_eq!(
        cfg["upstreams"]["OrdersFn-v2"]["event"].as_str(),
        Some("v2")
    );
    assert_eq!(
        cfg["authorizers"]["HttpApi.Oidc"]["jwks_url"].as_str(),
        Some("https://issuer.test/.well-known/jwks.json")
    );
    assert_eq!(cfg["waf"]["mode"].as_str(), Some("block"));
    assert!(!out.contains(KEY) && !err.contains(KEY), "API key printed");
    assert!(out.contains(&warden_gateway::auth::api_key::hash_key(KEY)));
    assert!(
        err.contains("ok (7 routes, 3 upstreams, 3 authorizers"),
        "{err}"
    );

    // `--config` over `--from`: the file wins, same-id routes are replaced.
    let overlay = dir.path().join("over.toml");
    std::fs::write(
        &overlay,
        r#"
[waf]
mode = "detect_only"
[[routes]]
id = "RestApi GET /public"
path = "/public"
upstream = "ReportsFn-v1"
authorizers = ["RestApi.api-keys"]
"#,
    )
    .unwrap();
    let ov = overlay.to_string_lossy().into_owned();
    let (code, out, err) = warden(&["gateway", "--from", &template, "--config", &ov, "--check"]);
    assert_eq!(code, 0, "{err}");
    let cfg: toml::Value = toml::from_str(&out).unwrap();
    assert_eq!(cfg["waf"]["mode"].as_str(), Some("detect_only"));
    assert_eq!(cfg["waf"]["threshold"].as_integer(), Some(5));
    let public = cfg["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"].as_str() == Some("RestApi GET /public"))
        .unwrap();
    assert_eq!(public["authorizers"][0].as_str(), Some("RestApi.api-keys"));

    // Bad input is a tool error (exit 2), not a panic.
    let bad = dir.path().join("empty.yaml");
    std::fs::write(&bad, "Resources: {}\n").unwrap();
    let (code, _, err) = warden(&["gateway", "--from", &bad.to_string_lossy(), "--check"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = warden(&[
        "gateway",
        "--from",
        &template,
        "--check",
        "--api-key",
        "no-equals",
    ]);
    assert_eq!(code, 2, "{err}");
}

/// A SAM REST API whose event validates its body against a model of the API's `Models` (which
/// refers to another model) and requires a query parameter.
const SAM_VALIDATED: &str = r##"
Transform: AWS::Serverless-2016-10-31
Resources:
  Shop:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Models:
        Order:
          type: object
          required: [item, qty]
          additionalProperties: false
          properties:
            item: {$ref: "#/definitions/item"}
            qty: {type: integer, minimum: 1}
        Item:
          type: object
          required: [sku]
          properties:
            sku: {type: string, pattern: "^[A-Z0-9]{1,12}$"}
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Create:
          Type: Api
          Properties:
            RestApiId: !Ref Shop
            Path: /orders
            Method: post
            RequestModel:
              Model: Order
              ValidateBody: true
              ValidateParameters: true
            RequestParameters:
              - method.request.querystring.tenant:
                  Required: true
"##;

/// The same API in plain CloudFormation: Method + RequestValidator + Models (one referring to
/// the other through its API Gateway URL), and a method that validates a required header only.
const CFN_VALIDATED: &str = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Shop:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: shop}
  Orders:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Shop
      ParentId: !GetAtt Shop.RootResourceId
      PathPart: orders
  ItemModel:
    Type: AWS::ApiGateway::Model
    Properties:
      RestApiId: !Ref Shop
      Name: Item
      ContentType: application/json
      Schema:
        type: object
        required: [sku]
        properties:
          sku: {type: string, pattern: "^[A-Z0-9]{1,12}$"}
  OrderModel:
    Type: AWS::ApiGateway::Model
    Properties:
      RestApiId: !Ref Shop
      Name: Order
      ContentType: application/json
      Schema: !Sub |
        {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object",
         "required": ["item", "qty"], "additionalProperties": false,
         "properties": {"qty": {"type": "integer", "minimum": 1},
           "item": {"$ref": "https://apigateway.amazonaws.com/restapis/${Shop}/models/${ItemModel}"}}}
  All:
    Type: AWS::ApiGateway::RequestValidator
    Properties: {RestApiId: !Ref Shop, ValidateRequestBody: true, ValidateRequestParameters: true}
  ParamsOnly:
    Type: AWS::ApiGateway::RequestValidator
    Properties: {RestApiId: !Ref Shop, ValidateRequestParameters: true}
  Create:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Shop
      ResourceId: !Ref Orders
      HttpMethod: POST
      AuthorizationType: NONE
      RequestValidatorId: !Ref All
      RequestModels: {application/json: !Ref OrderModel}
      RequestParameters: {method.request.querystring.tenant: true}
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Echo.Arn}/invocations
  Replace:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Shop
      ResourceId: !Ref Orders
      HttpMethod: PUT
      AuthorizationType: NONE
      RequestValidatorId: !Ref ParamsOnly
      RequestModels: {application/json: Order}
      RequestParameters: {method.request.header.X-Tenant: true}
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Echo.Arn}/invocations
  Echo:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: "def handler(e, c): return e"}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_api_request_validation_from_the_template() {
    let (lambda, events) = testkit::lambda_server().await;
    let endpoint = format!("http://{lambda}");
    let c = Client::new();
    for (name, text) in [("sam", SAM_VALIDATED), ("cfn", CFN_VALIDATED)] {
        let dir = tempfile::tempdir().unwrap();
        let template = dir.path().join("template.yaml");
        std::fs::write(&template, text).unwrap();
        let t = template.to_string_lossy().into_owned();
        let gw = start_args(
            dir.path(),
            &["--from", &t, "--lambda-endpoint", &endpoint],
            &[],
        );
        let table = gw.stderr();
        assert!(
            table.contains("validates: body (application/json), query tenant"),
            "{name}: {table}"
        );
        let ct = ("content-type", "application/json");
        let url = gw.url("/orders?tenant=acme");
        let good = r#"{"item": {"sku": "AB12"}, "qty": 2}"#;
        events.lock().unwrap().clear();
        // A body that violates the model (or a model it refers to) never reaches the function.
        for bad in [
            r#"{"item": {"sku": "AB12"}, "qty": 0}"#,
            r#"{"item": {"sku": "ab 12"}, "qty": 2}"#,
            r#"{"item": {}, "qty": 2}"#,
            r#"{"item": {"sku": "AB12"}, "qty": 2, "extra": true}"#,
            "not json",
        ] {
            let r = c.post(&url, &[ct], bad).await;
            assert_eq!(r.status, 422, "{name}: {bad}: {}", r.text());
        }
        // Another content type than the model's: 415.
        let r = c.post(&url, &[("content-type", "text/plain")], good).await;
        assert_eq!(r.status, 415, "{name}");
        // The required query parameter missing: 422.
        let r = c.post(&gw.url("/orders"), &[ct], good).await;
        assert_eq!(r.status, 422, "{name}: {}", r.text());
        assert!(
            events.lock().unwrap().is_empty(),
            "{name}: invalid request invoked"
        );
        // A valid request is forwarded as a payload 1.0 event.
        let r = c.post(&url, &[ct], good).await;
        assert_eq!(r.status, 200, "{name}: {}", r.text());
        let got = std::mem::take(&mut *events.lock().unwrap());
        assert_eq!(got.len(), 1, "{name}");
        assert_eq!(got[0]["body"], good);
        assert_eq!(got[0]["queryStringParameters"]["tenant"], "acme");
        assert_eq!(got[0]["resource"], "/orders");
        if name == "cfn" {
            // PUT validates parameters only: the header is required, the body is not checked.
            let put = |tenant: Option<&'static str>| {
                let mut b =
                    http::Request::put(gw.url("/orders")).header("content-type", "text/plain");
                if let Some(t) = tenant {
                    b = b.header("X-Tenant", t);
                }
                b.body(http_body_util::Full::new(bytes::Bytes::from_static(
                    b"anything",
                )))
                .unwrap()
            };
            assert_eq!(c.send(put(None)).await.status, 422);
            assert_eq!(c.send(put(Some("acme"))).await.status, 200);
            assert_eq!(events.lock().unwrap().len(), 1);
        }
    }
}

/// A template whose JWT issuer is a parameter without a default.
const PARAM_ISSUER: &str = r#"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Issuer:
    Type: String
  Audience:
    Type: String
    Default: warden-api
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Oidc
        Authorizers:
          Oidc:
            JwtConfiguration:
              issuer: !Ref Issuer
              audience: [!Ref Audience]
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Me:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Path: /me
            Method: GET
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parameters_complete_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.yaml");
    std::fs::write(&template, PARAM_ISSUER).unwrap();
    let t = template.to_string_lossy().into_owned();
    // Without the parameter the issuer is unknown: the route is refused, with a warning.
    let (code, out, err) = warden(&["gateway", "--from", &t, "--check"]);
    assert_eq!(code, 0, "{err}");
    let cfg: toml::Value = toml::from_str(&out).unwrap();
    assert_eq!(
        cfg["routes"][0]["authorizers"][0].as_str(),
        Some("unenforceable")
    );
    assert!(err.contains("not known statically"), "{err}");

    // `--params-file` (AWS CLI format) gives it.
    let params = dir.path().join("params.json");
    std::fs::write(
        &params,
        r#"[{"ParameterKey": "Issuer", "ParameterValue": "https://idp.example.com"}]"#,
    )
    .unwrap();
    let p = params.to_string_lossy().into_owned();
    let (code, out, err) = warden(&["gateway", "--from", &t, "--params-file", &p, "--check"]);
    assert_eq!(code, 0, "{err}");
    let cfg: toml::Value = toml::from_str(&out).unwrap();
    assert_eq!(
        cfg["routes"][0]["authorizers"][0].as_str(),
        Some("Api.Oidc")
    );
    assert_eq!(
        cfg["authorizers"]["Api.Oidc"]["issuers"][0].as_str(),
        Some("https://idp.example.com")
    );

    // `--param` (winning over the file): a working JWT authorizer against a live JWKS.
    let jwks = JwksServer::start(&[("k1", RSA1)]).await;
    let issuer = format!("http://{}", jwks.addr);
    let (lambda, events) = testkit::lambda_server().await;
    let endpoint = format!("http://{lambda}");
    let param = format!("Issuer={issuer}");
    let gw = start_args(
        dir.path(),
        &[
            "--from",
            &t,
            "--params-file",
            &p,
            "--param",
            &param,
            "--lambda-endpoint",
            &endpoint,
        ],
        &[],
    );
    assert!(
        !gw.stderr().contains("not known statically"),
        "{}",
        gw.stderr()
    );
    let c = Client::new();
    assert_eq!(c.get(&gw.url("/me"), &[]).await.status, 401);
    let token = mint(RSA1, Some("k1"), &claims("alice", json!({"iss": issuer})));
    let r = c
        .get(
            &gw.url("/me"),
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let got = events.lock().unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0]["requestContext"]["authorizer"]["jwt"]["claims"]["sub"],
        "alice"
    );
}

#[test]
fn templates_with_the_same_api_ids_do_not_collide() {
    let dir = tempfile::tempdir().unwrap();
    for (sub, path) in [("orders", "/orders"), ("users", "/users")] {
        let d = dir.path().join(sub);
        std::fs::create_dir(&d).unwrap();
        let text = format!(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Handler: a.h\n      CodeUri: .\n      Events:\n        Get:\n          Type: Api\n          Properties:\n            Path: {path}\n            Method: get\n"
        );
        std::fs::write(d.join("template.yaml"), text).unwrap();
    }
    let root = dir.path().to_string_lossy().into_owned();
    let (code, out, err) = warden(&["gateway", "--from", &root, "--check"]);
    assert_eq!(code, 0, "{err}");
    let cfg: toml::Value = toml::from_str(&out).unwrap();
    let mut ids: Vec<&str> = cfg["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "orders/template:ServerlessRestApi GET /orders",
            "users/template:ServerlessRestApi GET /users"
        ]
    );
    assert!(err.contains("function `Fn` is declared by"), "{err}");
}

/// A Serverless Framework service whose `http` event validates its body (`request.schemas`, the
/// schema read by `${file(...)}`) and requires a query parameter.
const SLS_VALIDATED: &str = r#"
service: shop
provider:
  name: aws
  runtime: nodejs20.x
functions:
  Echo:
    handler: app.handler
    events:
      - http:
          method: post
          path: orders
          request:
            schemas:
              application/json: ${file(schemas/order.json)}
            parameters:
              querystrings:
                tenant: true
                dry: false
"#;

const SLS_ORDER_SCHEMA: &str = r#"{
  "$schema": "http://json-schema.org/draft-04/schema#",
  "type": "object",
  "required": ["sku", "qty"],
  "additionalProperties": false,
  "properties": {
    "sku": {"type": "string", "pattern": "^[A-Z0-9]{4}$"},
    "qty": {"type": "integer", "minimum": 1}
  }
}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serverless_request_validation_from_the_template() {
    let (lambda, events) = testkit::lambda_server().await;
    let endpoint = format!("http://{lambda}");
    let c = Client::new();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("schemas")).unwrap();
    std::fs::write(dir.path().join("schemas/order.json"), SLS_ORDER_SCHEMA).unwrap();
    let template = dir.path().join("serverless.yml");
    std::fs::write(&template, SLS_VALIDATED).unwrap();
    let t = template.to_string_lossy().into_owned();
    let gw = start_args(
        dir.path(),
        &["--from", &t, "--lambda-endpoint", &endpoint],
        &[],
    );
    let table = gw.stderr();
    assert!(
        table.contains("validates: body (application/json), query tenant"),
        "{table}"
    );
    let ct = ("content-type", "application/json");
    let url = gw.url("/orders?tenant=acme");
    let good = r#"{"sku": "AB12", "qty": 2}"#;
    // Bodies that violate the schema, another content type, the required query parameter
    // missing: refused, and the function is never invoked.
    for bad in [
        r#"{"sku": "AB12", "qty": 0}"#,
        r#"{"sku": "ab 12", "qty": 2}"#,
        r#"{"qty": 2}"#,
        r#"{"sku": "AB12", "qty": 2, "extra": true}"#,
        "not json",
    ] {
        let r = c.post(&url, &[ct], bad).await;
        assert_eq!(r.status, 422, "{bad}: {}", r.text());
    }
    let r = c.post(&url, &[("content-type", "text/plain")], good).await;
    assert_eq!(r.status, 415);
    let r = c.post(&gw.url("/orders?dry=1"), &[ct], good).await;
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(events.lock().unwrap().is_empty(), "invalid request invoked");
    // A valid request reaches the function as a payload 1.0 event.
    let r = c.post(&url, &[ct], good).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let got = std::mem::take(&mut *events.lock().unwrap());
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["body"], good);
    assert_eq!(got[0]["queryStringParameters"]["tenant"], "acme");
    assert_eq!(got[0]["resource"], "/orders");
}
