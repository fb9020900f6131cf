//! Listener, transport limits, TLS, admin listener and WAF defaults.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The public listener and its transport limits.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address to listen on (`HOST:PORT`; port 0 picks a free port).
    pub listen: String,
    /// Worker threads, each with its own event loop, accepting from the shared listener and
    /// serving its connections start to finish (0: one per CPU).
    pub workers: usize,
    /// Maximum simultaneous connections; further connections wait in the accept queue.
    pub max_connections: usize,
    /// Maximum size of the request head (request line and headers), bytes.
    pub max_header_bytes: usize,
    /// Maximum request body size, bytes (413 above it).
    pub max_body_bytes: usize,
    /// A client must send its full request head within this time (slow-header clients are cut off).
    pub header_timeout_ms: u64,
    /// A client must send its full body within this time (408 otherwise).
    pub body_timeout_ms: u64,
    /// Upstream answer deadline (504 otherwise).
    pub upstream_timeout_ms: u64,
    /// Maximum upstream response body, bytes (502 above it).
    pub max_response_bytes: usize,
    /// Time given to in-flight requests on shutdown.
    pub drain_timeout_ms: u64,
    /// Serve HTTP/2 (h2 over TLS via ALPN, h2c prior knowledge in clear text).
    pub http2: bool,
    /// Path of the liveness endpoint on the public listener.
    pub health_path: String,
    /// Path of the readiness endpoint on the public listener.
    pub ready_path: String,
    /// TLS termination; absent means clear-text HTTP.
    pub tls: Option<TlsConfig>,
    /// Trust `X-Forwarded-For` from these peers (CIDR) to find the client address.
    pub trusted_proxies: Vec<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            workers: 0,
            max_connections: 10_000,
            max_header_bytes: 16 * 1024,
            max_body_bytes: 1024 * 1024,
            header_timeout_ms: 5_000,
            body_timeout_ms: 10_000,
            upstream_timeout_ms: 30_000,
            max_response_bytes: 6 * 1024 * 1024,
            drain_timeout_ms: 10_000,
            http2: true,
            health_path: "/__warden/health".into(),
            ready_path: "/__warden/ready".into(),
            tls: None,
            trusted_proxies: Vec::new(),
        }
    }
}

/// Whether client certificates are requested.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuth {
    /// Every client must present a certificate signed by `client_ca`.
    #[default]
    Required,
    /// A certificate is verified when presented.
    Optional,
}

/// TLS termination (rustls; TLS 1.2 minimum, 1.3 preferred).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// PEM certificate chain.
    pub cert: PathBuf,
    /// PEM private key.
    pub key: PathBuf,
    /// PEM CA bundle for client certificates (mTLS).
    #[serde(default)]
    pub client_ca: Option<PathBuf>,
    /// Client certificate requirement when `client_ca` is set.
    #[serde(default)]
    pub client_auth: ClientAuth,
}

/// Outbound connections: `https://` upstreams, Lambda endpoints, JWKS URLs and webhooks are
/// verified against the Mozilla root store (webpki-roots) plus `ca_certs`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutboundConfig {
    /// Extra trusted CA certificates (PEM files), e.g. a private or test CA.
    #[serde(default)]
    pub ca_certs: Vec<PathBuf>,
    /// Trust only `ca_certs`, not the public roots.
    #[serde(default)]
    pub only_ca_certs: bool,
}

/// Admin listener (keep it private): `/healthz`, `/readyz`, `/metrics`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminConfig {
    /// Address to listen on.
    pub listen: String,
}

/// What to do with a body larger than the WAF inspection size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WafOversize {
    /// Refuse it with 413.
    #[default]
    Block,
    /// Inspect the first `max_inspect_bytes` bytes and let the rest through.
    InspectPrefix,
}

/// WAF defaults; routes may override the mode.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct WafConfig {
    /// Default mode for routes.
    pub mode: super::WafMode,
    /// Anomaly score at or above which a request is blocked.
    pub threshold: u32,
    /// Bytes of body (and of each decoded value) inspected at most.
    pub max_inspect_bytes: usize,
    /// Action for bodies above `max_inspect_bytes`.
    pub oversize: WafOversize,
    /// If non-empty, only these client networks (CIDR) may call.
    pub allow_ips: Vec<String>,
    /// Client networks (CIDR) always refused.
    pub deny_ips: Vec<String>,
    /// Rule ids switched off globally (false-positive tuning).
    pub disabled_rules: Vec<String>,
}

impl Default for WafConfig {
    fn default() -> Self {
        Self {
            mode: super::WafMode::Block,
            threshold: 5,
            max_inspect_bytes: 64 * 1024,
            oversize: WafOversize::Block,
            allow_ips: Vec::new(),
            deny_ips: Vec::new(),
            disabled_rules: Vec::new(),
        }
    }
}
