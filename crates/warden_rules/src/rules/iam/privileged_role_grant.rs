//! IAM009: an Azure role assignment or GCP IAM binding that makes a function's identity an owner
//! or editor of a subscription, resource group, project or organization.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Cloud, Confidence, Finding, GrantScope, Severity};

/// ## What it does
/// Flags an owner, editor or access-administrator role granted to a function's identity on a whole
/// subscription, resource group, project or organization.
///
/// The grants are Azure `azurerm_role_assignment`s whose `principal_id` is a function app's
/// managed identity, and GCP `google_project_iam_member`/`_binding` (folder and organization
/// bindings too) whose member is a function's service account. The roles:
///
/// * Azure `Owner`, `User Access Administrator`, `Role Based Access Control Administrator`
///   (critical) or `Contributor` (high) at a management group, subscription or resource group;
/// * GCP `roles/owner`, `roles/resourcemanager.projectIamAdmin`, `roles/iam.securityAdmin`
///   (critical) or `roles/editor` (high) on a project, folder or organization.
///
/// A resource-group grant is one level lower than the same grant on a subscription. This is the
/// Azure and GCP member of the over-privileged identity family (IAM001–IAM008 on AWS).
///
/// ## Why is this bad?
/// The function becomes an administrator: one injection or dependency compromise in it can
/// read and change every resource in the scope, and with the access-management roles grant
/// itself or an attacker anything (SAS-4, CWE-269).
///
/// ## Insecure example
/// ```hcl
/// resource "azurerm_role_assignment" "fn" {
///   scope                = data.azurerm_subscription.current.id
///   role_definition_name = "Owner"
///   principal_id         = azurerm_linux_function_app.api.identity[0].principal_id
/// }
/// ```
///
/// ## Secure alternative
/// ```hcl
/// resource "azurerm_role_assignment" "fn" {
///   scope                = azurerm_storage_account.orders.id
///   role_definition_name = "Storage Blob Data Reader"
///   principal_id         = azurerm_linux_function_app.api.identity[0].principal_id
/// }
/// ```
///
/// ## References
/// Microsoft Learn, "Best practices for Azure RBAC: only grant the access users need";
/// Google Cloud IAM, "Use IAM securely: avoid basic roles"; OWASP Serverless Top 10 SAS-4;
/// CWE-269.
#[derive(Debug)]
pub struct PrivilegedRoleGrant;

static META: RuleMeta = RuleMeta {
    code: "IAM009",
    name: "privileged-role-grant",
    category: Category::Iam,
    severity: Severity::Critical,
    confidence: Confidence::High,
    practice: "identity: least privilege per function, no admin-equivalent roles",
    cwe: &[269],
    owasp: &["SAS-4"],
    source: include_str!("privileged_role_grant.rs"),
};

const HELP: &str = "grant a data-plane role on the one resource the function uses (e.g. `Storage Blob Data Reader` on its storage account, `roles/datastore.user` on its database)";

/// How dangerous a role is: `Some(true)` for access-management roles, `Some(false)` for write-all.
fn privileged(cloud: Cloud, role: &str) -> Option<bool> {
    match cloud {
        Cloud::Azure => match role.to_ascii_lowercase().as_str() {
            "owner" | "user access administrator" | "role based access control administrator" => {
                Some(true)
            }
            "contributor" => Some(false),
            // Built-in role definition ids, as `role_definition_id` may give them.
            r if r.ends_with("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")
                || r.ends_with("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9") =>
            {
                Some(true)
            }
            r if r.ends_with("b24988ac-6180-42a0-ab88-20f7382dd24c") => Some(false),
            _ => None,
        },
        Cloud::Gcp => match role {
            "roles/owner" | "roles/resourcemanager.projectIamAdmin" | "roles/iam.securityAdmin" => {
                Some(true)
            }
            "roles/editor" => Some(false),
            _ => None,
        },
        Cloud::Aws => None,
    }
}

impl Rule for PrivilegedRoleGrant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for g in &app.identity_grants {
            let Some(function) = &g.function else {
                continue;
            };
            let Some(role) = g.role.as_str() else {
                continue;
            };
            let Some(admin) = privileged(g.cloud, role) else {
                continue;
            };
            let (scope, broad) = match g.scope {
                GrantScope::Organization => ("organization or management group", true),
                GrantScope::Subscription => ("subscription", true),
                GrantScope::Project => ("project", true),
                GrantScope::ResourceGroup => ("resource group", false),
                GrantScope::Resource => continue,
                GrantScope::Unknown => {
                    out.push(META.unverified(
                        &g.origin,
                        Some(function),
                        format!(
                            "could not verify the scope of `{}`, which grants `{role}` to function `{function}`'s identity",
                            g.id
                        ),
                        HELP,
                    ));
                    continue;
                }
            };
            let mut f = META.finding(
                &g.origin,
                Some(function),
                format!(
                    "`{}` grants `{role}` on a whole {scope} to function `{function}`'s identity",
                    g.id
                ),
                HELP,
            );
            f.severity = match (admin, broad) {
                (true, true) => Severity::Critical,
                (true, false) | (false, true) => Severity::High,
                (false, false) => Severity::Medium,
            };
            out.push(f);
        }
    }
}
