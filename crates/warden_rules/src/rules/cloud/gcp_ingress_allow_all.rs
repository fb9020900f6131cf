//! GCP003: an HTTP Cloud Function that accepts traffic from any network.

use super::{gcp_service_config, terraform_gcp_functions};
use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags, at low severity, an HTTP-triggered Terraform Cloud Function whose `ingress_settings`
/// is `ALLOW_ALL`, explicitly or by default (gen1 at the top level, gen2 under `service_config`).
///
/// ## Why is this bad?
/// The function's URL is reachable from the whole internet. Functions called only by other
/// services in the project or VPC, or through a load balancer, should not be: `ALLOW_INTERNAL_ONLY`
/// or `ALLOW_INTERNAL_AND_GCLB` keep the endpoint off the internet even if its IAM is
/// misconfigured (SAS-6, CWE-284).
///
/// ## Insecure example
/// ```hcl
/// service_config {
///   ingress_settings = "ALLOW_ALL"
/// }
/// ```
///
/// ## Secure alternative
/// ```hcl
/// service_config {
///   ingress_settings = "ALLOW_INTERNAL_ONLY"
/// }
/// ```
///
/// ## References
/// Google Cloud Functions, "Configure network settings: ingress settings"; OWASP Serverless
/// Top 10 SAS-6; CWE-284.
#[derive(Debug)]
pub struct GcpIngressAllowAll;

static META: RuleMeta = RuleMeta {
    code: "GCP003",
    name: "gcp-ingress-allow-all",
    category: Category::Network,
    severity: Severity::Low,
    confidence: Confidence::Medium,
    practice: "API perimeter: every route authenticated",
    cwe: &[284],
    owasp: &["SAS-6"],
    source: include_str!("gcp_ingress_allow_all.rs"),
};

const HELP: &str = "set `ingress_settings` to `ALLOW_INTERNAL_ONLY` or `ALLOW_INTERNAL_AND_GCLB` unless the function must be called from the internet";

impl Rule for GcpIngressAllowAll {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for (f, gen2) in terraform_gcp_functions(app) {
            if !f.triggers.iter().any(|t| t.kind.is_http()) {
                continue;
            }
            let setting = gcp_service_config(f, gen2).and_then(|s| s.get("ingress_settings"));
            match setting {
                Some(v) if v.as_str() == Some("ALLOW_ALL") => out.push(META.finding(
                    &v.origin,
                    Some(&f.id),
                    format!("Cloud Function `{}` accepts traffic from any network (`ingress_settings = \"ALLOW_ALL\"`)", f.id),
                    HELP,
                )),
                None => out.push(META.finding(
                    &f.origin,
                    Some(&f.id),
                    format!("Cloud Function `{}` accepts traffic from any network (`ingress_settings` defaults to `ALLOW_ALL`)", f.id),
                    HELP,
                )),
                _ => {}
            }
        }
    }
}
