//! AZ006: an Azure function app reachable from any network.

use super::{block, terraform_function_apps};
use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags, at low severity, a Terraform function app whose `public_network_access_enabled` is not
/// `false` (the default is `true`) and that restricts neither inbound addresses
/// (`site_config.ip_restriction`) nor, with `ip_restriction_default_action = "Deny"`, falls back
/// to denying them.
///
/// ## Why is this bad?
/// Every HTTP trigger, and the app's deployment endpoints, can be reached from the whole
/// internet. An internal API (called by other services, an API Management instance or a front
/// door) does not need that exposure, and network restrictions are a second line when a trigger's
/// authentication is weak (SAS-6, CWE-284).
///
/// ## Insecure example
/// ```hcl
/// resource "azurerm_linux_function_app" "api" {
///   site_config {}
/// }
/// ```
///
/// ## Secure alternative
/// ```hcl
/// resource "azurerm_linux_function_app" "api" {
///   site_config {
///     ip_restriction {
///       service_tag = "ApiManagement"
///       action      = "Allow"
///     }
///   }
/// }
/// ```
///
/// ## References
/// Microsoft Learn, "Azure App Service access restrictions" and "Azure Functions networking
/// options"; OWASP Serverless Top 10 SAS-6; CWE-284.
#[derive(Debug)]
pub struct FunctionAppPublicNetworkAccess;

static META: RuleMeta = RuleMeta {
    code: "AZ006",
    name: "function-app-public-network-access",
    category: Category::Network,
    severity: Severity::Low,
    confidence: Confidence::Medium,
    practice: "API perimeter: every route authenticated",
    cwe: &[284],
    owasp: &["SAS-6"],
    source: include_str!("function_app_public_network_access.rs"),
};

const HELP: &str = "set `public_network_access_enabled = false` behind a private endpoint, or add `site_config.ip_restriction` rules for the callers that need the app";

impl Rule for FunctionAppPublicNetworkAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for f in terraform_function_apps(app) {
            let access = f.properties.get("public_network_access_enabled");
            if access.is_some_and(|a| a.as_bool() != Some(true)) {
                continue; // false, or unknown: nothing to report
            }
            let site = block(&f.properties, "site_config");
            let restricted = site.is_some_and(|s| {
                s.get("ip_restriction")
                    .is_some_and(|r| !r.items().is_empty() || r.is_map() || r.is_unknown())
                    || s.get("ip_restriction_default_action")
                        .and_then(|d| d.as_str())
                        == Some("Deny")
            });
            if restricted {
                continue;
            }
            let at = access.map_or(&f.origin, |a| &a.origin);
            out.push(META.finding(
                at,
                Some(&f.id),
                format!(
                    "function app `{}` accepts requests from any network (public network access{} and no IP restrictions)",
                    f.id,
                    if access.is_some() { " enabled" } else { " is on by default" }
                ),
                HELP,
            ));
        }
    }
}
