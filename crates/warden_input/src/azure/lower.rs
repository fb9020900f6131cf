//! One Azure Functions project into one [`App`]: each declared function becomes a
//! [`Function`] (kind `AzureFunction`), its HTTP triggers the routes of one `FunctionApp` API
//! (path `/<routePrefix>/<route>`, the function's name when the route is not given), and the
//! `local.settings.json` values the functions' environment.
//!
//! Authorization levels: `anonymous` is a route without authentication; `function` and `admin`
//! require a key shared by every caller (`api_key_required`, still `AuthKind::None`: a key is not
//! a user's identity); a level not known statically is `AuthKind::Unknown`.
//!
//! A tracked `local.settings.json` is also a resource of kind [`LOCAL_SETTINGS_KIND`] (its
//! properties are the file's object), for the rule about settings files that hold secrets.

use super::decl::{AuthLevel, FunctionDecl, join, str_node};
use super::settings::LocalSettings;
use std::collections::HashSet;
use warden_model::{
    Api, ApiKind, App, AuthKind, Format, Function, FunctionKind, Node, Resource, RoleLink, Route,
    Trigger, TriggerKind, Val,
};
use warden_source::Origin;

/// The resource kind of a tracked `local.settings.json`.
pub const LOCAL_SETTINGS_KIND: &str = "Azure::Functions::LocalSettings";

/// Everything read for one project.
#[derive(Debug, Default)]
pub struct ProjectInput {
    /// The project directory, relative to the scanned root (`""` for the root).
    pub dir: String,
    /// `host.json`'s path and its route prefix, when the project has one.
    pub host: Option<(String, Option<Node>)>,
    /// The first file that declares something, for projects without `host.json`.
    pub first_file: Option<String>,
    pub functions: Vec<FunctionDecl>,
    /// `local.settings.json` (path, contents), when present and not git-ignored.
    pub settings: Option<(String, LocalSettings)>,
    /// The `http_auth_level` of the project's Python `FunctionApp`, inherited by blueprint routes.
    pub python_app_level: Option<AuthLevel>,
}

/// Lowers one project; `root_name` names a project at the scan root (its directory's name).
pub fn lower(p: ProjectInput, root_name: &str) -> App {
    let file = match (&p.host, &p.first_file, &p.settings) {
        (Some((host, _)), _, _) => host.clone(),
        (None, Some(first), _) => first.clone(),
        (None, None, Some((settings, _))) => settings.clone(),
        (None, None, None) => join(&p.dir, "host.json"),
    };
    let mut app = App::new(file.clone(), Format::AzureFunctions);
    let app_dir = super::decl::parent_dir(&file).to_string();
    let name = match p.dir.rsplit('/').next() {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => root_name.to_string(),
    };
    let prefix_node = p.host.as_ref().and_then(|(_, prefix)| prefix.clone());
    let prefix = prefix_node
        .as_ref()
        .and_then(Node::as_str)
        .unwrap_or("api")
        .trim_matches('/')
        .to_string();
    let api_origin = p
        .functions
        .first()
        .map(|f| f.origin.clone())
        .or_else(|| p.settings.as_ref().map(|(_, s)| s.root.origin.clone()))
        .unwrap_or_else(|| Origin::new(file.clone().into(), Default::default(), ""));
    let mut api = Api {
        id: name.clone(),
        kind: ApiKind::FunctionApp,
        origin: api_origin.clone(),
        implicit: true,
        routes: Vec::new(),
        authorizers: Default::default(),
        default_authorizer: None,
        api_key_required: None,
        cors: None,
        throttling: None,
        access_log: None,
        endpoint: None,
        properties: super::decl::map_node(
            prefix_node
                .into_iter()
                .map(|p| ("routePrefix", p))
                .collect(),
            api_origin,
        ),
    };
    let environment = match &p.settings {
        Some((_, s)) if !s.encrypted => s.values.clone(),
        _ => Vec::new(),
    };
    let mut used: HashSet<String> = HashSet::new();
    let mut functions = p.functions;
    if let Some(level) = &p.python_app_level {
        for http in functions.iter_mut().flat_map(|f| f.http.iter_mut()) {
            if http.inherits_app_level {
                http.auth = level.clone();
                http.implied_by =
                    Some("the `http_auth_level` of the project's `FunctionApp`".to_string());
            }
        }
    }
    for decl in functions {
        let id = unique(&mut used, &decl.name);
        let mut triggers: Vec<Trigger> = decl
            .triggers
            .iter()
            .map(|t| Trigger {
                name: t.binding.clone(),
                kind: t.kind(),
                origin: t.origin.clone(),
                source: None,
                properties: t.properties.clone(),
            })
            .collect();
        for http in &decl.http {
            let route = http.route.clone().unwrap_or_else(|| decl.name.clone());
            let path = path_of(&prefix, &route);
            let method = if http.methods.is_empty() {
                "ANY".to_string()
            } else {
                http.methods.join(",")
            };
            let (auth, api_key_required) = match &http.auth {
                AuthLevel::Anonymous => (AuthKind::None, false),
                AuthLevel::Function | AuthLevel::Admin => (AuthKind::None, true),
                AuthLevel::Unknown(text) => (
                    AuthKind::Unknown(format!(
                        "the authorization level `{text}` is not known statically"
                    )),
                    false,
                ),
            };
            api.routes.push(Route {
                method: method.clone(),
                path: path.clone(),
                origin: http.auth_origin.clone(),
                function: Some(id.clone()),
                auth,
                authorizer: None,
                api_key_required,
            });
            let mut props = vec![("route", str_node(route, http.origin.clone()))];
            if let Some(by) = &http.implied_by {
                props.push((
                    "authLevelFrom",
                    str_node(by.clone(), http.auth_origin.clone()),
                ));
            }
            triggers.push(Trigger {
                name: format!("{name} {method} {path}"),
                kind: TriggerKind::Http,
                origin: http.origin.clone(),
                source: Some(name.clone()),
                properties: super::decl::map_node(props, http.origin.clone()),
            });
        }
        let code_uri = relative(&app_dir, &decl.code_dir);
        app.functions.push(Function {
            id,
            kind: FunctionKind::AzureFunction,
            origin: decl.origin.clone(),
            runtime: decl.runtime.map(|r| str_node(r, decl.origin.clone())),
            handler: decl.handler.clone(),
            code_uri: Some(str_node(code_uri, decl.origin.clone())),
            role: RoleLink::Missing,
            environment: environment.clone(),
            kms_key: None,
            triggers,
            url: None,
            reserved_concurrency: None,
            timeout: None,
            memory_size: None,
            tracing: None,
            layers: Vec::new(),
            dead_letter: None,
            vpc: None,
            code_signing: None,
            identity: None,
            properties: Node::new(Val::Map(Vec::new()), decl.origin.clone()),
        });
    }
    if !api.routes.is_empty() {
        app.apis.push(api);
    }
    if let Some((path, s)) = p.settings {
        app.resources.push(Resource {
            id: path,
            kind: LOCAL_SETTINGS_KIND.to_string(),
            origin: s.root.origin.clone(),
            properties: s.root,
            condition: None,
        });
    }
    app
}

/// `name`, or `name-2`, `name-3`… when taken.
fn unique(used: &mut HashSet<String>, name: &str) -> String {
    let mut id = name.to_string();
    let mut n = 1;
    while used.contains(&id) {
        n += 1;
        id = format!("{name}-{n}");
    }
    used.insert(id.clone());
    id
}

/// `/<prefix>/<route>` with single slashes.
fn path_of(prefix: &str, route: &str) -> String {
    let route = route.trim_matches('/');
    match (prefix.is_empty(), route.is_empty()) {
        (true, _) => format!("/{route}"),
        (false, true) => format!("/{prefix}"),
        (false, false) => format!("/{prefix}/{route}"),
    }
}

/// The path of directory `to` relative to directory `from` (both relative to the same root).
fn relative(from: &str, to: &str) -> String {
    let f: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let t: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; f.len() - common];
    parts.extend(&t[common..]);
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_relative_dirs() {
        assert_eq!(path_of("api", "orders/{id}"), "/api/orders/{id}");
        assert_eq!(path_of("", "/x/"), "/x");
        assert_eq!(path_of("api", ""), "/api");
        assert_eq!(relative("a/b", "a/b/F"), "F");
        assert_eq!(relative("a/b/F", "a/b/G"), "../G");
        assert_eq!(relative("", ""), ".");
        let mut used = HashSet::new();
        assert_eq!(unique(&mut used, "f"), "f");
        assert_eq!(unique(&mut used, "f"), "f-2");
    }
}
