//! Phase 3: route matching (404 for unknown paths, 405 for known paths with another method).

use crate::context::{Meta, PathParams};
use crate::error::{Reason, Rejection};
use crate::pipeline::{BoxFuture, Next, Phase, PhaseLayer};
use crate::route::Match;
use crate::state::Shared;
use crate::upstream::GwResponse;
use std::sync::Arc;

#[derive(Clone)]
pub struct Route(Arc<Shared>);

pub fn layer(s: &Arc<Shared>) -> PhaseLayer<Route> {
    PhaseLayer(Route(s.clone()))
}

impl<B: Send + 'static, S: Next<B>> Phase<B, S> for Route {
    fn run(
        &self,
        mut req: http::Request<B>,
        mut next: S,
    ) -> BoxFuture<Result<GwResponse, Rejection>> {
        let preflight = crate::cors::is_preflight(req.method(), req.headers());
        let found = match self
            .0
            .router
            .find(req.method(), req.uri().path(), preflight)
        {
            Match::Found(r, params) => Ok((r.clone(), params)),
            Match::WrongMethod => Err(Rejection::client("route", Reason::MethodNotAllowed)),
            Match::NotFound => Err(Rejection::client("route", Reason::NoRoute)),
        };
        Box::pin(async move {
            let (route, params) = found?;
            if let Some(meta) = req.extensions().get::<Arc<Meta>>() {
                let _ = meta.route.set(route);
            }
            req.extensions_mut().insert(PathParams(params));
            next.call(req).await
        })
    }
}
