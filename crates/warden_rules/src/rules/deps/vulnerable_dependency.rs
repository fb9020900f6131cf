//! DEP001: a function ships a dependency with a known vulnerability (OSV advisory data).

use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a package pinned in a lockfile or manifest (npm, PyPI, Go, crates.io, Maven) whose
/// installed version is affected by a known vulnerability in the OSV advisory data given with
/// `--vuln-db` (or `WARDEN_VULN_DB`, or fetched with `warden db fetch`). The finding names the
/// advisory and its aliases, the severity from the advisory's CVSS vector, the nearest fixed
/// version, whether the dependency is direct or transitive, and the functions that ship it.
///
/// ## Why is this bad?
/// A known-vulnerable package is the cheapest way into a function: exploits are public and the
/// function runs it with the role's permissions on attacker-supplied events (SAS-9, CWE-1395).
///
/// ## Insecure example
/// ```json
/// "node_modules/ms": {"version": "0.7.0"}
/// ```
///
/// ## Secure alternative
/// ```json
/// "node_modules/ms": {"version": "2.1.3"}
/// ```
///
/// ## References
/// OSV schema (ossf.github.io/osv-schema); OWASP Serverless Top 10 SAS-9 (vulnerable third-party
/// dependencies); CWE-1395 (dependency on vulnerable third-party component).
#[derive(Debug)]
pub struct VulnerableDependency;

static META: RuleMeta = RuleMeta {
    code: "DEP001",
    name: "vulnerable-dependency",
    category: Category::Dependency,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "supply chain: no dependencies with known vulnerabilities",
    cwe: &[1395],
    owasp: &["SAS-9"],
    source: include_str!("vulnerable_dependency.rs"),
};

fn severity(s: warden_deps::Severity) -> Severity {
    match s {
        warden_deps::Severity::Low => Severity::Low,
        warden_deps::Severity::Medium => Severity::Medium,
        warden_deps::Severity::High => Severity::High,
        warden_deps::Severity::Critical => Severity::Critical,
    }
}

impl Rule for VulnerableDependency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        let Some(report) = facts.deps else { return };
        for d in &report.findings {
            let functions = facts.functions_shipping(&d.manifest);
            let shipped = match functions.as_slice() {
                [] => String::new(),
                list => format!(
                    "; shipped by {}",
                    list.iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let aliases = if d.aliases.is_empty() {
                String::new()
            } else {
                format!(" ({})", d.aliases.join(", "))
            };
            let kind = if d.direct { "direct" } else { "transitive" };
            let help = match &d.fixed_version {
                Some(v) => format!(
                    "upgrade `{}` to {v} or later and regenerate the lockfile",
                    d.package
                ),
                None => format!(
                    "the advisory records no fixed version: check for a newer release, or replace `{}`",
                    d.package
                ),
            };
            let mut f = META.finding(
                &facts.line_origin(&d.file, d.line),
                functions.first().map(String::as_str),
                format!(
                    "{kind} dependency `{}@{}` is affected by {}{aliases}: {}{shipped}",
                    d.package, d.version, d.advisory, d.summary
                ),
                &help,
            );
            f.severity = severity(d.severity);
            out.push(f);
        }
    }
}
