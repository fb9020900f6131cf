//! Phase 10: validation of the body, query and path parameters and headers against the route's
//! schemas.

use crate::context::{Meta, PathParams};
use crate::error::Rejection;
use crate::pipeline::{BoxFuture, GwRequest, Next, Phase, PhaseLayer};
use crate::state::Shared;
use crate::upstream::GwResponse;
use bytes::Bytes;
use std::sync::Arc;

#[derive(Clone)]
pub struct Schema;

pub fn layer(_s: &Arc<Shared>) -> PhaseLayer<Schema> {
    PhaseLayer(Schema)
}

fn decide(req: &GwRequest) -> Result<(), Rejection> {
    let Some(route) = req
        .extensions()
        .get::<Arc<Meta>>()
        .and_then(|m| m.route.get())
    else {
        return Ok(());
    };
    let Some(schema) = &route.schema else {
        return Ok(());
    };
    let params = req
        .extensions()
        .get::<PathParams>()
        .map(|p| p.0.as_slice())
        .unwrap_or(&[]);
    let ct = req
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let headers = req
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_bytes()));
    schema.check(ct, req.uri().query(), params, headers, req.body())
}

impl<S: Next<Bytes>> Phase<Bytes, S> for Schema {
    fn run(&self, req: GwRequest, mut next: S) -> BoxFuture<Result<GwResponse, Rejection>> {
        let d = decide(&req);
        Box::pin(async move {
            d?;
            next.call(req).await
        })
    }
}
