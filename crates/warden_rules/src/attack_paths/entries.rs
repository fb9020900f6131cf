//! Entry points anyone can reach: unauthenticated API routes, function URLs with `AuthType: NONE`,
//! event sources anyone can write to, and Lambda permissions for `*` or for a service principal
//! without a source limit. Each names the function it reaches.

use crate::rules::support::{open_routes, public_writers};
use warden_model::{App, Function, Node, Permission, Related, Val};
use warden_source::Origin;

/// How the entry is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    /// An API route without authentication.
    Route,
    /// A function URL with `AuthType: NONE`.
    FunctionUrl,
    /// A bucket, topic or queue anyone can write to, which triggers the function.
    PublicEventSource,
    /// A Lambda permission for `Principal: "*"` without a source, account or organization limit.
    AnyPrincipal,
    /// A Lambda permission for a service principal without `SourceArn`/`SourceAccount`: any
    /// account's resources of that service may invoke the function.
    ServiceWithoutSource,
}

/// One way in.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: EntryKind,
    /// The function reached (logical id).
    pub function: String,
    /// The primary location: the route, the URL's `AuthType`, the policy statement, the permission.
    pub origin: Origin,
    /// "anyone on the internet can call `GET /orders` on REST API `OrdersApi`, which invokes
    /// `OrderFn`".
    pub story: String,
    /// The entry's own steps, in order.
    pub steps: Vec<Related>,
    /// Why a step could not be verified (the entry may be open), when it could not.
    pub unverified: Option<String>,
}

fn step(origin: &Origin, message: String) -> Related {
    Related {
        origin: origin.clone(),
        message,
    }
}

fn present(v: Option<&Node>) -> bool {
    v.is_some_and(|n| !matches!(n.val, Val::Null))
}

fn is_service(principal: &str) -> bool {
    principal.ends_with(".amazonaws.com") || principal.ends_with(".amazonaws.com.cn")
}

/// The open routes of `f`, one entry per API: the API is the way in, its routes are steps.
fn routes(app: &App, f: &Function, out: &mut Vec<Entry>) {
    let open = open_routes(app, &f.id);
    let mut apis: Vec<&str> = open.iter().map(|(api, _, _)| api.id.as_str()).collect();
    apis.dedup();
    for api_id in apis {
        // The same route may be declared twice (an OpenAPI body and a function event).
        let mut group: Vec<_> = open.iter().filter(|(a, _, _)| a.id == api_id).collect();
        let mut seen: Vec<(String, &str)> = Vec::new();
        group.retain(|(_, r, _)| {
            let key = (r.method.to_ascii_uppercase(), r.path.as_str());
            let new = !seen.contains(&key);
            seen.push(key);
            new
        });
        let Some((api, first, _)) = group.first() else {
            continue;
        };
        let kind = crate::rules::support::api_kind(api);
        let more = match group.len() {
            1 => String::new(),
            2 => " (and 1 more route)".to_owned(),
            n => format!(" (and {} more routes)", n - 1),
        };
        let what = format!(
            "`{} {}`{more} on {kind} `{}`",
            first.method, first.path, api.id
        );
        // The entry is verified when one route is surely open.
        let unverified = if group.iter().any(|(_, _, known)| *known) {
            None
        } else {
            group.iter().find_map(|(_, r, _)| match &r.auth {
                warden_model::AuthKind::Unknown(why) => Some(why.clone()),
                _ => None,
            })
        };
        let story = if unverified.is_some() {
            format!(
                "{what} may be open to anyone (its authentication could not be verified), and it invokes `{}`",
                f.id
            )
        } else {
            format!(
                "anyone on the internet can call {what}, which invokes `{}`",
                f.id
            )
        };
        let origin = group
            .iter()
            .find(|(_, _, known)| *known || unverified.is_some())
            .map_or_else(|| first.origin.clone(), |(_, r, _)| r.origin.clone());
        out.push(Entry {
            kind: EntryKind::Route,
            function: f.id.clone(),
            origin,
            story,
            steps: group
                .iter()
                .map(|(_, r, known)| {
                    let how = if *known {
                        "has no authentication"
                    } else {
                        "has authentication that could not be verified"
                    };
                    step(
                        &r.origin,
                        format!(
                            "entry: `{} {}` on {kind} `{}` {how}",
                            r.method, r.path, api.id
                        ),
                    )
                })
                .collect(),
            unverified,
        });
    }
}

fn url(f: &Function, out: &mut Vec<Entry>) {
    let Some(url) = &f.url else { return };
    let at = &url.auth_type.origin;
    let unverified = match url.auth_type.as_str() {
        Some("NONE") => None,
        None if url.auth_type.is_unknown() => {
            Some(format!("`AuthType` depends on {}", url.auth_type))
        }
        _ => return,
    };
    let story = if unverified.is_some() {
        format!(
            "the function URL of `{}` may be open to anyone (its `AuthType` could not be verified)",
            f.id
        )
    } else {
        format!(
            "anyone on the internet can call the function URL of `{}` (`AuthType: NONE`)",
            f.id
        )
    };
    out.push(Entry {
        kind: EntryKind::FunctionUrl,
        function: f.id.clone(),
        origin: at.clone(),
        story,
        steps: vec![step(
            at,
            format!(
                "entry: the function URL of `{}` has no authentication",
                f.id
            ),
        )],
        unverified,
    });
}

fn event_sources(app: &App, f: &Function, out: &mut Vec<Entry>) {
    for t in &f.triggers {
        let Some(source) = t.source.as_deref() else {
            continue;
        };
        for (at, why) in public_writers(app, t) {
            out.push(Entry {
                kind: EntryKind::PublicEventSource,
                function: f.id.clone(),
                origin: at.origin.clone(),
                story: format!(
                    "anyone can write to `{source}` ({why}), which triggers `{}`",
                    f.id
                ),
                steps: vec![
                    step(
                        &at.origin,
                        format!("entry: anyone can write to `{source}` ({why})"),
                    ),
                    step(&t.origin, format!("`{source}` triggers `{}` here", f.id)),
                ],
                unverified: None,
            });
        }
    }
}

fn permission(p: &Permission, f: &Function, out: &mut Vec<Entry>) {
    let Some(principal) = p.principal.as_str() else {
        return;
    };
    let at = &p.principal.origin;
    if principal == "*" {
        if present(p.source_arn.as_ref())
            || present(p.source_account.as_ref())
            || present(p.principal_org_id.as_ref())
        {
            return;
        }
        // The permission half of a public function URL: the URL entry tells that story.
        if p.action.as_str() == Some("lambda:InvokeFunctionUrl") {
            return;
        }
        out.push(Entry {
            kind: EntryKind::AnyPrincipal,
            function: f.id.clone(),
            origin: at.clone(),
            story: format!(
                "any AWS account can invoke `{}` (permission `{}` allows `Principal: \"*\"` with no source, account or organization limit)",
                f.id, p.id
            ),
            steps: vec![step(at, format!("entry: permission `{}` lets any AWS account invoke `{}`", p.id, f.id))],
            unverified: None,
        });
    } else if is_service(principal)
        && !present(p.source_arn.as_ref())
        && !present(p.source_account.as_ref())
        && !present(p.principal_org_id.as_ref())
    {
        out.push(Entry {
            kind: EntryKind::ServiceWithoutSource,
            function: f.id.clone(),
            origin: at.clone(),
            story: format!(
                "any AWS account's `{principal}` resources can invoke `{}` (permission `{}` has no `SourceArn` or `SourceAccount`)",
                f.id, p.id
            ),
            steps: vec![step(
                at,
                format!("entry: permission `{}` lets `{principal}` invoke `{}` for any account", p.id, f.id),
            )],
            unverified: None,
        });
    }
}

impl EntryKind {
    /// The rule that reports the entry on its own.
    pub fn rule(self) -> &'static str {
        match self {
            EntryKind::Route => "AUTH002",
            EntryKind::FunctionUrl => "AUTH001",
            EntryKind::PublicEventSource => "EVT003",
            EntryKind::AnyPrincipal => "EVT002",
            EntryKind::ServiceWithoutSource => "EVT001",
        }
    }
}

/// True when the entry's own finding is suppressed in resource metadata (on the function or on
/// the resource that opens it): a reviewer has accepted the entry as intentionally public, e.g. a
/// webhook that verifies a signature in code.
fn accepted(app: &App, e: &Entry) -> bool {
    let opener = e
        .origin
        .path
        .strip_prefix("/Resources/")
        .and_then(|p| p.split('/').next());
    app.suppressions.iter().any(|s| {
        (s.resource == e.function || Some(s.resource.as_str()) == opener)
            && e.kind
                .rule()
                .starts_with(s.rule.to_ascii_uppercase().as_str())
            && !s.rule.is_empty()
    })
}

/// Every entry point of every Lambda function of `app`, in function order. Entries whose own
/// finding is suppressed in metadata are left out.
pub fn entries(app: &App) -> Vec<Entry> {
    let mut out = all_entries(app);
    out.retain(|e| !accepted(app, e));
    out
}

fn all_entries(app: &App) -> Vec<Entry> {
    let mut out = Vec::new();
    for f in app.functions.iter().filter(|f| f.kind.is_lambda()) {
        routes(app, f, &mut out);
        url(f, &mut out);
        event_sources(app, f, &mut out);
        for p in app
            .permissions
            .iter()
            .filter(|p| p.function.as_deref() == Some(f.id.as_str()))
        {
            permission(p, f, &mut out);
        }
    }
    out
}
