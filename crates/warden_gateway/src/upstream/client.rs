//! The shared outbound HTTP client: connection pooling, `http://` and `https://` (rustls with the
//! `ring` provider, TLS 1.2 minimum, server certificates verified against the Mozilla roots from
//! webpki-roots plus any configured CA), for upstreams, Lambda endpoints, JWKS URLs and webhooks.

use crate::config::OutboundConfig;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::{Client, connect::HttpConnector};
use hyper_util::rt::TokioExecutor;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Pooled HTTP/1.1 client for `http://` and `https://` URLs.
pub type HttpClient = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// The TLS client configuration: public roots (unless `only_ca_certs`) plus `ca_certs`
/// (relative paths resolved against `base`).
pub fn tls_config(cfg: &OutboundConfig, base: &Path) -> Result<rustls::ClientConfig, String> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    if !cfg.only_ca_certs {
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }
    for file in &cfg.ca_certs {
        let path = if file.is_absolute() {
            file.clone()
        } else {
            base.join(file)
        };
        let pem = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(&pem) {
            let cert = cert.map_err(|e| format!("{}: {e}", path.display()))?;
            roots
                .add(cert)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            added += 1;
        }
        if added == 0 {
            return Err(format!("{}: no PEM certificate", path.display()));
        }
    }
    if roots.is_empty() {
        return Err("outbound: no trusted CA (only_ca_certs without ca_certs)".into());
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    // ALPN is set by the connector (HTTP/1.1).
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// Builds the client with the public roots only.
pub fn new_client() -> Result<HttpClient, String> {
    build(&OutboundConfig::default(), Path::new(""))
}

/// Builds the client from the outbound configuration.
pub fn build(cfg: &OutboundConfig, base: &Path) -> Result<HttpClient, String> {
    Ok(with_tls(tls_config(cfg, base)?))
}

thread_local! {
    /// The pool of the worker thread this runs on (see `server::worker`).
    static WORKER_CLIENT: std::cell::OnceCell<HttpClient> = const { std::cell::OnceCell::new() };
}

/// Gives the current thread its own client (a worker's pool, so upstream connections are
/// driven by the same event loop as the requests that use them).
pub fn install_for_this_thread(client: HttpClient) {
    WORKER_CLIENT.with(|c| {
        let _ = c.set(client);
    });
}

/// The current worker's client, or `shared` off the workers.
pub fn for_this_thread(shared: &HttpClient) -> HttpClient {
    WORKER_CLIENT
        .with(|c| c.get().cloned())
        .unwrap_or_else(|| shared.clone())
}

/// A pooled client with this TLS configuration.
pub fn with_tls(tls: rustls::ClientConfig) -> HttpClient {
    let mut conn = HttpConnector::new();
    conn.set_nodelay(true);
    conn.set_connect_timeout(Some(Duration::from_secs(5)));
    conn.enforce_http(false);
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .wrap_connector(conn);
    Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(256)
        .build(https)
}

/// True for `http://` and `https://` URLs (the schemes outbound calls accept).
pub fn is_web_url(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

/// Error of a simple outbound call.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("bad url: {0}")]
    Url(String),
    #[error("request failed: {0}")]
    Request(String),
    #[error("timed out")]
    Timeout,
    #[error("status {0}")]
    Status(u16),
    #[error("response too large")]
    TooLarge,
}

/// One request with a deadline and a response size cap; returns status, headers and body.
pub async fn fetch(
    client: &HttpClient,
    req: http::Request<Full<Bytes>>,
    timeout: Duration,
    max_body: usize,
) -> Result<(http::response::Parts, Bytes), FetchError> {
    let fut = async {
        let resp = client
            .request(req)
            .await
            .map_err(|e| FetchError::Request(e.to_string()))?;
        let (parts, body) = resp.into_parts();
        let body = Limited::new(body, max_body)
            .collect()
            .await
            .map_err(|e| {
                if e.is::<http_body_util::LengthLimitError>() {
                    FetchError::TooLarge
                } else {
                    FetchError::Request(e.to_string())
                }
            })?
            .to_bytes();
        Ok((parts, body))
    };
    tokio::time::timeout(timeout, fut)
        .await
        .map_err(|_| FetchError::Timeout)?
}

/// GET a URL and return the body of a 2xx answer.
pub async fn get(client: &HttpClient, url: &str, timeout: Duration) -> Result<Bytes, FetchError> {
    let req = http::Request::get(url)
        .body(Full::new(Bytes::new()))
        .map_err(|e| FetchError::Url(e.to_string()))?;
    let (parts, body) = fetch(client, req, timeout, 1 << 20).await?;
    if !parts.status.is_success() {
        return Err(FetchError::Status(parts.status.as_u16()));
    }
    Ok(body)
}

/// POST JSON to a URL.
pub async fn post_json(
    client: &HttpClient,
    url: &str,
    body: &serde_json::Value,
    timeout: Duration,
) -> Result<(), FetchError> {
    let req = http::Request::post(url)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .map_err(|e| FetchError::Url(e.to_string()))?;
    let (parts, _) = fetch(client, req, timeout, 1 << 16).await?;
    if !parts.status.is_success() {
        return Err(FetchError::Status(parts.status.as_u16()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit;

    async fn https_jwks() -> (String, std::net::SocketAddr) {
        let (ca, cert, key, _, _) = testkit::test_pki();
        let addr = testkit::serve_tls(&cert, &key, |_req| async {
            http::Response::new(Full::new(Bytes::from(testkit::jwks(&[(
                "k1",
                testkit::RSA1,
            )]))))
        })
        .await;
        (ca, addr)
    }

    #[tokio::test]
    async fn https_with_a_configured_ca() {
        let (ca, addr) = https_jwks().await;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.pem"), &ca).unwrap();
        let cfg = OutboundConfig {
            ca_certs: vec!["ca.pem".into()],
            only_ca_certs: false,
        };
        let client = build(&cfg, dir.path()).unwrap();
        let url = format!("https://localhost:{}/.well-known/jwks.json", addr.port());
        let body = get(&client, &url, Duration::from_secs(5)).await.unwrap();
        assert_eq!(crate::auth::jwks::parse(&body).unwrap().len(), 1);
        // The JWKS cache fetches over https the same way.
        let jwks = crate::auth::jwks::Jwks::load(
            crate::auth::jwks::Source::Url(url.clone()),
            client,
            Duration::from_secs(1),
            Duration::from_secs(60),
        )
        .await
        .unwrap();
        assert!(jwks.key(Some("k1")).await.is_some());

        // Without the CA (public roots only), the self-signed chain is refused.
        let public = new_client().unwrap();
        let err = get(&public, &url, Duration::from_secs(5))
            .await
            .unwrap_err();
        assert!(matches!(err, FetchError::Request(_)), "{err}");
        // Trusting only the CA, an IP address in the certificate works too.
        let only = build(
            &OutboundConfig {
                ca_certs: vec![dir.path().join("ca.pem")],
                only_ca_certs: true,
            },
            Path::new("/"),
        )
        .unwrap();
        let by_ip = format!("https://127.0.0.1:{}/", addr.port());
        assert!(get(&only, &by_ip, Duration::from_secs(5)).await.is_ok());
    }

    #[test]
    fn bad_ca_files_are_configuration_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("empty.pem"), "not a certificate").unwrap();
        let cfg = |f: &str| OutboundConfig {
            ca_certs: vec![f.into()],
            only_ca_certs: false,
        };
        assert!(build(&cfg("missing.pem"), dir.path()).is_err());
        assert!(build(&cfg("empty.pem"), dir.path()).is_err());
        let none = OutboundConfig {
            ca_certs: Vec::new(),
            only_ca_certs: true,
        };
        assert!(build(&none, dir.path()).is_err());
    }
}
