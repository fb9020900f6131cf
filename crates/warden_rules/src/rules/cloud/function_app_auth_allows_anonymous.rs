//! AZ005: Azure App Service authentication enabled on a function app but letting anonymous
//! requests through.

use super::{block, terraform_function_apps};
use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags a Terraform function app whose built-in authentication is turned on but does not
/// require it: `auth_settings { enabled = true, unauthenticated_client_action = "AllowAnonymous" }`
/// (also the default action when none is set), or `auth_settings_v2 { auth_enabled = true,
/// unauthenticated_action = "AllowAnonymous" }`. A function app without authentication settings is
/// not reported: its HTTP triggers are then protected by their `authLevel` (reported by AUTH002
/// and AUTH003 when the project's triggers are scanned), and Terraform alone cannot tell whether
/// the app has HTTP triggers at all.
///
/// ## Why is this bad?
/// The configuration reads as "authentication on", yet every unauthenticated request still
/// reaches the functions; only code that checks the `X-MS-CLIENT-PRINCIPAL` headers itself keeps
/// anonymous callers out, and one forgotten check exposes the function (SAS-3, CWE-306).
///
/// ## Insecure example
/// ```hcl
/// auth_settings_v2 {
///   auth_enabled           = true
///   unauthenticated_action = "AllowAnonymous"
/// }
/// ```
///
/// ## Secure alternative
/// ```hcl
/// auth_settings_v2 {
///   auth_enabled           = true
///   require_authentication = true
///   unauthenticated_action = "Return401"
/// }
/// ```
///
/// ## References
/// Microsoft Learn, "Authentication and authorization in Azure App Service and Azure
/// Functions"; OWASP Serverless Top 10 SAS-3; CWE-306.
#[derive(Debug)]
pub struct FunctionAppAuthAllowsAnonymous;

static META: RuleMeta = RuleMeta {
    code: "AZ005",
    name: "function-app-auth-allows-anonymous",
    category: Category::Auth,
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    practice: "API perimeter: every route authenticated",
    cwe: &[306],
    owasp: &["SAS-3"],
    source: include_str!("function_app_auth_allows_anonymous.rs"),
};

const HELP: &str = "require authentication (`require_authentication = true`, `unauthenticated_action = \"Return401\"` or `\"RedirectToLoginPage\"`)";

fn flag(b: &Node, enabled_key: &str, action_key: &str) -> Option<Option<Node>> {
    if b.get(enabled_key).and_then(Node::as_bool) != Some(true) {
        return None;
    }
    match b.get(action_key) {
        Some(a) if a.as_str() == Some("AllowAnonymous") => Some(Some(a.clone())),
        Some(_) => None,
        // v1 defaults to AllowAnonymous; v2 without an action depends on require_authentication.
        None if action_key == "unauthenticated_client_action" => Some(None),
        None => None,
    }
}

impl Rule for FunctionAppAuthAllowsAnonymous {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for f in terraform_function_apps(app) {
            let checks = [
                ("auth_settings", "enabled", "unauthenticated_client_action"),
                ("auth_settings_v2", "auth_enabled", "unauthenticated_action"),
            ];
            for (name, enabled, action) in checks {
                let Some(b) = block(&f.properties, name) else {
                    continue;
                };
                if name == "auth_settings_v2"
                    && b.get("require_authentication").and_then(Node::as_bool) == Some(true)
                {
                    continue;
                }
                let Some(at) = flag(b, enabled, action) else {
                    continue;
                };
                let origin = at.as_ref().map_or(&b.origin, |a| &a.origin);
                out.push(META.finding(
                    origin,
                    Some(&f.id),
                    format!(
                        "function app `{}` turns on authentication (`{name}`) but lets anonymous requests through (`{action}` is `AllowAnonymous`{})",
                        f.id,
                        if at.is_none() { ", the default" } else { "" }
                    ),
                    HELP,
                ));
            }
        }
    }
}
