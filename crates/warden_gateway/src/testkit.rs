//! Test helpers shared with the `warden` binary's integration tests (feature `testkit`): an echo
//! HTTP upstream, a Lambda Invoke API server, a JWKS server whose keys can be rotated, a webhook
//! sink, JWT minting with the test keys, and a small HTTP client. Not for production use.
#![allow(clippy::unwrap_used)]

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

/// Test RSA key 1 (PKCS#8 PEM).
pub const RSA1: &str = include_str!("../tests/data/jwt/rsa1.pem");
/// Test RSA key 2 (for rotation).
pub const RSA2: &str = include_str!("../tests/data/jwt/rsa2.pem");
/// Public half of RSA key 1 (SPKI PEM), for the HS256 key-confusion attack.
pub const RSA1_PUB: &str = include_str!("../tests/data/jwt/rsa1.pub.pem");
/// Test EC P-256 key.
pub const EC1: &str = include_str!("../tests/data/jwt/ec1.pem");

type Resp = http::Response<Full<Bytes>>;

/// Serves `handler` on a loopback port chosen by the OS.
pub async fn serve<F, Fut>(handler: F) -> SocketAddr
where
    F: Fn(http::Request<Bytes>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Resp> + Send + 'static,
{
    serve_with(None, handler).await
}

/// Serves `handler` over TLS (HTTP/1.1) with a PEM certificate chain and key.
pub async fn serve_tls<F, Fut>(cert_pem: &str, key_pem: &str, handler: F) -> SocketAddr
where
    F: Fn(http::Request<Bytes>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Resp> + Send + 'static,
{
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_slice_iter(cert_pem.as_bytes())
        .map(|c| c.unwrap())
        .collect();
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).unwrap();
    let mut cfg = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    serve_with(
        Some(tokio_rustls::TlsAcceptor::from(Arc::new(cfg))),
        handler,
    )
    .await
}

async fn serve_with<F, Fut>(tls: Option<tokio_rustls::TlsAcceptor>, handler: F) -> SocketAddr
where
    F: Fn(http::Request<Bytes>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Resp> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let h = handler.clone();
            let tls = tls.clone();
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(move |req: http::Request<Incoming>| {
                    let h = h.clone();
                    async move {
                        let (parts, body) = req.into_parts();
                        let body = body
                            .collect()
                            .await
                            .map(|c| c.to_bytes())
                            .unwrap_or_default();
                        Ok::<_, Infallible>(h(http::Request::from_parts(parts, body)).await)
                    }
                });
                let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
                match tls {
                    None => {
                        let _ = builder.serve_connection(TokioIo::new(stream), svc).await;
                    }
                    Some(acceptor) => {
                        // A failed handshake (an untrusting client) just ends the connection.
                        if let Ok(s) = acceptor.accept(stream).await {
                            let _ = builder.serve_connection(TokioIo::new(s), svc).await;
                        }
                    }
                }
            });
        }
    });
    addr
}

fn json_resp(status: u16, v: &Value) -> Resp {
    let mut r = http::Response::new(Full::new(Bytes::from(v.to_string())));
    *r.status_mut() = http::StatusCode::from_u16(status).unwrap();
    r.headers_mut()
        .insert("content-type", "application/json".parse().unwrap());
    r
}

/// An HTTP upstream that echoes the request as JSON. `/status/NNN` answers NNN with a verbose
/// body; `/slow/MS` waits MS milliseconds first. Adds `server` and `x-powered-by` headers.
pub async fn echo_upstream() -> SocketAddr {
    serve(|req: http::Request<Bytes>| async move {
        let path = req.uri().path().to_string();
        if let Some(code) = path.strip_prefix("/status/") {
            let mut r = json_resp(
                code.parse().unwrap_or(500),
                &json!({"trace": "Traceback: secret internals at line 42"}),
            );
            r.headers_mut()
                .insert("server", "leaky/1.0".parse().unwrap());
            return r;
        }
        if let Some(ms) = path.strip_prefix("/slow/") {
            tokio::time::sleep(Duration::from_millis(ms.parse().unwrap_or(100))).await;
        }
        let headers: serde_json::Map<String, Value> = req
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    Value::from(String::from_utf8_lossy(v.as_bytes()).into_owned()),
                )
            })
            .collect();
        let mut r = json_resp(
            200,
            &json!({
                "method": req.method().as_str(),
                "path": path,
                "query": req.uri().query(),
                "headers": headers,
                "body": String::from_utf8_lossy(req.body()),
            }),
        );
        r.headers_mut()
            .insert("server", "leaky/1.0".parse().unwrap());
        r.headers_mut()
            .insert("x-powered-by", "php/5".parse().unwrap());
        r
    })
    .await
}

/// The cheapest possible upstream: `200 ok` for everything (load tests and benchmarks).
pub async fn fast_upstream() -> SocketAddr {
    serve(|_req: http::Request<Bytes>| async move {
        http::Response::new(Full::new(Bytes::from_static(b"ok")))
    })
    .await
}

/// A Lambda Invoke API server. Functions: `Echo` (answers 200 with the event as JSON body),
/// `Bare` (returns `{"hello":"world"}`), `Crash` (function error), `Slow` (sleeps 300 ms, then
/// echoes). Unknown functions get 404. Every event received is recorded.
pub async fn lambda_server() -> (SocketAddr, Arc<Mutex<Vec<Value>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let ev = events.clone();
    let addr = serve(move |req: http::Request<Bytes>| {
        let ev = ev.clone();
        async move {
            let path = req.uri().path().to_string();
            let name = path
                .strip_prefix("/2015-03-31/functions/")
                .and_then(|p| p.strip_suffix("/invocations"))
                .unwrap_or("")
                .to_string();
            if req.method() != http::Method::POST {
                return json_resp(405, &json!({"message": "method"}));
            }
            let event: Value = serde_json::from_slice(req.body()).unwrap_or(Value::Null);
            ev.lock().unwrap().push(event.clone());
            match name.as_str() {
                "Echo" | "Slow" => {
                    if name == "Slow" {
                        tokio::time::sleep(Duration::from_millis(300)).await;
                    }
                    json_resp(
                        200,
                        &json!({
                            "statusCode": 200,
                            "headers": {"content-type": "application/json", "x-fn": "echo"},
                            "multiValueHeaders": {"x-multi": ["a", "b"]},
                            "body": event.to_string(),
                            "isBase64Encoded": false
                        }),
                    )
                }
                "Bare" => json_resp(200, &json!({"hello": "world"})),
                "Crash" => {
                    let mut r =
                        json_resp(200, &json!({"errorMessage": "boom", "errorType": "Error"}));
                    r.headers_mut()
                        .insert("x-amz-function-error", "Unhandled".parse().unwrap());
                    r
                }
                _ => json_resp(
                    404,
                    &json!({"Type": "User", "message": "Function not found"}),
                ),
            }
        }
    })
    .await;
    (addr, events)
}

/// A JWKS server; `set` replaces the served key set; `fetches` counts requests.
#[derive(Clone)]
pub struct JwksServer {
    pub addr: SocketAddr,
    doc: Arc<Mutex<String>>,
    fetches: Arc<AtomicUsize>,
}

impl JwksServer {
    pub async fn start(keys: &[(&str, &str)]) -> Self {
        let doc = Arc::new(Mutex::new(jwks(keys)));
        let fetches = Arc::new(AtomicUsize::new(0));
        let (d, f) = (doc.clone(), fetches.clone());
        let addr = serve(move |_req: http::Request<Bytes>| {
            let (d, f) = (d.clone(), f.clone());
            async move {
                f.fetch_add(1, Ordering::SeqCst);
                let body = d.lock().unwrap().clone();
                json_resp(200, &serde_json::from_str(&body).unwrap())
            }
        })
        .await;
        Self { addr, doc, fetches }
    }
    pub fn set(&self, keys: &[(&str, &str)]) {
        *self.doc.lock().unwrap() = jwks(keys);
    }
    pub fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
    pub fn url(&self) -> String {
        format!("http://{}/.well-known/jwks.json", self.addr)
    }
}

/// A JWKS document for (kid, private PEM) pairs (RSA keys as RS256, EC keys as ES256).
pub fn jwks(keys: &[(&str, &str)]) -> String {
    let list: Vec<Value> = keys
        .iter()
        .map(|(kid, pem)| {
            let (ek, alg) = encoding_key(pem);
            let mut jwk =
                serde_json::to_value(jsonwebtoken::jwk::Jwk::from_encoding_key(&ek, alg).unwrap())
                    .unwrap();
            jwk["kid"] = Value::from(*kid);
            jwk
        })
        .collect();
    json!({"keys": list}).to_string()
}

fn encoding_key(pem: &str) -> (EncodingKey, Algorithm) {
    match EncodingKey::from_rsa_pem(pem.as_bytes()) {
        Ok(k) => (k, Algorithm::RS256),
        Err(_) => (
            EncodingKey::from_ec_pem(pem.as_bytes()).unwrap(),
            Algorithm::ES256,
        ),
    }
}

/// Signs claims with a test key.
pub fn mint(pem: &str, kid: Option<&str>, claims: &Value) -> String {
    let (key, alg) = encoding_key(pem);
    let mut h = Header::new(alg);
    h.kid = kid.map(str::to_string);
    encode(&h, claims, &key).unwrap()
}

/// Signs with HS256 using arbitrary bytes as the secret (the key-confusion attack).
pub fn mint_hs256(secret: &[u8], kid: Option<&str>, claims: &Value) -> String {
    let mut h = Header::new(Algorithm::HS256);
    h.kid = kid.map(str::to_string);
    encode(&h, claims, &EncodingKey::from_secret(secret)).unwrap()
}

/// An unsigned `alg: none` token.
pub fn mint_none(kid: Option<&str>, claims: &Value) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut header = json!({"alg": "none", "typ": "JWT"});
    if let Some(k) = kid {
        header["kid"] = Value::from(k);
    }
    format!(
        "{}.{}.",
        b64.encode(header.to_string()),
        b64.encode(claims.to_string())
    )
}

/// Standard valid claims for issuer `https://issuer.test` and audience `warden-api`.
pub fn claims(sub: &str, extra: Value) -> Value {
    let now = crate::time::unix_secs();
    let mut c = json!({"iss": "https://issuer.test", "aud": "warden-api", "sub": sub, "iat": now, "exp": now + 300});
    if let (Value::Object(c), Value::Object(e)) = (&mut c, extra) {
        c.extend(e);
    }
    c
}

/// Collects webhook POSTs.
pub async fn webhook_sink() -> (SocketAddr, Arc<Mutex<Vec<Value>>>) {
    let got = Arc::new(Mutex::new(Vec::new()));
    let g = got.clone();
    let addr = serve(move |req: http::Request<Bytes>| {
        let g = g.clone();
        async move {
            g.lock()
                .unwrap()
                .push(serde_json::from_slice(req.body()).unwrap_or(Value::Null));
            json_resp(200, &json!({}))
        }
    })
    .await;
    (addr, got)
}

/// A response as tests see it.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A pooled HTTP/1.1 client for tests.
#[derive(Clone)]
pub struct Client(crate::upstream::client::HttpClient);

impl Default for Client {
    fn default() -> Self {
        Self::new()
    }
}

impl Client {
    pub fn new() -> Self {
        Self(crate::upstream::client::new_client().unwrap())
    }

    /// Sends a request built by the caller.
    pub async fn send(&self, req: http::Request<Full<Bytes>>) -> Reply {
        let resp = self.0.request(req).await.unwrap();
        let (parts, body) = resp.into_parts();
        let body = body
            .collect()
            .await
            .map(|c| c.to_bytes())
            .unwrap_or_default();
        Reply {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body,
        }
    }

    /// Sends and returns only the status (fast path for load tests).
    pub async fn status(&self, req: http::Request<Full<Bytes>>) -> Result<u16, String> {
        let resp = self.0.request(req).await.map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let _ = resp.into_body().collect().await;
        Ok(status)
    }

    pub async fn get(&self, url: &str, headers: &[(&str, &str)]) -> Reply {
        let mut b = http::Request::get(url);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b.body(Full::new(Bytes::new())).unwrap()).await
    }

    pub async fn post(&self, url: &str, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Reply {
        let mut b = http::Request::post(url);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b.body(Full::new(body.into())).unwrap()).await
    }
}

/// TLS 1.2.
pub const TLS12: rustls::ProtocolVersion = rustls::ProtocolVersion::TLSv1_2;
/// TLS 1.3.
pub const TLS13: rustls::ProtocolVersion = rustls::ProtocolVersion::TLSv1_3;

/// A TLS 1.2-only client config trusting `ca_pem`.
pub fn tls12_client(ca_pem: &str) -> Arc<rustls::ClientConfig> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(c.unwrap()).unwrap();
    }
    let mut cfg = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(&[&rustls::version::TLS12])
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(cfg)
}

/// A TLS client config trusting `ca_pem`, optionally presenting a client certificate.
pub fn tls_client(ca_pem: &str, client: Option<(&str, &str)>) -> Arc<rustls::ClientConfig> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(c.unwrap()).unwrap();
    }
    let b = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots);
    let mut cfg = match client {
        None => b.with_no_client_auth(),
        Some((cert, key)) => b
            .with_client_auth_cert(
                CertificateDer::pem_slice_iter(cert.as_bytes())
                    .map(|c| c.unwrap())
                    .collect(),
                PrivateKeyDer::from_pem_slice(key.as_bytes()).unwrap(),
            )
            .unwrap(),
    };
    cfg.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Arc::new(cfg)
}

/// One request over TLS (HTTP/2 when negotiated). Returns the status and the negotiated ALPN,
/// or the handshake/connection error.
pub async fn tls_get(
    addr: SocketAddr,
    cfg: Arc<rustls::ClientConfig>,
    path: &str,
) -> Result<(u16, Option<Vec<u8>>, rustls::ProtocolVersion), String> {
    let tcp = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| e.to_string())?;
    let connector = tokio_rustls::TlsConnector::from(cfg);
    let name = rustls_pki_types::ServerName::try_from("localhost").unwrap();
    let tls = connector
        .connect(name, tcp)
        .await
        .map_err(|e| e.to_string())?;
    let alpn = tls.get_ref().1.alpn_protocol().map(|a| a.to_vec());
    let version = tls.get_ref().1.protocol_version().unwrap();
    let io = TokioIo::new(tls);
    let req = http::Request::get(path)
        .header("host", "localhost")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let status = if alpn.as_deref() == Some(b"h2") {
        let (mut send, conn) = hyper::client::conn::http2::handshake(TokioExecutor::new(), io)
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        let req = http::Request::get(format!("https://localhost{path}"))
            .body(Full::new(Bytes::new()))
            .unwrap();
        send.send_request(req)
            .await
            .map_err(|e| e.to_string())?
            .status()
            .as_u16()
    } else {
        let (mut send, conn) = hyper::client::conn::http1::handshake(io)
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        send.send_request(req)
            .await
            .map_err(|e| e.to_string())?
            .status()
            .as_u16()
    };
    Ok((status, alpn, version))
}

/// A self-signed CA, a server certificate for `localhost`/127.0.0.1 and a client certificate,
/// all PEM: (ca_cert, server_cert, server_key, client_cert, client_key).
pub fn test_pki() -> (String, String, String, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "warden test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let srv_key = KeyPair::generate().unwrap();
    let srv = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&srv_key, &issuer)
        .unwrap();
    let cli_key = KeyPair::generate().unwrap();
    let mut cli_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    cli_params
        .distinguished_name
        .push(DnType::CommonName, "client-1");
    let cli = cli_params.signed_by(&cli_key, &issuer).unwrap();
    (
        ca.pem(),
        srv.pem(),
        srv_key.serialize_pem(),
        cli.pem(),
        cli_key.serialize_pem(),
    )
}
