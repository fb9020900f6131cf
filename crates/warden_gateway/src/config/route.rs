//! Routes, upstreams, CORS and per-route validation.

use super::{BudgetConfig, RateLimitConfig};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One route: method(s) and a path template (`/orders/{id}`, `/files/{proxy+}`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteConfig {
    /// Unique id (used in logs, metrics and audit records).
    pub id: String,
    /// Allowed methods; empty means any.
    #[serde(default)]
    pub methods: Vec<String>,
    /// Path template.
    pub path: String,
    /// Upstream name.
    pub upstream: String,
    /// Authorizers that must ALL accept the request.
    #[serde(default)]
    pub authorizers: Vec<String>,
    /// Routes without authorizers must say so.
    #[serde(default)]
    pub public: bool,
    /// Scopes the JWT must carry (`scope`/`scp` claims).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// IAM-style policy (JSON) evaluated on each request (see README, "Authorization").
    #[serde(default)]
    pub policy: Option<serde_json::Value>,
    /// Route token bucket.
    #[serde(default)]
    pub rate_limit: Option<RateLimitConfig>,
    /// WAF settings of the route.
    #[serde(default)]
    pub waf: WafRouteConfig,
    /// Validation of body, query and path parameters.
    #[serde(default)]
    pub schema: Option<SchemaConfig>,
    /// CORS policy name.
    #[serde(default)]
    pub cors: Option<String>,
    /// API Gateway route key sent in v2 events (`GET /orders/{id}`, `$default`); derived from
    /// the methods and path when absent.
    #[serde(default)]
    pub route_key: Option<String>,
    /// Strip this prefix before forwarding to an HTTP upstream.
    #[serde(default)]
    pub strip_prefix: Option<String>,
}

/// WAF mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WafMode {
    /// Block requests at or above the threshold.
    #[default]
    Block,
    /// Log and audit, but let the request through.
    DetectOnly,
    /// No inspection.
    Off,
}

/// Per-route WAF overrides.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WafRouteConfig {
    /// Mode; the global default when absent.
    #[serde(default)]
    pub mode: Option<WafMode>,
    /// Threshold; the global default when absent.
    #[serde(default)]
    pub threshold: Option<u32>,
}

/// Request validation (answers 415 for a content type not listed, 400 for JSON nested too deep,
/// 422 for a value that fails its schema).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemaConfig {
    /// JSON Schema of the body (remote `$ref` is refused).
    #[serde(default)]
    pub body: Option<serde_json::Value>,
    /// JSON Schema of the query parameters, as an object of strings.
    #[serde(default)]
    pub query: Option<serde_json::Value>,
    /// JSON Schema of the path parameters, as an object of strings.
    #[serde(default)]
    pub path: Option<serde_json::Value>,
    /// JSON Schema of the request headers, as an object of lower-cased header names to string
    /// values (the first value of a repeated header). Header names are matched
    /// case-insensitively: the names in the schema's top-level `properties` and `required` are
    /// lower-cased when the schema is compiled.
    #[serde(default)]
    pub headers: Option<serde_json::Value>,
    /// Accepted content types of bodies (`application/json`); empty means any.
    #[serde(default)]
    pub content_types: Vec<String>,
    /// Maximum JSON nesting depth.
    #[serde(default = "default_depth")]
    pub max_json_depth: usize,
}

fn default_depth() -> usize {
    32
}

impl Default for SchemaConfig {
    /// Nothing validated but the default JSON depth (as an empty `[routes.schema]` table).
    fn default() -> Self {
        Self {
            body: None,
            query: None,
            path: None,
            headers: None,
            content_types: Vec::new(),
            max_json_depth: default_depth(),
        }
    }
}

/// Strict CORS.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorsConfig {
    /// Exact origins (`https://app.example.com`).
    pub allow_origins: Vec<String>,
    /// Allowed methods.
    #[serde(default)]
    pub allow_methods: Vec<String>,
    /// Allowed request headers (lowercase).
    #[serde(default)]
    pub allow_headers: Vec<String>,
    /// Headers exposed to scripts.
    #[serde(default)]
    pub expose_headers: Vec<String>,
    /// Send `Access-Control-Allow-Credentials: true`.
    #[serde(default)]
    pub allow_credentials: bool,
    /// Preflight cache, seconds.
    #[serde(default)]
    pub max_age_secs: Option<u64>,
}

/// An upstream.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum UpstreamConfig {
    /// Reverse proxy to an HTTP service.
    Http {
        /// Base URL (`http://host:port[/prefix]`).
        url: String,
        /// Concurrency cap (429 above it).
        #[serde(default)]
        max_concurrency: Option<usize>,
        /// Spend budget.
        #[serde(default)]
        budget: Option<BudgetConfig>,
    },
    /// A function behind the Lambda Invoke API.
    Lambda {
        /// Endpoint (`http://127.0.0.1:3001` for `sam local start-lambda` or the RIE).
        endpoint: String,
        /// Function name.
        function: String,
        /// API Gateway proxy event version: `v1` (REST API) or `v2` (HTTP API).
        #[serde(default)]
        event: EventVersion,
        /// Concurrency cap (429 above it).
        #[serde(default)]
        max_concurrency: Option<usize>,
        /// Spend budget.
        #[serde(default)]
        budget: Option<BudgetConfig>,
    },
}

/// API Gateway proxy event version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventVersion {
    /// REST API (payload format 1.0).
    V1,
    /// HTTP API (payload format 2.0).
    #[default]
    V2,
}
