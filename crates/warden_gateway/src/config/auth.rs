//! Authorizer configuration: JWT/OIDC, API keys, HMAC-signed webhooks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// One named authorizer.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuthorizerConfig {
    /// Bearer JWT validated against a JWKS.
    Jwt(JwtConfig),
    /// API keys (stored as SHA-256 digests).
    ApiKey(ApiKeyConfig),
    /// HMAC-signed webhook requests.
    Hmac(HmacConfig),
    /// Refuses every request with 401: stands for an authorizer that cannot be enforced here
    /// (an IAM or Lambda authorizer of a template served by `warden gateway --from`).
    Deny(DenyConfig),
}

/// An authorizer that refuses every request.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DenyConfig {
    /// Why (for the gateway's own logs and audit records, never sent to clients).
    #[serde(default)]
    pub reason: String,
}

/// JWT/OIDC validation.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JwtConfig {
    /// JWKS file (mutually exclusive with `jwks_url`).
    #[serde(default)]
    pub jwks_file: Option<PathBuf>,
    /// JWKS URL (`http://` or `https://`), cached and refetched on an unknown `kid`.
    #[serde(default)]
    pub jwks_url: Option<String>,
    /// Accepted issuers (`iss`); required.
    pub issuers: Vec<String>,
    /// Accepted audiences (`aud`); required unless `verify_audience = false`.
    #[serde(default)]
    pub audiences: Vec<String>,
    /// Check `aud` against `audiences` (default). `false` accepts any audience from the
    /// issuers, as API Gateway's Cognito user pool authorizers of REST APIs do.
    #[serde(default = "default_true")]
    pub verify_audience: bool,
    /// Explicit algorithm allow-list (e.g. `["RS256"]`); `none` does not exist here.
    pub algorithms: Vec<String>,
    /// Clock-skew leeway for `exp`, `nbf` and `iat`, seconds.
    #[serde(default = "default_leeway")]
    pub leeway_secs: u64,
    /// Claims that must be present.
    #[serde(default)]
    pub required_claims: Vec<String>,
    /// Maximum token size, bytes.
    #[serde(default = "default_max_token")]
    pub max_token_bytes: usize,
    /// Minimum seconds between two JWKS refetches triggered by unknown `kid`s.
    #[serde(default = "default_refetch")]
    pub min_refetch_secs: u64,
    /// JWKS cache lifetime, seconds.
    #[serde(default = "default_cache")]
    pub cache_secs: u64,
}

fn default_true() -> bool {
    true
}
fn default_leeway() -> u64 {
    30
}
fn default_max_token() -> usize {
    8 * 1024
}
fn default_refetch() -> u64 {
    10
}
fn default_cache() -> u64 {
    600
}

impl Default for JwtConfig {
    fn default() -> Self {
        Self {
            jwks_file: None,
            jwks_url: None,
            issuers: Vec::new(),
            audiences: Vec::new(),
            verify_audience: true,
            algorithms: vec!["RS256".into()],
            leeway_secs: default_leeway(),
            required_claims: Vec::new(),
            max_token_bytes: default_max_token(),
            min_refetch_secs: default_refetch(),
            cache_secs: default_cache(),
        }
    }
}

/// API key authorizer.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyConfig {
    /// Header carrying the key.
    #[serde(default = "default_key_header")]
    pub header: String,
    /// Known keys.
    #[serde(default)]
    pub keys: Vec<KeyEntry>,
    /// Status of a missing or unknown key: 401 (default) or 403 (as API Gateway answers).
    #[serde(default)]
    pub on_failure: KeyFailure,
}

/// How a request without a valid API key is refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyFailure {
    /// 401 Unauthorized.
    #[default]
    Unauthorized,
    /// 403 Forbidden.
    Forbidden,
}

fn default_key_header() -> String {
    "x-api-key".into()
}

impl Default for ApiKeyConfig {
    fn default() -> Self {
        Self {
            header: default_key_header(),
            keys: Vec::new(),
            on_failure: KeyFailure::Unauthorized,
        }
    }
}

/// One API key: only its SHA-256 digest is stored.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    /// Public identifier of the key (logged instead of the key).
    pub id: String,
    /// Lowercase hex SHA-256 of the key.
    pub sha256: String,
    /// Usage plan (rate, burst, quotas).
    #[serde(default)]
    pub plan: Option<String>,
}

/// HMAC-signed webhooks: `signature = hex(HMAC-SHA256(secret, timestamp + "." + body))`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HmacConfig {
    /// Environment variable holding the shared secret (secrets never sit in the file).
    pub secret_env: String,
    /// Header carrying the signature (`sha256=<hex>` or `<hex>`).
    #[serde(default = "default_sig_header")]
    pub signature_header: String,
    /// Header carrying the Unix timestamp (seconds) that is signed.
    #[serde(default = "default_ts_header")]
    pub timestamp_header: String,
    /// Accepted clock distance, seconds; a signature is also accepted only once within it.
    #[serde(default = "default_window")]
    pub replay_window_secs: u64,
}

fn default_sig_header() -> String {
    "x-signature".into()
}
fn default_ts_header() -> String {
    "x-signature-timestamp".into()
}
fn default_window() -> u64 {
    300
}

impl Default for HmacConfig {
    fn default() -> Self {
        Self {
            secret_env: String::new(),
            signature_header: default_sig_header(),
            timestamp_header: default_ts_header(),
            replay_window_secs: default_window(),
        }
    }
}
