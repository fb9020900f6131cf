//! Reverse proxy to an HTTP service: hop-by-hop headers removed both ways, `X-Forwarded-*` and
//! `X-Request-Id` added, a deadline and a response size cap.

use super::{CallCtx, GwResponse};
use crate::error::{Reason, Rejection};
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, header};
use http_body_util::Full;

const HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// Removes hop-by-hop headers, including those named by `Connection`.
pub fn strip_hop_by_hop(h: &mut HeaderMap) {
    let named: Vec<HeaderName> = h
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|n| HeaderName::from_bytes(n.trim().as_bytes()).ok())
        .collect();
    for n in named {
        h.remove(n);
    }
    for n in HOP {
        h.remove(*n);
    }
}

pub async fn forward(
    base: &http::Uri,
    parts: &http::request::Parts,
    body: Bytes,
    ctx: &CallCtx<'_>,
) -> Result<GwResponse, Rejection> {
    let mut path = parts.uri.path();
    if let Some(p) = ctx.strip_prefix {
        path = path.strip_prefix(p).unwrap_or(path);
    }
    let base_path = base.path().trim_end_matches('/');
    let sep = if path.starts_with('/') { "" } else { "/" };
    let query = parts
        .uri
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let authority = base.authority().map(|a| a.as_str()).unwrap_or("");
    let scheme = base.scheme_str().unwrap_or("http");
    let uri = format!("{scheme}://{authority}{base_path}{sep}{path}{query}");
    let mut req = http::Request::builder()
        .method(parts.method.clone())
        .uri(&uri)
        .body(Full::new(body))
        .map_err(|_| Rejection::client("upstream", Reason::BadRequest("unforwardable request")))?;
    let h = req.headers_mut();
    *h = parts.headers.clone();
    strip_hop_by_hop(h);
    h.remove(header::HOST);
    if let Ok(v) = HeaderValue::from_str(authority) {
        h.insert(header::HOST, v);
    }
    let xff = match parts
        .headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
    {
        Some(prev) => format!("{prev}, {}", ctx.meta.client_ip),
        None => ctx.meta.client_ip.to_string(),
    };
    if let Ok(v) = HeaderValue::from_str(&xff) {
        h.insert("x-forwarded-for", v);
    }
    h.insert(
        "x-forwarded-proto",
        HeaderValue::from_static(if ctx.tls { "https" } else { "http" }),
    );
    if let Ok(v) = HeaderValue::from_str(&ctx.meta.id) {
        h.insert("x-request-id", v);
    }
    let started = std::time::Instant::now();
    let result = super::client::fetch(ctx.client, req, ctx.timeout, ctx.max_response).await;
    ctx.meta
        .set_upstream_us(started.elapsed().as_micros() as u64);
    let (mut rparts, rbody) = result.map_err(|e| match e {
        super::client::FetchError::Timeout => Rejection::upstream(Reason::UpstreamTimeout),
        other => Rejection::upstream(Reason::UpstreamFailed(other.to_string())),
    })?;
    strip_hop_by_hop(&mut rparts.headers);
    rparts.headers.remove(header::CONTENT_LENGTH);
    Ok(http::Response::from_parts(rparts, Full::new(rbody)))
}
