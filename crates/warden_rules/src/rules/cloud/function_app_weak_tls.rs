//! AZ003: an Azure function app that accepts TLS older than 1.2.

use super::{block, terraform_function_apps};
use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags a Terraform function app whose `site_config.minimum_tls_version` is `1.0` or `1.1`
/// (the provider's default is `1.2`, so an absent setting is fine).
///
/// ## Why is this bad?
/// TLS 1.0 and 1.1 are deprecated (RFC 8996): their cipher suites and handshake have known
/// weaknesses, and allowing them lets a downgrade expose requests, keys and responses (CWE-326).
///
/// ## Insecure example
/// ```hcl
/// site_config {
///   minimum_tls_version = "1.0"
/// }
/// ```
///
/// ## Secure alternative
/// ```hcl
/// site_config {
///   minimum_tls_version = "1.2"
/// }
/// ```
///
/// ## References
/// Microsoft Learn, "Enforce TLS versions" (App Service); RFC 8996; OWASP Serverless Top 10
/// SAS-6; CWE-326.
#[derive(Debug)]
pub struct FunctionAppWeakTls;

static META: RuleMeta = RuleMeta {
    code: "AZ003",
    name: "function-app-weak-tls",
    category: Category::Tls,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "encryption: TLS 1.2+ in transit",
    cwe: &[326],
    owasp: &["SAS-6"],
    source: include_str!("function_app_weak_tls.rs"),
};

const HELP: &str =
    "set `site_config.minimum_tls_version = \"1.2\"` (or remove it: 1.2 is the default)";

impl Rule for FunctionAppWeakTls {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for f in terraform_function_apps(app) {
            let Some(site) = block(&f.properties, "site_config") else {
                continue;
            };
            for key in ["minimum_tls_version", "scm_minimum_tls_version"] {
                let Some(v) = site.get(key) else { continue };
                if matches!(v.as_str(), Some("1.0" | "1.1" | "1")) {
                    let what = if key == "scm_minimum_tls_version" {
                        "its deployment (SCM) site"
                    } else {
                        "it"
                    };
                    out.push(META.finding(
                        &v.origin,
                        Some(&f.id),
                        format!(
                            "function app `{}` lets clients reach {what} over TLS {}",
                            f.id,
                            Node::to_string(v)
                        ),
                        HELP,
                    ));
                }
            }
        }
    }
}
