//! DEP002: a function package is built from unpinned dependencies (no lockfile, or ranges).

use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a function package (a manifest inside a function's code directory) that does not pin
/// what gets deployed: a `package.json` or
/// `pyproject.toml` with dependencies and no lockfile beside it, or a pinning manifest
/// (`requirements.txt`, `pom.xml`) whose specifiers are ranges instead of exact versions.
///
/// ## Why is this bad?
/// Every build may install different code: a compromised or vulnerable new release reaches
/// production without review, and an audit of the repository cannot tell what the function runs
/// (SAS-9, CWE-1104).
///
/// ## Insecure example
/// ```text
/// requests>=2.0
/// ```
///
/// ## Secure alternative
/// ```text
/// requests==2.32.3 --hash=sha256:…
/// ```
///
/// ## References
/// npm `package-lock.json`, pip "Repeatable installs"; OWASP Serverless Top 10 SAS-9; CWE-1104.
#[derive(Debug)]
pub struct UnpinnedDependencies;

static META: RuleMeta = RuleMeta {
    code: "DEP002",
    name: "unpinned-dependencies",
    category: Category::Dependency,
    severity: Severity::Low,
    confidence: Confidence::High,
    practice: "supply chain: reproducible, audited dependencies",
    cwe: &[1104],
    owasp: &["SAS-9"],
    source: include_str!("unpinned_dependencies.rs"),
};

impl Rule for UnpinnedDependencies {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        let Some(report) = facts.deps else { return };
        for u in &report.unpinned {
            let functions = facts.functions_shipping(&u.manifest);
            if functions.is_empty() {
                continue; // not a function package (tooling, CDK app, front end)
            }
            let names: Vec<String> = u
                .unpinned
                .iter()
                .take(5)
                .map(|d| {
                    if d.spec.is_empty() {
                        d.name.clone()
                    } else {
                        format!("{} {}", d.name, d.spec)
                    }
                })
                .collect();
            let more = u.unpinned.len().saturating_sub(names.len());
            let list = if more > 0 {
                format!("{} and {more} more", names.join(", "))
            } else {
                names.join(", ")
            };
            let why = match u.reason {
                warden_deps::UnpinnedReason::NoLockfile => "has no lockfile",
                warden_deps::UnpinnedReason::UnpinnedSpecifiers => "has version ranges",
            };
            out.push(META.finding(
                &facts.line_origin(&u.manifest, u.line),
                functions.first().map(String::as_str),
                format!(
                    "`{}` {why}: builds are not reproducible ({list})",
                    u.manifest.display()
                ),
                "commit a lockfile (package-lock.json, poetry.lock, uv.lock…) or pin exact versions with hashes",
            ));
        }
    }
}
