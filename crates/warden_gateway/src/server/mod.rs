//! The listeners: accept loop with a connection cap, TLS handshake (with a deadline), HTTP/1.1
//! and HTTP/2 with header size and header time limits, health and readiness endpoints, the
//! admin listener (metrics), and graceful shutdown (stop accepting, drain, flush logs).

pub mod tls;
mod worker;

use crate::context::ConnInfo;
use crate::state::Shared;
use crate::upstream::GwResponse;
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::Service;

fn text(status: u16, body: &str, ct: &'static str) -> GwResponse {
    let mut r = http::Response::new(Full::new(Bytes::from(body.to_string())));
    *r.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    r.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static(ct),
    );
    r
}

/// Readiness: accepting traffic, the store answers, every JWKS holds keys.
pub async fn is_ready(shared: &Shared) -> bool {
    shared.ready.load(Ordering::Acquire)
        && shared.store.healthy().await
        && shared.jwks.iter().all(|a| match &**a {
            crate::auth::Authorizer::Jwt(j) => !j.jwks().is_empty(),
            _ => true,
        })
}

async fn health(shared: &Shared, path: &str) -> Option<GwResponse> {
    let s = &shared.config.server;
    if path == s.health_path {
        return Some(text(200, "{\"status\":\"ok\"}", "application/json"));
    }
    if path == s.ready_path {
        return Some(if is_ready(shared).await {
            text(200, "{\"status\":\"ready\"}", "application/json")
        } else {
            text(503, "{\"status\":\"not ready\"}", "application/json")
        });
    }
    None
}

/// Bound listeners, before serving. The public listener is a plain (non-blocking) socket so
/// that every worker's event loop can accept from its own handle to it.
pub struct Bound {
    pub main: std::net::TcpListener,
    pub admin: Option<TcpListener>,
}

impl Bound {
    pub async fn bind(shared: &Shared) -> Result<Self, String> {
        let listen = &shared.config.server.listen;
        let cannot = |e: std::io::Error| format!("cannot listen on {listen}: {e}");
        let addr = tokio::net::lookup_host(listen.as_str())
            .await
            .map_err(cannot)?
            .next()
            .ok_or_else(|| format!("cannot listen on {listen}: no address"))?;
        let socket = if addr.is_ipv4() {
            tokio::net::TcpSocket::new_v4()
        } else {
            tokio::net::TcpSocket::new_v6()
        }
        .map_err(cannot)?;
        #[cfg(unix)]
        socket.set_reuseaddr(true).map_err(cannot)?;
        socket.bind(addr).map_err(cannot)?;
        let main = socket
            .listen(1024)
            .and_then(|l| l.into_std())
            .map_err(cannot)?;
        let admin = match &shared.config.admin {
            Some(a) => Some(
                TcpListener::bind(&a.listen)
                    .await
                    .map_err(|e| format!("cannot listen on {}: {e}", a.listen))?,
            ),
            None => None,
        };
        Ok(Self { main, admin })
    }

    pub fn main_addr(&self) -> Option<SocketAddr> {
        self.main.local_addr().ok()
    }

    pub fn admin_addr(&self) -> Option<SocketAddr> {
        self.admin.as_ref().and_then(|a| a.local_addr().ok())
    }
}

fn conn_builder(shared: &Shared) -> auto::Builder<TokioExecutor> {
    let s = &shared.config.server;
    let mut b = auto::Builder::new(TokioExecutor::new());
    b.http1()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_millis(s.header_timeout_ms.max(1)))
        .max_buf_size(s.max_header_bytes.max(8192))
        .keep_alive(true);
    b.http2()
        .timer(TokioTimer::new())
        .max_header_list_size(u32::try_from(s.max_header_bytes).unwrap_or(u32::MAX))
        .max_concurrent_streams(256)
        .keep_alive_interval(Some(Duration::from_secs(30)));
    if !s.http2 {
        b = b.http1_only();
    }
    b
}

/// Number of worker threads: the configured count, or one per CPU.
fn worker_count(configured: usize) -> usize {
    if configured > 0 {
        return configured;
    }
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// Serves until `shutdown` resolves, then drains in-flight requests. Connections are served by
/// worker threads (see [`worker`]); the admin listener, the store sweeper and the alert loop run
/// on the caller's runtime.
pub async fn serve(
    shared: Arc<Shared>,
    bound: Bound,
    shutdown: impl Future<Output = ()>,
) -> Result<(), String> {
    let cfg = shared.config.server.clone();
    let tls = match &cfg.tls {
        Some(t) => Some(tokio_rustls::TlsAcceptor::from(tls::server_config(
            t, cfg.http2,
        )?)),
        None => None,
    };
    let limit = Arc::new(tokio::sync::Semaphore::new(cfg.max_connections.max(1)));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut workers = Vec::new();
    for index in 0..worker_count(cfg.workers) {
        let listener = bound
            .main
            .try_clone()
            .map_err(|e| format!("listener: {e}"))?;
        let w = worker::Worker {
            index,
            shared: shared.clone(),
            listener,
            tls: tls.clone(),
            limit: limit.clone(),
            stop: stop_rx.clone(),
        };
        workers.push(w.start()?);
    }
    drop(bound.main);

    let admin_task = bound
        .admin
        .map(|l| tokio::spawn(admin_loop(l, shared.clone())));
    let sweeper = {
        let s = shared.clone();
        tokio::spawn(async move {
            let mut t = tokio::time::interval(Duration::from_secs(60));
            loop {
                t.tick().await;
                s.store.sweep();
            }
        })
    };
    let alerts = shared.config.alerts.clone().map(|a| {
        tokio::spawn(crate::observe::alerts::run(
            a,
            shared.alert_counters.clone(),
            shared.client.clone(),
            shared.audit.clone(),
        ))
    });

    shutdown.await;
    // Graceful shutdown: not ready, no new connections, in-flight requests finish.
    shared.ready.store(false, Ordering::Release);
    let _ = stop_tx.send(true);
    for w in workers {
        if let Ok(Err(e)) = w.await {
            eprintln!("warden gateway: {e}");
        }
    }
    sweeper.abort();
    if let Some(a) = admin_task {
        a.abort();
    }
    if let Some(a) = alerts {
        a.abort();
    }
    Ok(())
}

pub(crate) fn service<P>(
    shared: Arc<Shared>,
    pipeline: P,
    info: ConnInfo,
) -> impl hyper::service::Service<
    http::Request<Incoming>,
    Response = GwResponse,
    Error = std::convert::Infallible,
    Future: Send,
> + Clone
where
    P: Service<
            http::Request<Incoming>,
            Response = GwResponse,
            Error = std::convert::Infallible,
            Future: Send,
        > + Clone
        + Send
        + 'static,
{
    hyper::service::service_fn(move |mut req: http::Request<Incoming>| {
        let shared = shared.clone();
        let mut p = pipeline.clone();
        async move {
            if let Some(resp) = health(&shared, req.uri().path()).await {
                return Ok(resp);
            }
            req.extensions_mut().insert(info);
            p.call(req).await
        }
    })
}

async fn admin_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |req: http::Request<Incoming>| {
                let shared = shared.clone();
                async move {
                    let resp = match req.uri().path() {
                        "/healthz" => text(200, "ok\n", "text/plain"),
                        "/readyz" => {
                            if is_ready(&shared).await {
                                text(200, "ready\n", "text/plain")
                            } else {
                                text(503, "not ready\n", "text/plain")
                            }
                        }
                        "/metrics" => text(
                            200,
                            &shared.metrics.encode(),
                            "application/openmetrics-text; version=1.0.0; charset=utf-8",
                        ),
                        _ => text(404, "not found\n", "text/plain"),
                    };
                    Ok::<_, std::convert::Infallible>(resp)
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(Duration::from_secs(10))
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}
