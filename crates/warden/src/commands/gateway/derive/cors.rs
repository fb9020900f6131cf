//! CORS of a derived API: SAM REST `Cors` (a quoted origin string, or `AllowOrigin`,
//! `AllowMethods`, `AllowHeaders`, `MaxAge`, `AllowCredentials` with quoted, comma-separated
//! values), HTTP API `CorsConfiguration` (`true`, or lists `AllowOrigins`, `AllowMethods`,
//! `AllowHeaders`, `ExposeHeaders`, `MaxAge`, `AllowCredentials`), Serverless `httpApi.cors`.

use super::get_ci;
use warden_gateway::config::CorsConfig;
use warden_model::{Api, Node};

const ALL_METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/// `'a, b'` → [`a`, `b`]; lists are flattened the same way.
fn values(n: Option<&Node>) -> Vec<String> {
    let Some(n) = n else { return Vec::new() };
    n.one_or_many()
        .into_iter()
        .filter_map(Node::as_str)
        .flat_map(|s| s.trim().trim_matches('\'').split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

pub fn policy(api: &Api, warnings: &mut Vec<String>) -> Option<CorsConfig> {
    let node = api.cors.as_ref()?;
    if node.as_bool() == Some(false) {
        return None;
    }
    let mut c = CorsConfig::default();
    if node.as_bool() == Some(true) {
        // `CorsConfiguration: true` / `cors: true`: any origin, the usual methods and headers.
        c.allow_origins = vec!["*".into()];
        c.allow_methods = ALL_METHODS.iter().map(|m| m.to_string()).collect();
        c.allow_headers = vec!["*".into()];
    } else if node.as_str().is_some() {
        c.allow_origins = values(Some(node));
        c.allow_methods = ALL_METHODS.iter().map(|m| m.to_string()).collect();
        c.allow_headers = vec!["*".into()];
    } else {
        c.allow_origins = values(
            get_ci(node, "AllowOrigins")
                .or_else(|| get_ci(node, "AllowOrigin"))
                .or_else(|| get_ci(node, "allowedOrigins")),
        );
        c.allow_methods =
            values(get_ci(node, "AllowMethods").or_else(|| get_ci(node, "allowedMethods")));
        c.allow_headers =
            values(get_ci(node, "AllowHeaders").or_else(|| get_ci(node, "allowedHeaders")));
        c.expose_headers = values(
            get_ci(node, "ExposeHeaders").or_else(|| get_ci(node, "exposedResponseHeaders")),
        );
        c.allow_credentials = get_ci(node, "AllowCredentials")
            .or_else(|| get_ci(node, "allowCredentials"))
            .and_then(Node::as_bool)
            .unwrap_or(false);
        c.max_age_secs = get_ci(node, "MaxAge")
            .and_then(|n| n.as_str())
            .and_then(|s| s.trim().trim_matches('\'').parse().ok());
    }
    if c.allow_methods.iter().any(|m| m == "*") {
        c.allow_methods = ALL_METHODS.iter().map(|m| m.to_string()).collect();
    }
    if c.allow_origins.is_empty() {
        warnings.push(format!(
            "API `{}`: CORS without a known origin; preflights are refused",
            api.id
        ));
        return None;
    }
    if c.allow_credentials && c.allow_origins.iter().any(|o| o == "*") {
        warnings.push(format!(
            "API `{}`: CORS allows credentials from any origin; credentials are not allowed",
            api.id
        ));
        c.allow_credentials = false;
    }
    if c.allow_credentials && c.allow_headers.iter().any(|h| h == "*") {
        warnings.push(format!(
            "API `{}`: CORS allows any header with credentials; list the headers to allow them",
            api.id
        ));
        c.allow_headers.retain(|h| h != "*");
    }
    Some(c)
}
