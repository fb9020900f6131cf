//! API004: a CORS configuration that lets any website make credentialed or authorized calls.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Node, Severity, Val};
use warden_source::Origin;

/// ## What it does
/// Flags CORS settings of APIs (SAM `Cors`, HTTP API `CorsConfiguration`) and function URLs
/// (`Cors`) that allow every origin (`*`) together with credentials (`AllowCredentials: true`) or
/// with the `Authorization` header, and, at low severity, every origin together with every method.
///
/// ## Why is this bad?
/// CORS is what keeps other websites' scripts from calling the API in a user's name. With `*`
/// origins and credentials or the `Authorization` header allowed, any page a user visits can send
/// authenticated requests and read the responses (SAS-3).
///
/// ## Insecure example
/// ```yaml
/// CorsConfiguration:
///   AllowOrigins: ["*"]
///   AllowHeaders: [Authorization, Content-Type]
///   AllowMethods: ["*"]
/// ```
///
/// ## Secure alternative
/// ```yaml
/// CorsConfiguration:
///   AllowOrigins: ["https://app.example.com"]
///   AllowHeaders: [Authorization, Content-Type]
///   AllowMethods: [GET, POST]
/// ```
///
/// ## References
/// Amazon API Gateway "CORS for REST APIs" and "Configuring CORS for an HTTP API"; OWASP
/// "CORS origin header scrutiny"; OWASP Serverless Top 10 SAS-3; CWE-942.
#[derive(Debug)]
pub struct PermissiveCors;

static META: RuleMeta = RuleMeta {
    code: "API004",
    name: "permissive-cors",
    category: Category::Cors,
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    practice: "API perimeter: strict CORS",
    cwe: &[942],
    owasp: &["SAS-3"],
    source: include_str!("permissive_cors.rs"),
};

const HELP: &str = "list the exact origins of your front ends in `AllowOrigin(s)` and only the methods the API serves";

/// The items of a CORS value: a list, or a SAM string such as `"'GET,POST'"`.
fn items(node: Option<&Node>) -> Vec<String> {
    let Some(node) = node else { return Vec::new() };
    let mut out = Vec::new();
    for n in node.one_or_many() {
        if let Some(s) = n.as_str() {
            out.extend(
                s.trim_matches('\'')
                    .split(',')
                    .map(|x| x.trim().trim_matches('\'').to_ascii_lowercase())
                    .filter(|x| !x.is_empty()),
            );
        }
    }
    out
}

fn first(node: &Node, keys: &[&str]) -> Option<Node> {
    keys.iter().find_map(|k| node.get(k)).cloned()
}

fn check(out: &mut Vec<Finding>, subject: &str, id: &str, cors: &Node) {
    // SAM `Cors: "'*'"` is the origin alone; `CorsConfiguration: true` allows every origin.
    let (origins, creds, headers, methods) = match &cors.val {
        Val::Str(_) => (items(Some(cors)), false, Vec::new(), Vec::new()),
        Val::Bool(true) => (vec!["*".to_string()], false, Vec::new(), Vec::new()),
        Val::Map(_) => (
            items(first(cors, &["AllowOrigin", "AllowOrigins"]).as_ref()),
            first(cors, &["AllowCredentials"]).and_then(|n| {
                n.as_bool()
                    .or_else(|| n.as_str().map(|s| s.trim_matches('\'') == "true"))
            }) == Some(true),
            items(first(cors, &["AllowHeaders"]).as_ref()),
            items(first(cors, &["AllowMethods"]).as_ref()),
        ),
        _ => return,
    };
    if !origins.iter().any(|o| o == "*") {
        return;
    }
    let at: Origin = ["AllowOrigin", "AllowOrigins"]
        .iter()
        .find_map(|k| cors.get(k))
        .map_or_else(|| cors.origin.clone(), |n| n.origin.clone());
    let risk = if creds {
        Some("with credentials")
    } else if headers.iter().any(|h| h == "authorization" || h == "*") {
        Some("with the `Authorization` header")
    } else {
        None
    };
    if let Some(risk) = risk {
        out.push(META.finding(
            &at,
            Some(id),
            format!("{subject} allows cross-origin requests from any website {risk}: any page can call it in a signed-in user's name"),
            HELP,
        ));
    } else if methods.iter().any(|m| m == "*") {
        let mut f = META.finding(
            &at,
            Some(id),
            format!("{subject} allows every method from any origin (`*`)"),
            HELP,
        );
        f.severity = Severity::Low;
        out.push(f);
    }
}

impl Rule for PermissiveCors {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for api in &app.apis {
            if let Some(cors) = &api.cors {
                check(out, &format!("API `{}`", api.id), &api.id, cors);
            }
        }
        for f in &app.functions {
            if let Some(cors) = f.url.as_ref().and_then(|u| u.cors.as_ref()) {
                check(out, &format!("the function URL of `{}`", f.id), &f.id, cors);
            }
        }
    }
}
