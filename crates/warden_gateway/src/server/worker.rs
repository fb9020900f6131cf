//! One worker thread: its own single-threaded event loop and upstream connection pool. It
//! accepts from its handle to the shared listener (an idle worker takes the next connection)
//! and serves each connection start to finish, so a request never hops between threads: no
//! work stealing, no cross-thread wake-ups between the client side and the upstream side.

use super::{conn_builder, service};
use crate::context::ConnInfo;
use crate::state::Shared;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Semaphore, oneshot, watch};

/// What a worker needs; [`Worker::start`] moves it onto its thread.
pub struct Worker {
    pub index: usize,
    pub shared: Arc<Shared>,
    pub listener: std::net::TcpListener,
    pub tls: Option<tokio_rustls::TlsAcceptor>,
    /// Connection cap shared by all workers.
    pub limit: Arc<Semaphore>,
    /// Becomes `true` when the gateway stops.
    pub stop: watch::Receiver<bool>,
}

impl Worker {
    /// Builds the worker's runtime (errors surface here, before serving) and starts its thread.
    /// The receiver resolves when the worker has drained its connections and stopped.
    pub fn start(self) -> Result<oneshot::Receiver<Result<(), String>>, String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("worker {}: {e}", self.index))?;
        let (done_tx, done_rx) = oneshot::channel();
        std::thread::Builder::new()
            .name(format!("warden-worker-{}", self.index))
            .spawn(move || {
                let r = rt.block_on(self.run());
                let _ = done_tx.send(r);
            })
            .map_err(|e| format!("worker thread: {e}"))?;
        Ok(done_rx)
    }

    async fn run(self) -> Result<(), String> {
        crate::upstream::client::install_for_this_thread(crate::upstream::client::with_tls(
            self.shared.outbound_tls.clone(),
        ));
        self.listener
            .set_nonblocking(true)
            .map_err(|e| format!("listener: {e}"))?;
        let listener = tokio::net::TcpListener::from_std(self.listener)
            .map_err(|e| format!("listener: {e}"))?;
        let pipeline = crate::pipeline::build::<Incoming>(self.shared.clone());
        let builder = Arc::new(conn_builder(&self.shared));
        let graceful = GracefulShutdown::new();
        let cfg = &self.shared.config.server;
        let handshake_timeout = Duration::from_millis(cfg.header_timeout_ms.max(1));
        let drain = Duration::from_millis(cfg.drain_timeout_ms);
        let mut stop = self.stop.clone();
        loop {
            if *stop.borrow() {
                break;
            }
            let permit = tokio::select! {
                p = self.limit.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
                _ = stop.changed() => break,
            };
            let (stream, peer) = tokio::select! {
                r = listener.accept() => match r {
                    Ok(x) => x,
                    Err(e) => {
                        // Out of descriptors and the like: back off instead of spinning.
                        eprintln!("warden gateway: accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                _ = stop.changed() => break,
            };
            let _ = stream.set_nodelay(true);
            let shared = self.shared.clone();
            let pipeline = pipeline.clone();
            let builder = builder.clone();
            let tls = self.tls.clone();
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
        drop(listener);
        if tokio::time::timeout(drain, graceful.shutdown())
            .await
            .is_err()
        {
            eprintln!(
                "warden gateway: worker {}: drain timeout; closing remaining connections",
                self.index
            );
        }
        Ok(())
    }
}
