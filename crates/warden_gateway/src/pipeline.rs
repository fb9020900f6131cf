//! The request pipeline, assembled in one place and read top to bottom (DESIGN.md, "Gateway").
//! TLS is terminated by the server before the pipeline; the observation phase (redacted access
//! log, audit record, metrics) wraps the inner phases so it sees every outcome, and is the one
//! place where a rejection becomes a response.

use crate::error::Rejection;
use crate::phases::{
    authn, authz, body_limit, cors, limits, observe, request_id, response_filter, route, schema,
    upstream, waf,
};
use crate::state::Shared;
use crate::upstream::GwResponse;
use bytes::Bytes;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tower::{Layer, Service, ServiceBuilder};

/// A boxed, sendable future.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// The buffered request seen by phases after the body limit.
pub type GwRequest = http::Request<Bytes>;

/// A service further down the pipeline. Every service here is always ready: load is shed by
/// explicit limits (429), never by back-pressure.
pub trait Next<B>:
    Service<http::Request<B>, Response = GwResponse, Error = Rejection, Future: Send>
    + Clone
    + Send
    + 'static
{
}
impl<B, S> Next<B> for S where
    S: Service<http::Request<B>, Response = GwResponse, Error = Rejection, Future: Send>
        + Clone
        + Send
        + 'static
{
}

/// One phase: a function of the request and the rest of the pipeline.
pub trait Phase<B, S>: Clone + Send + Sync + 'static {
    fn run(&self, req: http::Request<B>, next: S) -> BoxFuture<Result<GwResponse, Rejection>>;
}

/// A phase as a tower layer.
#[derive(Clone)]
pub struct PhaseLayer<P>(pub P);

/// A phase wrapped around the rest of the pipeline.
#[derive(Clone)]
pub struct PhaseService<P, S> {
    phase: P,
    next: S,
}

impl<P: Clone, S> Layer<S> for PhaseLayer<P> {
    type Service = PhaseService<P, S>;
    fn layer(&self, next: S) -> Self::Service {
        PhaseService {
            phase: self.0.clone(),
            next,
        }
    }
}

impl<B, P, S> Service<http::Request<B>> for PhaseService<P, S>
where
    P: Phase<B, S>,
    S: Clone,
{
    type Response = GwResponse;
    type Error = Rejection;
    type Future = BoxFuture<Result<GwResponse, Rejection>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Rejection>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        self.phase.run(req, self.next.clone())
    }
}

/// The whole pipeline for a hyper request body type `B`.
pub fn build<B>(
    shared: Arc<Shared>,
) -> impl Service<http::Request<B>, Response = GwResponse, Error = Infallible, Future: Send>
+ Clone
+ Send
+ 'static
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: std::error::Error + Send + Sync + 'static,
{
    let s = shared;
    ServiceBuilder::new()
        .layer(request_id::layer(&s)) //         request id, client address
        .layer(observe::layer(&s)) //            access log, audit record, metrics (see every outcome)
        .layer(route::layer(&s)) //              route match (404/405)
        .layer(body_limit::layer(&s)) //         body size and time limits
        .layer(cors::layer(&s)) //               preflights, CORS response headers
        .layer(waf::layer(&s)) //                IP lists, WAF
        .layer(authn::layer(&s)) //              JWT, API keys, HMAC webhooks
        .layer(authz::layer(&s)) //              scopes, IAM-style route policies
        .layer(limits::layer(&s)) //             rate limit, quota, concurrency, budget
        .layer(schema::layer(&s)) //             content type, JSON depth, JSON Schemas
        .layer(response_filter::layer(&s)) //    response hardening
        .service(upstream::service(&s)) //       HTTP proxy or Lambda invoke
}
