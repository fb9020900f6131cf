//! Integration: the real binary in front of an HTTP upstream and a Lambda Invoke API server:
//! proxying, API Gateway v1/v2 events, errors, health/readiness, metrics, graceful shutdown,
//! `--check` and `--print-schema`.
#![allow(clippy::unwrap_used)]

mod gateway_support;

use gateway_support::{start, testkit, warden};
use std::time::Duration;

fn config(
    http: std::net::SocketAddr,
    lambda: std::net::SocketAddr,
    dir: &std::path::Path,
) -> String {
    format!(
        r#"
[server]
upstream_timeout_ms = 150
[admin]
listen = "127.0.0.1:0"
[log]
access = {{ file = "{log}" }}

[upstreams.app]
kind = "http"
url = "http://{http}"
[upstreams.echo2]
kind = "lambda"
endpoint = "http://{lambda}"
function = "Echo"
event = "v2"
[upstreams.echo1]
kind = "lambda"
endpoint = "http://{lambda}"
function = "Echo"
event = "v1"
[upstreams.bare]
kind = "lambda"
endpoint = "http://{lambda}"
function = "Bare"
[upstreams.crash]
kind = "lambda"
endpoint = "http://{lambda}"
function = "Crash"
[upstreams.missing]
kind = "lambda"
endpoint = "http://{lambda}"
function = "Nope"
[upstreams.slow]
kind = "lambda"
endpoint = "http://{lambda}"
function = "Slow"

[[routes]]
id = "items"
methods = ["GET", "POST"]
path = "/api/{{proxy+}}"
upstream = "app"
strip_prefix = "/api"
public = true

[[routes]]
id = "orders-v2"
methods = ["POST"]
path = "/v2/orders/{{id}}"
upstream = "echo2"
public = true

[[routes]]
id = "orders-v1"
methods = ["POST"]
path = "/v1/orders/{{id}}"
upstream = "echo1"
public = true

[[routes]]
id = "bare"
path = "/bare"
upstream = "bare"
public = true

[[routes]]
id = "crash"
path = "/crash"
upstream = "crash"
public = true

[[routes]]
id = "missing"
path = "/missing"
upstream = "missing"
public = true

[[routes]]
id = "slow"
path = "/slow"
upstream = "slow"
public = true
"#,
        log = dir.join("access.log").display()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxies_http_and_lambda_upstreams() {
    let dir = tempfile::tempdir().unwrap();
    let http = testkit::echo_upstream().await;
    let (lambda, events) = testkit::lambda_server().await;
    let gw = start(dir.path(), &config(http, lambda, dir.path()));
    let c = testkit::Client::new();

    // HTTP reverse proxy: prefix stripped, forwarding headers added, fingerprints removed.
    let r = c
        .get(&gw.url("/api/items/7?color=red"), &[("user-agent", "t")])
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let echo = r.json();
    assert_eq!(echo["path"], "/items/7");
    assert_eq!(echo["query"], "color=red");
    assert_eq!(echo["headers"]["x-forwarded-for"], "127.0.0.1");
    assert_eq!(
        echo["headers"]["x-request-id"],
        r.headers["x-request-id"].to_str().unwrap()
    );
    assert!(!r.headers.contains_key("server") && !r.headers.contains_key("x-powered-by"));
    assert_eq!(r.headers["x-content-type-options"], "nosniff");

    // Upstream 5xx: status kept, verbose body replaced.
    let r = c.get(&gw.url("/api/status/500"), &[]).await;
    assert_eq!(r.status, 500);
    assert!(!r.text().contains("Traceback"), "{}", r.text());

    // Routing errors.
    assert_eq!(c.get(&gw.url("/nowhere"), &[]).await.status, 404);
    assert_eq!(c.get(&gw.url("/v2/orders/1"), &[]).await.status, 405);

    // Lambda, payload format 2.0.
    let r = c
        .post(
            &gw.url("/v2/orders/42?a=1&a=2&b=x"),
            &[("content-type", "application/json"), ("cookie", "s=1; t=2")],
            r#"{"qty":3}"#,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.headers["x-fn"], "echo");
    assert_eq!(r.headers.get_all("x-multi").iter().count(), 2);
    let ev = r.json();
    assert_eq!(ev["version"], "2.0");
    assert_eq!(ev["routeKey"], "POST /v2/orders/{id}");
    assert_eq!(ev["rawPath"], "/v2/orders/42");
    assert_eq!(ev["rawQueryString"], "a=1&a=2&b=x");
    assert_eq!(ev["queryStringParameters"]["a"], "1,2");
    assert_eq!(ev["pathParameters"]["id"], "42");
    assert_eq!(ev["cookies"], serde_json::json!(["s=1", "t=2"]));
    assert_eq!(ev["body"], r#"{"qty":3}"#);
    assert_eq!(ev["isBase64Encoded"], false);
    assert_eq!(ev["requestContext"]["http"]["method"], "POST");
    assert_eq!(ev["requestContext"]["http"]["sourceIp"], "127.0.0.1");

    // Lambda, payload format 1.0, binary body base64-encoded.
    let r = c
        .post(
            &gw.url("/v1/orders/9?a=1&a=2"),
            &[("content-type", "application/octet-stream")],
            vec![0u8, 159, 146, 150],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let ev = r.json();
    assert_eq!(ev["httpMethod"], "POST");
    assert_eq!(ev["resource"], "/v1/orders/{id}");
    assert_eq!(ev["path"], "/v1/orders/9");
    assert_eq!(
        ev["multiValueQueryStringParameters"]["a"],
        serde_json::json!(["1", "2"])
    );
    assert_eq!(ev["pathParameters"]["id"], "9");
    assert_eq!(ev["isBase64Encoded"], true);
    assert_eq!(ev["body"], "AJ+Slg==");
    assert_eq!(events.lock().unwrap().len(), 2);

    // Bare v2 result, function error, unknown function, timeout.
    let r = c.get(&gw.url("/bare"), &[]).await;
    assert_eq!(
        (r.status, r.json()),
        (200, serde_json::json!({"hello": "world"}))
    );
    assert_eq!(c.get(&gw.url("/crash"), &[]).await.status, 502);
    assert_eq!(c.get(&gw.url("/missing"), &[]).await.status, 502);
    assert_eq!(c.get(&gw.url("/slow"), &[]).await.status, 504);

    // Health, readiness, metrics.
    assert_eq!(c.get(&gw.url("/__warden/health"), &[]).await.status, 200);
    assert_eq!(c.get(&gw.url("/__warden/ready"), &[]).await.status, 200);
    assert_eq!(c.get(&gw.admin_url("/readyz"), &[]).await.status, 200);
    let m = c.get(&gw.admin_url("/metrics"), &[]).await.text();
    assert!(
        m.contains("warden_requests_total{route=\"orders-v2\",method=\"POST\",status=\"200\"} 1"),
        "{m}"
    );
    assert!(m.contains("warden_decisions_total{route=\"crash\",phase=\"upstream\",reason=\"upstream_failed\"} 1"), "{m}");
    assert!(m.contains("warden_request_duration_seconds_bucket"));

    // The access log has one JSON line per proxied request.
    let ok = gateway_support::eventually(Duration::from_secs(5), || {
        gateway_support::read(&dir.path().join("access.log"))
            .lines()
            .count()
            >= 10
    })
    .await;
    assert!(ok);
    for line in gateway_support::read(&dir.path().join("access.log")).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["request_id"].is_string() && v["status"].is_u64());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_drains_in_flight_requests() {
    // Three workers, six slow requests on six connections: every worker drains its own.
    let dir = tempfile::tempdir().unwrap();
    let http = testkit::echo_upstream().await;
    let (lambda, _) = testkit::lambda_server().await;
    let mut gw = start(
        dir.path(),
        &config(http, lambda, dir.path()).replace(
            "upstream_timeout_ms = 150",
            "upstream_timeout_ms = 5000\nworkers = 3",
        ),
    );
    let inflight: Vec<_> = (0..6)
        .map(|_| {
            let c = testkit::Client::new();
            let url = gw.url("/api/slow/700");
            tokio::spawn(async move { c.get(&url, &[]).await.status })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let status = tokio::task::spawn_blocking(move || {
        let s = gw.stop();
        (s, gw)
    });
    for r in inflight {
        assert_eq!(r.await.unwrap(), 200, "in-flight request was cut");
    }
    let (exit, gw) = status.await.unwrap();
    assert!(exit.success(), "{exit}");
    assert!(
        std::net::TcpStream::connect(gw.addr).is_err(),
        "still accepting"
    );
}

#[test]
fn check_mode_and_schema() {
    let dir = tempfile::tempdir().unwrap();
    let good = config(
        "127.0.0.1:9".parse().unwrap(),
        "127.0.0.1:9".parse().unwrap(),
        dir.path(),
    );
    let p = dir.path().join("good.toml");
    std::fs::write(&p, &good).unwrap();
    let (code, out, err) = warden(&["gateway", "--config", p.to_str().unwrap(), "--check"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ok (7 routes"), "{out}");

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, good.replace("strip_prefix", "strip_prefx")).unwrap();
    let (code, _, err) = warden(&["gateway", "--config", bad.to_str().unwrap(), "--check"]);
    assert_eq!(code, 2);
    assert!(err.contains("strip_prefx"), "{err}");

    let noauth = dir.path().join("noauth.toml");
    std::fs::write(&noauth, good.replacen("public = true", "", 1)).unwrap();
    let (code, _, err) = warden(&["gateway", "--config", noauth.to_str().unwrap(), "--check"]);
    assert_eq!(code, 2);
    assert!(err.contains("no authorizer"), "{err}");

    let (code, out, _) = warden(&["gateway", "--print-schema"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(schema["properties"]["routes"].is_object(), "{schema}");
}
