//! Azure resources of a Terraform module lowered into the model.
//!
//! * `azurerm_linux_function_app`, `azurerm_windows_function_app`, their `_slot`s and the legacy
//!   `azurerm_function_app` become [`Function`]s (kind `AzureFunction`, id = the address):
//!   `app_settings`, `connection_string` blocks and a literal `storage_account_access_key` are the
//!   environment, a Key Vault reference `@Microsoft.KeyVault(…)` being an unknown secret
//!   reference; the `identity` block is the function's identity; the whole body stays in `properties` for the Azure rules (HTTPS only,
//!   TLS, FTPS, authentication settings, network access). `site_config.cors` becomes the CORS of a
//!   route-less `FunctionApp` API, so the CORS rule reads it (App Service CORS lets an allowed
//!   origin use every method and header: `AllowMethods`/`AllowHeaders` are `*`).
//! * `azurerm_function_app_function` (a function of an app, its `function.json` as
//!   `config_json`): HTTP triggers become routes of the app's `FunctionApp` API, so an
//!   `authLevel = "anonymous"` is an unauthenticated route like in a project's `function.json`.
//! * `azurerm_role_assignment` whose `principal_id` refers to a function app's identity (system
//!   assigned, `…identity[0].principal_id`, or a user-assigned identity listed in its
//!   `identity_ids`) becomes an [`IdentityGrant`] with its scope classified (management group,
//!   subscription, resource group, resource).
//! * Key Vault access policies (`azurerm_key_vault_access_policy`, `access_policy` blocks of
//!   `azurerm_key_vault`) become resources of kind [`KEY_VAULT_POLICY_KIND`] whose properties are
//!   the policy plus `function` (the function whose identity `object_id` names, when one does).

use super::{Mode, TfResource};
use warden_model::{
    Api, ApiKind, App, AuthKind, Cloud, EnvVar, Function, FunctionKind, GrantScope, IdentityGrant,
    Key, Node, Resource, RoleLink, Route, Trigger, TriggerKind, Unknown, Val,
};

/// Function app resource types.
pub const FUNCTION_APP_TYPES: &[&str] = &[
    "azurerm_linux_function_app",
    "azurerm_windows_function_app",
    "azurerm_linux_function_app_slot",
    "azurerm_windows_function_app_slot",
    "azurerm_function_app",
    "azurerm_function_app_slot",
];

/// The resource kind of one Key Vault access policy granted in the module.
pub const KEY_VAULT_POLICY_KIND: &str = "azurerm_key_vault_access_policy";

/// The first map of a nested block (blocks that may repeat are lists of maps).
pub fn block<'a>(body: &'a Node, name: &str) -> Option<&'a Node> {
    let b = body.get(name)?;
    match &b.val {
        Val::List(items) => items.first().filter(|n| n.is_map()),
        Val::Map(_) => Some(b),
        _ => None,
    }
}

/// Lowers the module's Azure resources into `app`.
pub fn lower(resources: &[TfResource], app: &mut App) {
    let managed: Vec<&TfResource> = resources
        .iter()
        .filter(|r| r.mode == Mode::Managed && r.kind.starts_with("azurerm_"))
        .collect();
    let apps: Vec<&TfResource> = managed
        .iter()
        .copied()
        .filter(|r| FUNCTION_APP_TYPES.contains(&r.kind.as_str()))
        .collect();
    for r in &apps {
        app.functions.push(function(r));
        if let Some(api) = cors_api(r) {
            app.apis.push(api);
        }
    }
    for r in managed
        .iter()
        .filter(|r| r.kind == "azurerm_function_app_function")
    {
        app_function(r, &apps, app);
    }
    for r in &managed {
        match r.kind.as_str() {
            "azurerm_role_assignment" => {
                if let Some(grant) = role_assignment(r, &apps, resources) {
                    app.identity_grants.push(grant);
                }
            }
            "azurerm_key_vault_access_policy" => {
                app.resources
                    .push(key_vault_policy(r, &r.body, &apps, r.address.clone()));
            }
            "azurerm_key_vault" => {
                let policies = r.body.get("access_policy").map(Node::one_or_many);
                for (i, p) in policies.unwrap_or_default().into_iter().enumerate() {
                    if p.is_map() {
                        let id = format!("{}.access_policy[{i}]", r.address);
                        app.resources.push(key_vault_policy(r, p, &apps, id));
                    }
                }
            }
            _ => {}
        }
    }
}

/// `azurerm_function_app_function`: one function of an app, its `function.json` given as
/// `config_json`. Its HTTP triggers become routes of the app's `FunctionApp` API (`/api/<route>`),
/// invoking the app's [`Function`].
fn app_function(r: &TfResource, apps: &[&TfResource], app: &mut App) {
    let Some(owner) = r
        .body
        .get("function_app_id")
        .and_then(Node::as_unknown)
        .and_then(|u| u.resource.as_deref())
        .and_then(|res| apps.iter().find(|a| a.address == res))
        .map(|a| a.address.clone())
    else {
        return;
    };
    let Some(config) = r.body.get("config_json") else {
        return;
    };
    let config = match config.as_str() {
        Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(j) => super::values::json_to_node(&j, &config.origin),
            Err(_) => return,
        },
        None => config.clone(),
    };
    let name = r
        .body
        .get("name")
        .and_then(Node::as_str)
        .unwrap_or(&r.name)
        .to_string();
    let mut routes = Vec::new();
    for binding in config.get("bindings").map(Node::items).unwrap_or_default() {
        let is_http = binding
            .get("type")
            .and_then(Node::as_str)
            .is_some_and(|t| t.eq_ignore_ascii_case("httpTrigger"));
        if !is_http {
            continue;
        }
        let level = binding.get("authLevel");
        let (auth, api_key_required) = match level.map(|l| l.as_str()) {
            None => (AuthKind::None, true),
            Some(Some(l)) if l.eq_ignore_ascii_case("anonymous") => (AuthKind::None, false),
            Some(Some(l))
                if l.eq_ignore_ascii_case("function") || l.eq_ignore_ascii_case("admin") =>
            {
                (AuthKind::None, true)
            }
            Some(_) => (
                AuthKind::Unknown("the authorization level is not known statically".into()),
                false,
            ),
        };
        let route = binding
            .get("route")
            .and_then(Node::as_str)
            .unwrap_or(&name)
            .trim_matches('/')
            .to_string();
        let methods: Vec<String> = binding
            .get("methods")
            .map(|m| {
                m.items()
                    .iter()
                    .filter_map(Node::as_str)
                    .map(str::to_ascii_uppercase)
                    .collect()
            })
            .unwrap_or_default();
        routes.push(Route {
            method: if methods.is_empty() {
                "ANY".into()
            } else {
                methods.join(",")
            },
            path: format!("/api/{route}"),
            origin: level.map_or_else(|| binding.origin.clone(), |l| l.origin.clone()),
            function: Some(owner.clone()),
            auth,
            authorizer: None,
            api_key_required,
        });
    }
    if routes.is_empty() {
        return;
    }
    if let Some(f) = app.functions.iter_mut().find(|f| f.id == owner) {
        for route in &routes {
            f.triggers.push(Trigger {
                name: format!("{name} {} {}", route.method, route.path),
                kind: TriggerKind::Http,
                origin: route.origin.clone(),
                source: Some(owner.clone()),
                properties: Node::new(Val::Map(Vec::new()), r.origin.clone()),
            });
        }
    }
    match app.apis.iter_mut().find(|a| a.id == owner) {
        Some(api) => api.routes.extend(routes),
        None => app.apis.push(Api {
            id: owner.clone(),
            kind: ApiKind::FunctionApp,
            origin: r.origin.clone(),
            implicit: true,
            routes,
            authorizers: Default::default(),
            default_authorizer: None,
            api_key_required: None,
            cors: None,
            throttling: None,
            access_log: None,
            endpoint: None,
            properties: Node::new(Val::Map(Vec::new()), r.origin.clone()),
        }),
    }
}

fn function(r: &TfResource) -> Function {
    let body = &r.body;
    let mut environment = Vec::new();
    for (key, value) in body
        .get("app_settings")
        .map(Node::entries)
        .unwrap_or_default()
    {
        environment.push(EnvVar {
            name: key.name.clone(),
            origin: key.origin.clone(),
            value: key_vault_reference(value),
        });
    }
    for cs in body
        .get("connection_string")
        .map(Node::one_or_many)
        .unwrap_or_default()
    {
        if let (Some(name), Some(value)) = (cs.get("name").and_then(Node::as_str), cs.get("value"))
        {
            environment.push(EnvVar {
                name: name.to_string(),
                origin: cs.origin.clone(),
                value: key_vault_reference(value),
            });
        }
    }
    // The storage key the app's `AzureWebJobsStorage` setting is built from, when written as a
    // literal (a reference to the storage account is not plaintext).
    if let Some((k, v)) = body.entry("storage_account_access_key")
        && v.as_str().is_some()
    {
        environment.push(EnvVar {
            name: k.name.clone(),
            origin: k.origin.clone(),
            value: v.clone(),
        });
    }
    let runtime = block(body, "site_config")
        .and_then(|s| block(s, "application_stack"))
        .cloned();
    Function {
        id: r.address.clone(),
        kind: FunctionKind::AzureFunction,
        origin: r.origin.clone(),
        runtime,
        handler: None,
        code_uri: None,
        role: RoleLink::Missing,
        environment,
        kms_key: None,
        triggers: Vec::new(),
        url: None,
        reserved_concurrency: None,
        timeout: None,
        memory_size: None,
        tracing: None,
        layers: Vec::new(),
        dead_letter: None,
        vpc: body.get("virtual_network_subnet_id").cloned(),
        code_signing: None,
        identity: block(body, "identity").cloned(),
        properties: body.clone(),
    }
}

/// A Key Vault reference (`@Microsoft.KeyVault(SecretUri=…)`) is a secret held elsewhere.
fn key_vault_reference(value: &Node) -> Node {
    match value.as_str() {
        Some(s) if s.trim_start().starts_with("@Microsoft.KeyVault(") => Node::unknown(
            Unknown::new(
                s.to_string(),
                "an Azure Key Vault reference, resolved at run time",
            )
            .secret_reference(),
            value.origin.clone(),
        ),
        _ => value.clone(),
    }
}

/// `site_config.cors` as the CORS configuration of a route-less API (keys as the CORS rule reads
/// them: `AllowOrigins`, `AllowCredentials`).
fn cors_api(r: &TfResource) -> Option<Api> {
    let cors = block(&r.body, "site_config").and_then(|s| block(s, "cors"))?;
    let mut entries = Vec::new();
    if let Some((k, v)) = cors.entry("allowed_origins") {
        entries.push((
            Key {
                name: "AllowOrigins".into(),
                origin: k.origin.clone(),
            },
            v.clone(),
        ));
    }
    // App Service CORS has no method or header lists: an allowed origin may send any method and
    // any header (`Authorization` included).
    if let Some((k, _)) = cors.entry("allowed_origins") {
        for name in ["AllowMethods", "AllowHeaders"] {
            entries.push((
                Key {
                    name: name.into(),
                    origin: k.origin.clone(),
                },
                Node::new(Val::Str("*".into()), k.origin.clone()),
            ));
        }
    }
    if let Some((k, v)) = cors.entry("support_credentials") {
        entries.push((
            Key {
                name: "AllowCredentials".into(),
                origin: k.origin.clone(),
            },
            v.clone(),
        ));
    }
    Some(Api {
        id: r.address.clone(),
        kind: ApiKind::FunctionApp,
        origin: r.origin.clone(),
        implicit: false,
        routes: Vec::new(),
        authorizers: Default::default(),
        default_authorizer: None,
        api_key_required: None,
        cors: Some(Node::new(Val::Map(entries), cors.origin.clone())),
        throttling: None,
        access_log: None,
        endpoint: None,
        properties: cors.clone(),
    })
}

/// The function app whose identity `principal` names: `<app>.identity[0].principal_id`, or a
/// user-assigned identity (`azurerm_user_assigned_identity.x.principal_id`) that the app lists in
/// `identity.identity_ids`.
fn function_of_principal(principal: &Node, apps: &[&TfResource]) -> Option<String> {
    let u = principal.as_unknown()?;
    let target = u.resource.as_deref()?;
    if let Some(a) = apps.iter().find(|a| a.address == target) {
        return Some(a.address.clone());
    }
    if !target.contains("azurerm_user_assigned_identity.") {
        return None;
    }
    apps.iter()
        .find(|a| {
            block(&a.body, "identity")
                .and_then(|i| i.get("identity_ids"))
                .is_some_and(|ids| {
                    ids.items().iter().any(|id| {
                        id.as_unknown()
                            .is_some_and(|u| u.resource.as_deref() == Some(target))
                    })
                })
        })
        .map(|a| a.address.clone())
}

fn role_assignment(
    r: &TfResource,
    apps: &[&TfResource],
    resources: &[TfResource],
) -> Option<IdentityGrant> {
    let principal = r.body.get("principal_id")?;
    let role = r
        .body
        .get("role_definition_name")
        .or_else(|| r.body.get("role_definition_id"))?;
    // `data.azurerm_role_definition.x.id`: the data source names the role.
    let role = role
        .as_unknown()
        .and_then(|u| u.resource.as_deref())
        .and_then(|res| {
            resources.iter().find(|d| {
                d.mode == Mode::Data && d.address == res && d.kind == "azurerm_role_definition"
            })
        })
        .and_then(|d| d.body.get("name"))
        .filter(|n| n.as_str().is_some())
        .unwrap_or(role);
    let scope = r.body.get("scope").map_or(GrantScope::Unknown, scope_of);
    Some(IdentityGrant {
        function: function_of_principal(principal, apps),
        id: r.address.clone(),
        origin: role.origin.clone(),
        cloud: Cloud::Azure,
        role: role.clone(),
        scope,
        principal: principal.clone(),
    })
}

/// Classifies an Azure scope: an ARM id as written (or partially known), or a reference to the
/// resource or data source it is the id of.
pub fn scope_of(scope: &Node) -> GrantScope {
    let text = match &scope.val {
        Val::Str(s) => s.clone(),
        Val::Unknown(u) => {
            if let Some(p) = &u.partial {
                p.clone()
            } else {
                let res = u.resource.as_deref().unwrap_or("");
                let kind = res
                    .split('.')
                    .find(|s| s.starts_with("azurerm_"))
                    .unwrap_or("");
                return match kind {
                    "azurerm_subscription" => GrantScope::Subscription,
                    "azurerm_resource_group" => GrantScope::ResourceGroup,
                    "azurerm_management_group" => GrantScope::Organization,
                    "" => GrantScope::Unknown,
                    _ => GrantScope::Resource,
                };
            }
        }
        _ => return GrantScope::Unknown,
    };
    let segments: Vec<&str> = text.split('/').filter(|s| !s.is_empty()).collect();
    let lower: Vec<String> = segments.iter().map(|s| s.to_ascii_lowercase()).collect();
    match lower
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["providers", "microsoft.management", "managementgroups", _] => GrantScope::Organization,
        ["subscriptions", _] => GrantScope::Subscription,
        ["subscriptions", _, "resourcegroups", _] => GrantScope::ResourceGroup,
        ["subscriptions", _, "resourcegroups", _, "providers", ..] => GrantScope::Resource,
        _ => GrantScope::Unknown,
    }
}

fn key_vault_policy(r: &TfResource, policy: &Node, apps: &[&TfResource], id: String) -> Resource {
    let mut props = policy.clone();
    if let (Val::Map(entries), Some(f)) = (
        &mut props.val,
        policy
            .get("object_id")
            .and_then(|o| function_of_principal(o, apps)),
    ) {
        entries.push((
            Key {
                name: "function".into(),
                origin: policy.origin.clone(),
            },
            Node::new(Val::Str(f), policy.origin.clone()),
        ));
    }
    Resource {
        id,
        kind: KEY_VAULT_POLICY_KIND.to_string(),
        origin: if r.kind == KEY_VAULT_POLICY_KIND {
            r.origin.clone()
        } else {
            policy.origin.clone()
        },
        properties: props,
        condition: None,
    }
}

/// Evaluates `.tf` files written in a temporary directory (for this module's and `gcp`'s tests).
#[cfg(test)]
pub(crate) fn evaluate_files(
    files: &[(&str, &str)],
) -> (Vec<TfResource>, Vec<warden_model::ScanError>) {
    use crate::classify;
    use crate::discover::{self, DiscoverOptions};
    use std::path::Path;
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        std::fs::write(dir.path().join(rel), text).unwrap();
    }
    let (found, _) = discover::discover(dir.path(), &DiscoverOptions::default()).unwrap();
    let classified: Vec<_> = found
        .into_iter()
        .map(|f| {
            let head = std::fs::read(&f.path).unwrap();
            let kind = classify::classify(Path::new(&f.rel), &head);
            (f, kind)
        })
        .collect();
    let mut out = crate::grouped::GroupLoad::default();
    let roots = super::evaluate(
        dir.path(),
        &classified,
        &crate::project::LoadOptions::default(),
        &mut out,
    );
    (
        roots.into_iter().flat_map(|r| r.resources).collect(),
        out.errors,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_model::Format;

    const MAIN: &str = r#"
data "azurerm_subscription" "current" {}

resource "azurerm_resource_group" "rg" {
  name     = "orders"
  location = "westeurope"
}

resource "azurerm_user_assigned_identity" "worker" {
  name                = "worker"
  resource_group_name = azurerm_resource_group.rg.name
  location            = "westeurope"
}

resource "azurerm_linux_function_app" "api" {
  name                = "orders-api"
  resource_group_name = azurerm_resource_group.rg.name
  location            = "westeurope"
  https_only          = false
  app_settings = {
    DB_PASSWORD = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)"
    STRIPE_KEY  = "sk_live_not_a_real_key"
  }
  identity {
    type = "SystemAssigned"
  }
  site_config {
    minimum_tls_version = "1.0"
    cors {
      allowed_origins = ["*"]
    }
    application_stack {
      python_version = "3.11"
    }
  }
}

resource "azurerm_windows_function_app" "worker" {
  name = "orders-worker"
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.worker.id]
  }
  site_config {}
}

resource "azurerm_function_app_function" "hook" {
  name            = "hook"
  function_app_id = azurerm_linux_function_app.api.id
  language        = "Python"
  config_json = jsonencode({
    bindings = [
      { authLevel = "anonymous", type = "httpTrigger", direction = "in", name = "req", methods = ["post"], route = "hooks/{id}" },
      { type = "http", direction = "out", name = "$return" },
    ]
  })
}

resource "azurerm_role_assignment" "api_owner" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Owner"
  principal_id         = azurerm_linux_function_app.api.identity[0].principal_id
}

resource "azurerm_role_assignment" "worker_contrib" {
  scope                = azurerm_resource_group.rg.id
  role_definition_name = "Contributor"
  principal_id         = azurerm_user_assigned_identity.worker.principal_id
}

data "azurerm_role_definition" "uaa" {
  name = "User Access Administrator"
}

resource "azurerm_role_assignment" "api_uaa" {
  scope              = "/subscriptions/0000/resourceGroups/orders"
  role_definition_id = data.azurerm_role_definition.uaa.id
  principal_id       = azurerm_linux_function_app.api.identity[0].principal_id
}

resource "azurerm_role_assignment" "someone" {
  scope                = "/subscriptions/0000/resourceGroups/orders/providers/Microsoft.Storage/storageAccounts/s"
  role_definition_name = "Reader"
  principal_id         = "11111111-2222-3333-4444-555555555555"
}

resource "azurerm_key_vault_access_policy" "api" {
  key_vault_id       = "/subscriptions/0000/resourceGroups/orders/providers/Microsoft.KeyVault/vaults/kv"
  tenant_id          = "t"
  object_id          = azurerm_linux_function_app.api.identity[0].principal_id
  secret_permissions = ["Get", "List", "Set", "Delete", "Purge"]
}
"#;

    #[test]
    fn function_apps_grants_and_policies() {
        let (resources, errors) = evaluate_files(&[("main.tf", MAIN)]);
        assert!(errors.is_empty(), "{errors:?}");
        let mut app = App::new("main.tf", Format::Terraform);
        lower(&resources, &mut app);
        assert_eq!(app.functions.len(), 2);
        let api = app.function("azurerm_linux_function_app.api").unwrap();
        assert_eq!(api.kind, FunctionKind::AzureFunction);
        let db = api
            .environment
            .iter()
            .find(|e| e.name == "DB_PASSWORD")
            .unwrap();
        assert!(db.value.as_unknown().unwrap().external_secret);
        let stripe = api
            .environment
            .iter()
            .find(|e| e.name == "STRIPE_KEY")
            .unwrap();
        assert_eq!(stripe.value.as_str(), Some("sk_live_not_a_real_key"));
        assert_eq!(
            api.identity
                .as_ref()
                .and_then(|i| i.get("type"))
                .and_then(Node::as_str),
            Some("SystemAssigned")
        );
        assert_eq!(
            block(&api.properties, "site_config")
                .and_then(|s| s.get("minimum_tls_version"))
                .and_then(Node::as_str),
            Some("1.0")
        );
        // CORS as an API the CORS rule reads, with the app function's route.
        let cors = app.apis[0].cors.as_ref().unwrap();
        let route = &app.apis[0].routes[0];
        assert_eq!(
            (route.method.as_str(), route.path.as_str()),
            ("POST", "/api/hooks/{id}")
        );
        assert_eq!(route.auth, AuthKind::None);
        assert!(!route.api_key_required);
        assert!(api.triggers.iter().any(|t| t.kind == TriggerKind::Http));
        assert_eq!(
            cors.get("AllowOrigins").unwrap().items()[0].as_str(),
            Some("*")
        );

        let grant = |id: &str| app.identity_grants.iter().find(|g| g.id == id).unwrap();
        let owner = grant("azurerm_role_assignment.api_owner");
        assert_eq!(
            owner.function.as_deref(),
            Some("azurerm_linux_function_app.api")
        );
        assert_eq!(owner.scope, GrantScope::Subscription);
        assert_eq!(owner.role.as_str(), Some("Owner"));
        let contrib = grant("azurerm_role_assignment.worker_contrib");
        assert_eq!(
            contrib.function.as_deref(),
            Some("azurerm_windows_function_app.worker")
        );
        assert_eq!(contrib.scope, GrantScope::ResourceGroup);
        let uaa = grant("azurerm_role_assignment.api_uaa");
        assert_eq!(uaa.role.as_str(), Some("User Access Administrator"));
        assert_eq!(uaa.scope, GrantScope::ResourceGroup);
        let other = grant("azurerm_role_assignment.someone");
        assert_eq!(other.function, None);
        assert_eq!(other.scope, GrantScope::Resource);

        let policy = app.resource("azurerm_key_vault_access_policy.api").unwrap();
        assert_eq!(
            policy.properties.get("function").and_then(Node::as_str),
            Some("azurerm_linux_function_app.api")
        );
    }

    #[test]
    fn scopes_as_written() {
        let o = warden_source::Origin::new("m.tf".into(), Default::default(), "");
        let s = |t: &str| scope_of(&Node::new(Val::Str(t.into()), o.clone()));
        assert_eq!(s("/subscriptions/abc"), GrantScope::Subscription);
        assert_eq!(
            s("/subscriptions/abc/resourceGroups/rg"),
            GrantScope::ResourceGroup
        );
        assert_eq!(
            s("/providers/Microsoft.Management/managementGroups/root"),
            GrantScope::Organization
        );
        assert_eq!(s("nonsense"), GrantScope::Unknown);
    }
}
