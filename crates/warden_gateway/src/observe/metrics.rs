//! Prometheus metrics: requests by route, method and status; decisions by route, phase and
//! reason; request and upstream latency histograms. Labels never carry secrets.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: String,
    pub method: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct DecisionLabels {
    pub route: String,
    pub phase: String,
    pub reason: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

type Hist = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// Handles of a route's metrics (they share their values with the families).
#[derive(Debug, Clone)]
pub struct RouteMetrics {
    pub latency: Histogram,
    pub upstream_latency: Histogram,
    /// `decisions{phase="upstream",reason="allowed"}`.
    pub allowed: Counter,
    /// `requests{status="200"}` for each of the route's methods (GET and POST for any-method
    /// routes): the common case, counted without building labels.
    pub ok_by_method: Vec<(http::Method, Counter)>,
}

impl RouteMetrics {
    /// The `requests` counter of a 200 answer to `method`, when pre-created.
    pub fn ok(&self, method: &http::Method) -> Option<&Counter> {
        self.ok_by_method
            .iter()
            .find(|(m, _)| m == method)
            .map(|(_, c)| c)
    }
}

fn buckets() -> Histogram {
    Histogram::new([
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
    ])
}

/// All gateway metrics.
pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub decisions: Family<DecisionLabels, Counter>,
    pub latency: Hist,
    pub upstream_latency: Hist,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("warden");
        let requests = Family::<RequestLabels, Counter>::default();
        let decisions = Family::<DecisionLabels, Counter>::default();
        let latency: Hist = Family::new_with_constructor(buckets);
        let upstream_latency: Hist = Family::new_with_constructor(buckets);
        registry.register(
            "requests",
            "Requests by route, method and status",
            requests.clone(),
        );
        registry.register(
            "decisions",
            "Security decisions by route, phase and reason",
            decisions.clone(),
        );
        registry.register(
            "request_duration_seconds",
            "Time from request head to response",
            latency.clone(),
        );
        registry.register(
            "upstream_duration_seconds",
            "Time spent in the upstream",
            upstream_latency.clone(),
        );
        Self {
            registry,
            requests,
            decisions,
            latency,
            upstream_latency,
        }
    }

    /// The metric handles of one route, created once at start-up so that a request does not
    /// build label sets (owned strings) and look them up for the common cases.
    pub fn route_handles(&self, route: &str, methods: &[http::Method]) -> RouteMetrics {
        let labels = RouteLabels {
            route: route.to_string(),
        };
        let common = [http::Method::GET, http::Method::POST];
        let methods = if methods.is_empty() {
            &common[..]
        } else {
            methods
        };
        RouteMetrics {
            ok_by_method: methods
                .iter()
                .map(|m| {
                    let c = self
                        .requests
                        .get_or_create(&RequestLabels {
                            route: route.to_string(),
                            method: m.to_string(),
                            status: 200,
                        })
                        .clone();
                    (m.clone(), c)
                })
                .collect(),
            latency: self.latency.get_or_create(&labels).clone(),
            upstream_latency: self.upstream_latency.get_or_create(&labels).clone(),
            allowed: self
                .decisions
                .get_or_create(&DecisionLabels {
                    route: route.to_string(),
                    phase: "upstream".into(),
                    reason: "allowed".into(),
                })
                .clone(),
        }
    }

    /// Text exposition format.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}
