//! Serving secrets to functions over HTTP, compatible with the AWS Parameters and Secrets
//! Lambda Extension, so function code written for it works unchanged.
//!
//! [`router`] returns an axum `Router` the gateway can mount; [`run_blocking`] binds a loopback
//! listener and serves it until SIGINT/SIGTERM (`warden secrets serve`).

pub mod access;
pub mod audit;
pub mod authz;
pub mod cache;
pub mod config;
pub mod handlers;
pub mod identity;

use crate::clock::Clock;
use crate::store::Vault;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Default cache TTL, seconds.
pub const DEFAULT_TTL_SECONDS: u64 = 30;
/// Default cache capacity, entries.
pub const DEFAULT_CACHE_CAPACITY: usize = 1000;

/// Everything a request needs.
pub struct ServeState {
    /// The open vault.
    pub vault: Vault,
    /// Token hash to function.
    pub identities: identity::Identities,
    /// Who may read what.
    pub authorizer: Box<dyn authz::Authorizer>,
    /// Decrypted values, briefly.
    pub cache: cache::SecretCache,
    /// Every access.
    pub audit: audit::AuditLog,
    /// Region for ARNs.
    pub region: String,
    /// Account for ARNs.
    pub account: String,
    /// Time source for audit records.
    pub clock: Clock,
}

impl ServeState {
    /// State from a vault, a loaded policies file, a TTL and an audit log.
    pub fn new(
        vault: Vault,
        policies: config::LoadedPolicies,
        ttl: Duration,
        audit: audit::AuditLog,
    ) -> Self {
        Self {
            vault,
            identities: policies.identities,
            authorizer: Box::new(policies.authorizer),
            cache: cache::SecretCache::new(ttl, DEFAULT_CACHE_CAPACITY),
            audit,
            region: policies.region,
            account: policies.account,
            clock: crate::clock::system_now_ms,
        }
    }
}

/// The extension-compatible routes, ready to serve or to nest in another router.
pub fn router(state: Arc<ServeState>) -> axum::Router {
    axum::Router::new()
        .route(
            "/secretsmanager/get",
            axum::routing::get(handlers::get_secret),
        )
        .route(
            "/systemsmanager/parameters/get",
            axum::routing::get(handlers::get_parameter),
        )
        .with_state(state)
}

/// Whether `addr` is a loopback address.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Binds `listen`, reports the bound address to `on_ready`, and serves until SIGINT/SIGTERM.
pub fn run_blocking(
    listen: SocketAddr,
    state: Arc<ServeState>,
    on_ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        on_ready(listener.local_addr()?);
        axum::serve(listener, router(state))
            .with_graceful_shutdown(shutdown_signal())
            .await
    })
}
