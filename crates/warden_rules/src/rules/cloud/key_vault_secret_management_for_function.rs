//! AZ007: a Key Vault access policy that lets a function's identity change or delete secrets.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::resources;
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags a Key Vault access policy (`azurerm_key_vault_access_policy`, or an `access_policy`
/// block of `azurerm_key_vault`) whose `object_id` is a function app's managed identity and whose
/// `secret_permissions` go beyond reading (`Get`, `List`): `Set`, `Delete`, `Purge`, `Backup`,
/// `Restore`, `Recover`. Medium when the identity may delete or purge secrets, low otherwise.
///
/// ## Why is this bad?
/// A function reads its secrets; it rarely writes them. With write or delete rights, one
/// injection in the function can replace a secret other services trust, or destroy it (purge
/// defeats soft delete) (SAS-4, CWE-269).
///
/// ## Insecure example
/// ```hcl
/// resource "azurerm_key_vault_access_policy" "fn" {
///   object_id          = azurerm_linux_function_app.api.identity[0].principal_id
///   secret_permissions = ["Get", "List", "Set", "Delete", "Purge"]
/// }
/// ```
///
/// ## Secure alternative
/// ```hcl
/// resource "azurerm_key_vault_access_policy" "fn" {
///   object_id          = azurerm_linux_function_app.api.identity[0].principal_id
///   secret_permissions = ["Get"]
/// }
/// ```
///
/// ## References
/// Microsoft Learn, "Assign a Key Vault access policy" and "Best practices for using Key Vault";
/// OWASP Serverless Top 10 SAS-4 (over-privileged functions); CWE-269.
#[derive(Debug)]
pub struct KeyVaultSecretManagementForFunction;

static META: RuleMeta = RuleMeta {
    code: "AZ007",
    name: "key-vault-secret-management-for-function",
    category: Category::Iam,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "identity: least privilege per function",
    cwe: &[269],
    owasp: &["SAS-4"],
    source: include_str!("key_vault_secret_management_for_function.rs"),
};

const HELP: &str = "grant the function's identity `Get` (and `List` only if it enumerates secrets); manage secrets from a deployment identity";

const WRITE: &[&str] = &[
    "set", "delete", "purge", "backup", "restore", "recover", "all",
];
const DESTROY: &[&str] = &["delete", "purge", "all"];

impl Rule for KeyVaultSecretManagementForFunction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for res in resources(app, &["azurerm_key_vault_access_policy"]) {
            let p = &res.properties;
            let Some(function) = p.get("function").and_then(Node::as_str) else {
                continue;
            };
            let Some(perms) = p.get("secret_permissions") else {
                continue;
            };
            let granted: Vec<String> = perms
                .items()
                .iter()
                .filter_map(Node::as_str)
                .filter(|s| WRITE.contains(&s.to_ascii_lowercase().as_str()))
                .map(str::to_string)
                .collect();
            if granted.is_empty() {
                continue;
            }
            let destroy = granted
                .iter()
                .any(|g| DESTROY.contains(&g.to_ascii_lowercase().as_str()));
            let mut f = META.finding(
                &perms.origin,
                Some(function),
                format!(
                    "Key Vault access policy `{}` lets function `{function}`'s identity {} secrets ({})",
                    res.id,
                    if destroy { "change and destroy" } else { "change" },
                    granted.join(", ")
                ),
                HELP,
            );
            if !destroy {
                f.severity = Severity::Low;
            }
            out.push(f);
        }
    }
}
