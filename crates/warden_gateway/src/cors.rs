//! Strict CORS: exact origins only, preflights answered by the gateway, headers added to
//! responses of allowed origins, `*` never combined with credentials.

use crate::config::CorsConfig;
use http::{HeaderMap, HeaderValue, Method, header};

/// A compiled CORS policy.
#[derive(Debug)]
pub struct Cors {
    cfg: CorsConfig,
    methods: HeaderValue,
    headers: HeaderValue,
    expose: Option<HeaderValue>,
}

/// What to do with a preflight.
#[derive(Debug)]
pub enum Preflight {
    /// Allowed: answer 204 with these headers.
    Allow(HeaderMap),
    /// Refused: answer 403.
    Deny,
}

impl Cors {
    pub fn new(cfg: CorsConfig) -> Result<Self, String> {
        let join = |v: &[String]| v.join(", ");
        let methods = if cfg.allow_methods.is_empty() {
            "GET, HEAD, POST".to_string()
        } else {
            join(&cfg.allow_methods).to_ascii_uppercase()
        };
        let hv = |s: String| HeaderValue::from_str(&s).map_err(|_| format!("bad CORS value `{s}`"));
        Ok(Self {
            methods: hv(methods)?,
            headers: hv(join(&cfg.allow_headers).to_ascii_lowercase())?,
            expose: if cfg.expose_headers.is_empty() {
                None
            } else {
                Some(hv(join(&cfg.expose_headers))?)
            },
            cfg,
        })
    }

    /// `allow_headers = ["*"]`: any request header (only without credentials).
    fn any_header(&self) -> bool {
        !self.cfg.allow_credentials && self.cfg.allow_headers.iter().any(|h| h == "*")
    }

    /// Whether an origin is allowed (exact, case-sensitive match; `*` only without credentials).
    pub fn origin_allowed(&self, origin: &str) -> bool {
        self.cfg
            .allow_origins
            .iter()
            .any(|o| o == origin || (o == "*" && !self.cfg.allow_credentials))
    }

    /// Decides a preflight request.
    pub fn preflight(&self, req: &HeaderMap) -> Preflight {
        let Some(origin) = req.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
            return Preflight::Deny;
        };
        if !self.origin_allowed(origin) {
            return Preflight::Deny;
        }
        let method_ok = req
            .get(header::ACCESS_CONTROL_REQUEST_METHOD)
            .and_then(|v| v.to_str().ok())
            .and_then(|m| Method::from_bytes(m.as_bytes()).ok())
            .is_some_and(|m| {
                self.methods
                    .to_str()
                    .unwrap_or("")
                    .split(',')
                    .any(|a| a.trim().eq_ignore_ascii_case(m.as_str()))
            });
        if !method_ok {
            return Preflight::Deny;
        }
        if let Some(h) = req
            .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
            .and_then(|v| v.to_str().ok())
        {
            for want in h.split(',').map(|s| s.trim()).filter(|s| !s.is_empty()) {
                if !self.any_header()
                    && !self
                        .cfg
                        .allow_headers
                        .iter()
                        .any(|a| a.eq_ignore_ascii_case(want))
                {
                    return Preflight::Deny;
                }
            }
        }
        let mut out = HeaderMap::new();
        self.common(origin, &mut out);
        out.insert(header::ACCESS_CONTROL_ALLOW_METHODS, self.methods.clone());
        let requested = req.get(header::ACCESS_CONTROL_REQUEST_HEADERS).cloned();
        match requested {
            // `*`: the requested headers are echoed (never a literal `*`, which browsers
            // ignore on credentialed requests).
            Some(h) if self.any_header() => {
                out.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, h);
            }
            _ if !self.cfg.allow_headers.is_empty() && !self.any_header() => {
                out.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, self.headers.clone());
            }
            _ => {}
        }
        if let Some(age) = self.cfg.max_age_secs {
            out.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from(age));
        }
        Preflight::Allow(out)
    }

    fn common(&self, origin: &str, out: &mut HeaderMap) {
        if let Ok(v) = HeaderValue::from_str(origin) {
            out.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
        }
        out.insert(header::VARY, HeaderValue::from_static("Origin"));
        if self.cfg.allow_credentials {
            out.insert(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
        }
    }

    /// Adds CORS headers to an actual response when the origin is allowed.
    pub fn decorate(&self, origin: Option<&str>, out: &mut HeaderMap) {
        if let Some(o) = origin.filter(|o| self.origin_allowed(o)) {
            self.common(o, out);
            if let Some(e) = &self.expose {
                out.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, e.clone());
            }
        }
    }
}

/// Whether a request is a CORS preflight.
pub fn is_preflight(method: &Method, headers: &HeaderMap) -> bool {
    method == Method::OPTIONS
        && headers.contains_key(header::ORIGIN)
        && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}
