//! API002: a public REST API with no AWS WAF web ACL.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{StageSource, is_private, refers_to, resources, stages};
use warden_model::{Api, ApiKind, App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an edge or regional REST API (API Gateway v1) with routes that no
/// `AWS::WAFv2::WebACLAssociation` (or `AWS::WAFRegional::WebACLAssociation`) protects, either
/// directly or through one of its stages, and that no CloudFront distribution with a `WebACLId`
/// fronts. Private APIs are excluded, and so are HTTP APIs, which AWS WAF cannot protect directly.
///
/// ## Why is this bad?
/// A web ACL stops injection payloads, known bad inputs and abusive clients before they run (and
/// bill) a function; rate-based rules cap a single source. Without one, every malicious request
/// reaches the code (SAS-1, SAS-6).
///
/// ## Insecure example
/// ```yaml
/// OrdersApi:
///   Type: AWS::Serverless::Api
///   Properties: {StageName: prod}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// OrdersApiWaf:
///   Type: AWS::WAFv2::WebACLAssociation
///   Properties:
///     ResourceArn: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${OrdersApi}/stages/${OrdersApi.Stage}
///     WebACLArn: !GetAtt ApiWebAcl.Arn
/// ```
///
/// ## References
/// AWS WAF "Protecting an API Gateway REST API"; AWS Security Hub APIGateway.4;
/// OWASP Serverless Top 10 SAS-1, SAS-6; CWE-693.
#[derive(Debug)]
pub struct PublicApiWithoutWaf;

static META: RuleMeta = RuleMeta {
    code: "API002",
    name: "public-api-without-waf",
    category: Category::Waf,
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    practice: "API perimeter: a WAF on public APIs",
    cwe: &[693],
    owasp: &["SAS-1", "SAS-6"],
    source: include_str!("public_api_without_waf.rs"),
};

const HELP: &str = "associate an AWS WAF web ACL (AWS managed rule groups plus a rate-based rule) with the API stage";

fn protected(app: &App, api: &Api) -> bool {
    let mut targets = vec![api.id.clone()];
    for stage in stages(app, api) {
        if let StageSource::Stage(r) = stage {
            targets.push(r.id.clone());
        }
    }
    let associated = resources(
        app,
        &[
            "AWS::WAFv2::WebACLAssociation",
            "AWS::WAFRegional::WebACLAssociation",
        ],
    )
    .filter_map(|a| a.properties.get("ResourceArn"))
    .any(|arn| targets.iter().any(|t| refers_to(arn, t)));
    let fronted = resources(app, &["AWS::CloudFront::Distribution"]).any(|d| {
        d.properties
            .get("DistributionConfig")
            .is_some_and(|c| c.get("WebACLId").is_some() && refers_to(c, &api.id))
    });
    associated || fronted
}

impl Rule for PublicApiWithoutWaf {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for api in &app.apis {
            if api.kind != ApiKind::Rest || api.routes.is_empty() || is_private(api) {
                continue;
            }
            if protected(app, api) {
                continue;
            }
            out.push(META.finding(
                &api.origin,
                Some(&api.id),
                format!(
                    "public REST API `{}` has no AWS WAF web ACL: injection payloads and floods reach its {} route(s) unfiltered",
                    api.id,
                    api.routes.len()
                ),
                HELP,
            ));
        }
    }
}
