//! Phase 7: authentication. Every authorizer of the route must accept the request; the
//! resulting principal goes into the request's extensions.

use crate::context::{Meta, Principal};
use crate::error::Rejection;
use crate::pipeline::{BoxFuture, GwRequest, Next, Phase, PhaseLayer};
use crate::state::Shared;
use crate::upstream::GwResponse;
use bytes::Bytes;
use std::sync::Arc;

#[derive(Clone)]
pub struct Authn;

pub fn layer(_s: &Arc<Shared>) -> PhaseLayer<Authn> {
    PhaseLayer(Authn)
}

impl<S: Next<Bytes>> Phase<Bytes, S> for Authn {
    fn run(&self, req: GwRequest, mut next: S) -> BoxFuture<Result<GwResponse, Rejection>> {
        Box::pin(async move {
            let Some(meta) = req.extensions().get::<Arc<Meta>>().cloned() else {
                return next.call(req).await;
            };
            let Some(route) = meta.route.get().cloned() else {
                return next.call(req).await;
            };
            if route.authorizers.is_empty() {
                return next.call(req).await;
            }
            let (mut parts, body) = req.into_parts();
            let mut principal = Principal::default();
            for a in &route.authorizers {
                a.authenticate(&parts, &body, &mut principal).await?;
            }
            let _ = meta.principal.set(principal.id.clone());
            parts.extensions.insert(principal);
            next.call(http::Request::from_parts(parts, body)).await
        })
    }
}
