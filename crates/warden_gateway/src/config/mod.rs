//! The gateway configuration: one serde tree with `deny_unknown_fields` (a typo is an error at
//! start-up) and a JSON Schema generated from the same types. Every struct has public fields and a
//! `Default`, so another crate (the `--from TEMPLATE` derivation) can build a configuration in code.

mod auth;
mod limits;
mod observe;
mod route;
mod server;

pub use auth::{
    ApiKeyConfig, AuthorizerConfig, DenyConfig, HmacConfig, JwtConfig, KeyEntry, KeyFailure,
};
pub use limits::{BudgetConfig, Period, RateKey, RateLimitConfig, StoreConfig, UsagePlan};
pub use observe::{AlertsConfig, AuditConfig, LogConfig, LogSink};
pub use route::{
    CorsConfig, EventVersion, RouteConfig, SchemaConfig, UpstreamConfig, WafMode, WafRouteConfig,
};
pub use server::{
    AdminConfig, ClientAuth, OutboundConfig, ServerConfig, TlsConfig, WafConfig, WafOversize,
};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Errors found while reading or checking a configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

/// The whole gateway configuration (`gateway.toml`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Listener, transport limits and TLS.
    #[serde(default)]
    pub server: ServerConfig,
    /// Admin listener for health, readiness and Prometheus metrics.
    #[serde(default)]
    pub admin: Option<AdminConfig>,
    /// Outbound connections (upstreams, Lambda endpoints, JWKS URLs, alert webhooks).
    #[serde(default)]
    pub outbound: OutboundConfig,
    /// Counter store for rate limits, quotas and budgets.
    #[serde(default)]
    pub store: StoreConfig,
    /// Web application firewall defaults.
    #[serde(default)]
    pub waf: WafConfig,
    /// Access log.
    #[serde(default)]
    pub log: LogConfig,
    /// Hash-chained audit log of security decisions.
    #[serde(default)]
    pub audit: Option<AuditConfig>,
    /// Alerts to a webhook when rates leave their baseline.
    #[serde(default)]
    pub alerts: Option<AlertsConfig>,
    /// Named upstreams (HTTP services or Lambda functions).
    #[serde(default)]
    pub upstreams: BTreeMap<String, UpstreamConfig>,
    /// Named authorizers (JWT, API keys, HMAC webhooks).
    #[serde(default)]
    pub authorizers: BTreeMap<String, AuthorizerConfig>,
    /// Usage plans referenced by API keys.
    #[serde(default)]
    pub usage_plans: BTreeMap<String, UsagePlan>,
    /// Named CORS policies referenced by routes.
    #[serde(default)]
    pub cors: BTreeMap<String, CorsConfig>,
    /// Routes, matched by method and path template.
    #[serde(default)]
    pub routes: Vec<RouteConfig>,
}

/// Most worker threads `server.workers` may ask for.
pub const MAX_WORKERS: usize = 256;

impl Config {
    /// Parses a TOML document. Unknown keys are errors.
    pub fn from_toml(text: &str, origin: &Path) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: origin.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// Reads and parses a file; relative paths inside it are resolved against its directory
    /// when the gateway is built.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_toml(&text, path)
    }

    /// The JSON Schema of the configuration file, generated from these types.
    pub fn json_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(Config)).unwrap_or_default()
    }

    /// Cross-reference checks that serde cannot express.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |m: String| Err(ConfigError::Invalid(m));
        if self.routes.is_empty() {
            return bad("no routes configured".into());
        }
        if self.server.workers > MAX_WORKERS {
            return bad(format!(
                "server.workers = {}: at most {MAX_WORKERS} (0 = one per CPU)",
                self.server.workers
            ));
        }
        let mut ids = std::collections::HashSet::new();
        for r in &self.routes {
            if !ids.insert(r.id.as_str()) {
                return bad(format!("duplicate route id `{}`", r.id));
            }
            if !r.path.starts_with('/') {
                return bad(format!("route `{}`: path must start with `/`", r.id));
            }
            if !self.upstreams.contains_key(&r.upstream) {
                return bad(format!(
                    "route `{}`: unknown upstream `{}`",
                    r.id, r.upstream
                ));
            }
            if r.authorizers.is_empty() && !r.public {
                return bad(format!(
                    "route `{}` has no authorizer: add one, or set `public = true` explicitly",
                    r.id
                ));
            }
            for a in &r.authorizers {
                if !self.authorizers.contains_key(a) {
                    return bad(format!("route `{}`: unknown authorizer `{a}`", r.id));
                }
            }
            if let Some(c) = &r.cors {
                if !self.cors.contains_key(c) {
                    return bad(format!("route `{}`: unknown CORS policy `{c}`", r.id));
                }
            }
            if let Some(rl) = &r.rate_limit {
                rl.check(&format!("route `{}`", r.id))
                    .map_err(ConfigError::Invalid)?;
            }
        }
        for (name, a) in &self.authorizers {
            if let AuthorizerConfig::ApiKey(k) = a {
                for key in &k.keys {
                    if let Some(p) = &key.plan {
                        if !self.usage_plans.contains_key(p) {
                            return bad(format!("authorizer `{name}`: unknown usage plan `{p}`"));
                        }
                    }
                }
            }
        }
        for (name, p) in &self.usage_plans {
            if let Some(rl) = &p.rate_limit {
                rl.check(&format!("usage plan `{name}`"))
                    .map_err(ConfigError::Invalid)?;
            }
        }
        for (name, c) in &self.cors {
            if c.allow_origins.iter().any(|o| o == "*") && c.allow_credentials {
                return bad(format!("CORS policy `{name}`: `*` origin with credentials"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
        [upstreams.app]
        kind = "http"
        url = "http://127.0.0.1:9000"

        [[routes]]
        id = "hello"
        path = "/hello"
        upstream = "app"
        public = true
    "#;

    #[test]
    fn parses_minimal() {
        let c = Config::from_toml(MINIMAL, Path::new("g.toml")).unwrap();
        c.validate().unwrap();
        assert_eq!(c.routes[0].methods, Vec::<String>::new());
    }

    #[test]
    fn unknown_keys_are_errors() {
        let text = MINIMAL.replace("public = true", "public = true\npubilc = true");
        let err = Config::from_toml(&text, Path::new("g.toml")).unwrap_err();
        assert!(err.to_string().contains("pubilc"), "{err}");
    }

    #[test]
    fn routes_without_auth_must_be_explicitly_public() {
        let text = MINIMAL.replace("public = true", "");
        let c = Config::from_toml(&text, Path::new("g.toml")).unwrap();
        assert!(
            c.validate()
                .unwrap_err()
                .to_string()
                .contains("no authorizer")
        );
    }

    #[test]
    fn worker_count_is_bounded() {
        let ok = format!("[server]\nworkers = {MAX_WORKERS}\n{MINIMAL}");
        Config::from_toml(&ok, Path::new("g.toml"))
            .unwrap()
            .validate()
            .unwrap();
        let too_many = format!("[server]\nworkers = {}\n{MINIMAL}", MAX_WORKERS + 1);
        let err = Config::from_toml(&too_many, Path::new("g.toml"))
            .unwrap()
            .validate()
            .unwrap_err();
        assert!(err.to_string().contains("server.workers"), "{err}");
    }

    #[test]
    fn schema_is_generated() {
        let s = Config::json_schema();
        assert!(s.to_string().contains("upstreams"));
    }
}
