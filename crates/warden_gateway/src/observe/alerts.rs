//! Alerts: counts auth failures, 4xx, 5xx and upstream invocations per window, keeps a smoothed
//! baseline per signal, and POSTs to a webhook (and the audit log) when a window exceeds
//! `factor` times its baseline with at least `min_events` events. Two warm-up windows learn the
//! baseline first; a cooldown stops repeats.

use crate::config::AlertsConfig;
use crate::observe::audit::AuditLog;
use crate::upstream::client::{HttpClient, post_json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The signals watched.
#[derive(Debug, Default)]
pub struct Counters {
    pub auth_failures: AtomicU64,
    pub client_errors: AtomicU64,
    pub server_errors: AtomicU64,
    pub invocations: AtomicU64,
}

const NAMES: [&str; 4] = [
    "auth_failures",
    "client_errors",
    "server_errors",
    "invocations",
];

impl Counters {
    fn take(&self) -> [u64; 4] {
        [
            self.auth_failures.swap(0, Ordering::Relaxed),
            self.client_errors.swap(0, Ordering::Relaxed),
            self.server_errors.swap(0, Ordering::Relaxed),
            self.invocations.swap(0, Ordering::Relaxed),
        ]
    }
}

/// Baseline tracking, separated from I/O so it can be tested.
#[derive(Debug)]
pub struct Detector {
    cfg: AlertsConfig,
    baseline: [f64; 4],
    windows: u64,
    last_fired: [Option<Instant>; 4],
}

impl Detector {
    pub fn new(cfg: AlertsConfig) -> Self {
        Self {
            cfg,
            baseline: [0.0; 4],
            windows: 0,
            last_fired: [None; 4],
        }
    }

    /// Feeds one window; returns the alerts to send: (signal, count, baseline).
    pub fn window(&mut self, counts: [u64; 4], now: Instant) -> Vec<(&'static str, u64, f64)> {
        let mut out = Vec::new();
        self.windows += 1;
        let w = self.cfg.baseline_weight.clamp(0.001, 1.0);
        for i in 0..4 {
            let c = counts[i] as f64;
            let warm = self.windows > 2;
            let cooled = self.last_fired[i].is_none_or(|t| {
                now.duration_since(t) >= Duration::from_secs(self.cfg.cooldown_secs)
            });
            if warm
                && counts[i] >= self.cfg.min_events
                && c > self.cfg.factor * self.baseline[i]
                && cooled
            {
                out.push((NAMES[i], counts[i], self.baseline[i]));
                self.last_fired[i] = Some(now);
                // An anomaly does not move the baseline much: it is not the new normal yet.
                self.baseline[i] = self.baseline[i] * (1.0 - w / 4.0) + c * (w / 4.0);
            } else if !warm {
                // Warm-up: the baseline is the plain mean of the first windows.
                let n = self.windows as f64;
                self.baseline[i] += (c - self.baseline[i]) / n;
            } else {
                self.baseline[i] = self.baseline[i] * (1.0 - w) + c * w;
            }
        }
        out
    }
}

/// Runs the alert loop until the process ends.
pub async fn run(
    cfg: AlertsConfig,
    counters: std::sync::Arc<Counters>,
    client: HttpClient,
    audit: Option<AuditLog>,
) {
    let period = Duration::from_secs(cfg.window_secs.max(1));
    let webhook = cfg.webhook.clone();
    let mut det = Detector::new(cfg.clone());
    let mut tick = tokio::time::interval(period);
    tick.tick().await;
    loop {
        tick.tick().await;
        for (signal, count, baseline) in det.window(counters.take(), Instant::now()) {
            let body = serde_json::json!({
                "alert": signal,
                "count": count,
                "baseline": (baseline * 100.0).round() / 100.0,
                "window_secs": cfg.window_secs,
                "ts": crate::time::rfc3339_millis(crate::time::unix_millis()),
            });
            if let Some(a) = &audit {
                let mut m = serde_json::Map::new();
                m.insert("event".into(), "alert".into());
                m.insert("signal".into(), signal.into());
                m.insert("count".into(), count.into());
                a.record(m);
            }
            if let Err(e) = post_json(&client, &webhook, &body, Duration::from_secs(5)).await {
                eprintln!("warden gateway: alert webhook failed: {e}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_on_spikes_only_after_warmup_and_with_cooldown() {
        let cfg = AlertsConfig {
            min_events: 10,
            factor: 3.0,
            cooldown_secs: 60,
            ..Default::default()
        };
        let mut d = Detector::new(cfg);
        let t = Instant::now();
        assert!(d.window([100, 0, 0, 0], t).is_empty(), "warm-up");
        assert!(d.window([5, 5, 0, 10], t).is_empty());
        assert!(d.window([6, 4, 1, 12], t).is_empty());
        let fired = d.window([400, 4, 0, 11], t);
        assert_eq!(fired.len(), 1);
        assert_eq!(fired[0].0, "auth_failures");
        assert!(d.window([400, 4, 0, 11], t).is_empty(), "cooldown");
        assert!(
            d.window([0, 0, 0, 9], t + Duration::from_secs(61))
                .is_empty()
        );
    }
}
