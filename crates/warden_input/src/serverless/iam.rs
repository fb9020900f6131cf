//! Execution roles, as the framework deploys them:
//!
//! * one role for the service (`IamRoleLambdaExecution`) shared by every function without a role
//!   of its own, holding the framework's log statements, `provider.iam.role.statements` and
//!   legacy `provider.iamRoleStatements`, `managedPolicies` / legacy `iamManagedPolicies`, the
//!   queue and stream polling statements of its functions' `sqs`/`stream` events, X-Ray when
//!   tracing is on and the VPC access policy when a VPC is set;
//! * `provider.iam.role` (or legacy `provider.role`) given as an ARN, a logical id or an
//!   intrinsic: every function without its own `role` runs as that role and nothing is generated;
//! * a function's `role`: that role;
//! * a function's `iamRoleStatements` (the per-function-roles plugin convention): a role of its
//!   own, `<Function>IamRoleLambdaExecution`, inheriting the provider's statements and managed
//!   policies only with `iamRoleStatementsInherit` (or the plugin's `defaultInherit`).

use super::events::{event_arn, stream_kind};
use super::naming;
use super::service::{
    Service, json_node, list_node, map_node, partial_node, referenced, str_node, truthy,
};
use crate::refdata::managed_policies;
use std::collections::HashMap;
use warden_model::{AttachedPolicy, Key, Node, PolicySource, Role, RoleLink, TriggerKind, Val};
use warden_source::Origin;

/// Roles to add to the app and the role of each function.
pub struct RolePlan {
    pub roles: Vec<Role>,
    pub links: HashMap<String, RoleLink>,
}

/// Managed policy documents declared in `resources` (`AWS::IAM::ManagedPolicy`), by logical id.
pub type ManagedDocs = HashMap<String, Node>;

/// A role reference: a logical id of a role in `resources`, else external.
fn role_link(svc: &Service<'_>, role: &Node) -> RoleLink {
    match referenced(role, |id| svc.type_of(id) == Some("AWS::IAM::Role")) {
        Some(id) => RoleLink::Resource(id),
        None => RoleLink::External(role.clone()),
    }
}

/// `provider.iam.role` when it names a role rather than configuring the generated one.
fn provider_role<'s>(svc: &'s Service<'_>) -> Option<&'s Node> {
    let configured = svc.provider_at(&["iam", "role"]).filter(|r| {
        r.as_str().is_some()
            || r.is_unknown()
            || r.entries()
                .iter()
                .any(|(k, _)| k.name == "Ref" || k.name.starts_with("Fn::"))
    });
    configured.or_else(|| svc.provider_at(&["role"]))
}

pub fn plan(svc: &Service<'_>, managed_docs: &ManagedDocs) -> RolePlan {
    let mut roles = Vec::new();
    let mut links = HashMap::new();
    let custom = provider_role(svc);
    let default_inherit = truthy(svc.config.at(&[
        "custom",
        "serverless-iam-roles-per-function",
        "defaultInherit",
    ]));
    let mut service_users: Vec<(&Key, &Node)> = Vec::new();
    for &(key, def) in &svc.functions {
        if let Some(role) = def.get("role").filter(|r| !matches!(r.val, Val::Null)) {
            links.insert(key.name.clone(), role_link(svc, role));
        } else if let Some((stmts_key, stmts)) = def.entry("iamRoleStatements")
            && !stmts.items().is_empty()
        {
            let id = naming::function_role(&key.name);
            let inherit = def
                .get("iamRoleStatementsInherit")
                .and_then(Node::as_bool)
                .unwrap_or(default_inherit);
            let mut policies = vec![logs_policy(svc, &[key.name.as_str()], &stmts_key.origin)];
            policies.push(inline(&format!("{id}Statements"), stmts));
            if inherit {
                policies.extend(provider_policies(svc, managed_docs));
            }
            policies.extend(derived_policies(svc, &[(key, def)], &stmts_key.origin));
            roles.push(Role {
                id: id.clone(),
                origin: stmts_key.origin.clone(),
                generated_for: Some(key.name.clone()),
                trust_policy: Some(trust(&stmts_key.origin)),
                policies,
                permissions_boundary: def
                    .get("iamPermissionsBoundary")
                    .or_else(|| boundary(svc))
                    .cloned(),
            });
            links.insert(key.name.clone(), RoleLink::Resource(id));
        } else if let Some(role) = custom {
            links.insert(key.name.clone(), role_link(svc, role));
        } else {
            links.insert(
                key.name.clone(),
                RoleLink::Resource(naming::SERVICE_ROLE.into()),
            );
            service_users.push((key, def));
        }
    }
    if !service_users.is_empty() {
        let origin = service_role_origin(svc);
        let names: Vec<&str> = service_users.iter().map(|(k, _)| k.name.as_str()).collect();
        let mut policies = vec![logs_policy(svc, &names, &origin)];
        policies.extend(provider_policies(svc, managed_docs));
        policies.extend(derived_policies(svc, &service_users, &origin));
        // Lift constructs (`constructs:` with the serverless-lift plugin) grant the service role
        // access to the resources they create: statements the template does not show.
        if let Some((key, _)) = svc.config.entry("constructs") {
            policies.push(AttachedPolicy {
                name: "serverless-lift constructs".into(),
                origin: key.origin.clone(),
                source: PolicySource::External,
                document: None,
            });
        }
        roles.push(Role {
            id: naming::SERVICE_ROLE.into(),
            origin: origin.clone(),
            generated_for: match names.as_slice() {
                [one] => Some((*one).to_string()),
                _ => None,
            },
            trust_policy: Some(trust(&origin)),
            policies,
            permissions_boundary: boundary(svc).cloned(),
        });
    }
    RolePlan { roles, links }
}

/// Where the service role is configured (its statements, else the provider).
fn service_role_origin(svc: &Service<'_>) -> Origin {
    for path in [
        &["iam", "role"][..],
        &["iamRoleStatements"],
        &["iamManagedPolicies"],
    ] {
        if let Some((last, parent)) = path.split_last() {
            let holder = if parent.is_empty() {
                Some(svc.provider)
            } else {
                svc.provider.at(parent)
            };
            if let Some((k, _)) = holder.and_then(|h| h.entry(last)) {
                return k.origin.clone();
            }
        }
    }
    svc.config
        .entry("provider")
        .map_or_else(|| svc.origin.clone(), |(k, _)| k.origin.clone())
}

fn boundary<'s>(svc: &'s Service<'_>) -> Option<&'s Node> {
    svc.provider_at(&["iam", "role", "permissionsBoundary"])
        .or_else(|| svc.provider_at(&["rolePermissionsBoundary"]))
}

/// The provider's statements and managed policies (modern and legacy keys).
fn provider_policies(svc: &Service<'_>, managed_docs: &ManagedDocs) -> Vec<AttachedPolicy> {
    let mut out = Vec::new();
    for (path, name) in [
        (
            &["iam", "role", "statements"][..],
            "IamRoleLambdaExecutionStatements",
        ),
        (&["iamRoleStatements"][..], "IamRoleStatements"),
    ] {
        if let Some(stmts) = svc.provider_at(path) {
            out.push(inline(name, stmts));
        }
    }
    for path in [
        &["iam", "role", "managedPolicies"][..],
        &["iamManagedPolicies"][..],
    ] {
        if let Some(list) = svc.provider_at(path) {
            for arn in list.items() {
                out.push(managed(svc, arn, managed_docs));
            }
        }
    }
    out
}

fn inline(name: &str, statements: &Node) -> AttachedPolicy {
    let o = &statements.origin;
    AttachedPolicy {
        name: name.to_string(),
        origin: o.clone(),
        source: PolicySource::Inline,
        document: Some(map_node(
            vec![
                ("Version".into(), None, str_node("2012-10-17", o)),
                ("Statement".into(), None, statements.clone()),
            ],
            o,
        )),
    }
}

/// A managed policy ARN: AWS managed (from the snapshot), customer managed in `resources`, or
/// external.
pub fn managed(svc: &Service<'_>, arn: &Node, managed_docs: &ManagedDocs) -> AttachedPolicy {
    let at = &arn.origin;
    let text = arn.as_str().map(str::to_string).or_else(|| {
        arn.as_unknown()
            .and_then(|u| u.partial.clone())
            .filter(|p| {
                p.contains(":iam::aws:policy/")
                    && !p
                        .rsplit(":iam::aws:policy/")
                        .next()
                        .unwrap_or("")
                        .contains("{{")
            })
    });
    if let Some(text) = &text {
        let name = text.rsplit('/').next().unwrap_or(text);
        if let Some(policy) = managed_policies::get(text).or_else(|| managed_policies::get(name)) {
            return AttachedPolicy {
                name: policy.name.clone(),
                origin: at.clone(),
                source: PolicySource::AwsManaged {
                    name: policy.name.clone(),
                },
                document: Some(json_node(&policy.document, at)),
            };
        }
    }
    if let Some(id) = referenced(arn, |id| svc.type_of(id) == Some("AWS::IAM::ManagedPolicy")) {
        return AttachedPolicy {
            name: id.clone(),
            origin: at.clone(),
            document: managed_docs.get(&id).cloned(),
            source: PolicySource::CustomerManaged { resource: id },
        };
    }
    AttachedPolicy {
        name: arn.to_string(),
        origin: at.clone(),
        source: PolicySource::External,
        document: None,
    }
}

fn trust(origin: &Origin) -> Node {
    json_node(
        &serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]},
                           "Action": ["sts:AssumeRole"]}]
        }),
        origin,
    )
}

fn statement(actions: &[&str], resources: Vec<Node>, origin: &Origin) -> Node {
    map_node(
        vec![
            ("Effect".into(), None, str_node("Allow", origin)),
            (
                "Action".into(),
                None,
                list_node(
                    actions.iter().map(|a| str_node(*a, origin)).collect(),
                    origin,
                ),
            ),
            ("Resource".into(), None, list_node(resources, origin)),
        ],
        origin,
    )
}

/// The framework's statements for its log groups: `/aws/lambda/<service>-<stage>*` for the
/// shared role, the function's own log group for a per-function role.
fn logs_policy(svc: &Service<'_>, functions: &[&str], origin: &Origin) -> AttachedPolicy {
    let prefix = if let [one] = functions {
        let def = svc
            .functions
            .iter()
            .find(|(k, _)| k.name == *one)
            .map(|(_, d)| *d);
        match def.and_then(|d| d.get("name")).and_then(Node::as_str) {
            Some(name) => name.to_string(),
            None => format!("{}-{}-{one}", svc.service_text(), svc.stage),
        }
    } else {
        format!("{}-{}*", svc.service_text(), svc.stage)
    };
    let group = |suffix: &str| {
        partial_node(
            "Sub arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:…",
            format!(
                "arn:aws:logs:{{{{unknown:AWS::Region}}}}:{{{{unknown:AWS::AccountId}}}}:log-group:/aws/lambda/{prefix}{suffix}"
            ),
            origin,
        )
    };
    let statements = list_node(
        vec![
            statement(
                &[
                    "logs:CreateLogStream",
                    "logs:CreateLogGroup",
                    "logs:TagResource",
                ],
                vec![group(":*")],
                origin,
            ),
            statement(&["logs:PutLogEvents"], vec![group(":*:*")], origin),
        ],
        origin,
    );
    AttachedPolicy {
        name: "FrameworkLogs".into(),
        origin: origin.clone(),
        source: PolicySource::Inline,
        document: Some(map_node(
            vec![
                ("Version".into(), None, str_node("2012-10-17", origin)),
                ("Statement".into(), None, statements),
            ],
            origin,
        )),
    }
}

/// Polling statements for `sqs`/`stream` events, connection management for `websocket` events,
/// X-Ray and VPC access, for these functions.
fn derived_policies(
    svc: &Service<'_>,
    functions: &[(&Key, &Node)],
    origin: &Origin,
) -> Vec<AttachedPolicy> {
    let mut statements = Vec::new();
    let mut tracing = svc.provider_at(&["tracing", "lambda"]).is_some_and(|t| {
        t.as_bool() == Some(true) || matches!(t.as_str(), Some("Active" | "PassThrough"))
    });
    let mut vpc = svc.provider_at(&["vpc"]).is_some();
    let mut websocket: Option<Origin> = None;
    for (_, def) in functions {
        tracing |= def.get("tracing").is_some_and(|t| {
            t.as_bool() == Some(true) || matches!(t.as_str(), Some("Active" | "PassThrough"))
        });
        vpc |= def.get("vpc").is_some_and(|v| !matches!(v.val, Val::Null));
        for item in def.get("events").map(Node::items).unwrap_or_default() {
            let [(ty, ev)] = item.entries() else { continue };
            if ty.name == "websocket" && websocket.is_none() {
                websocket = Some(ty.origin.clone());
            }
            let Some(arn) = event_arn(ev) else { continue };
            let actions: &[&str] = match ty.name.as_str() {
                "sqs" => &[
                    "sqs:ReceiveMessage",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                ],
                "stream" => match stream_kind(svc, ev, None) {
                    TriggerKind::DynamoDb => &[
                        "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator",
                        "dynamodb:DescribeStream",
                        "dynamodb:ListStreams",
                    ],
                    _ => &[
                        "kinesis:GetRecords",
                        "kinesis:GetShardIterator",
                        "kinesis:DescribeStream",
                        "kinesis:ListStreams",
                    ],
                },
                _ => continue,
            };
            statements.push(statement(actions, vec![arn.clone()], &ty.origin));
        }
    }
    // The framework lets functions with `websocket` events answer their clients through the
    // API's connection endpoint.
    if let Some(ws) = &websocket {
        statements.push(statement(
            &["execute-api:ManageConnections"],
            vec![str_node("arn:aws:execute-api:*:*:*/@connections/*", ws)],
            ws,
        ));
    }
    if tracing {
        statements.push(statement(
            &["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
            vec![str_node("*", origin)],
            origin,
        ));
    }
    let mut out = Vec::new();
    if !statements.is_empty() {
        out.push(AttachedPolicy {
            name: "FrameworkEventAccess".into(),
            origin: origin.clone(),
            source: PolicySource::Inline,
            document: Some(map_node(
                vec![
                    ("Version".into(), None, str_node("2012-10-17", origin)),
                    ("Statement".into(), None, list_node(statements, origin)),
                ],
                origin,
            )),
        });
    }
    if vpc {
        let arn = str_node(
            "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
            origin,
        );
        out.push(managed(svc, &arn, &ManagedDocs::new()));
    }
    out
}
