//! The listeners: accept loop with a connection cap, TLS handshake (with a deadline), HTTP/1.1
//! and HTTP/2 with header size and header time limits, health and readiness endpoints, the
//! admin listener (metrics), and graceful shutdown (stop accepting, drain, flush logs).

pub mod tls;

use crate::context::ConnInfo;
use crate::state::Shared;
use crate::upstream::GwResponse;
use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
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

/// Bound listeners, before serving.
pub struct Bound {
    pub main: TcpListener,
    pub admin: Option<TcpListener>,
}

impl Bound {
    pub async fn bind(shared: &Shared) -> Result<Self, String> {
        let main = TcpListener::bind(&shared.config.server.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", shared.config.server.listen))?;
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

/// Serves until `shutdown` resolves, then drains in-flight requests.
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
    let pipeline = crate::pipeline::build::<Incoming>(shared.clone());
    let builder = Arc::new(conn_builder(&shared));
    let graceful = GracefulShutdown::new();
    let limit = Arc::new(tokio::sync::Semaphore::new(cfg.max_connections.max(1)));
    let handshake_timeout = Duration::from_millis(cfg.header_timeout_ms.max(1));

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

    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = limit.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            _ = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            r = bound.main.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    eprintln!("warden gateway: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        let pipeline = pipeline.clone();
        let builder = builder.clone();
        let tls = tls.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let _permit = permit;
            match tls {
                None => {
                    let info = ConnInfo {
                        peer,
                        tls: false,
                        client_cert: false,
                    };
                    let svc = service(shared, pipeline, info);
                    let conn = builder
                        .serve_connection(TokioIo::new(stream), svc)
                        .into_owned();
                    let _ = watcher.watch(conn).await;
                }
                Some(acceptor) => {
                    let Ok(Ok(tls_stream)) =
                        tokio::time::timeout(handshake_timeout, acceptor.accept(stream)).await
                    else {
                        return;
                    };
                    let client_cert = tls_stream
                        .get_ref()
                        .1
                        .peer_certificates()
                        .is_some_and(|c| !c.is_empty());
                    let info = ConnInfo {
                        peer,
                        tls: true,
                        client_cert,
                    };
                    let svc = service(shared, pipeline, info);
                    let conn = builder
                        .serve_connection(TokioIo::new(tls_stream), svc)
                        .into_owned();
                    let _ = watcher.watch(conn).await;
                }
            }
        });
    }

    // Graceful shutdown: not ready, no new connections, in-flight requests finish.
    shared.ready.store(false, Ordering::Release);
    drop(bound.main);
    let drain = Duration::from_millis(cfg.drain_timeout_ms);
    if tokio::time::timeout(drain, graceful.shutdown())
        .await
        .is_err()
    {
        eprintln!("warden gateway: drain timeout; closing remaining connections");
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

fn service<P>(
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
