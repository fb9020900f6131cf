//! API008: an API that forwards requests to its backend over plain HTTP.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::resources;
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags an API Gateway HTTP integration whose backend URL is `http://`: a REST
/// `AWS::ApiGateway::Method` with `Integration.Type` `HTTP` or `HTTP_PROXY`, an
/// `AWS::ApiGatewayV2::Integration` of type `HTTP_PROXY`, and the
/// `x-amazon-apigateway-integration` of an OpenAPI operation (`DefinitionBody` of SAM APIs, `Body`
/// of `AWS::ApiGateway::RestApi` and `AWS::ApiGatewayV2::Api`). An integration through a VPC link
/// (`ConnectionType: VPC_LINK`) stays inside the VPC and is reported at low severity.
///
/// ## Why is this bad?
/// Clients reach API Gateway over TLS, but the API then re-sends the request (bodies, headers,
/// tokens it forwards) in cleartext across the internet to the backend, where anyone on the path
/// can read or change it, and the backend cannot tell API Gateway from an impostor (SAS-3,
/// CWE-319).
///
/// ## Insecure example
/// ```yaml
/// Integration:
///   Type: HTTP_PROXY
///   IntegrationHttpMethod: ANY
///   Uri: http://orders.example.net/{proxy}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Integration:
///   Type: HTTP_PROXY
///   IntegrationHttpMethod: ANY
///   Uri: https://orders.example.net/{proxy}
/// ```
///
/// ## References
/// Amazon API Gateway developer guide, "Set up HTTP integrations" and "Private integrations";
/// OWASP Serverless Top 10 SAS-3; CWE-319 (cleartext transmission of sensitive information).
#[derive(Debug)]
pub struct IntegrationOverPlainHttp;

static META: RuleMeta = RuleMeta {
    code: "API008",
    name: "integration-over-plain-http",
    category: Category::Tls,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "encryption: TLS 1.2+ in transit",
    cwe: &[319],
    owasp: &["SAS-3"],
    source: include_str!("integration_over_plain_http.rs"),
};

const HELP: &str = "point the integration at an `https://` endpoint with a valid certificate, or reach a private backend through a VPC link";

/// The integration's target when it is an `http://` URL.
fn plain_http(uri: &Node) -> Option<&str> {
    uri.as_str()
        .filter(|u| u.len() > 7 && u[..7].eq_ignore_ascii_case("http://"))
}

fn is_vpc_link(connection: Option<&Node>) -> bool {
    connection
        .and_then(Node::as_str)
        .is_some_and(|c| c.eq_ignore_ascii_case("VPC_LINK"))
}

fn report(
    out: &mut Vec<Finding>,
    uri: &Node,
    url: &str,
    resource: &str,
    vpc_link: bool,
    what: &str,
) {
    let mut f = META.finding(
        &uri.origin,
        Some(resource),
        format!(
            "{what} forwards requests to `{url}` over plain HTTP{}",
            if vpc_link {
                " inside a VPC link: traffic stays in the VPC but is not encrypted"
            } else {
                ": requests and the credentials they carry cross the network in cleartext"
            }
        ),
        HELP,
    );
    if vpc_link {
        f.severity = Severity::Low;
    }
    out.push(f);
}

/// The OpenAPI operations' `x-amazon-apigateway-integration` blocks of a definition.
fn openapi_integrations(definition: &Node) -> Vec<(String, &Node)> {
    let mut out = Vec::new();
    let Some(paths) = definition.get("paths") else {
        return out;
    };
    for (path, item) in paths.entries() {
        for (method, op) in item.entries() {
            if let Some(integration) = op.get("x-amazon-apigateway-integration") {
                out.push((
                    format!("{} {}", method.name.to_ascii_uppercase(), path.name),
                    integration,
                ));
            }
        }
    }
    out
}

impl Rule for IntegrationOverPlainHttp {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for method in resources(app, &["AWS::ApiGateway::Method"]) {
            let Some(integration) = method.properties.get("Integration") else {
                continue;
            };
            let kind = integration.get("Type").and_then(Node::as_str).unwrap_or("");
            if !matches!(kind.to_ascii_uppercase().as_str(), "HTTP" | "HTTP_PROXY") {
                continue;
            }
            if let Some(uri) = integration.get("Uri")
                && let Some(url) = plain_http(uri)
            {
                let vpc = is_vpc_link(integration.get("ConnectionType"));
                report(
                    out,
                    uri,
                    url,
                    &method.id,
                    vpc,
                    &format!("method `{}`", method.id),
                );
            }
        }
        for integration in resources(app, &["AWS::ApiGatewayV2::Integration"]) {
            let p = &integration.properties;
            let kind = p
                .get("IntegrationType")
                .and_then(Node::as_str)
                .unwrap_or("");
            if !kind.eq_ignore_ascii_case("HTTP_PROXY") && !kind.eq_ignore_ascii_case("HTTP") {
                continue;
            }
            if let Some(uri) = p.get("IntegrationUri")
                && let Some(url) = plain_http(uri)
            {
                let vpc = is_vpc_link(p.get("ConnectionType"));
                let what = format!("integration `{}`", integration.id);
                report(out, uri, url, &integration.id, vpc, &what);
            }
        }
        let bodies = [
            ("AWS::Serverless::Api", "DefinitionBody"),
            ("AWS::Serverless::HttpApi", "DefinitionBody"),
            ("AWS::ApiGateway::RestApi", "Body"),
            ("AWS::ApiGatewayV2::Api", "Body"),
        ];
        for (kind, key) in bodies {
            for api in resources(app, &[kind]) {
                let Some(definition) = api.properties.get(key) else {
                    continue;
                };
                for (operation, integration) in openapi_integrations(definition) {
                    let kind = integration.get("type").and_then(Node::as_str).unwrap_or("");
                    if !matches!(kind.to_ascii_lowercase().as_str(), "http" | "http_proxy") {
                        continue;
                    }
                    if let Some(uri) = integration.get("uri")
                        && let Some(url) = plain_http(uri)
                    {
                        let vpc = is_vpc_link(integration.get("connectionType"));
                        let what = format!("operation `{operation}` of API `{}`", api.id);
                        report(out, uri, url, &api.id, vpc, &what);
                    }
                }
            }
        }
    }
}
