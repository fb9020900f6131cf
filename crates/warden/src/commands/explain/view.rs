//! What `warden explain` says about one function, gathered from the model, the IAM engine's
//! analysis of its role and the attack paths that end at it. Serialised as is for `--format json`.
//! Environment variables appear by name only: values never leave the model.

use serde::Serialize;
use warden_iam::AccessLevel;
use warden_model::{App, AuthKind, Function, PolicySource, RoleLink, TriggerKind};
use warden_rules::attack_paths::{AttackPath, EntryKind, RiskKind};
use warden_rules::iam_view::RoleRisk;
use warden_source::{Origin, SourceMap};

/// A place in the project.
#[derive(Debug, Serialize)]
pub struct At {
    pub file: String,
    pub line: u32,
}

impl At {
    pub fn of(origin: &Origin, sources: &SourceMap) -> Self {
        let line = sources
            .get(&origin.file)
            .map_or(1, |s| s.position(origin.span.start).line);
        At {
            file: origin.file.to_string(),
            line,
        }
    }
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

#[derive(Debug, Serialize)]
pub struct Explanation {
    pub function: String,
    pub format: &'static str,
    pub at: At,
    pub runtime: Option<String>,
    pub handler: Option<String>,
    /// The identity a non-AWS function runs as (a GCP service account, an Azure managed identity).
    pub identity: Option<String>,
    pub role: Option<RoleView>,
    pub triggers: Vec<TriggerView>,
    pub routes: Vec<RouteView>,
    pub function_url: Option<UrlView>,
    /// Environment variable names (never values).
    pub environment: Vec<EnvView>,
    pub attack_paths: Vec<PathView>,
}

#[derive(Debug, Serialize)]
pub struct RoleView {
    pub id: String,
    pub at: Option<At>,
    /// True when SAM or the Serverless Framework generates the role for the function.
    pub generated: bool,
    /// The role's ARN or expression when it is declared outside the app (not analysed).
    pub external: Option<String>,
    pub policies: Vec<PolicyView>,
    pub permissions_boundary: bool,
    /// Other functions sharing the role.
    pub shared_with: Vec<String>,
    pub permissions: Option<PermissionsView>,
    /// What the role may do that makes it dangerous, reachable or not (the ends of attack paths).
    pub dangerous_grants: Vec<GrantView>,
}

#[derive(Debug, Serialize)]
pub struct GrantView {
    pub kind: RiskKind,
    pub severity: &'static str,
    /// "may read every secret in the account (secretsmanager:GetSecretValue on *)".
    pub what: String,
    pub at: Vec<At>,
}

#[derive(Debug, Serialize)]
pub struct PolicyView {
    pub name: String,
    /// `inline`, `aws-managed`, `customer-managed`, `sam-template` or `external`.
    pub source: &'static str,
    /// False when the document could not be resolved offline (not analysed).
    pub resolved: bool,
    pub at: At,
}

#[derive(Debug, Serialize)]
pub struct PermissionsView {
    pub administrator: bool,
    pub total_actions: usize,
    pub services: usize,
    /// Per service and access level; empty for an administrator (every action of every service).
    pub by_service: Vec<ServiceView>,
}

#[derive(Debug, Serialize)]
pub struct ServiceView {
    pub service: String,
    pub levels: Vec<LevelView>,
}

#[derive(Debug, Serialize)]
pub struct LevelView {
    pub level: &'static str,
    pub count: usize,
    /// How many of them are granted on every resource of their type.
    pub on_every_resource: usize,
    pub actions: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct TriggerView {
    pub name: String,
    pub kind: String,
    pub source: Option<String>,
    pub at: At,
}

#[derive(Debug, Serialize)]
pub struct RouteView {
    pub api: String,
    pub api_kind: &'static str,
    pub method: String,
    pub path: String,
    /// `none`, `iam`, `cognito`, `jwt`, `lambda` or `unknown`.
    pub auth: &'static str,
    pub authorizer: Option<String>,
    pub api_key_required: bool,
    /// Reachable by anyone on the internet (no authentication, no API key, not private).
    pub open: bool,
    pub at: At,
}

#[derive(Debug, Serialize)]
pub struct UrlView {
    pub auth_type: String,
    pub open: bool,
    pub at: At,
}

#[derive(Debug, Serialize)]
pub struct EnvView {
    pub name: String,
    pub at: At,
}

#[derive(Debug, Serialize)]
pub struct PathView {
    pub rule: &'static str,
    pub severity: &'static str,
    pub confidence: &'static str,
    pub entry: EntryKind,
    pub risk: RiskKind,
    pub message: String,
    pub steps: Vec<StepView>,
}

#[derive(Debug, Serialize)]
pub struct StepView {
    pub at: At,
    pub message: String,
}

fn trigger_kind(k: &TriggerKind) -> String {
    match k {
        TriggerKind::Other(s) => s.clone(),
        other => format!("{other:?}"),
    }
}

fn auth_name(a: &AuthKind) -> &'static str {
    match a {
        AuthKind::None => "none",
        AuthKind::Iam => "iam",
        AuthKind::Cognito => "cognito",
        AuthKind::Jwt => "jwt",
        AuthKind::Lambda => "lambda",
        AuthKind::Unknown(_) => "unknown",
    }
}

fn source_name(s: &PolicySource) -> &'static str {
    match s {
        PolicySource::Inline => "inline",
        PolicySource::AwsManaged { .. } => "aws-managed",
        PolicySource::CustomerManaged { .. } => "customer-managed",
        PolicySource::SamTemplate { .. } => "sam-template",
        PolicySource::External => "external",
    }
}

fn permissions(risk: &RoleRisk) -> PermissionsView {
    let administrator = risk
        .analysis
        .findings
        .iter()
        .any(|f| f.kind == warden_iam::FindingKind::AdminEquivalent);
    let grouped = risk.analysis.by_service();
    let by_service = if administrator {
        Vec::new()
    } else {
        grouped
            .iter()
            .map(|(service, levels)| ServiceView {
                service: service.clone(),
                levels: AccessLevel::ALL
                    .iter()
                    .filter_map(|lvl| {
                        let actions = levels.get(lvl)?;
                        let on_every_resource = actions
                            .iter()
                            .filter(|a| {
                                risk.analysis
                                    .actions
                                    .get(a)
                                    .is_some_and(|e| e.unconstrained())
                            })
                            .count();
                        Some(LevelView {
                            level: lvl.as_str(),
                            count: actions.len(),
                            on_every_resource,
                            actions: actions.clone(),
                        })
                    })
                    .collect(),
            })
            .collect()
    };
    PermissionsView {
        administrator,
        total_actions: risk.analysis.actions.len(),
        services: grouped.len(),
        by_service,
    }
}

fn role(app: &App, f: &Function, roles: &[RoleRisk], sources: &SourceMap) -> Option<RoleView> {
    match &f.role {
        RoleLink::Missing => None,
        RoleLink::External(node) => Some(RoleView {
            id: node.to_string(),
            at: Some(At::of(&node.origin, sources)),
            generated: false,
            external: Some(node.to_string()),
            policies: Vec::new(),
            permissions_boundary: false,
            shared_with: Vec::new(),
            permissions: None,
            dangerous_grants: Vec::new(),
        }),
        RoleLink::Resource(id) => {
            let declared = app.role(id);
            let analysed = roles.iter().find(|r| &r.role == id);
            let policies = declared
                .map(|r| {
                    r.policies
                        .iter()
                        .map(|p| PolicyView {
                            name: match &p.source {
                                PolicySource::AwsManaged { name }
                                | PolicySource::SamTemplate { name } => name.clone(),
                                _ => p.name.clone(),
                            },
                            source: source_name(&p.source),
                            resolved: p.document.is_some(),
                            at: At::of(&p.origin, sources),
                        })
                        .collect()
                })
                .unwrap_or_default();
            Some(RoleView {
                id: id.clone(),
                at: declared.map(|r| At::of(&r.origin, sources)),
                generated: declared.is_some_and(|r| r.generated_for.is_some()),
                external: None,
                policies,
                permissions_boundary: declared.is_some_and(|r| r.permissions_boundary.is_some()),
                shared_with: app
                    .functions
                    .iter()
                    .filter(|o| o.id != f.id && matches!(&o.role, RoleLink::Resource(r) if r == id))
                    .map(|o| o.id.clone())
                    .collect(),
                permissions: analysed.map(permissions),
                dangerous_grants: analysed
                    .map(warden_rules::attack_paths::risks)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| GrantView {
                        kind: r.kind,
                        severity: r.severity.as_str(),
                        what: r.what,
                        at: r
                            .statements
                            .iter()
                            .map(|s| At::of(&s.origin, sources))
                            .collect(),
                    })
                    .collect(),
            })
        }
    }
}

fn path_view(p: &AttackPath, sources: &SourceMap) -> PathView {
    PathView {
        rule: if p.risk.kind == RiskKind::Escalation {
            "PATH002"
        } else {
            "PATH001"
        },
        severity: p.severity().as_str(),
        confidence: p.confidence().as_str(),
        entry: p.entry.kind,
        risk: p.risk.kind,
        message: p.message(),
        steps: p
            .steps()
            .iter()
            .map(|s| StepView {
                at: At::of(&s.origin, sources),
                message: s.message.clone(),
            })
            .collect(),
    }
}

/// Everything about function `f` of `app`; `roles` and `paths` are the analyses of that app alone.
pub fn explain(
    app: &App,
    f: &Function,
    roles: &[RoleRisk],
    paths: &[AttackPath],
    sources: &SourceMap,
) -> Explanation {
    let open_routes = warden_rules::rules::support::open_routes(app, &f.id);
    let routes = app
        .apis
        .iter()
        .flat_map(|api| api.routes.iter().map(move |r| (api, r)))
        .filter(|(_, r)| r.function.as_deref() == Some(f.id.as_str()))
        .map(|(api, r)| RouteView {
            api: api.id.clone(),
            api_kind: warden_rules::rules::support::api_kind(api),
            method: r.method.clone(),
            path: r.path.clone(),
            auth: auth_name(&r.auth),
            authorizer: r.authorizer.clone(),
            api_key_required: r.api_key_required,
            open: open_routes
                .iter()
                .any(|(_, o, known)| *known && std::ptr::eq(*o, r)),
            at: At::of(&r.origin, sources),
        })
        .collect();
    Explanation {
        function: f.id.clone(),
        format: app.format.as_str(),
        at: At::of(&f.origin, sources),
        runtime: f.runtime.as_ref().map(ToString::to_string),
        handler: f.handler.as_ref().map(ToString::to_string),
        identity: f.identity.as_ref().map(ToString::to_string),
        role: role(app, f, roles, sources),
        triggers: f
            .triggers
            .iter()
            .map(|t| TriggerView {
                name: t.name.clone(),
                kind: trigger_kind(&t.kind),
                source: t.source.clone(),
                at: At::of(&t.origin, sources),
            })
            .collect(),
        routes,
        function_url: f.url.as_ref().map(|u| UrlView {
            auth_type: u.auth_type.to_string(),
            open: u.auth_type.as_str() == Some("NONE"),
            at: At::of(&u.auth_type.origin, sources),
        }),
        environment: f
            .environment
            .iter()
            .map(|e| EnvView {
                name: e.name.clone(),
                at: At::of(&e.origin, sources),
            })
            .collect(),
        attack_paths: paths
            .iter()
            .filter(|p| p.function == f.id)
            .map(|p| path_view(p, sources))
            .collect(),
    }
}
