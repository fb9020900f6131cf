//! Building the gateway from its configuration: every piece compiled once (routes, authorizers,
//! WAF, schemas, CORS, store, logs), so a bad configuration fails at start-up, not at request time.

use crate::auth::{Authorizer, api_key::ApiKeyAuth, hmac::HmacAuth, jwks, jwt::JwtAuth};
use crate::config::{AuthorizerConfig, Config, ConfigError};
use crate::cors::Cors;
use crate::limits::{RateLimit, Store};
use crate::observe::{
    access_log::AccessLog, alerts, audit::AuditLog, metrics::Metrics, redact::Redactor,
};
use crate::route::{PathTemplate, Route, Router};
use crate::upstream::{
    Upstream,
    client::{HttpClient, is_web_url},
};
use crate::waf::ip::CidrList;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// A usage plan, compiled.
#[derive(Debug, Clone)]
pub struct Plan {
    pub rate: Option<RateLimit>,
    pub quota_day: Option<u64>,
    pub quota_month: Option<u64>,
}

/// Everything the phases share.
#[derive(Debug)]
pub struct Shared {
    pub config: Config,
    pub router: Router,
    pub waf: crate::waf::Engine,
    pub allow_ips: CidrList,
    pub deny_ips: CidrList,
    pub trusted_proxies: CidrList,
    pub store: Store,
    pub plans: HashMap<String, Plan>,
    pub client: HttpClient,
    /// TLS settings of outbound calls (each worker builds its own pool from them).
    pub outbound_tls: rustls::ClientConfig,
    pub access_log: AccessLog,
    pub audit: Option<AuditLog>,
    pub redactor: Redactor,
    pub metrics: Metrics,
    pub alert_counters: Arc<alerts::Counters>,
    pub jwks: Vec<Arc<Authorizer>>,
    pub ready: AtomicBool,
}

fn invalid(m: impl Into<String>) -> ConfigError {
    ConfigError::Invalid(m.into())
}

fn resolve(base: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

impl Shared {
    /// Compiles a configuration. `base` resolves relative paths. Must run inside a Tokio runtime
    /// (JWKS URLs and Redis are contacted).
    pub async fn build(mut config: Config, base: &Path) -> Result<Arc<Self>, ConfigError> {
        config.validate()?;
        let outbound_tls =
            crate::upstream::client::tls_config(&config.outbound, base).map_err(invalid)?;
        let client = crate::upstream::client::with_tls(outbound_tls.clone());
        if let Some(tls) = &mut config.server.tls {
            tls.cert = resolve(base, &tls.cert);
            tls.key = resolve(base, &tls.key);
            tls.client_ca = tls.client_ca.as_ref().map(|c| resolve(base, c));
        }
        let mut redactor = Redactor::new(
            &config.log.redact_headers,
            &config.log.redact_fields,
            &config.log.redact_patterns,
        )
        .map_err(invalid)?;

        let mut authorizers: HashMap<String, Arc<Authorizer>> = HashMap::new();
        let mut jwks_list = Vec::new();
        for (name, a) in &config.authorizers {
            let built = match a {
                AuthorizerConfig::Jwt(j) => {
                    let source = match (&j.jwks_file, &j.jwks_url) {
                        (Some(f), None) => jwks::Source::File(resolve(base, f)),
                        (None, Some(u)) if is_web_url(u) => jwks::Source::Url(u.clone()),
                        (None, Some(u)) => {
                            return Err(invalid(format!(
                                "authorizer `{name}`: jwks_url `{u}` must be an http:// or https:// URL"
                            )));
                        }
                        _ => {
                            return Err(invalid(format!(
                                "authorizer `{name}`: set exactly one of jwks_file and jwks_url"
                            )));
                        }
                    };
                    let keys = jwks::Jwks::load(
                        source,
                        client.clone(),
                        Duration::from_secs(j.min_refetch_secs),
                        Duration::from_secs(j.cache_secs.max(1)),
                    )
                    .await
                    .map_err(|e| invalid(format!("authorizer `{name}`: {e}")))?;
                    Authorizer::Jwt(Box::new(
                        JwtAuth::new(j.clone(), keys)
                            .map_err(|e| invalid(format!("authorizer `{name}`: {e}")))?,
                    ))
                }
                AuthorizerConfig::ApiKey(k) => {
                    let a = ApiKeyAuth::new(k)
                        .map_err(|e| invalid(format!("authorizer `{name}`: {e}")))?;
                    redactor.add_header(a.header().as_str());
                    Authorizer::ApiKey(a)
                }
                AuthorizerConfig::Hmac(h) => {
                    redactor.add_header(&h.signature_header);
                    Authorizer::Hmac(HmacAuth::new(name, h).map_err(invalid)?)
                }
                AuthorizerConfig::Deny(_) => Authorizer::Deny,
            };
            let built = Arc::new(built);
            if matches!(*built, Authorizer::Jwt(_)) {
                jwks_list.push(built.clone());
            }
            authorizers.insert(name.clone(), built);
        }

        let mut upstreams = HashMap::new();
        for (name, u) in &config.upstreams {
            upstreams.insert(
                name.clone(),
                Arc::new(Upstream::new(name, u).map_err(invalid)?),
            );
        }
        let mut cors = HashMap::new();
        for (name, c) in &config.cors {
            cors.insert(
                name.clone(),
                Arc::new(Cors::new(c.clone()).map_err(invalid)?),
            );
        }
        let mut plans = HashMap::new();
        for (name, p) in &config.usage_plans {
            plans.insert(
                name.clone(),
                Plan {
                    rate: p.rate_limit.as_ref().map(RateLimit::new),
                    quota_day: p.quota_day,
                    quota_month: p.quota_month,
                },
            );
        }

        let metrics = Metrics::new();
        let mut routes = Vec::new();
        for r in &config.routes {
            let ctx = |e: String| invalid(format!("route `{}`: {e}", r.id));
            let methods = r
                .methods
                .iter()
                .map(|m| {
                    http::Method::from_bytes(m.to_ascii_uppercase().as_bytes())
                        .map_err(|_| ctx(format!("bad method `{m}`")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            routes.push(Arc::new(Route {
                id: r.id.clone(),
                template: PathTemplate::parse(&r.path).map_err(ctx)?,
                metrics: metrics.route_handles(&r.id, &methods),
                methods,
                upstream: upstreams[&r.upstream].clone(),
                authorizers: r
                    .authorizers
                    .iter()
                    .map(|a| authorizers[a].clone())
                    .collect(),
                waf_mode: r.waf.mode.unwrap_or(config.waf.mode),
                waf_threshold: r.waf.threshold.unwrap_or(config.waf.threshold).max(1),
                rate_limit: r.rate_limit.as_ref().map(RateLimit::new),
                schema: r
                    .schema
                    .as_ref()
                    .map(crate::schema::RouteSchema::compile)
                    .transpose()
                    .map_err(ctx)?,
                cors: r.cors.as_ref().map(|c| cors[c].clone()),
                policy: r
                    .policy
                    .as_ref()
                    .map(crate::authz::Policy::new)
                    .transpose()
                    .map_err(ctx)?,
                route_key: r
                    .route_key
                    .clone()
                    .unwrap_or_else(|| match r.methods.as_slice() {
                        [one] => format!("{} {}", one.to_ascii_uppercase(), r.path),
                        _ => format!("ANY {}", r.path),
                    }),
                cfg: r.clone(),
            }));
        }

        let waf = crate::waf::Engine::new(config.waf.max_inspect_bytes, &config.waf.disabled_rules)
            .map_err(|e| invalid(e.to_string()))?;
        let allow_ips = CidrList::parse(&config.waf.allow_ips).map_err(invalid)?;
        let deny_ips = CidrList::parse(&config.waf.deny_ips).map_err(invalid)?;
        let trusted_proxies = CidrList::parse(&config.server.trusted_proxies).map_err(invalid)?;
        let store = Store::connect(config.store.url.as_deref(), config.store.prefix.as_deref())
            .await
            .map_err(invalid)?;
        let access_log = AccessLog::open(&match &config.log.access {
            crate::config::LogSink::File(p) => crate::config::LogSink::File(resolve(base, p)),
            other => other.clone(),
        })
        .map_err(invalid)?;
        let audit = match &config.audit {
            Some(a) => Some(
                AuditLog::open(&resolve(base, &a.path), a.fsync)
                    .map_err(|e| invalid(e.to_string()))?,
            ),
            None => None,
        };
        if let Some(a) = &config.alerts {
            if !is_web_url(&a.webhook) {
                return Err(invalid("alerts.webhook must be an http:// or https:// URL"));
            }
        }
        Ok(Arc::new(Self {
            router: Router::new(routes),
            waf,
            allow_ips,
            deny_ips,
            trusted_proxies,
            store,
            plans,
            client,
            outbound_tls,
            access_log,
            audit,
            redactor,
            metrics,
            alert_counters: Arc::new(alerts::Counters::default()),
            jwks: jwks_list,
            ready: AtomicBool::new(true),
            config,
        }))
    }

    /// Writes an audit record if the audit log is on.
    pub fn audit(&self, fields: serde_json::Map<String, serde_json::Value>) {
        if let Some(a) = &self.audit {
            a.record(fields);
        }
    }
}
