//! Phase 4: the body limit. A declared `Content-Length` above the limit is refused before any
//! byte is read; the body is read with a size cap and a deadline (slow senders get 408).

use crate::error::{Reason, Rejection};
use crate::pipeline::{BoxFuture, GwRequest, Next, Phase, PhaseLayer};
use crate::state::Shared;
use crate::upstream::GwResponse;
use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct BodyLimit(Arc<Shared>);

pub fn layer(s: &Arc<Shared>) -> PhaseLayer<BodyLimit> {
    PhaseLayer(BodyLimit(s.clone()))
}

impl<B, S> Phase<B, S> for BodyLimit
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: std::error::Error + Send + Sync + 'static,
    S: Next<Bytes>,
{
    fn run(&self, req: http::Request<B>, mut next: S) -> BoxFuture<Result<GwResponse, Rejection>> {
        let max = self.0.config.server.max_body_bytes;
        let timeout = Duration::from_millis(self.0.config.server.body_timeout_ms);
        Box::pin(async move {
            let declared = req
                .headers()
                .get(http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            if declared.is_some_and(|n| n > max as u64) {
                return Err(Rejection::client("body_limit", Reason::BodyTooLarge));
            }
            let (parts, body) = req.into_parts();
            // A request without a body (most GETs) needs no deadline: nothing to wait for.
            let collected = if body.is_end_stream() {
                Ok(Limited::new(body, max).collect().await)
            } else {
                tokio::time::timeout(timeout, Limited::new(body, max).collect()).await
            };
            let bytes = match collected {
                Err(_) => return Err(Rejection::client("body_limit", Reason::BodyTimeout)),
                Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
                    return Err(Rejection::client("body_limit", Reason::BodyTooLarge));
                }
                Ok(Err(_)) => {
                    return Err(Rejection::client(
                        "body_limit",
                        Reason::BadRequest("body read failed"),
                    ));
                }
                Ok(Ok(c)) => c.to_bytes(),
            };
            if let Some(meta) = parts.extensions.get::<Arc<crate::context::Meta>>() {
                let _ = meta.body.set(bytes.clone());
            }
            let req: GwRequest = http::Request::from_parts(parts, bytes);
            next.call(req).await
        })
    }
}
