//! The human-readable form of an [`Explanation`].

use super::view::{Explanation, PermissionsView, RoleView};
use std::fmt::Write;

/// How many action names a permission line shows before counting the rest.
const SHOWN: usize = 6;

fn role(out: &mut String, r: &RoleView) {
    let how = if r.generated {
        " (generated for the function)"
    } else {
        ""
    };
    let at = r.at.as_ref().map(|a| format!(", {a}")).unwrap_or_default();
    let _ = writeln!(out, "\nrole `{}`{how}{at}", r.id);
    if let Some(ext) = &r.external {
        let _ = writeln!(
            out,
            "  declared outside the app ({ext}): its policies cannot be read offline"
        );
        return;
    }
    if !r.shared_with.is_empty() {
        let _ = writeln!(out, "  shared with: {}", r.shared_with.join(", "));
    }
    if r.permissions_boundary {
        let _ = writeln!(out, "  permissions boundary: yes");
    }
    let _ = writeln!(out, "  policies:");
    for p in &r.policies {
        let unresolved = if p.resolved {
            ""
        } else {
            " (not resolved offline)"
        };
        let _ = writeln!(out, "    {:<16} {}{unresolved}  {}", p.source, p.name, p.at);
    }
    if let Some(perms) = &r.permissions {
        permissions(out, perms);
    }
    if !r.dangerous_grants.is_empty() {
        let _ = writeln!(out, "  dangerous grants:");
    }
    for g in &r.dangerous_grants {
        let at: Vec<String> = g.at.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "    {} {}  {}", g.severity, g.what, at.join(", "));
    }
}

fn permissions(out: &mut String, p: &PermissionsView) {
    if p.administrator {
        let _ = writeln!(
            out,
            "  effective permissions: ADMINISTRATOR, every action of every service ({} actions in {} services)",
            p.total_actions, p.services
        );
        return;
    }
    let _ = writeln!(
        out,
        "  effective permissions ({} actions in {} services; \"on *\" counts those granted on every resource):",
        p.total_actions, p.services
    );
    for s in &p.by_service {
        let _ = writeln!(out, "    {}", s.service);
        for l in &s.levels {
            let mut names: Vec<String> = l
                .actions
                .iter()
                .take(SHOWN)
                .map(|a| a.split_once(':').map_or(a.as_str(), |(_, n)| n).to_owned())
                .collect();
            if l.actions.len() > SHOWN {
                names.push(format!("… {} more", l.actions.len() - SHOWN));
            }
            let every = if l.on_every_resource > 0 {
                format!(", {} on *", l.on_every_resource)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "      {:<24} {}{every}: {}",
                l.level,
                l.count,
                names.join(", ")
            );
        }
    }
}

/// Renders the explanation for a terminal.
pub fn render(e: &Explanation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "function `{}` ({}, {})", e.function, e.format, e.at);
    if let Some(r) = &e.runtime {
        let _ = writeln!(out, "  runtime: {r}");
    }
    if let Some(h) = &e.handler {
        let _ = writeln!(out, "  handler: {h}");
    }
    if let Some(i) = &e.identity {
        let _ = writeln!(out, "  identity: {i}");
    }
    match &e.role {
        Some(r) => role(&mut out, r),
        None => {
            let _ = writeln!(out, "\nrole: none declared");
        }
    }
    let _ = writeln!(out, "\ntriggers ({}):", e.triggers.len());
    for t in &e.triggers {
        let source = t
            .source
            .as_ref()
            .map(|s| format!(" from `{s}`"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {} `{}`{source}  {}", t.kind, t.name, t.at);
    }
    let _ = writeln!(out, "\nroutes ({}):", e.routes.len());
    for r in &e.routes {
        let auth = match (&r.authorizer, r.api_key_required) {
            (Some(a), _) => format!("{} (`{a}`)", r.auth),
            (None, true) => format!("{} + API key", r.auth),
            (None, false) => r.auth.to_owned(),
        };
        let open = if r.open { "  OPEN TO ANYONE" } else { "" };
        let _ = writeln!(
            out,
            "  {} {} on {} `{}`, auth: {auth}{open}  {}",
            r.method, r.path, r.api_kind, r.api, r.at
        );
    }
    match &e.function_url {
        Some(u) => {
            let open = if u.open { "  OPEN TO ANYONE" } else { "" };
            let _ = writeln!(
                out,
                "\nfunction URL: AuthType {}{open}  {}",
                u.auth_type, u.at
            );
        }
        None => {
            let _ = writeln!(out, "\nfunction URL: none");
        }
    }
    let names: Vec<&str> = e.environment.iter().map(|v| v.name.as_str()).collect();
    let _ = writeln!(
        out,
        "\nenvironment variables (names only): {}",
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    );
    let _ = writeln!(out, "\nattack paths ({}):", e.attack_paths.len());
    for (i, p) in e.attack_paths.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. {} {} (confidence {}): {}",
            i + 1,
            p.severity,
            p.rule,
            p.confidence,
            p.message
        );
        for s in &p.steps {
            let _ = writeln!(out, "       {}  {}", s.at, s.message);
        }
    }
    if e.attack_paths.is_empty() {
        let _ = writeln!(
            out,
            "  none: no entry point anyone can reach leads to a dangerous permission of this function's role"
        );
    }
    out
}
