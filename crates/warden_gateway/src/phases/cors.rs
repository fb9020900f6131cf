//! Phase 5: CORS. Preflights of routes with a CORS policy are answered here (204 or 403) and
//! never reach authentication; allowed origins get CORS headers on responses.

use crate::context::Meta;
use crate::cors::{Preflight, is_preflight};
use crate::error::{Reason, Rejection};
use crate::pipeline::{BoxFuture, GwRequest, Next, Phase, PhaseLayer};
use crate::state::Shared;
use crate::upstream::GwResponse;
use bytes::Bytes;
use http_body_util::Full;
use std::sync::Arc;

#[derive(Clone)]
pub struct Cors;

pub fn layer(_s: &Arc<Shared>) -> PhaseLayer<Cors> {
    PhaseLayer(Cors)
}

impl<S: Next<Bytes>> Phase<Bytes, S> for Cors {
    fn run(&self, req: GwRequest, mut next: S) -> BoxFuture<Result<GwResponse, Rejection>> {
        Box::pin(async move {
            let policy = req
                .extensions()
                .get::<Arc<Meta>>()
                .and_then(|m| m.route.get())
                .and_then(|r| r.cors.clone());
            let Some(policy) = policy else {
                if is_preflight(req.method(), req.headers()) {
                    return Err(Rejection::client("cors", Reason::CorsRejected));
                }
                return next.call(req).await;
            };
            if is_preflight(req.method(), req.headers()) {
                return match policy.preflight(req.headers()) {
                    Preflight::Allow(h) => {
                        let mut resp = http::Response::new(Full::new(Bytes::new()));
                        *resp.status_mut() = http::StatusCode::NO_CONTENT;
                        *resp.headers_mut() = h;
                        Ok(resp)
                    }
                    Preflight::Deny => Err(Rejection::client("cors", Reason::CorsRejected)),
                };
            }
            let origin = req
                .headers()
                .get(http::header::ORIGIN)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let mut resp = next.call(req).await?;
            policy.decorate(origin.as_deref(), resp.headers_mut());
            Ok(resp)
        })
    }
}
