//! Throttling of derived routes and usage plans of API keys.
//!
//! * REST APIs: stage `MethodSettings` (`HttpMethod`, `ResourcePath` with `/` written `~1`,
//!   `/*` and `*` as wildcards; the most specific entry wins) from SAM `AWS::Serverless::Api` or
//!   `AWS::ApiGateway::Stage`.
//! * HTTP APIs: `DefaultRouteSettings` and `RouteSettings` (by route key) of the API, of an
//!   `AWS::ApiGatewayV2::Stage`, or of the SAM event; the route's own settings win.
//! * Usage plans (per API key): SAM `Auth.UsagePlan`, `AWS::ApiGateway::UsagePlan`, Serverless
//!   `provider.apiGateway.usagePlan`; throttle → per-key token bucket, quota → daily/monthly quota.
//!
//! A stage throttle is one bucket per route, as in API Gateway (not per client).

use super::{get_ci, resources_for};
use warden_gateway::config::{RateKey, RateLimitConfig, UsagePlan};
use warden_model::{Api, ApiKind, App, Node, Route};

fn num(n: Option<&Node>) -> Option<f64> {
    n.and_then(Node::as_str)
        .and_then(|s| s.trim().parse::<f64>().ok())
}

/// A token bucket from a rate and a burst (missing burst: one second of rate).
fn bucket(
    rate: Option<f64>,
    burst: Option<f64>,
    key: RateKey,
    what: &str,
    warnings: &mut Vec<String>,
) -> Option<RateLimitConfig> {
    let rate = rate?;
    if rate > 1e9 || burst.is_some_and(|b| !b.is_finite()) {
        warnings.push(format!(
            "{what}: throttling rate {rate} is beyond what the gateway counts; not applied"
        ));
        return None;
    }
    if !(rate.is_finite() && rate > 0.0) || burst.is_some_and(|b| b < 1.0) {
        warnings.push(format!(
            "{what}: throttling rate {rate} burst {} blocks every request in API Gateway; not applied",
            burst.unwrap_or(0.0)
        ));
        return None;
    }
    let burst = burst.unwrap_or(rate.ceil()).clamp(1.0, f64::from(u32::MAX)) as u32;
    Some(RateLimitConfig { rate, burst, key })
}

fn limit_from(settings: &Node, what: &str, warnings: &mut Vec<String>) -> Option<RateLimitConfig> {
    bucket(
        num(get_ci(settings, "ThrottlingRateLimit")),
        num(get_ci(settings, "ThrottlingBurstLimit")),
        RateKey::Route,
        what,
        warnings,
    )
}

/// The throttle of one route.
pub fn route_limit(
    app: &App,
    api: &Api,
    route: &Route,
    event: Option<&Node>,
    warnings: &mut Vec<String>,
) -> Option<RateLimitConfig> {
    let what = format!("{} {} of API `{}`", route.method, route.path, api.id);
    match api.kind {
        ApiKind::Rest => {
            let mut lists: Vec<&Node> = api.properties.get("MethodSettings").into_iter().collect();
            lists.extend(
                resources_for(app, "AWS::ApiGateway::Stage", "RestApiId", &api.id)
                    .filter_map(|p| p.get("MethodSettings")),
            );
            let best = lists
                .iter()
                .flat_map(|l| l.items())
                .filter_map(|s| method_setting_score(s, route).map(|score| (score, s)))
                .filter(|(_, s)| get_ci(s, "ThrottlingRateLimit").is_some())
                .max_by_key(|(score, _)| *score)?;
            limit_from(best.1, &what, warnings)
        }
        ApiKind::Http => {
            let key = format!("{} {}", route.method, route.path);
            let mut sources: Vec<&Node> = vec![&api.properties];
            sources.extend(resources_for(
                app,
                "AWS::ApiGatewayV2::Stage",
                "ApiId",
                &api.id,
            ));
            let specific = event
                .and_then(|e| e.get("RouteSettings"))
                .or_else(|| {
                    sources.iter().find_map(|s| {
                        s.get("RouteSettings").and_then(|rs| {
                            rs.get(&key)
                                .or_else(|| rs.get(&format!("ANY {}", route.path)))
                        })
                    })
                })
                .filter(|s| get_ci(s, "ThrottlingRateLimit").is_some());
            let default = sources
                .iter()
                .find_map(|s| s.get("DefaultRouteSettings"))
                .filter(|s| get_ci(s, "ThrottlingRateLimit").is_some());
            limit_from(specific.or(default)?, &what, warnings)
        }
        _ => None,
    }
}

/// How well a REST `MethodSettings` entry matches a route (higher is more specific).
fn method_setting_score(s: &Node, route: &Route) -> Option<u8> {
    let method = get_ci(s, "HttpMethod")
        .and_then(Node::as_str)
        .unwrap_or("*");
    let path = get_ci(s, "ResourcePath")
        .and_then(Node::as_str)
        .unwrap_or("/*");
    let method_score = if method == "*" {
        0
    } else if method.eq_ignore_ascii_case(&route.method) {
        1
    } else {
        return None;
    };
    let path_score = if path == "/*" {
        0
    } else if decode_resource_path(path) == route.path {
        2
    } else {
        return None;
    };
    Some(path_score + method_score)
}

/// `/~1orders~1{id}` → `/orders/{id}` (MethodSettings encode `/` as `~1`).
fn decode_resource_path(p: &str) -> String {
    let inner = p.strip_prefix('/').unwrap_or(p);
    let decoded = inner.replace("~1", "/").replace("~0", "~");
    if decoded.starts_with('/') {
        decoded
    } else {
        format!("/{decoded}")
    }
}

/// The usage plan of an API's keys.
pub fn usage_plan(app: &App, api: &Api, warnings: &mut Vec<String>) -> Option<UsagePlan> {
    let sam = api.properties.at(&["Auth", "UsagePlan"]).filter(|p| {
        get_ci(p, "CreateUsagePlan")
            .and_then(Node::as_str)
            .is_some_and(|c| !c.eq_ignore_ascii_case("NONE"))
    });
    let cfn = app
        .resources
        .iter()
        .filter(|r| r.kind == "AWS::ApiGateway::UsagePlan")
        .map(|r| &r.properties)
        .find(|p| {
            p.get("ApiStages").is_some_and(|stages| {
                stages.items().iter().any(|s| {
                    s.get("ApiId")
                        .and_then(super::reference)
                        .is_some_and(|id| id == api.id)
                })
            })
        });
    // Serverless: `provider.apiGateway.usagePlan` (a map, or a list of named plans).
    let serverless = api
        .properties
        .get("usagePlan")
        .and_then(|p| match p.items() {
            [] => Some(p),
            [first, ..] => {
                warnings.push(format!(
                    "API `{}`: several usage plans; keys get the first one",
                    api.id
                ));
                first.entries().first().map(|(_, v)| v)
            }
        });
    let plan = sam.or(cfn).or(serverless)?;
    let what = format!("usage plan of API `{}`", api.id);
    let throttle = get_ci(plan, "Throttle");
    let rate_limit = throttle.and_then(|t| {
        bucket(
            num(get_ci(t, "RateLimit")),
            num(get_ci(t, "BurstLimit")),
            RateKey::Principal,
            &what,
            warnings,
        )
    });
    let mut out = UsagePlan {
        rate_limit,
        ..UsagePlan::default()
    };
    if let Some(q) = get_ci(plan, "Quota") {
        let limit = num(get_ci(q, "Limit"))
            .filter(|l| *l >= 0.0)
            .map(|l| l as u64);
        let period = get_ci(q, "Period").and_then(Node::as_str).unwrap_or("DAY");
        match (limit, period.to_ascii_uppercase().as_str()) {
            (Some(l), "DAY") => out.quota_day = Some(l),
            (Some(l), "MONTH") => out.quota_month = Some(l),
            (Some(l), "WEEK") => {
                let per_day = l.div_ceil(7);
                warnings.push(format!(
                    "{what}: weekly quota {l} enforced as a daily quota of {per_day} (the gateway counts per UTC day and month)"
                ));
                out.quota_day = Some(per_day);
            }
            _ => warnings.push(format!("{what}: quota not understood; not applied")),
        }
    }
    (out.rate_limit.is_some() || out.quota_day.is_some() || out.quota_month.is_some())
        .then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_paths_decode() {
        assert_eq!(decode_resource_path("/~1orders~1{id}"), "/orders/{id}");
        assert_eq!(decode_resource_path("/"), "/");
    }

    #[test]
    fn zero_rate_is_not_a_bucket() {
        let mut w = Vec::new();
        assert!(bucket(Some(0.0), Some(0.0), RateKey::Route, "x", &mut w).is_none());
        assert_eq!(w.len(), 1);
        let b = bucket(Some(2.5), None, RateKey::Route, "x", &mut w).unwrap();
        assert_eq!((b.rate, b.burst), (2.5, 3));
    }
}
