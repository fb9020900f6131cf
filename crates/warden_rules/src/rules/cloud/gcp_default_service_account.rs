//! GCP001: a Cloud Function that runs as a default service account.

use super::{gcp_service_config, terraform_gcp_functions};
use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a Terraform Cloud Function (1st or 2nd gen) that runs as a default service account:
/// no `service_account_email`, or a default one.
///
/// The defaults are the Compute Engine account `PROJECT_NUMBER-compute@developer.gserviceaccount.com`
/// and the App Engine account `PROJECT_ID@appspot.gserviceaccount.com`, written as is or read
/// from `data.google_compute_default_service_account`.
///
/// ## Why is this bad?
/// The default service accounts are shared by every function, VM and App Engine service of the
/// project and, unless the organization policy prevents it, hold the project-wide Editor role:
/// one compromised function can then read and change almost everything in the project (SAS-4,
/// CWE-250).
///
/// ## Insecure example
/// ```hcl
/// resource "google_cloudfunctions2_function" "fn" {
///   service_config {}
/// }
/// ```
///
/// ## Secure alternative
/// ```hcl
/// resource "google_service_account" "fn" { account_id = "orders-fn" }
/// resource "google_cloudfunctions2_function" "fn" {
///   service_config {
///     service_account_email = google_service_account.fn.email
///   }
/// }
/// ```
///
/// ## References
/// Google Cloud, "Function identity" and "Service accounts best practices: avoid default
/// service accounts"; OWASP Serverless Top 10 SAS-4; CWE-250.
#[derive(Debug)]
pub struct GcpDefaultServiceAccount;

static META: RuleMeta = RuleMeta {
    code: "GCP001",
    name: "gcp-default-service-account",
    category: Category::Iam,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "identity: least privilege per function",
    cwe: &[250],
    owasp: &["SAS-4"],
    source: include_str!("gcp_default_service_account.rs"),
};

const HELP: &str = "create a dedicated service account with only the roles the function needs and set `service_account_email`";

/// True for the Compute Engine and App Engine default service accounts.
pub fn is_default_account(email: &str) -> bool {
    email.ends_with("-compute@developer.gserviceaccount.com")
        || email.ends_with("@appspot.gserviceaccount.com")
}

impl Rule for GcpDefaultServiceAccount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for (f, gen2) in terraform_gcp_functions(app) {
            let default_data_source = f.identity.as_ref().is_some_and(|sa| {
                sa.as_unknown()
                    .and_then(|u| u.resource.as_deref())
                    .is_some_and(|r| r.contains("data.google_compute_default_service_account."))
            });
            match &f.identity {
                Some(sa) if default_data_source => out.push(META.finding(
                    &sa.origin,
                    Some(&f.id),
                    format!("Cloud Function `{}` runs as the Compute Engine default service account (`{sa}`)", f.id),
                    HELP,
                )),
                Some(sa) if sa.as_str().is_some_and(is_default_account) => out.push(META.finding(
                    &sa.origin,
                    Some(&f.id),
                    format!(
                        "Cloud Function `{}` runs as the default service account `{sa}`",
                        f.id
                    ),
                    HELP,
                )),
                Some(_) => {}
                None => {
                    let at = gcp_service_config(f, gen2)
                        .map_or(&f.origin, |s| if gen2 { &s.origin } else { &f.origin });
                    out.push(META.finding(
                        at,
                        Some(&f.id),
                        format!(
                            "Cloud Function `{}` sets no `service_account_email`: it runs as the project's default service account",
                            f.id
                        ),
                        HELP,
                    ));
                }
            }
        }
    }
}
