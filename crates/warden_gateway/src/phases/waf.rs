//! Phase 6: IP allow/deny lists and the WAF (block, detect-only or off per route), with the
//! configured action for bodies larger than the inspection size.

use crate::config::{WafMode, WafOversize};
use crate::context::Meta;
use crate::error::{Reason, Rejection};
use crate::pipeline::{BoxFuture, GwRequest, Next, Phase, PhaseLayer};
use crate::state::Shared;
use crate::upstream::GwResponse;
use crate::waf::Inspectable;
use bytes::Bytes;
use std::sync::Arc;

#[derive(Clone)]
pub struct Waf(Arc<Shared>);

pub fn layer(s: &Arc<Shared>) -> PhaseLayer<Waf> {
    PhaseLayer(Waf(s.clone()))
}

impl Waf {
    fn decide(&self, req: &GwRequest) -> Result<(), Rejection> {
        let s = &self.0;
        let Some(meta) = req.extensions().get::<Arc<Meta>>() else {
            return Ok(());
        };
        let ip = meta.client_ip;
        if s.deny_ips.contains(ip) || (!s.allow_ips.is_empty() && !s.allow_ips.contains(ip)) {
            return Err(Rejection::client("waf", Reason::IpDenied));
        }
        let Some(route) = meta.route.get() else {
            return Ok(());
        };
        if route.waf_mode == WafMode::Off {
            return Ok(());
        }
        let max = s.config.waf.max_inspect_bytes;
        let mut body: &[u8] = req.body();
        if body.len() > max {
            match s.config.waf.oversize {
                WafOversize::Block if route.waf_mode == WafMode::Block => {
                    return Err(Rejection::client("waf", Reason::BodyTooLarge));
                }
                _ => body = &body[..max],
            }
        }
        let content_type = req
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let verdict = s.waf.inspect(&Inspectable {
            path: req.uri().path(),
            query: req.uri().query(),
            headers: req.headers(),
            content_type,
            body,
        });
        if verdict.score < route.waf_threshold {
            return Ok(());
        }
        match route.waf_mode {
            WafMode::Block => Err(Rejection::client(
                "waf",
                Reason::WafBlocked {
                    rules: verdict.rules(),
                    score: verdict.score,
                },
            )),
            _ => {
                let _ =
                    meta.waf_detected
                        .set(format!("score {}: {}", verdict.score, verdict.rules()));
                Ok(())
            }
        }
    }
}

impl<S: Next<Bytes>> Phase<Bytes, S> for Waf {
    fn run(&self, req: GwRequest, mut next: S) -> BoxFuture<Result<GwResponse, Rejection>> {
        let decision = self.decide(&req);
        Box::pin(async move {
            decision?;
            next.call(req).await
        })
    }
}
