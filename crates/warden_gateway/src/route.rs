//! Path templates and route matching (`/orders/{id}`, `/files/{proxy+}`), most specific first.

use crate::config::RouteConfig;
use crate::cors::Cors;
use crate::limits::RateLimit;
use crate::schema::RouteSchema;
use crate::upstream::Upstream;
use crate::{auth::Authorizer, authz::Policy};
use http::Method;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param(String),
    Greedy(String),
}

/// Path parameters as (name, decoded value).
pub type Params = Vec<(String, String)>;

/// A compiled path template.
#[derive(Debug, Clone)]
pub struct PathTemplate {
    segments: Vec<Segment>,
}

impl PathTemplate {
    /// Parses `/a/{b}/{c+}`.
    pub fn parse(template: &str) -> Result<Self, String> {
        let mut segments = Vec::new();
        let parts: Vec<&str> = template.trim_start_matches('/').split('/').collect();
        let n = parts.len();
        for (i, p) in parts.into_iter().enumerate() {
            if p.is_empty() && n == 1 {
                break;
            }
            if let Some(inner) = p.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                if let Some(name) = inner.strip_suffix('+') {
                    if i + 1 != n {
                        return Err(format!("`{template}`: greedy `{{{inner}}}` must be last"));
                    }
                    segments.push(Segment::Greedy(name.to_string()));
                } else if inner.is_empty() || inner.contains(['{', '}']) {
                    return Err(format!("`{template}`: bad parameter `{p}`"));
                } else {
                    segments.push(Segment::Param(inner.to_string()));
                }
            } else if p.contains(['{', '}']) {
                return Err(format!("`{template}`: bad segment `{p}`"));
            } else {
                segments.push(Segment::Literal(p.to_string()));
            }
        }
        Ok(Self { segments })
    }

    /// Matches a request path; returns the specificity (higher wins) and the parameters.
    pub fn matches(&self, path: &str) -> Option<(Vec<u8>, Params)> {
        let trimmed = path.trim_start_matches('/');
        let parts: Vec<&str> = if trimmed.is_empty() {
            Vec::new()
        } else {
            trimmed.split('/').collect()
        };
        let mut score = Vec::with_capacity(self.segments.len());
        let mut params = Vec::new();
        let mut i = 0;
        for seg in &self.segments {
            match seg {
                Segment::Literal(l) => {
                    if parts.get(i) != Some(&l.as_str()) {
                        return None;
                    }
                    score.push(3);
                }
                Segment::Param(name) => {
                    let v = parts.get(i).filter(|v| !v.is_empty())?;
                    params.push((name.clone(), crate::waf::decode::percent_decode_str(v)));
                    score.push(2);
                }
                Segment::Greedy(name) => {
                    if i >= parts.len() {
                        return None;
                    }
                    let rest = parts[i..].join("/");
                    params.push((name.clone(), crate::waf::decode::percent_decode_str(&rest)));
                    score.push(1);
                    return Some((score, params));
                }
            }
            i += 1;
        }
        (i == parts.len()).then_some((score, params))
    }
}

/// A route ready to serve: its configuration and the compiled pieces of each phase.
#[derive(Debug)]
pub struct Route {
    pub id: String,
    pub cfg: RouteConfig,
    pub template: PathTemplate,
    pub methods: Vec<Method>,
    pub upstream: Arc<Upstream>,
    pub authorizers: Vec<Arc<Authorizer>>,
    pub waf_mode: crate::config::WafMode,
    pub waf_threshold: u32,
    pub rate_limit: Option<RateLimit>,
    pub schema: Option<RouteSchema>,
    pub cors: Option<Arc<Cors>>,
    pub policy: Option<Policy>,
    /// API Gateway route key (`GET /orders/{id}`, `ANY /x`, `$default`) for v2 events.
    pub route_key: String,
    /// The route's metric handles.
    pub metrics: crate::observe::metrics::RouteMetrics,
}

/// Outcome of routing.
pub enum Match<'a> {
    Found(&'a Arc<Route>, Params),
    WrongMethod,
    NotFound,
}

/// All routes, matched by specificity.
#[derive(Debug, Default)]
pub struct Router {
    routes: Vec<Arc<Route>>,
}

impl Router {
    pub fn new(routes: Vec<Arc<Route>>) -> Self {
        Self { routes }
    }

    pub fn routes(&self) -> &[Arc<Route>] {
        &self.routes
    }

    /// Finds the most specific route for a method and path. A CORS preflight (`OPTIONS`) matches
    /// the route whose path matches, whatever its methods.
    pub fn find(&self, method: &Method, path: &str, preflight: bool) -> Match<'_> {
        let mut best: Option<(Vec<u8>, &Arc<Route>, Params)> = None;
        let mut path_matched = false;
        for r in &self.routes {
            let Some((score, params)) = r.template.matches(path) else {
                continue;
            };
            path_matched = true;
            let method_ok =
                preflight || r.methods.is_empty() || r.methods.iter().any(|m| m == method);
            if !method_ok {
                continue;
            }
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, r, params));
            }
        }
        match best {
            Some((_, r, p)) => Match::Found(r, p),
            None if path_matched => Match::WrongMethod,
            None => Match::NotFound,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_with_params() {
        let t = PathTemplate::parse("/orders/{id}").unwrap();
        let (_, p) = t.matches("/orders/42").unwrap();
        assert_eq!(p, vec![("id".to_string(), "42".to_string())]);
        assert!(t.matches("/orders").is_none());
        assert!(t.matches("/orders/42/x").is_none());
        let g = PathTemplate::parse("/files/{proxy+}").unwrap();
        let (_, p) = g.matches("/files/a/b%20c").unwrap();
        assert_eq!(p[0].1, "a/b c");
        assert!(PathTemplate::parse("/{a+}/b").is_err());
        let root = PathTemplate::parse("/").unwrap();
        assert!(root.matches("/").is_some());
        assert!(root.matches("/x").is_none());
    }

    #[test]
    fn literal_beats_param_beats_greedy() {
        let lit = PathTemplate::parse("/a/b")
            .unwrap()
            .matches("/a/b")
            .unwrap()
            .0;
        let par = PathTemplate::parse("/a/{x}")
            .unwrap()
            .matches("/a/b")
            .unwrap()
            .0;
        let gre = PathTemplate::parse("/a/{x+}")
            .unwrap()
            .matches("/a/b")
            .unwrap()
            .0;
        assert!(lit > par && par > gre);
    }
}
