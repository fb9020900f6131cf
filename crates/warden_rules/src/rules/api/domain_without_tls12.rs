//! API003: an API custom domain that accepts TLS below 1.2.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Node, Severity};
use warden_source::Origin;

/// ## What it does
/// Flags an API Gateway custom domain whose security policy allows TLS 1.0 or 1.1: an
/// `AWS::ApiGateway::DomainName` with `SecurityPolicy: TLS_1_0` or with no `SecurityPolicy` (the API
/// default for REST custom domains is `TLS_1_0`), an `AWS::ApiGatewayV2::DomainName` configuration
/// with `TLS_1_0`, and SAM `Domain` settings of `AWS::Serverless::Api`/`HttpApi` with the same.
///
/// ## Why is this bad?
/// TLS 1.0 and 1.1 are deprecated (RFC 8996): they allow downgrade attacks and weak cipher suites,
/// so tokens and personal data in requests can be exposed in transit (SAS-8).
///
/// ## Insecure example
/// ```yaml
/// ApiDomain:
///   Type: AWS::ApiGateway::DomainName
///   Properties:
///     DomainName: api.example.com
///     RegionalCertificateArn: !Ref Certificate
/// ```
///
/// ## Secure alternative
/// ```yaml
/// ApiDomain:
///   Type: AWS::ApiGateway::DomainName
///   Properties:
///     DomainName: api.example.com
///     RegionalCertificateArn: !Ref Certificate
///     SecurityPolicy: TLS_1_2
/// ```
///
/// ## References
/// Amazon API Gateway "Choose a security policy for your custom domain"; RFC 8996; AWS Security
/// Hub APIGateway.2 (TLS); OWASP Serverless Top 10 SAS-8; CWE-326.
#[derive(Debug)]
pub struct DomainWithoutTls12;

static META: RuleMeta = RuleMeta {
    code: "API003",
    name: "domain-without-tls12",
    category: Category::Tls,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "encryption: TLS 1.2+ in transit",
    cwe: &[326],
    owasp: &["SAS-8"],
    source: include_str!("domain_without_tls12.rs"),
};

const HELP: &str =
    "set `SecurityPolicy: TLS_1_2` (or a newer TLS 1.2/1.3 policy) on the custom domain";

/// True for security policy names that accept TLS 1.0 or 1.1.
fn weak(policy: &str) -> bool {
    let p = policy.to_ascii_uppercase();
    p == "TLS_1_0" || p == "TLS_1_1" || p.contains("TLS10") || p.contains("TLS11")
}

fn check_policy(
    out: &mut Vec<Finding>,
    id: &str,
    domain: &str,
    policy: Option<&Node>,
    absent_is_weak: bool,
    at: &Origin,
) {
    match policy {
        Some(p) if p.is_unknown() => out.push(META.unverified(
            &p.origin,
            Some(id),
            format!("could not verify the TLS security policy of custom domain {domain}: it depends on {p}"),
            HELP,
        )),
        Some(p) => {
            if let Some(s) = p.as_str().filter(|s| weak(s)) {
                out.push(META.finding(
                    &p.origin,
                    Some(id),
                    format!("custom domain {domain} accepts TLS 1.0 (`SecurityPolicy: {s}`)"),
                    HELP,
                ));
            }
        }
        None if absent_is_weak => out.push(META.finding(
            at,
            Some(id),
            format!("custom domain {domain} has no `SecurityPolicy`: REST custom domains default to `TLS_1_0`"),
            HELP,
        )),
        None => {}
    }
}

fn label(props: &Node) -> String {
    props
        .get("DomainName")
        .map_or_else(|| "(unnamed)".to_string(), |d| format!("`{d}`"))
}

impl Rule for DomainWithoutTls12 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for res in &app.resources {
            let p = &res.properties;
            match res.kind.as_str() {
                "AWS::ApiGateway::DomainName" => {
                    check_policy(
                        out,
                        &res.id,
                        &label(p),
                        p.get("SecurityPolicy"),
                        true,
                        &res.origin,
                    );
                }
                "AWS::ApiGatewayV2::DomainName" => {
                    for cfg in p
                        .get("DomainNameConfigurations")
                        .map(Node::items)
                        .unwrap_or_default()
                    {
                        check_policy(
                            out,
                            &res.id,
                            &label(p),
                            cfg.get("SecurityPolicy"),
                            false,
                            &cfg.origin,
                        );
                    }
                }
                "AWS::Serverless::Api" | "AWS::Serverless::HttpApi" => {
                    let Some(domain) = p.get("Domain") else {
                        continue;
                    };
                    let rest = res.kind == "AWS::Serverless::Api";
                    check_policy(
                        out,
                        &res.id,
                        &label(domain),
                        domain.get("SecurityPolicy"),
                        rest,
                        &domain.origin,
                    );
                }
                _ => {}
            }
        }
    }
}
