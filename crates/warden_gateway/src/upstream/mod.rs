//! Upstreams: an HTTP reverse proxy and the Lambda Invoke API with API Gateway proxy events.
//! Concurrency caps and budgets belong to the upstream (one function, one cap).

pub mod client;
pub mod http_proxy;
pub mod lambda;

use crate::config::{BudgetConfig, EventVersion, UpstreamConfig};
use crate::context::{Meta, Principal};
use crate::error::Rejection;
use bytes::Bytes;
use http_body_util::Full;
use std::sync::Arc;
use std::time::Duration;

/// Response type of the whole pipeline.
pub type GwResponse = http::Response<Full<Bytes>>;

/// What an upstream is.
#[derive(Debug)]
pub enum Kind {
    Http {
        base: http::Uri,
    },
    Lambda {
        invoke_url: String,
        event: EventVersion,
    },
}

/// A ready upstream.
#[derive(Debug)]
pub struct Upstream {
    pub name: String,
    pub kind: Kind,
    pub concurrency: Option<Arc<tokio::sync::Semaphore>>,
    pub budget: Option<BudgetConfig>,
}

/// Everything an upstream call needs besides the request.
pub struct CallCtx<'a> {
    pub client: &'a client::HttpClient,
    pub meta: &'a Meta,
    pub principal: Option<&'a Principal>,
    pub params: &'a [(String, String)],
    pub timeout: Duration,
    pub max_response: usize,
    pub strip_prefix: Option<&'a str>,
    pub route_path: &'a str,
    /// API Gateway route key for v2 events (`GET /orders/{id}`, `$default`).
    pub route_key: &'a str,
    pub tls: bool,
}

impl Upstream {
    pub fn new(name: &str, cfg: &UpstreamConfig) -> Result<Self, String> {
        let (kind, max, budget) = match cfg {
            UpstreamConfig::Http {
                url,
                max_concurrency,
                budget,
            } => {
                let base: http::Uri = url
                    .parse()
                    .map_err(|_| format!("upstream `{name}`: bad url `{url}`"))?;
                if !matches!(base.scheme_str(), Some("http" | "https"))
                    || base.authority().is_none()
                {
                    return Err(format!(
                        "upstream `{name}`: url must be http(s)://host:port[/prefix]"
                    ));
                }
                (Kind::Http { base }, max_concurrency, budget)
            }
            UpstreamConfig::Lambda {
                endpoint,
                function,
                event,
                max_concurrency,
                budget,
            } => {
                if !client::is_web_url(endpoint) {
                    return Err(format!(
                        "upstream `{name}`: endpoint must be http(s)://host:port"
                    ));
                }
                if function.is_empty()
                    || !function
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(&b))
                {
                    return Err(format!("upstream `{name}`: bad function name `{function}`"));
                }
                let invoke_url = format!(
                    "{}/2015-03-31/functions/{function}/invocations",
                    endpoint.trim_end_matches('/')
                );
                (
                    Kind::Lambda {
                        invoke_url,
                        event: *event,
                    },
                    max_concurrency,
                    budget,
                )
            }
        };
        Ok(Self {
            name: name.to_string(),
            kind,
            concurrency: max.map(|n| Arc::new(tokio::sync::Semaphore::new(n.max(1)))),
            budget: budget.clone(),
        })
    }

    pub async fn call(
        &self,
        parts: &http::request::Parts,
        body: Bytes,
        ctx: &CallCtx<'_>,
    ) -> Result<GwResponse, Rejection> {
        match &self.kind {
            Kind::Http { base } => http_proxy::forward(base, parts, body, ctx).await,
            Kind::Lambda { invoke_url, event } => {
                lambda::invoke(invoke_url, *event, parts, body, ctx).await
            }
        }
    }
}
