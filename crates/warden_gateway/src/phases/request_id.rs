//! Phase 1: request id and client address (the TCP peer, or the nearest untrusted hop of
//! `X-Forwarded-For` when the peer is a trusted proxy). Creates the request's [`Meta`].

use crate::context::{ConnInfo, Meta, new_request_id};
use crate::pipeline::BoxFuture;
use crate::state::Shared;
use crate::upstream::GwResponse;
use http::HeaderValue;
use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::Arc;
use std::task::{Context, Poll};
use tower::{Layer, Service};

#[derive(Clone)]
pub struct RequestIdLayer(Arc<Shared>);

pub fn layer(s: &Arc<Shared>) -> RequestIdLayer {
    RequestIdLayer(s.clone())
}

#[derive(Clone)]
pub struct RequestId<S> {
    shared: Arc<Shared>,
    next: S,
}

impl<S> Layer<S> for RequestIdLayer {
    type Service = RequestId<S>;
    fn layer(&self, next: S) -> RequestId<S> {
        RequestId {
            shared: self.0.clone(),
            next,
        }
    }
}

/// The client address of a request.
pub fn client_ip(shared: &Shared, peer: IpAddr, headers: &http::HeaderMap) -> IpAddr {
    if shared.trusted_proxies.is_empty() || !shared.trusted_proxies.contains(peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|h| h.trim().parse().ok())
        .collect();
    hops.into_iter()
        .rev()
        .find(|ip| !shared.trusted_proxies.contains(*ip))
        .unwrap_or(peer)
}

impl<B, S> Service<http::Request<B>> for RequestId<S>
where
    S: Service<http::Request<B>, Response = GwResponse, Error = Infallible, Future: Send>
        + Clone
        + Send
        + 'static,
    B: Send + 'static,
{
    type Response = GwResponse;
    type Error = Infallible;
    type Future = BoxFuture<Result<GwResponse, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut req: http::Request<B>) -> Self::Future {
        let conn = req.extensions().get::<ConnInfo>().copied();
        let peer = conn
            .map(|c| c.peer.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        let ip = client_ip(&self.shared, peer, req.headers());
        let meta = Arc::new(Meta::new(
            new_request_id(),
            ip,
            conn.is_some_and(|c| c.client_cert),
        ));
        let id = HeaderValue::from_str(&meta.id).ok();
        req.extensions_mut().insert(meta);
        let fut = self.next.clone().call(req);
        Box::pin(async move {
            let mut resp = fut.await?;
            if let Some(id) = id {
                resp.headers_mut().insert("x-request-id", id);
            }
            Ok(resp)
        })
    }
}
