//! Findings, their vocabulary (severity, category, confidence), rule metadata and the scan report.
//!
//! The JSON output contract (DESIGN.md, version 1) is written by `warden_render`; these are the
//! in-memory types it renders.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;
use warden_source::Origin;

/// How bad a finding is. Ordered: `Info < Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown severity `{s}` (critical, high, medium, low, info)"))
    }
}

/// How sure the rule is that the finding is real.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// The finding categories of the output contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Iam,
    Secret,
    Auth,
    Throttle,
    Waf,
    Tls,
    Encryption,
    Trigger,
    Public,
    Injection,
    Logging,
    Monitoring,
    Dependency,
    Cors,
    ErrorHandling,
    Runtime,
    Network,
    Config,
    Code,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Iam => "iam",
            Category::Secret => "secret",
            Category::Auth => "auth",
            Category::Throttle => "throttle",
            Category::Waf => "waf",
            Category::Tls => "tls",
            Category::Encryption => "encryption",
            Category::Trigger => "trigger",
            Category::Public => "public",
            Category::Injection => "injection",
            Category::Logging => "logging",
            Category::Monitoring => "monitoring",
            Category::Dependency => "dependency",
            Category::Cors => "cors",
            Category::ErrorHandling => "error-handling",
            Category::Runtime => "runtime",
            Category::Network => "network",
            Category::Config => "config",
            Category::Code => "code",
        }
    }
}

/// Rule metadata as renderers need it (SARIF `tool.driver.rules`, `warden rules`).
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// How often the rule's findings are real (SARIF `precision`); its findings usually carry it.
    pub confidence: Confidence,
    /// One-line summary (the first sentence of "What it does").
    pub summary: String,
    /// The full documentation in Markdown.
    pub doc: String,
    pub cwe: &'static [u32],
    /// OWASP Serverless Top 10 items, e.g. `SAS-4`.
    pub owasp: &'static [&'static str],
    /// AWS Security Hub control ids the rule corresponds to, e.g. `Lambda.1` (may be empty).
    pub security_hub: &'static [&'static str],
}

/// Another place a finding involves (SARIF `relatedLocations`), e.g. a step of an attack path.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub origin: Origin,
    pub message: String,
}

/// One violation, located. Line and column are filled in from the origin when rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub confidence: Confidence,
    pub message: String,
    /// The primary location.
    pub origin: Origin,
    /// The resource (logical id, function name) the finding is about.
    pub resource: Option<String>,
    pub help: String,
    pub related: Vec<Related>,
    /// The steps of a data flow from source to sink, in order (SARIF `codeFlows`); empty for
    /// findings that are not about a flow.
    pub flow: Vec<Related>,
    /// Stable across unrelated edits; filled by the scanner after rules run.
    pub fingerprint: String,
}

/// A file that could not be read, parsed or lowered. Never stops the scan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ScanError {
    pub file: String,
    pub message: String,
}

impl ScanError {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            message: message.into(),
        }
    }
}

/// Counters reported in `stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub files_scanned: u64,
    pub apps: u64,
    pub functions: u64,
    pub duration_ms: u64,
}

/// Everything a scan produced, ready to render. Findings are sorted by file, line, rule.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub errors: Vec<ScanError>,
    pub stats: Stats,
}
