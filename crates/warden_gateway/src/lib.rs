//! The Warden runtime security gateway: a request passes fixed phases, each a tower layer in its
//! own module, assembled top to bottom in [`pipeline::build`]: TLS → request id → route → body
//! limit → CORS → WAF → authentication → authorization → rate limit / quota / concurrency /
//! budget → schema validation → response filters → upstream, with the redacted access log,
//! audit record and metrics wrapped around all of them.
//!
//! Entry points: [`Config`] (a serde tree; every part can also be built in code), [`Gateway`]
//! (compile a configuration, bind, serve until a shutdown signal), [`observe::audit::verify`].

pub mod auth;
pub mod authz;
pub mod config;
pub mod context;
pub mod cors;
pub mod error;
pub mod limits;
pub mod observe;
pub mod phases;
pub mod pipeline;
pub mod route;
pub mod schema;
pub mod server;
pub mod state;
pub mod time;
pub mod upstream;
pub mod waf;

#[cfg(any(test, feature = "testkit"))]
pub mod testkit;

pub use config::{Config, ConfigError};
pub use error::{Cause, Reason, Rejection};

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

/// Errors of the gateway as a whole.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Start(String),
}

/// A compiled, ready-to-serve gateway.
pub struct Gateway {
    shared: Arc<state::Shared>,
}

/// What `--check` reports.
#[derive(Debug, Clone)]
pub struct Summary {
    pub routes: usize,
    pub upstreams: usize,
    pub authorizers: usize,
    pub waf_rules: usize,
}

impl Gateway {
    /// Compiles a configuration (`base` resolves relative paths in it).
    pub async fn build(config: Config, base: &Path) -> Result<Self, GatewayError> {
        Ok(Self {
            shared: state::Shared::build(config, base).await?,
        })
    }

    /// What was compiled.
    pub fn summary(&self) -> Summary {
        let c = &self.shared.config;
        Summary {
            routes: c.routes.len(),
            upstreams: c.upstreams.len(),
            authorizers: c.authorizers.len(),
            waf_rules: self.shared.waf.rule_ids().len(),
        }
    }

    /// Shared state (for embedding and tests).
    pub fn shared(&self) -> &Arc<state::Shared> {
        &self.shared
    }

    /// Binds the listeners, calls `on_bound` with the public and admin addresses, then serves
    /// until `shutdown` resolves and in-flight requests are drained; logs are flushed at the end.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()>,
        on_bound: impl FnOnce(SocketAddr, Option<SocketAddr>),
    ) -> Result<(), GatewayError> {
        let bound = server::Bound::bind(&self.shared)
            .await
            .map_err(GatewayError::Start)?;
        let main = bound
            .main_addr()
            .ok_or_else(|| GatewayError::Start("no local address".into()))?;
        self.audit_lifecycle("gateway_start");
        on_bound(main, bound.admin_addr());
        let result = server::serve(self.shared.clone(), bound, shutdown)
            .await
            .map_err(GatewayError::Start);
        self.audit_lifecycle("gateway_stop");
        if let Some(a) = &self.shared.audit {
            a.flush();
        }
        self.shared.access_log.flush();
        result
    }

    fn audit_lifecycle(&self, event: &str) {
        let mut m = serde_json::Map::new();
        m.insert("event".into(), event.into());
        let cfg = serde_json::to_vec(&self.shared.config).unwrap_or_default();
        use sha2::Digest;
        m.insert(
            "config_sha256".into(),
            hex::encode(sha2::Sha256::digest(&cfg)).into(),
        );
        m.insert("routes".into(), self.shared.config.routes.len().into());
        self.shared.audit(m);
    }
}

/// Resolves when SIGTERM or SIGINT arrives.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) else {
            std::future::pending::<()>().await;
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Runs a gateway until SIGTERM/SIGINT. Prints the bound addresses on stderr (`warden gateway
/// listening on http://ADDR`). Requests are served by the worker threads (`server.workers`);
/// this runtime keeps one thread for signals, the admin listener and background work.
pub fn run_blocking(config: Config, base: &Path) -> Result<(), GatewayError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("warden-main")
        .enable_all()
        .build()
        .map_err(|e| GatewayError::Start(e.to_string()))?;
    rt.block_on(async {
        let tls = config.server.tls.is_some();
        let gw = Gateway::build(config, base).await?;
        gw.run(shutdown_signal(), |main, admin| {
            let scheme = if tls { "https" } else { "http" };
            eprintln!("warden gateway listening on {scheme}://{main}");
            if let Some(a) = admin {
                eprintln!("warden gateway admin on http://{a}");
            }
        })
        .await
    })
}

/// Compiles a configuration without serving (`--check`).
pub fn check_blocking(config: Config, base: &Path) -> Result<Summary, GatewayError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| GatewayError::Start(e.to_string()))?;
    rt.block_on(async { Ok(Gateway::build(config, base).await?.summary()) })
}
