//! AZ004: an Azure function app that accepts plain FTP deployments.

use super::{block, terraform_function_apps, tf_type};
use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a Terraform function app whose `site_config.ftps_state` is `AllAllowed`, and a legacy
/// `azurerm_function_app` that does not set it (its default is `AllAllowed`; the newer
/// `azurerm_linux_function_app`/`azurerm_windows_function_app` default to `Disabled`).
///
/// ## Why is this bad?
/// Plain FTP sends the deployment credentials and the function's code in clear text; anyone on
/// the path can steal the credentials and replace the code that runs with the app's identity
/// (CWE-319).
///
/// ## Insecure example
/// ```hcl
/// site_config {
///   ftps_state = "AllAllowed"
/// }
/// ```
///
/// ## Secure alternative
/// ```hcl
/// site_config {
///   ftps_state = "Disabled"   # or "FtpsOnly"
/// }
/// ```
///
/// ## References
/// Microsoft Learn, "Deploy your app to Azure App Service using FTP/S: enforce FTPS";
/// OWASP Serverless Top 10 SAS-6; CWE-319.
#[derive(Debug)]
pub struct FunctionAppFtpEnabled;

static META: RuleMeta = RuleMeta {
    code: "AZ004",
    name: "function-app-ftp-enabled",
    category: Category::Tls,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "encryption: TLS 1.2+ in transit",
    cwe: &[319],
    owasp: &["SAS-6"],
    source: include_str!("function_app_ftp_enabled.rs"),
};

const HELP: &str = "set `site_config.ftps_state = \"Disabled\"` (or `\"FtpsOnly\"`) and deploy with zip deploy or run-from-package";

impl Rule for FunctionAppFtpEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for f in terraform_function_apps(app) {
            let state = block(&f.properties, "site_config").and_then(|s| s.get("ftps_state"));
            match state {
                Some(v) if v.as_str() == Some("AllAllowed") => out.push(META.finding(
                    &v.origin,
                    Some(&f.id),
                    format!("function app `{}` accepts plain FTP deployments (`ftps_state = \"AllAllowed\"`)", f.id),
                    HELP,
                )),
                None if tf_type(&f.id).starts_with("azurerm_function_app") => out.push(META.finding(
                    &f.origin,
                    Some(&f.id),
                    format!("function app `{}` accepts plain FTP deployments (`ftps_state` defaults to `AllAllowed` on `azurerm_function_app`)", f.id),
                    HELP,
                )),
                _ => {}
            }
        }
    }
}
