//! CODE007: attacker-controlled event data chooses an outbound request's URL.

use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_code::IssueKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a handler where attacker-controlled event data chooses the URL (scheme and host) of an
/// outbound request: `fetch`, `axios`, `got`, `http(s).get/request`, `requests.*`, `httpx.*`,
/// `urllib.request.urlopen`. A URL whose scheme and host are fixed by a constant prefix
/// (`https://api.example.com/users/${id}`) is not flagged. Severity follows the trigger's
/// exposure.
///
/// ## Why is this bad?
/// The function fetches what the attacker names: the instance metadata and credentials endpoint,
/// internal services in its VPC, or other accounts' resources its role may reach (SAS-1, CWE-918).
///
/// ## Insecure example
/// ```js
/// exports.handler = async (event) => fetch(event.queryStringParameters.url);
/// ```
///
/// ## Secure alternative
/// ```js
/// const HOSTS = ['api.example.com'];
/// exports.handler = async (event) => {
///   const url = new URL(event.queryStringParameters.url);
///   if (!HOSTS.includes(url.hostname)) return { statusCode: 400 };
///   return fetch(url);
/// };
/// ```
///
/// ## References
/// OWASP Serverless Top 10 SAS-1; CWE-918 (server-side request forgery); OWASP SSRF prevention
/// cheat sheet.
#[derive(Debug)]
pub struct ServerSideRequestForgery;

static META: RuleMeta = RuleMeta {
    code: "CODE007",
    name: "server-side-request-forgery",
    category: Category::Injection,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "code: no untrusted event data choosing an outbound URL",
    cwe: &[918],
    owasp: &["SAS-1"],
    source: include_str!("server_side_request_forgery.rs"),
};

const HELP: &str = "fix the scheme and host in code and let input choose only path segments, or check the host against an allow-list";

impl Rule for ServerSideRequestForgery {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        super::report(facts, IssueKind::Ssrf, &META, HELP, out);
    }
}
