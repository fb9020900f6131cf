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
