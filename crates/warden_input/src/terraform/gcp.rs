//! Google Cloud resources of a Terraform module lowered into the model.
//!
//! * `google_cloudfunctions_function` (1st gen) and `google_cloudfunctions2_function` (2nd gen,
//!   settings under `service_config` and `build_config`) become [`Function`]s (kind
//!   `GcpFunction`, id = the address): `environment_variables` are the environment
//!   (`secret_environment_variables` are Secret Manager references and not lowered as values),
//!   `service_account_email` the identity, `vpc_connector` the VPC; HTTP functions (gen1
//!   `trigger_http`, gen2 without `event_trigger`) get an `Http` trigger, event functions an
//!   `Other("gcp:<event type>")` one. The body stays in `properties` for the GCP rules.
//! * The invoker role (`roles/cloudfunctions.invoker`, `roles/run.invoker`) granted to `allUsers`
//!   or `allAuthenticatedUsers` through `google_cloudfunctions_function_iam_member|binding|policy`
//!   or, for 2nd gen, `google_cloud_run_service_iam_*`/`google_cloud_run_v2_service_iam_*`
//!   makes the function public: its `url` gets `auth_type` `NONE` at the member, so the rule for
//!   public function endpoints applies.
//! * `google_project_iam_member|binding` (and the folder and organization variants) granting a
//!   role to a function's service account become [`IdentityGrant`]s.

use super::{Mode, TfResource};
use warden_model::{
    App, Cloud, EnvVar, Function, FunctionKind, FunctionUrl, GrantScope, IdentityGrant, Node,
    RoleLink, Trigger, TriggerKind, Val,
};

const GEN1: &str = "google_cloudfunctions_function";
const GEN2: &str = "google_cloudfunctions2_function";
const INVOKER_ROLES: &[&str] = &["roles/cloudfunctions.invoker", "roles/run.invoker"];
const PUBLIC_MEMBERS: &[&str] = &["allUsers", "allAuthenticatedUsers"];

/// The first map of a nested block.
fn block<'a>(body: &'a Node, name: &str) -> Option<&'a Node> {
    super::azure::block(body, name)
}

/// Lowers the module's Google Cloud resources into `app`.
pub fn lower(resources: &[TfResource], app: &mut App) {
    let functions: Vec<&TfResource> = resources
        .iter()
        .filter(|r| r.mode == Mode::Managed && (r.kind == GEN1 || r.kind == GEN2))
        .collect();
    if functions.is_empty() {
        return;
    }
    for r in &functions {
        app.functions.push(function(r));
    }
    for r in resources.iter().filter(|r| r.mode == Mode::Managed) {
        let k = r.kind.as_str();
        let invoker_iam = k.starts_with("google_cloudfunctions_function_iam_")
            || k.starts_with("google_cloudfunctions2_function_iam_")
            || k.starts_with("google_cloud_run_service_iam_")
            || k.starts_with("google_cloud_run_v2_service_iam_");
        if invoker_iam {
            public_invoker(r, resources, &functions, app);
        }
        let scope = if k.starts_with("google_project_iam_") {
            GrantScope::Project
        } else if k.starts_with("google_folder_iam_") || k.starts_with("google_organization_iam_") {
            GrantScope::Organization
        } else {
            continue;
        };
        if !(k.ends_with("_member") || k.ends_with("_binding")) {
            continue;
        }
        let Some(role) = r.body.get("role") else {
            continue;
        };
        for member in members(&r.body) {
            let Some(function) = function_of_member(member, app) else {
                continue;
            };
            app.identity_grants.push(IdentityGrant {
                function: Some(function),
                id: r.address.clone(),
                origin: member.origin.clone(),
                cloud: Cloud::Gcp,
                role: role.clone(),
                scope,
                principal: member.clone(),
            });
        }
    }
}

fn function(r: &TfResource) -> Function {
    let body = &r.body;
    let gen2 = r.kind == GEN2;
    let service = if gen2 {
        block(body, "service_config")
    } else {
        Some(body)
    };
    let build = if gen2 {
        block(body, "build_config")
    } else {
        Some(body)
    };
    let environment = service
        .and_then(|s| s.get("environment_variables"))
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|(k, v)| EnvVar {
            name: k.name.clone(),
            origin: k.origin.clone(),
            value: v.clone(),
        })
        .collect();
    let mut triggers = Vec::new();
    match block(body, "event_trigger") {
        Some(event) => {
            let kind = event
                .get("event_type")
                .and_then(Node::as_str)
                .unwrap_or("event");
            triggers.push(Trigger {
                name: kind.to_string(),
                kind: TriggerKind::Other(format!("gcp:{kind}")),
                origin: event.origin.clone(),
                source: None,
                properties: event.clone(),
            });
        }
        None if gen2 || body.get("trigger_http").and_then(Node::as_bool) == Some(true) => {
            let at = body.get("trigger_http").unwrap_or(body);
            triggers.push(Trigger {
                name: "https".to_string(),
                kind: TriggerKind::Http,
                origin: if gen2 {
                    r.origin.clone()
                } else {
                    at.origin.clone()
                },
                source: None,
                properties: Node::new(Val::Map(Vec::new()), r.origin.clone()),
            });
        }
        None => {}
    }
    let source = build.and_then(|b| {
        b.get("source")
            .or_else(|| b.get("source_archive_object"))
            .or_else(|| b.get("source_repository"))
    });
    Function {
        id: r.address.clone(),
        kind: FunctionKind::GcpFunction,
        origin: r.origin.clone(),
        runtime: build.and_then(|b| b.get("runtime")).cloned(),
        handler: build.and_then(|b| b.get("entry_point")).cloned(),
        code_uri: source.cloned(),
        role: RoleLink::Missing,
        environment,
        kms_key: body.get("kms_key_name").cloned(),
        triggers,
        url: None,
        reserved_concurrency: None,
        timeout: service
            .and_then(|s| s.get("timeout_seconds").or_else(|| s.get("timeout")))
            .cloned(),
        memory_size: None,
        tracing: None,
        layers: Vec::new(),
        dead_letter: None,
        vpc: service.and_then(|s| s.get("vpc_connector")).cloned(),
        code_signing: None,
        identity: service
            .and_then(|s| s.get("service_account_email"))
            .cloned(),
        properties: body.clone(),
    }
}

/// `member` or every item of `members`.
fn members(body: &Node) -> Vec<&Node> {
    match (body.get("member"), body.get("members")) {
        (Some(m), _) => vec![m],
        (None, Some(ms)) => ms.items().iter().collect(),
        _ => Vec::new(),
    }
}

/// The function an IAM resource's target names: a reference to it (`cloud_function`, `service`,
/// `name`), or its literal `name`.
fn target_function(r: &TfResource, functions: &[&TfResource]) -> Option<String> {
    for key in ["cloud_function", "service", "name"] {
        let Some(v) = r.body.get(key) else { continue };
        if let Some(res) = v.as_unknown().and_then(|u| u.resource.as_deref())
            && let Some(f) = functions.iter().find(|f| f.address == res)
        {
            return Some(f.address.clone());
        }
        if let Some(name) = v.as_str() {
            let name = name.rsplit('/').next().unwrap_or(name);
            if let Some(f) = functions
                .iter()
                .find(|f| f.body.get("name").and_then(Node::as_str) == Some(name))
            {
                return Some(f.address.clone());
            }
        }
    }
    None
}

/// Invoker bindings to everyone make the function's endpoint public.
fn public_invoker(
    r: &TfResource,
    resources: &[TfResource],
    functions: &[&TfResource],
    app: &mut App,
) {
    let Some(function) = target_function(r, functions) else {
        return;
    };
    // (role, member) pairs: a member/binding, or the bindings of the policy's data source.
    let mut pairs: Vec<(&Node, &Node)> = Vec::new();
    if let Some(role) = r.body.get("role") {
        pairs.extend(members(&r.body).into_iter().map(|m| (role, m)));
    } else if let Some(policy) = r.body.get("policy_data")
        && let Some(addr) = policy.as_unknown().and_then(|u| u.resource.as_deref())
        && let Some(data) = resources
            .iter()
            .find(|d| d.mode == Mode::Data && d.address == addr)
    {
        for binding in data
            .body
            .get("binding")
            .map(Node::one_or_many)
            .unwrap_or_default()
        {
            if let Some(role) = binding.get("role") {
                pairs.extend(members(binding).into_iter().map(|m| (role, m)));
            }
        }
    }
    let public = pairs.into_iter().find(|(role, member)| {
        role.as_str().is_some_and(|r| INVOKER_ROLES.contains(&r))
            && member.as_str().is_some_and(|m| PUBLIC_MEMBERS.contains(&m))
    });
    let Some((_, member)) = public else { return };
    if let Some(f) = app.functions.iter_mut().find(|f| f.id == function)
        && f.url.is_none()
    {
        f.url = Some(FunctionUrl {
            origin: member.origin.clone(),
            auth_type: Node::new(Val::Str("NONE".into()), member.origin.clone()),
            cors: None,
        });
    }
}

/// The function whose service account an IAM member (`serviceAccount:<email>`) names.
fn function_of_member(member: &Node, app: &App) -> Option<String> {
    let member_res = member.as_unknown().and_then(|u| u.resource.as_deref());
    let literal = member
        .as_str()
        .and_then(|m| m.strip_prefix("serviceAccount:"));
    app.functions
        .iter()
        .filter(|f| f.kind == FunctionKind::GcpFunction)
        .find(|f| {
            let Some(sa) = &f.identity else { return false };
            match (&sa.val, member_res, literal) {
                (Val::Unknown(u), Some(res), _) => u.resource.as_deref() == Some(res),
                (Val::Str(email), _, Some(lit)) => email == lit,
                _ => false,
            }
        })
        .map(|f| f.id.clone())
}

#[cfg(test)]
mod tests {
    use super::super::azure::evaluate_files;
    use super::*;
    use warden_model::Format;

    const MAIN: &str = r#"
resource "google_service_account" "fn" {
  account_id = "orders-fn"
}

resource "google_cloudfunctions_function" "v1" {
  name                         = "orders-v1"
  runtime                      = "python311"
  entry_point                  = "handler"
  trigger_http                 = true
  https_trigger_security_level = "SECURE_OPTIONAL"
  environment_variables = {
    API_TOKEN = "ghp_not_a_real_token_0123456789abcdef0123"
  }
}

resource "google_cloudfunctions_function_iam_member" "public" {
  cloud_function = google_cloudfunctions_function.v1.name
  role           = "roles/cloudfunctions.invoker"
  member         = "allUsers"
}

resource "google_cloudfunctions2_function" "v2" {
  name = "orders-v2"
  build_config {
    runtime     = "nodejs20"
    entry_point = "handler"
  }
  service_config {
    service_account_email = google_service_account.fn.email
    ingress_settings      = "ALLOW_ALL"
  }
}

resource "google_cloud_run_service_iam_member" "v2_public" {
  service = google_cloudfunctions2_function.v2.name
  role    = "roles/run.invoker"
  member  = "allAuthenticatedUsers"
}

resource "google_cloudfunctions2_function" "events" {
  name = "orders-events"
  event_trigger {
    event_type = "google.cloud.pubsub.topic.v1.messagePublished"
  }
}

data "google_iam_policy" "open" {
  binding {
    role    = "roles/cloudfunctions.invoker"
    members = ["user:a@example.com", "allUsers"]
  }
}

resource "google_cloudfunctions_function" "v1b" {
  name         = "orders-v1b"
  trigger_http = true
}

resource "google_cloudfunctions_function_iam_policy" "v1b" {
  cloud_function = google_cloudfunctions_function.v1b.name
  policy_data    = data.google_iam_policy.open.policy_data
}

resource "google_project_iam_member" "fn_editor" {
  project = "p"
  role    = "roles/editor"
  member  = "serviceAccount:${google_service_account.fn.email}"
}
"#;

    #[test]
    fn functions_public_invokers_and_project_grants() {
        let (resources, errors) = evaluate_files(&[("main.tf", MAIN)]);
        assert!(errors.is_empty(), "{errors:?}");
        let mut app = App::new("main.tf", Format::Terraform);
        lower(&resources, &mut app);
        assert_eq!(app.functions.len(), 4);
        let v1b = app.function("google_cloudfunctions_function.v1b").unwrap();
        assert!(
            v1b.url.is_some(),
            "public through a google_iam_policy data source"
        );
        let v1 = app.function("google_cloudfunctions_function.v1").unwrap();
        assert_eq!(v1.kind, FunctionKind::GcpFunction);
        assert_eq!(v1.environment[0].name, "API_TOKEN");
        assert_eq!(v1.triggers[0].kind, TriggerKind::Http);
        assert_eq!(
            v1.url.as_ref().and_then(|u| u.auth_type.as_str()),
            Some("NONE")
        );
        assert!(v1.identity.is_none());
        let v2 = app.function("google_cloudfunctions2_function.v2").unwrap();
        assert!(v2.url.is_some());
        assert_eq!(v2.triggers[0].kind, TriggerKind::Http);
        assert_eq!(v2.handler.as_ref().and_then(Node::as_str), Some("handler"));
        let events = app
            .function("google_cloudfunctions2_function.events")
            .unwrap();
        assert!(events.url.is_none());
        assert!(matches!(events.triggers[0].kind, TriggerKind::Other(_)));
        assert_eq!(app.identity_grants.len(), 1);
        let g = &app.identity_grants[0];
        assert_eq!(
            g.function.as_deref(),
            Some("google_cloudfunctions2_function.v2")
        );
        assert_eq!(g.scope, GrantScope::Project);
        assert_eq!(g.role.as_str(), Some("roles/editor"));
    }
}
