//! Phase 2 (wraps the rest): turns rejections into responses (status chosen by
//! [`Rejection::status`]), then writes the redacted access log line, the audit record of
//! security decisions, metrics, and feeds the alert counters.

use crate::context::Meta;
use crate::error::{Reason, Rejection};
use crate::pipeline::{BoxFuture, Next};
use crate::state::Shared;
use crate::upstream::GwResponse;
use serde_json::{Map, Value};
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use tower::{Layer, Service};

#[derive(Clone)]
pub struct ObserveLayer(Arc<Shared>);

pub fn layer(s: &Arc<Shared>) -> ObserveLayer {
    ObserveLayer(s.clone())
}

#[derive(Clone)]
pub struct Observe<S> {
    shared: Arc<Shared>,
    next: S,
}

impl<S> Layer<S> for ObserveLayer {
    type Service = Observe<S>;
    fn layer(&self, next: S) -> Observe<S> {
        Observe {
            shared: self.0.clone(),
            next,
        }
    }
}

/// What the log line needs from the request, captured before the request moves on.
struct Seen {
    method: http::Method,
    path: String,
    query: Option<String>,
    user_agent: Option<String>,
    content_type: Option<String>,
    headers: Vec<(String, String)>,
}

/// Which audit event a rejection is, if it is a security decision worth a record.
fn audit_event(r: &Rejection) -> Option<&'static str> {
    Some(match r.reason {
        Reason::Unauthenticated(_) => "auth_failure",
        Reason::Forbidden(_) => "authz_denied",
        Reason::WafBlocked { .. } => "waf_block",
        Reason::IpDenied => "ip_denied",
        Reason::QuotaExceeded { .. } => "quota_exceeded",
        Reason::BudgetExceeded { .. } => "budget_exceeded",
        Reason::ConcurrencyLimited => "concurrency_limited",
        Reason::CorsRejected => "cors_rejected",
        _ => return None,
    })
}

impl<B, S> Service<http::Request<B>> for Observe<S>
where
    S: Next<B>,
    B: Send + 'static,
{
    type Response = GwResponse;
    type Error = Infallible;
    type Future = BoxFuture<Result<GwResponse, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let shared = self.shared.clone();
        let meta = req.extensions().get::<Arc<Meta>>().cloned();
        let r = &shared.redactor;
        let hdr = |n: http::header::HeaderName| {
            req.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let seen = shared.access_log.enabled().then(|| Seen {
            method: req.method().clone(),
            path: r.text(req.uri().path()),
            query: req.uri().query().map(|q| r.query(q)),
            user_agent: hdr(http::header::USER_AGENT).map(|u| r.text(&u)),
            content_type: hdr(http::header::CONTENT_TYPE),
            headers: shared
                .config
                .log
                .headers
                .iter()
                .filter_map(|h| {
                    let v = req.headers().get(h.as_str())?;
                    Some((
                        h.clone(),
                        r.header(h, &String::from_utf8_lossy(v.as_bytes())),
                    ))
                })
                .collect(),
        });
        let method = req.method().clone();
        let fut = self.next.clone().call(req);
        Box::pin(async move {
            let result = fut.await;
            let id = meta.as_ref().map(|m| m.id.clone()).unwrap_or_default();
            let (resp, rejection) = match result {
                Ok(resp) => (resp, None),
                Err(rej) => (rej.clone().into_response(&id), Some(rej)),
            };
            if let Some(meta) = &meta {
                record(&shared, meta, &method, &resp, rejection.as_ref(), seen);
            }
            Ok(resp)
        })
    }
}

fn record(
    shared: &Shared,
    meta: &Meta,
    method: &http::Method,
    resp: &GwResponse,
    rejection: Option<&Rejection>,
    seen: Option<Seen>,
) {
    let status = resp.status().as_u16();
    let route = meta.route_id();
    let elapsed = meta.started.elapsed();
    let upstream_us = meta.upstream_us.load(Ordering::Relaxed);
    let m = &shared.metrics;
    let handles = meta.route.get().map(|r| &r.metrics);
    match handles.filter(|_| status == 200).and_then(|h| h.ok(method)) {
        Some(c) => {
            c.inc();
        }
        None => {
            m.requests
                .get_or_create(&crate::observe::metrics::RequestLabels {
                    route: route.to_string(),
                    method: method.to_string(),
                    status,
                })
                .inc();
        }
    }
    let route_labels = || crate::observe::metrics::RouteLabels {
        route: route.to_string(),
    };
    match handles {
        Some(h) => h.latency.observe(elapsed.as_secs_f64()),
        None => m
            .latency
            .get_or_create(&route_labels())
            .observe(elapsed.as_secs_f64()),
    }
    if upstream_us > 0 {
        let secs = upstream_us as f64 / 1e6;
        match handles {
            Some(h) => h.upstream_latency.observe(secs),
            None => m
                .upstream_latency
                .get_or_create(&route_labels())
                .observe(secs),
        }
    }
    let (phase, reason) = match rejection {
        Some(r) => (r.phase, r.label()),
        None if meta.waf_detected.get().is_some() => ("waf", "waf_detected"),
        None => ("upstream", "allowed"),
    };
    match handles {
        Some(h) if rejection.is_none() && reason == "allowed" => {
            h.allowed.inc();
        }
        _ => {
            m.decisions
                .get_or_create(&crate::observe::metrics::DecisionLabels {
                    route: route.to_string(),
                    phase: phase.to_string(),
                    reason: reason.to_string(),
                })
                .inc();
        }
    }

    let c = &shared.alert_counters;
    if matches!(
        rejection.map(|r| &r.reason),
        Some(Reason::Unauthenticated(_) | Reason::Forbidden(_))
    ) {
        c.auth_failures.fetch_add(1, Ordering::Relaxed);
    }
    if (400..500).contains(&status) {
        c.client_errors.fetch_add(1, Ordering::Relaxed);
    } else if status >= 500 {
        c.server_errors.fetch_add(1, Ordering::Relaxed);
    }

    let event = rejection
        .and_then(audit_event)
        .or_else(|| meta.waf_detected.get().map(|_| "waf_detect"));
    if let Some(event) = event {
        let mut a = Map::new();
        a.insert("event".into(), Value::from(event));
        a.insert("request_id".into(), Value::from(meta.id.clone()));
        a.insert("route".into(), Value::from(route));
        a.insert("client_ip".into(), Value::from(meta.client_ip.to_string()));
        if let Some(p) = meta.principal.get() {
            a.insert("principal".into(), Value::from(p.clone()));
        }
        a.insert("status".into(), Value::from(status));
        let detail = match rejection {
            Some(r) => r.detail(),
            None => meta.waf_detected.get().cloned().unwrap_or_default(),
        };
        if !detail.is_empty() {
            a.insert("detail".into(), Value::from(shared.redactor.text(&detail)));
        }
        shared.audit(a);
    }

    let Some(seen) = seen else { return };
    let r = &shared.redactor;
    let body = meta.body.get();
    let line = AccessLine {
        ts: &crate::time::rfc3339_millis(crate::time::unix_millis()),
        request_id: &meta.id,
        client_ip: meta.client_ip,
        method: seen.method.as_str(),
        path: &seen.path,
        query: seen.query.as_deref(),
        route,
        status,
        decision: reason,
        phase,
        detail: rejection
            .map(|rej| rej.detail())
            .filter(|d| !d.is_empty())
            .map(|d| r.text(&d)),
        duration_us: elapsed.as_micros() as u64,
        upstream_us: (upstream_us > 0).then_some(upstream_us),
        principal: meta.principal.get().map(String::as_str),
        user_agent: seen.user_agent.as_deref(),
        headers: (!seen.headers.is_empty()).then(|| {
            seen.headers
                .into_iter()
                .map(|(k, v)| (k, Value::from(v)))
                .collect()
        }),
        bytes_in: body.map(|b| b.len()),
        body: body
            .filter(|b| shared.config.log.log_body && !b.is_empty())
            .map(|b| r.body(seen.content_type.as_deref(), b, 4096)),
    };
    if let Ok(text) = serde_json::to_string(&line) {
        shared.access_log.line(text);
    }
}

/// One access log line (fields in this order; absent ones are left out).
#[derive(serde::Serialize)]
struct AccessLine<'a> {
    ts: &'a str,
    request_id: &'a str,
    client_ip: std::net::IpAddr,
    method: &'a str,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<&'a str>,
    route: &'a str,
    status: u16,
    decision: &'a str,
    phase: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    duration_us: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    upstream_us: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    principal: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_agent: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    headers: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bytes_in: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<Value>,
}
