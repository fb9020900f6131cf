//! Rejections: every failure knows who caused it, and the status code is chosen here, in one place.

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};
use http_body_util::Full;

/// Who caused a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The client sent something we refuse (always a 4xx).
    Client,
    /// The upstream function failed or timed out (502/504).
    Upstream,
    /// The gateway itself failed (500/503).
    Gateway,
}

/// What went wrong, precisely enough to pick a status, a log reason and an audit event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    NoRoute,
    MethodNotAllowed,
    BodyTooLarge,
    BodyTimeout,
    BadRequest(&'static str),
    UnsupportedMediaType,
    IpDenied,
    WafBlocked { rules: String, score: u32 },
    Unauthenticated(&'static str),
    Forbidden(&'static str),
    RateLimited { retry_after_secs: u64 },
    QuotaExceeded { retry_after_secs: u64 },
    ConcurrencyLimited,
    BudgetExceeded { retry_after_secs: u64 },
    SchemaInvalid(String),
    CorsRejected,
    UpstreamFailed(String),
    UpstreamTimeout,
    StoreUnavailable(String),
    Internal(String),
}

/// A request that did not reach (or did not come back from) the upstream.
#[derive(Debug, Clone)]
pub struct Rejection {
    pub cause: Cause,
    pub reason: Reason,
    /// The phase that decided (`waf`, `authn`, ...), for logs and metrics.
    pub phase: &'static str,
}

impl Rejection {
    /// A client-caused rejection.
    pub fn client(phase: &'static str, reason: Reason) -> Self {
        Self {
            cause: Cause::Client,
            reason,
            phase,
        }
    }
    /// An upstream-caused rejection.
    pub fn upstream(reason: Reason) -> Self {
        Self {
            cause: Cause::Upstream,
            reason,
            phase: "upstream",
        }
    }
    /// A gateway-caused rejection.
    pub fn gateway(phase: &'static str, reason: Reason) -> Self {
        Self {
            cause: Cause::Gateway,
            reason,
            phase,
        }
    }

    /// The one place where a status code is chosen.
    pub fn status(&self) -> StatusCode {
        match (&self.cause, &self.reason) {
            (_, Reason::NoRoute) => StatusCode::NOT_FOUND,
            (_, Reason::MethodNotAllowed) => StatusCode::METHOD_NOT_ALLOWED,
            (_, Reason::BodyTooLarge) => StatusCode::PAYLOAD_TOO_LARGE,
            (_, Reason::BodyTimeout) => StatusCode::REQUEST_TIMEOUT,
            (_, Reason::UnsupportedMediaType) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            (_, Reason::Unauthenticated(_)) => StatusCode::UNAUTHORIZED,
            (_, Reason::IpDenied | Reason::WafBlocked { .. } | Reason::Forbidden(_)) => {
                StatusCode::FORBIDDEN
            }
            (_, Reason::CorsRejected) => StatusCode::FORBIDDEN,
            (
                _,
                Reason::RateLimited { .. }
                | Reason::QuotaExceeded { .. }
                | Reason::ConcurrencyLimited
                | Reason::BudgetExceeded { .. },
            ) => StatusCode::TOO_MANY_REQUESTS,
            (_, Reason::SchemaInvalid(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            (_, Reason::UpstreamTimeout) => StatusCode::GATEWAY_TIMEOUT,
            (Cause::Client, _) => StatusCode::BAD_REQUEST,
            (Cause::Upstream, _) => StatusCode::BAD_GATEWAY,
            (Cause::Gateway, Reason::StoreUnavailable(_)) => StatusCode::SERVICE_UNAVAILABLE,
            (Cause::Gateway, _) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Short machine-readable label for logs, metrics and audit records.
    pub fn label(&self) -> &'static str {
        match &self.reason {
            Reason::NoRoute => "no_route",
            Reason::MethodNotAllowed => "method_not_allowed",
            Reason::BodyTooLarge => "body_too_large",
            Reason::BodyTimeout => "body_timeout",
            Reason::BadRequest(_) => "bad_request",
            Reason::UnsupportedMediaType => "unsupported_media_type",
            Reason::IpDenied => "ip_denied",
            Reason::WafBlocked { .. } => "waf_blocked",
            Reason::Unauthenticated(_) => "unauthenticated",
            Reason::Forbidden(_) => "forbidden",
            Reason::RateLimited { .. } => "rate_limited",
            Reason::QuotaExceeded { .. } => "quota_exceeded",
            Reason::ConcurrencyLimited => "concurrency_limited",
            Reason::BudgetExceeded { .. } => "budget_exceeded",
            Reason::SchemaInvalid(_) => "schema_invalid",
            Reason::CorsRejected => "cors_rejected",
            Reason::UpstreamFailed(_) => "upstream_failed",
            Reason::UpstreamTimeout => "upstream_timeout",
            Reason::StoreUnavailable(_) => "store_unavailable",
            Reason::Internal(_) => "internal",
        }
    }

    /// Detail for the gateway's own logs (never sent to the client; never contains secrets).
    pub fn detail(&self) -> String {
        match &self.reason {
            Reason::BadRequest(d) | Reason::Unauthenticated(d) | Reason::Forbidden(d) => {
                (*d).to_string()
            }
            Reason::WafBlocked { rules, score } => format!("score {score}: {rules}"),
            Reason::SchemaInvalid(d)
            | Reason::UpstreamFailed(d)
            | Reason::StoreUnavailable(d)
            | Reason::Internal(d) => d.clone(),
            _ => String::new(),
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match &self.reason {
            Reason::RateLimited { retry_after_secs }
            | Reason::QuotaExceeded { retry_after_secs }
            | Reason::BudgetExceeded { retry_after_secs } => Some((*retry_after_secs).max(1)),
            Reason::ConcurrencyLimited => Some(1),
            _ => None,
        }
    }

    /// Renders the client-facing response: a status, a generic message and the request id. No
    /// detail that helps an attacker (which check failed, which rule matched) leaves the gateway,
    /// except for schema errors, which the client needs to fix its request.
    pub fn into_response(self, request_id: &str) -> Response<Full<Bytes>> {
        let status = self.status();
        let message = match &self.reason {
            Reason::SchemaInvalid(d) => d.as_str(),
            _ => status.canonical_reason().unwrap_or("error"),
        };
        let body = serde_json::json!({"message": message, "requestId": request_id}).to_string();
        let mut resp = Response::new(Full::new(Bytes::from(body)));
        *resp.status_mut() = status;
        let h = resp.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(secs) = self.retry_after() {
            h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if matches!(self.reason, Reason::Unauthenticated(_)) {
            h.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_causes_are_always_4xx() {
        let reasons = [
            Reason::NoRoute,
            Reason::BadRequest("x"),
            Reason::Internal("parse".into()),
            Reason::UpstreamFailed("x".into()),
            Reason::SchemaInvalid("x".into()),
        ];
        for r in reasons {
            let rej = Rejection::client("test", r);
            assert!(rej.status().is_client_error(), "{rej:?}");
        }
    }

    #[test]
    fn throttles_carry_retry_after() {
        let r = Rejection::client(
            "limits",
            Reason::RateLimited {
                retry_after_secs: 0,
            },
        );
        let resp = r.into_response("id");
        assert_eq!(resp.status(), 429);
        assert_eq!(resp.headers()["retry-after"], "1");
    }
}
