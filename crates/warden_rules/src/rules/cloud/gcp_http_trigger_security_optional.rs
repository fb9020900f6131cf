//! GCP002: a 1st gen Cloud Function whose HTTP trigger accepts plain HTTP.

use super::terraform_gcp_functions;
use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags a `google_cloudfunctions_function` with `trigger_http = true` whose
/// `https_trigger_security_level` is `SECURE_OPTIONAL`: requests over plain HTTP are served instead
/// of redirected to HTTPS. (2nd gen functions always use HTTPS.)
///
/// ## Why is this bad?
/// Requests, bearer tokens and responses to the plain-HTTP URL cross the network in clear text
/// and can be read or altered on the way (CWE-319).
///
/// ## Insecure example
/// ```hcl
/// resource "google_cloudfunctions_function" "fn" {
///   trigger_http                 = true
///   https_trigger_security_level = "SECURE_OPTIONAL"
/// }
/// ```
///
/// ## Secure alternative
/// ```hcl
/// resource "google_cloudfunctions_function" "fn" {
///   trigger_http                 = true
///   https_trigger_security_level = "SECURE_ALWAYS"
/// }
/// ```
///
/// ## References
/// Google Cloud Functions (1st gen), "HTTP triggers: security levels"; OWASP Serverless Top 10
/// SAS-6; CWE-319.
#[derive(Debug)]
pub struct GcpHttpTriggerSecurityOptional;

static META: RuleMeta = RuleMeta {
    code: "GCP002",
    name: "gcp-http-trigger-security-optional",
    category: Category::Tls,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "encryption: TLS 1.2+ in transit",
    cwe: &[319],
    owasp: &["SAS-6"],
    source: include_str!("gcp_http_trigger_security_optional.rs"),
};

const HELP: &str = "set `https_trigger_security_level = \"SECURE_ALWAYS\"`";

impl Rule for GcpHttpTriggerSecurityOptional {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for (f, gen2) in terraform_gcp_functions(app) {
            if gen2 || f.properties.get("trigger_http").and_then(Node::as_bool) != Some(true) {
                continue;
            }
            if let Some(level) = f.properties.get("https_trigger_security_level")
                && level.as_str() == Some("SECURE_OPTIONAL")
            {
                out.push(META.finding(
                    &level.origin,
                    Some(&f.id),
                    format!("Cloud Function `{}` serves its HTTP trigger over plain HTTP too (`SECURE_OPTIONAL`)", f.id),
                    HELP,
                ));
            }
        }
    }
}
