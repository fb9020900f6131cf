//! Phase 12: the upstream call (HTTP proxy or Lambda invoke), the end of the pipeline.

use crate::context::{ConnInfo, Meta, PathParams, Principal};
use crate::error::{Reason, Rejection};
use crate::pipeline::{BoxFuture, GwRequest};
use crate::state::Shared;
use crate::upstream::{CallCtx, GwResponse};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::Duration;
use tower::Service;

#[derive(Clone)]
pub struct UpstreamService(Arc<Shared>);

pub fn service(s: &Arc<Shared>) -> UpstreamService {
    UpstreamService(s.clone())
}

impl Service<GwRequest> for UpstreamService {
    type Response = GwResponse;
    type Error = Rejection;
    type Future = BoxFuture<Result<GwResponse, Rejection>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Rejection>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: GwRequest) -> Self::Future {
        let shared = self.0.clone();
        Box::pin(async move {
            let (parts, body) = req.into_parts();
            let Some(meta) = parts.extensions.get::<Arc<Meta>>().cloned() else {
                return Err(Rejection::gateway(
                    "upstream",
                    Reason::Internal("no request context".into()),
                ));
            };
            let Some(route) = meta.route.get().cloned() else {
                return Err(Rejection::client("upstream", Reason::NoRoute));
            };
            let no_params = PathParams::default();
            let params = parts.extensions.get::<PathParams>().unwrap_or(&no_params);
            let principal = parts.extensions.get::<Principal>();
            let tls = parts.extensions.get::<ConnInfo>().is_some_and(|c| c.tls);
            shared
                .alert_counters
                .invocations
                .fetch_add(1, Ordering::Relaxed);
            let client = crate::upstream::client::for_this_thread(&shared.client);
            let ctx = CallCtx {
                client: &client,
                meta: &meta,
                principal,
                params: &params.0,
                timeout: Duration::from_millis(shared.config.server.upstream_timeout_ms),
                max_response: shared.config.server.max_response_bytes,
                strip_prefix: route.cfg.strip_prefix.as_deref(),
                route_path: &route.cfg.path,
                route_key: &route.route_key,
                tls,
            };
            route.upstream.call(&parts, body, &ctx).await
        })
    }
}
