//! API Gateway v1 (`aws_api_gateway_rest_api`, `_resource`, `_method` with its `_integration`
//! merged, `_stage` with `_method_settings` merged, `_authorizer`, `_usage_plan`,
//! `_domain_name`, `_request_validator`, `_deployment`), v2 (`aws_apigatewayv2_api`, `_route`,
//! `_integration`, `_authorizer`, `_stage`, `_domain_name`) and WAFv2 associations (a stage ARN
//! stands for its API, as CloudFormation's `!Sub .../restapis/${Api}/stages/...` does).

use super::shape::{Props, block, blocks, policy, reference_to, renamed, target};
use super::{Cfn, Ctx, find};
use crate::terraform::TfResource;
use crate::terraform::values::str_node;
use warden_model::{Node, Val};

const V2_CORS: &[(&str, &str)] = &[
    ("allow_credentials", "AllowCredentials"),
    ("allow_headers", "AllowHeaders"),
    ("allow_methods", "AllowMethods"),
    ("allow_origins", "AllowOrigins"),
    ("expose_headers", "ExposeHeaders"),
    ("max_age", "MaxAge"),
];

pub fn convert(r: &TfResource, ctx: &Ctx<'_>, out: &mut Vec<Cfn>) {
    let b = &r.body;
    let mut p = Props::new(&r.origin);
    let kind = match r.kind.as_str() {
        "aws_api_gateway_rest_api" => {
            p.copy_all(
                b,
                &[("name", "Name"), ("api_key_source", "ApiKeySourceType")],
            );
            if let Some((k, v)) = b.entry("body") {
                p.put("Body", &k.origin, policy(v));
            }
            if let Some((k, v)) = b.entry("policy") {
                p.put("Policy", &k.origin, policy(v));
            }
            if let Some(e) = block(b, "endpoint_configuration") {
                p.put(
                    "EndpointConfiguration",
                    &e.origin,
                    renamed(
                        e,
                        &[("types", "Types"), ("vpc_endpoint_ids", "VpcEndpointIds")],
                    ),
                );
            }
            "AWS::ApiGateway::RestApi"
        }
        "aws_api_gateway_resource" => {
            p.copy_all(
                b,
                &[
                    ("rest_api_id", "RestApiId"),
                    ("parent_id", "ParentId"),
                    ("path_part", "PathPart"),
                ],
            );
            "AWS::ApiGateway::Resource"
        }
        "aws_api_gateway_method" => {
            p.copy_all(
                b,
                &[
                    ("rest_api_id", "RestApiId"),
                    ("resource_id", "ResourceId"),
                    ("http_method", "HttpMethod"),
                    ("authorization", "AuthorizationType"),
                    ("authorizer_id", "AuthorizerId"),
                    ("api_key_required", "ApiKeyRequired"),
                    ("request_validator_id", "RequestValidatorId"),
                    ("request_models", "RequestModels"),
                    ("authorization_scopes", "AuthorizationScopes"),
                ],
            );
            "AWS::ApiGateway::Method"
        }
        "aws_api_gateway_stage" => {
            p.copy_all(
                b,
                &[
                    ("rest_api_id", "RestApiId"),
                    ("stage_name", "StageName"),
                    ("deployment_id", "DeploymentId"),
                    ("xray_tracing_enabled", "TracingEnabled"),
                    ("client_certificate_id", "ClientCertificateId"),
                    ("cache_cluster_enabled", "CacheClusterEnabled"),
                ],
            );
            if let Some(l) = block(b, "access_log_settings") {
                p.put(
                    "AccessLogSetting",
                    &l.origin,
                    renamed(
                        l,
                        &[("destination_arn", "DestinationArn"), ("format", "Format")],
                    ),
                );
            }
            "AWS::ApiGateway::Stage"
        }
        "aws_api_gateway_deployment" => {
            p.copy_all(
                b,
                &[("rest_api_id", "RestApiId"), ("stage_name", "StageName")],
            );
            "AWS::ApiGateway::Deployment"
        }
        "aws_api_gateway_authorizer" => {
            p.copy_all(
                b,
                &[
                    ("rest_api_id", "RestApiId"),
                    ("name", "Name"),
                    ("authorizer_uri", "AuthorizerUri"),
                    ("provider_arns", "ProviderARNs"),
                    ("identity_source", "IdentitySource"),
                ],
            );
            match b.entry("type") {
                Some((k, v)) => p.put("Type", &k.origin, v.clone()),
                None => p.put("Type", &r.origin, str_node("TOKEN", &r.origin)),
            }
            "AWS::ApiGateway::Authorizer"
        }
        "aws_api_gateway_request_validator" => {
            p.copy_all(
                b,
                &[
                    ("rest_api_id", "RestApiId"),
                    ("name", "Name"),
                    ("validate_request_body", "ValidateRequestBody"),
                    ("validate_request_parameters", "ValidateRequestParameters"),
                ],
            );
            "AWS::ApiGateway::RequestValidator"
        }
        "aws_api_gateway_usage_plan" => {
            p.copy(b, "name", "UsagePlanName");
            for st in blocks(b, "api_stages") {
                let mut item = Props::new(&st.origin);
                item.copy_all(st, &[("api_id", "ApiId"), ("stage", "Stage")]);
                p.push_item("ApiStages", &st.origin, item.into_node());
            }
            if let Some(t) = block(b, "throttle_settings") {
                p.put(
                    "Throttle",
                    &t.origin,
                    renamed(
                        t,
                        &[("burst_limit", "BurstLimit"), ("rate_limit", "RateLimit")],
                    ),
                );
            }
            if let Some(q) = block(b, "quota_settings") {
                p.put(
                    "Quota",
                    &q.origin,
                    renamed(
                        q,
                        &[
                            ("limit", "Limit"),
                            ("offset", "Offset"),
                            ("period", "Period"),
                        ],
                    ),
                );
            }
            "AWS::ApiGateway::UsagePlan"
        }
        "aws_api_gateway_domain_name" => {
            p.copy_all(
                b,
                &[
                    ("domain_name", "DomainName"),
                    ("security_policy", "SecurityPolicy"),
                ],
            );
            "AWS::ApiGateway::DomainName"
        }
        "aws_apigatewayv2_api" => {
            p.copy_all(
                b,
                &[
                    ("name", "Name"),
                    ("protocol_type", "ProtocolType"),
                    ("target", "Target"),
                    ("route_key", "RouteKey"),
                    ("disable_execute_api_endpoint", "DisableExecuteApiEndpoint"),
                ],
            );
            if let Some((k, v)) = b.entry("body") {
                p.put("Body", &k.origin, policy(v));
            }
            if let Some(c) = block(b, "cors_configuration") {
                p.put("CorsConfiguration", &c.origin, renamed(c, V2_CORS));
            }
            "AWS::ApiGatewayV2::Api"
        }
        "aws_apigatewayv2_route" => {
            p.copy_all(
                b,
                &[
                    ("api_id", "ApiId"),
                    ("route_key", "RouteKey"),
                    ("authorization_type", "AuthorizationType"),
                    ("authorizer_id", "AuthorizerId"),
                    ("api_key_required", "ApiKeyRequired"),
                    ("target", "Target"),
                    ("authorization_scopes", "AuthorizationScopes"),
                ],
            );
            "AWS::ApiGatewayV2::Route"
        }
        "aws_apigatewayv2_integration" => {
            p.copy_all(
                b,
                &[
                    ("api_id", "ApiId"),
                    ("integration_type", "IntegrationType"),
                    ("integration_method", "IntegrationMethod"),
                    ("payload_format_version", "PayloadFormatVersion"),
                ],
            );
            if let Some((k, v)) = b.entry("integration_uri") {
                p.put(
                    "IntegrationUri",
                    &k.origin,
                    ctx.link(v, "aws_lambda_function"),
                );
            }
            "AWS::ApiGatewayV2::Integration"
        }
        "aws_apigatewayv2_authorizer" => {
            p.copy_all(
                b,
                &[
                    ("api_id", "ApiId"),
                    ("name", "Name"),
                    ("authorizer_type", "AuthorizerType"),
                    ("authorizer_uri", "AuthorizerUri"),
                    ("identity_sources", "IdentitySource"),
                ],
            );
            if let Some(j) = block(b, "jwt_configuration") {
                p.put(
                    "JwtConfiguration",
                    &j.origin,
                    renamed(j, &[("audience", "Audience"), ("issuer", "Issuer")]),
                );
            }
            "AWS::ApiGatewayV2::Authorizer"
        }
        "aws_apigatewayv2_stage" => {
            p.copy_all(
                b,
                &[
                    ("api_id", "ApiId"),
                    ("name", "StageName"),
                    ("auto_deploy", "AutoDeploy"),
                ],
            );
            if let Some(d) = block(b, "default_route_settings") {
                p.put("DefaultRouteSettings", &d.origin, route_settings(d));
            }
            if let Some(l) = block(b, "access_log_settings") {
                p.put(
                    "AccessLogSettings",
                    &l.origin,
                    renamed(
                        l,
                        &[("destination_arn", "DestinationArn"), ("format", "Format")],
                    ),
                );
            }
            "AWS::ApiGatewayV2::Stage"
        }
        "aws_apigatewayv2_domain_name" => {
            p.copy(b, "domain_name", "DomainName");
            for c in blocks(b, "domain_name_configuration") {
                let cfg = renamed(
                    c,
                    &[
                        ("security_policy", "SecurityPolicy"),
                        ("endpoint_type", "EndpointType"),
                        ("certificate_arn", "CertificateArn"),
                    ],
                );
                p.push_item("DomainNameConfigurations", &c.origin, cfg);
            }
            "AWS::ApiGatewayV2::DomainName"
        }
        "aws_wafv2_web_acl_association" => {
            p.copy(b, "web_acl_arn", "WebACLArn");
            if let Some((k, v)) = b.entry("resource_arn") {
                p.put("ResourceArn", &k.origin, stage_to_api(v, ctx));
            }
            "AWS::WAFv2::WebACLAssociation"
        }
        "aws_wafv2_web_acl" => {
            p.copy_all(b, &[("name", "Name"), ("scope", "Scope")]);
            "AWS::WAFv2::WebACL"
        }
        _ => return,
    };
    out.push(Cfn::new(r, kind, p));
}

fn route_settings(d: &Node) -> Node {
    renamed(
        d,
        &[
            ("throttling_burst_limit", "ThrottlingBurstLimit"),
            ("throttling_rate_limit", "ThrottlingRateLimit"),
            ("detailed_metrics_enabled", "DetailedMetricsEnabled"),
            ("logging_level", "LoggingLevel"),
            ("data_trace_enabled", "DataTraceEnabled"),
        ],
    )
}

/// A stage ARN as a reference to the stage's API.
fn stage_to_api(v: &Node, ctx: &Ctx<'_>) -> Node {
    let Some(stage) = ctx
        .target(v)
        .filter(|s| s.kind == "aws_api_gateway_stage" || s.kind == "aws_apigatewayv2_stage")
    else {
        return v.clone();
    };
    let api = stage
        .body
        .get("rest_api_id")
        .or_else(|| stage.body.get("api_id"));
    match api.and_then(target) {
        Some(addr) => reference_to(
            addr,
            &Node {
                val: Val::Null,
                origin: v.origin.clone(),
            },
        ),
        None => v.clone(),
    }
}

/// True when two values name the same thing: both refer to one resource, or are equal literals.
fn same(a: Option<&Node>, b: Option<&Node>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => match (target(a), target(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a.as_str().is_some() && a.as_str() == b.as_str(),
        },
        _ => false,
    }
}

pub fn merge(r: &TfResource, ctx: &Ctx<'_>, out: &mut [Cfn]) {
    let b = &r.body;
    match r.kind.as_str() {
        "aws_api_gateway_integration" => {
            // The method it belongs to: named by `http_method = aws_api_gateway_method.x.http_method`,
            // or the same API, resource and method.
            let method = target_of(b.get("http_method"))
                .filter(|m| {
                    m.starts_with("aws_api_gateway_method.")
                        || m.contains(".aws_api_gateway_method.")
                })
                .map(str::to_string)
                .or_else(|| {
                    ctx.resources
                        .iter()
                        .filter(|m| m.kind == "aws_api_gateway_method")
                        .find(|m| {
                            same(m.body.get("rest_api_id"), b.get("rest_api_id"))
                                && same(m.body.get("resource_id"), b.get("resource_id"))
                                && same(m.body.get("http_method"), b.get("http_method"))
                        })
                        .map(|m| m.address.clone())
                });
            let Some(c) = method.and_then(|m| find(out, &m)) else {
                return;
            };
            let mut i = Props::new(&r.origin);
            i.copy_all(
                b,
                &[
                    ("type", "Type"),
                    ("integration_http_method", "IntegrationHttpMethod"),
                ],
            );
            if let Some((k, v)) = b.entry("uri") {
                i.put("Uri", &k.origin, ctx.link(v, "aws_lambda_function"));
            }
            c.props.put("Integration", &r.origin, i.into_node());
        }
        "aws_api_gateway_method_settings" => {
            let stage = ctx
                .resources
                .iter()
                .filter(|s| s.kind == "aws_api_gateway_stage")
                .find(|s| {
                    target_of(b.get("stage_name")) == Some(s.address.as_str())
                        || (same(s.body.get("rest_api_id"), b.get("rest_api_id"))
                            && same(s.body.get("stage_name"), b.get("stage_name")))
                })
                .map(|s| s.address.clone());
            let Some(c) = stage.and_then(|s| find(out, &s)) else {
                return;
            };
            let Some(settings) = block(b, "settings") else {
                return;
            };
            let mut item = Props::new(&settings.origin);
            let path = b.get("method_path").and_then(Node::as_str).unwrap_or("*/*");
            let (res_path, method) = path.rsplit_once('/').unwrap_or((path, "*"));
            let res_path = if res_path == "*" {
                "/*".to_string()
            } else {
                format!("/{}", res_path.trim_start_matches('/'))
            };
            let po = b.get("method_path").map_or(&r.origin, |n| &n.origin);
            item.put("ResourcePath", po, str_node(res_path, po));
            item.put("HttpMethod", po, str_node(method, po));
            item.copy_all(
                settings,
                &[
                    ("metrics_enabled", "MetricsEnabled"),
                    ("logging_level", "LoggingLevel"),
                    ("data_trace_enabled", "DataTraceEnabled"),
                    ("throttling_burst_limit", "ThrottlingBurstLimit"),
                    ("throttling_rate_limit", "ThrottlingRateLimit"),
                    ("caching_enabled", "CachingEnabled"),
                ],
            );
            // Terraform's -1 means "no throttling set".
            item.entries
                .retain(|(k, v)| !(k.name.starts_with("Throttling") && v.as_i64() == Some(-1)));
            c.props
                .push_item("MethodSettings", &r.origin, item.into_node());
        }
        _ => {}
    }
}

fn target_of(v: Option<&Node>) -> Option<&str> {
    v.and_then(target)
}
