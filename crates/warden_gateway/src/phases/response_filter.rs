//! Phase 11: response hardening: no server fingerprinting headers, `nosniff`, and no verbose
//! upstream error bodies (a 5xx from the function reaches the client as a generic message).

use crate::context::Meta;
use crate::error::Rejection;
use crate::pipeline::{BoxFuture, GwRequest, Next, Phase, PhaseLayer};
use crate::state::Shared;
use crate::upstream::GwResponse;
use bytes::Bytes;
use http::{HeaderValue, header};
use http_body_util::Full;
use std::sync::Arc;

#[derive(Clone)]
pub struct ResponseFilter;

pub fn layer(_s: &Arc<Shared>) -> PhaseLayer<ResponseFilter> {
    PhaseLayer(ResponseFilter)
}

impl<S: Next<Bytes>> Phase<Bytes, S> for ResponseFilter {
    fn run(&self, req: GwRequest, mut next: S) -> BoxFuture<Result<GwResponse, Rejection>> {
        let id = req
            .extensions()
            .get::<Arc<Meta>>()
            .map(|m| m.id.clone())
            .unwrap_or_default();
        Box::pin(async move {
            let mut resp = next.call(req).await?;
            let h = resp.headers_mut();
            h.remove(header::SERVER);
            h.remove("x-powered-by");
            h.remove("x-aspnet-version");
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            if resp.status().is_server_error() {
                let status = resp.status();
                let body = serde_json::json!({
                    "message": status.canonical_reason().unwrap_or("error"),
                    "requestId": id,
                });
                let mut generic = http::Response::new(Full::new(Bytes::from(body.to_string())));
                *generic.status_mut() = status;
                generic.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                generic.headers_mut().insert(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                );
                return Ok(generic);
            }
            Ok(resp)
        })
    }
}
