//! The route table printed at start-up: one line per template route, no secrets (API keys appear
//! only as "+ api key").

use warden_gateway::config::{EventVersion, UsagePlan};

/// One derived route as printed.
#[derive(Debug, Clone)]
pub struct RouteLine {
    pub api: String,
    pub method: String,
    pub path: String,
    pub function: String,
    pub event: EventVersion,
    pub auth: String,
    pub limits: String,
    pub cors: Option<String>,
    /// What the route validates (`body (application/json), query q`), empty for nothing.
    pub validation: String,
}

/// `plan 100/s burst 50, 3/day`.
pub fn plan_text(p: &UsagePlan) -> String {
    let mut parts = Vec::new();
    if let Some(rl) = &p.rate_limit {
        parts.push(format!("{}/s burst {} per key", rl.rate, rl.burst));
    }
    if let Some(q) = p.quota_day {
        parts.push(format!("{q}/day per key"));
    }
    if let Some(q) = p.quota_month {
        parts.push(format!("{q}/month per key"));
    }
    format!("plan {}", parts.join(", "))
}

/// Renders the table.
pub fn render(lines: &[RouteLine]) -> String {
    let w = |f: &dyn Fn(&RouteLine) -> usize| lines.iter().map(f).max().unwrap_or(0);
    let (wm, wp, wf) = (
        w(&|l| l.method.len()),
        w(&|l| l.path.len()),
        w(&|l| l.function.len() + 5),
    );
    let mut out = String::new();
    for l in lines {
        let fun = format!(
            "{} ({})",
            l.function,
            if l.event == EventVersion::V1 {
                "v1"
            } else {
                "v2"
            }
        );
        out.push_str(&format!(
            "  {:wm$}  {:wp$}  -> {:wf$}  api {}  auth: {}",
            l.method, l.path, fun, l.api, l.auth
        ));
        if !l.limits.is_empty() {
            out.push_str(&format!("  limits: {}", l.limits));
        }
        if let Some(c) = &l.cors {
            out.push_str(&format!("  cors: {c}"));
        }
        if !l.validation.is_empty() {
            out.push_str(&format!("  validates: {}", l.validation));
        }
        out.push('\n');
    }
    out
}
