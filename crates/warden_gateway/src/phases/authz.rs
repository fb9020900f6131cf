//! Phase 8: authorization: required scopes, then the route's IAM-style policy.

use crate::context::{Meta, Principal};
use crate::error::{Reason, Rejection};
use crate::pipeline::{BoxFuture, GwRequest, Next, Phase, PhaseLayer};
use crate::state::Shared;
use crate::upstream::GwResponse;
use bytes::Bytes;
use std::sync::Arc;

#[derive(Clone)]
pub struct Authz;

pub fn layer(_s: &Arc<Shared>) -> PhaseLayer<Authz> {
    PhaseLayer(Authz)
}

fn decide(req: &GwRequest) -> Result<(), Rejection> {
    let Some(meta) = req.extensions().get::<Arc<Meta>>() else {
        return Ok(());
    };
    let Some(route) = meta.route.get() else {
        return Ok(());
    };
    let principal = req.extensions().get::<Principal>();
    if !route.cfg.scopes.is_empty() {
        let granted = principal.map(|p| p.scopes.as_slice()).unwrap_or(&[]);
        if !route.cfg.scopes.iter().all(|s| granted.contains(s)) {
            return Err(Rejection::client(
                "authz",
                Reason::Forbidden("scope missing"),
            ));
        }
    }
    if let Some(policy) = &route.policy {
        policy.check(req, meta, principal)?;
    }
    Ok(())
}

impl<S: Next<Bytes>> Phase<Bytes, S> for Authz {
    fn run(&self, req: GwRequest, mut next: S) -> BoxFuture<Result<GwResponse, Rejection>> {
        let d = decide(&req);
        Box::pin(async move {
            d?;
            next.call(req).await
        })
    }
}
