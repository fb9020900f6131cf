//! Per-request context shared by the phases: request id, client address, matched route, the
//! authenticated principal and what the phases decided (for the access log, audit and metrics).

use crate::route::Route;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// Facts about one request, filled in as phases run. Lives in the request's extensions.
#[derive(Debug)]
pub struct Meta {
    /// Request id (also sent back as `x-request-id`).
    pub id: String,
    /// Client address (TCP peer, or `X-Forwarded-For` from a trusted proxy).
    pub client_ip: IpAddr,
    /// When the request head was received.
    pub started: Instant,
    /// The matched route.
    pub route: OnceLock<Arc<Route>>,
    /// Principal id (API key id or JWT `sub`): never a secret.
    pub principal: OnceLock<String>,
    /// WAF matches in detect-only mode (`rule,rule`), for the audit log.
    pub waf_detected: OnceLock<String>,
    /// Time spent waiting for the upstream, microseconds.
    pub upstream_us: AtomicU64,
    /// TLS client certificate subject was verified (mTLS).
    pub client_cert: bool,
    /// The buffered request body (for the redacted access log).
    pub body: OnceLock<bytes::Bytes>,
}

impl Meta {
    pub fn new(id: String, client_ip: IpAddr, client_cert: bool) -> Self {
        Self {
            id,
            client_ip,
            started: Instant::now(),
            route: OnceLock::new(),
            principal: OnceLock::new(),
            waf_detected: OnceLock::new(),
            upstream_us: AtomicU64::new(0),
            client_cert,
            body: OnceLock::new(),
        }
    }

    /// The route id, or `-` before routing.
    pub fn route_id(&self) -> &str {
        self.route.get().map(|r| r.id.as_str()).unwrap_or("-")
    }

    pub fn set_upstream_us(&self, us: u64) {
        self.upstream_us.store(us.max(1), Ordering::Relaxed);
    }
}

/// Connection facts put into each request's extensions by the server.
#[derive(Debug, Clone, Copy)]
pub struct ConnInfo {
    pub peer: std::net::SocketAddr,
    pub tls: bool,
    pub client_cert: bool,
}

/// Path parameters extracted by the router.
#[derive(Debug, Clone, Default)]
pub struct PathParams(pub Vec<(String, String)>);

/// The authenticated caller.
#[derive(Debug, Clone, Default)]
pub struct Principal {
    /// Stable id (API key id, JWT `sub`, webhook authorizer name).
    pub id: String,
    /// Authenticated JWT claims (empty object otherwise), shared: a principal is cloned by
    /// several phases and its claims come from the verified-token cache.
    pub claims: std::sync::Arc<serde_json::Map<String, serde_json::Value>>,
    /// Scopes granted by the token.
    pub scopes: Vec<String>,
    /// API key id when an API key authenticated the request.
    pub api_key: Option<String>,
    /// Usage plan of that key.
    pub plan: Option<String>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);
static PREFIX: OnceLock<String> = OnceLock::new();

/// A new request id: a per-process random prefix and a counter (unique, cheap, not secret).
pub fn new_request_id() -> String {
    let prefix = PREFIX.get_or_init(|| {
        let mut b = [0u8; 6];
        if getrandom_fill(&mut b).is_err() {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            b.copy_from_slice(&t.to_le_bytes()[..6]);
        }
        hex::encode(b)
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}-{n:08x}")
}

fn getrandom_fill(buf: &mut [u8]) -> std::io::Result<()> {
    use std::io::Read;
    std::fs::File::open("/dev/urandom")?.read_exact(buf)
}
