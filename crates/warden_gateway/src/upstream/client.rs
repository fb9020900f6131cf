//! The shared outbound HTTP client (connection pooling, no TLS: upstreams, Lambda endpoints,
//! JWKS URLs and alert webhooks are reached over plain HTTP on a trusted network).

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::{Client, connect::HttpConnector};
use hyper_util::rt::TokioExecutor;
use std::time::Duration;

/// Pooled HTTP/1.1 client.
pub type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// Builds the client.
pub fn new_client() -> HttpClient {
    let mut conn = HttpConnector::new();
    conn.set_nodelay(true);
    conn.set_connect_timeout(Some(Duration::from_secs(5)));
    conn.enforce_http(true);
    Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(256)
        .build(conn)
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
