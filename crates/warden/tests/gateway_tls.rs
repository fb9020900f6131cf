//! Integration: TLS termination (TLS 1.3 with HTTP/2 by ALPN, TLS 1.2 accepted) and mTLS.
#![allow(clippy::unwrap_used)]

mod gateway_support;

use gateway_support::{start, testkit};

fn config(dir: &std::path::Path, http: std::net::SocketAddr, client_auth: Option<&str>) -> String {
    let mtls = match client_auth {
        Some(mode) => format!("client_ca = \"ca.pem\"\nclient_auth = \"{mode}\""),
        None => String::new(),
    };
    let _ = dir;
    format!(
        r#"
[server.tls]
cert = "server.pem"
key = "server.key"
{mtls}
[log]
access = "off"
[upstreams.app]
kind = "http"
url = "http://{http}"
[[routes]]
id = "hello"
path = "/hello"
upstream = "app"
public = true
"#
    )
}

fn pki(dir: &std::path::Path) -> (String, String, String) {
    let (ca, cert, key, ccert, ckey) = testkit::test_pki();
    std::fs::write(dir.join("ca.pem"), &ca).unwrap();
    std::fs::write(dir.join("server.pem"), &cert).unwrap();
    std::fs::write(dir.join("server.key"), &key).unwrap();
    (ca, ccert, ckey)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls13_h2_and_tls12() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, _, _) = pki(dir.path());
    let http = testkit::echo_upstream().await;
    let gw = start(dir.path(), &config(dir.path(), http, None));
    assert!(gw.stderr().contains("listening on https://"));
    let (status, alpn, version) =
        testkit::tls_get(gw.addr, testkit::tls_client(&ca, None), "/hello")
            .await
            .unwrap();
    assert_eq!(status, 200);
    assert_eq!(alpn.as_deref(), Some(&b"h2"[..]));
    assert_eq!(version, testkit::TLS13);
    // A TLS 1.2-only client is still served.
    let (status, _, version) = testkit::tls_get(gw.addr, testkit::tls12_client(&ca), "/hello")
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(version, testkit::TLS12);
    // Plain HTTP to the TLS port is not served.
    let req = http::Request::get(format!("http://{}/hello", gw.addr))
        .body(http_body_util::Full::new(bytes::Bytes::new()))
        .unwrap();
    let r = tokio::time::timeout(
        std::time::Duration::from_secs(3),
        testkit::Client::new().status(req),
    )
    .await;
    assert!(!matches!(r, Ok(Ok(200))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mtls_requires_a_client_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, ccert, ckey) = pki(dir.path());
    let http = testkit::echo_upstream().await;
    let gw = start(dir.path(), &config(dir.path(), http, Some("required")));
    let without = testkit::tls_get(gw.addr, testkit::tls_client(&ca, None), "/hello").await;
    assert!(
        !matches!(without, Ok((200, _, _))),
        "served without a client certificate: {without:?}"
    );
    let with = testkit::tls_get(
        gw.addr,
        testkit::tls_client(&ca, Some((&ccert, &ckey))),
        "/hello",
    )
    .await
    .unwrap();
    assert_eq!(with.0, 200);
    // A certificate from another CA is refused.
    let (_, _, _, other_cert, other_key) = testkit::test_pki();
    let foreign = testkit::tls_get(
        gw.addr,
        testkit::tls_client(&ca, Some((&other_cert, &other_key))),
        "/hello",
    )
    .await;
    assert!(
        !matches!(foreign, Ok((200, _, _))),
        "foreign client certificate accepted"
    );
}

/// Outbound HTTPS: an `https://` upstream and an `https://` JWKS URL whose certificates come from
/// a private CA, trusted through `[outbound] ca_certs`; without it the upstream is a 502.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbound_https_with_a_private_ca() {
    use bytes::Bytes;
    use http_body_util::Full;
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key, _, _) = testkit::test_pki();
    std::fs::write(dir.path().join("outbound-ca.pem"), &ca).unwrap();
    let up = testkit::serve_tls(&cert, &key, |req: http::Request<Bytes>| async move {
        http::Response::new(Full::new(Bytes::from(format!(
            "secure upstream {}",
            req.uri().path()
        ))))
    })
    .await;
    let jwks = testkit::serve_tls(&cert, &key, |_req: http::Request<Bytes>| async move {
        http::Response::new(Full::new(Bytes::from(testkit::jwks(&[(
            "k1",
            testkit::RSA1,
        )]))))
    })
    .await;
    let config = |outbound: &str| {
        format!(
            r#"
{outbound}
[log]
access = "off"
[upstreams.app]
kind = "http"
url = "https://localhost:{}"
[authorizers.users]
kind = "jwt"
jwks_url = "https://localhost:{}/.well-known/jwks.json"
issuers = ["https://issuer.test"]
audiences = ["warden-api"]
algorithms = ["RS256"]
[[routes]]
id = "secure"
path = "/secure"
upstream = "app"
authorizers = ["users"]
[[routes]]
id = "open"
path = "/open"
upstream = "app"
public = true
"#,
            up.port(),
            jwks.port()
        )
    };
    let gw = start(
        dir.path(),
        &config("[outbound]\nca_certs = [\"outbound-ca.pem\"]"),
    );
    let c = testkit::Client::new();
    let r = c.get(&gw.url("/open"), &[]).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.text(), "secure upstream /open");
    let token = testkit::mint(
        testkit::RSA1,
        Some("k1"),
        &testkit::claims("alice", serde_json::json!({})),
    );
    let bearer = format!("Bearer {token}");
    let r = c
        .get(&gw.url("/secure"), &[("authorization", &bearer)])
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(c.get(&gw.url("/secure"), &[]).await.status, 401);
    drop(gw);

    // Public roots only: the private CA's certificates are refused.
    let dir2 = tempfile::tempdir().unwrap();
    let gw = start(dir2.path(), &config(""));
    assert_eq!(c.get(&gw.url("/open"), &[]).await.status, 502);
    let r = c
        .get(&gw.url("/secure"), &[("authorization", &bearer)])
        .await;
    assert_eq!(r.status, 401, "no JWKS, no key: refused");
}
