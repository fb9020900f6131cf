//! AZ002: an Azure function app that accepts plain HTTP.

use super::terraform_function_apps;
use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a Terraform function app (`azurerm_linux_function_app`, `azurerm_windows_function_app`,
/// their slots, legacy `azurerm_function_app`) whose `https_only` is not `true`. The provider's
/// default is `false`, so an absent `https_only` is reported at the resource.
///
/// ## Why is this bad?
/// Without `https_only` the app answers plain HTTP: requests, function keys in the `code` query
/// parameter or `x-functions-key` header, and responses cross the network in clear text and can
/// be read or altered on the way (CWE-319).
///
/// ## Insecure example
/// ```hcl
/// resource "azurerm_linux_function_app" "api" {
///   name = "orders-api"
///   # https_only defaults to false
/// }
/// ```
///
/// ## Secure alternative
/// ```hcl
/// resource "azurerm_linux_function_app" "api" {
///   name       = "orders-api"
///   https_only = true
/// }
/// ```
///
/// ## References
/// Microsoft Learn, "Enforce HTTPS" (App Service TLS/SSL settings); OWASP Serverless Top 10
/// SAS-6 (security misconfiguration); CWE-319.
#[derive(Debug)]
pub struct FunctionAppHttpsNotEnforced;

static META: RuleMeta = RuleMeta {
    code: "AZ002",
    name: "function-app-https-not-enforced",
    category: Category::Tls,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "encryption: TLS 1.2+ in transit",
    cwe: &[319],
    owasp: &["SAS-6"],
    source: include_str!("function_app_https_not_enforced.rs"),
};

const HELP: &str = "set `https_only = true` on the function app";

impl Rule for FunctionAppHttpsNotEnforced {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for f in terraform_function_apps(app) {
            match f.properties.get("https_only") {
                Some(v) if v.as_bool() == Some(true) => {}
                Some(v) if v.is_unknown() => out.push(META.unverified(
                    &v.origin,
                    Some(&f.id),
                    format!("could not verify `https_only` of function app `{}`: it depends on {v}", f.id),
                    HELP,
                )),
                Some(v) => out.push(META.finding(
                    &v.origin,
                    Some(&f.id),
                    format!("function app `{}` accepts plain HTTP (`https_only = {v}`)", f.id),
                    HELP,
                )),
                None => out.push(META.finding(
                    &f.origin,
                    Some(&f.id),
                    format!("function app `{}` accepts plain HTTP (`https_only` is not set and defaults to false)", f.id),
                    HELP,
                )),
            }
        }
    }
}
