//! Rules for practices specific to Azure and Google Cloud, which have no AWS equivalent (the
//! cloud-neutral practices are the AWS rules, applied to every cloud's model), and helpers over
//! the Terraform bodies the Azure and GCP lowerings keep in `Function.properties`.

pub mod function_app_auth_allows_anonymous;
pub mod function_app_ftp_enabled;
pub mod function_app_https_not_enforced;
pub mod function_app_public_network_access;
pub mod function_app_weak_tls;
pub mod gcp_default_service_account;
pub mod gcp_http_trigger_security_optional;
pub mod gcp_ingress_allow_all;
pub mod key_vault_secret_management_for_function;
pub mod local_settings_secret_not_ignored;

use warden_model::{App, Format, Function, FunctionKind, Node, Val};

/// The resource type in a Terraform address (`module.m.azurerm_function_app.x[0]` →
/// `azurerm_function_app`).
pub fn tf_type(address: &str) -> &str {
    address
        .split('.')
        .find(|s| s.starts_with("azurerm_") || s.starts_with("google_"))
        .unwrap_or("")
}

/// The first map of a nested Terraform block (repeatable blocks are lists of maps).
pub fn block<'a>(body: &'a Node, name: &str) -> Option<&'a Node> {
    let b = body.get(name)?;
    match &b.val {
        Val::List(items) => items.first().filter(|n| n.is_map()),
        Val::Map(_) => Some(b),
        _ => None,
    }
}

/// Function apps declared in Terraform (their `properties` are the resource bodies).
pub fn terraform_function_apps(app: &App) -> impl Iterator<Item = &Function> {
    let tf = app.format == Format::Terraform;
    app.functions
        .iter()
        .filter(move |f| tf && f.kind == FunctionKind::AzureFunction)
}

/// Cloud Functions declared in Terraform, with whether each is 2nd gen.
pub fn terraform_gcp_functions(app: &App) -> impl Iterator<Item = (&Function, bool)> {
    let tf = app.format == Format::Terraform;
    app.functions
        .iter()
        .filter(move |f| tf && f.kind == FunctionKind::GcpFunction)
        .map(|f| (f, tf_type(&f.id) == "google_cloudfunctions2_function"))
}

/// The settings of a Cloud Function that gen2 keeps under `service_config`.
pub fn gcp_service_config(f: &Function, gen2: bool) -> Option<&Node> {
    if gen2 {
        block(&f.properties, "service_config")
    } else {
        Some(&f.properties)
    }
}

/// True when the function app behind a `FunctionApp` API (declared in Terraform) requires App
/// Service authentication for every request: `auth_settings_v2` with `auth_enabled` and
/// `require_authentication` (or an `unauthenticated_action` other than `AllowAnonymous`), or
/// `auth_settings` enabled with an `unauthenticated_client_action` other than `AllowAnonymous`.
/// Its HTTP triggers are then not reachable anonymously, whatever their `authLevel`.
pub fn app_service_auth_required(app: &App, api_id: &str) -> bool {
    let Some(f) = terraform_function_apps(app).find(|f| f.id == api_id) else {
        return false;
    };
    let is_true = |n: Option<&Node>| n.and_then(Node::as_bool) == Some(true);
    let not_anonymous = |n: Option<&Node>| {
        n.and_then(Node::as_str)
            .is_some_and(|a| !a.eq_ignore_ascii_case("AllowAnonymous"))
    };
    let v2 = block(&f.properties, "auth_settings_v2").is_some_and(|b| {
        is_true(b.get("auth_enabled"))
            && (is_true(b.get("require_authentication"))
                || not_anonymous(b.get("unauthenticated_action")))
    });
    let v1 = block(&f.properties, "auth_settings").is_some_and(|b| {
        is_true(b.get("enabled")) && not_anonymous(b.get("unauthenticated_client_action"))
    });
    v1 || v2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_from_addresses() {
        assert_eq!(tf_type("azurerm_function_app.x"), "azurerm_function_app");
        assert_eq!(
            tf_type("module.m.google_cloudfunctions2_function.f[\"a\"]"),
            "google_cloudfunctions2_function"
        );
        assert_eq!(tf_type("aws_lambda_function.f"), "");
    }
}
