//! `AWS::Serverless::Function`: the function, the role SAM generates from `Policies`, its event
//! triggers (routes go to the implicit or referenced APIs) and its function URL.

use super::context::Context;
use super::convert::{empty_map, json_to_node, referenced_resource};
use super::intrinsics::Resolver;
use super::lower_lambda::{env_vars, role_link};
use super::lower_sam_api::{ImplicitApis, PendingRoute};
use crate::refdata::{managed_policies, sam_templates};
use warden_model::{
    App, AttachedPolicy, Function, FunctionKind, FunctionUrl, Node, PolicySource, Resource, Role,
    RoleLink, Trigger, TriggerKind, Val,
};
use warden_source::Origin;

pub fn lower(
    app: &mut App,
    apis: &mut ImplicitApis,
    res: &Resource,
    ctx: &Context<'_>,
    resolver: &Resolver<'_>,
) {
    let p = &res.properties;
    let id = res.id.as_str();
    let triggers = events(apis, res, ctx);
    let role = match p.get("Role") {
        Some(role) => role_link(role, ctx),
        None => {
            let role = implicit_role(res, &triggers, ctx, resolver);
            let role_id = role.id.clone();
            app.roles.push(role);
            RoleLink::Resource(role_id)
        }
    };
    let url = p.get("FunctionUrlConfig").map(|cfg| FunctionUrl {
        origin: cfg.origin.clone(),
        auth_type: cfg
            .get("AuthType")
            .cloned()
            .unwrap_or_else(|| Node::new(Val::Null, cfg.origin.clone())),
        cors: cfg.get("Cors").cloned(),
    });
    app.functions.push(Function {
        id: id.to_string(),
        kind: FunctionKind::SamFunction,
        origin: res.origin.clone(),
        runtime: p.get("Runtime").cloned(),
        handler: p.get("Handler").cloned(),
        code_uri: p.get("CodeUri").or_else(|| p.get("InlineCode")).cloned(),
        role,
        environment: env_vars(p),
        kms_key: p.get("KmsKeyArn").cloned(),
        triggers,
        url,
        reserved_concurrency: p.get("ReservedConcurrentExecutions").cloned(),
        timeout: p.get("Timeout").cloned(),
        memory_size: p.get("MemorySize").cloned(),
        tracing: p.get("Tracing").cloned(),
        layers: p
            .get("Layers")
            .map(|l| l.items().to_vec())
            .unwrap_or_default(),
        dead_letter: p
            .get("DeadLetterQueue")
            .or_else(|| p.at(&["EventInvokeConfig", "DestinationConfig", "OnFailure"]))
            .cloned(),
        vpc: p.get("VpcConfig").cloned(),
        code_signing: p.get("CodeSigningConfigArn").cloned(),
        identity: None,
        properties: p.clone(),
    });
}

/// The source resource named by an event property (`Bucket: !Ref B`, `Queue: !GetAtt Q.Arn`).
fn source_of(props: &Node, keys: &[&str], ctx: &Context<'_>) -> Option<String> {
    keys.iter()
        .filter_map(|k| props.get(k))
        .find_map(|v| referenced_resource(v, |id| ctx.is_resource(id)))
}

fn events(apis: &mut ImplicitApis, res: &Resource, ctx: &Context<'_>) -> Vec<Trigger> {
    let Some(events) = res.properties.get("Events") else {
        return Vec::new();
    };
    let mut triggers = Vec::new();
    for (name, event) in events.entries() {
        let kind_name = event.get("Type").and_then(Node::as_str).unwrap_or("");
        let kind = TriggerKind::from_sam(kind_name);
        let props = event
            .get("Properties")
            .cloned()
            .unwrap_or_else(|| empty_map(&name.origin));
        let source = match kind {
            TriggerKind::S3 => source_of(&props, &["Bucket"], ctx),
            TriggerKind::Sns => source_of(&props, &["Topic"], ctx),
            TriggerKind::Sqs => source_of(&props, &["Queue"], ctx),
            TriggerKind::DynamoDb | TriggerKind::Kinesis => source_of(&props, &["Stream"], ctx),
            TriggerKind::Api => source_of(&props, &["RestApiId"], ctx),
            TriggerKind::HttpApi => source_of(&props, &["ApiId"], ctx),
            TriggerKind::Cognito => source_of(&props, &["UserPool"], ctx),
            TriggerKind::Msk | TriggerKind::Mq => source_of(&props, &["Stream", "Broker"], ctx),
            _ => None,
        };
        if kind.is_http() {
            apis.add(PendingRoute {
                api: source.clone(),
                http: kind == TriggerKind::HttpApi,
                function: res.id.clone(),
                event: props.clone(),
                origin: name.origin.clone(),
            });
        }
        triggers.push(Trigger {
            name: name.name.clone(),
            kind,
            origin: name.origin.clone(),
            source,
            properties: props,
        });
    }
    triggers
}

/// The role SAM generates: `<Function>Role`, assumable by Lambda, with the basic execution policy,
/// the policies SAM adds for tracing, VPC and pollers, and everything in `Policies`.
fn implicit_role(
    res: &Resource,
    triggers: &[Trigger],
    ctx: &Context<'_>,
    resolver: &Resolver<'_>,
) -> Role {
    let p = &res.properties;
    let origin = res.origin.clone();
    let mut policies = Vec::new();
    let mut add_managed = |name: &str, at: &Origin| {
        policies.push(managed(name, at));
    };
    add_managed("AWSLambdaBasicExecutionRole", &origin);
    if p.get("Tracing").and_then(Node::as_str) == Some("Active") {
        add_managed("AWSXrayWriteOnlyAccess", &origin);
    }
    if p.get("VpcConfig").is_some() {
        add_managed("AWSLambdaVPCAccessExecutionRole", &origin);
    }
    for t in triggers {
        let poller = match t.kind {
            TriggerKind::Sqs => Some("AWSLambdaSQSQueueExecutionRole"),
            TriggerKind::Kinesis => Some("AWSLambdaKinesisExecutionRole"),
            TriggerKind::DynamoDb => Some("AWSLambdaDynamoDBExecutionRole"),
            TriggerKind::Msk => Some("AWSLambdaMSKExecutionRole"),
            _ => None,
        };
        if let Some(name) = poller {
            add_managed(name, &t.origin);
        }
    }
    if let Some(list) = p.get("Policies") {
        for (i, entry) in list.one_or_many().into_iter().enumerate() {
            policies.push(policy_entry(&res.id, i, entry, ctx, resolver));
        }
    }
    let trust = p.get("AssumeRolePolicyDocument").cloned().unwrap_or_else(|| {
        json_to_node(
            &serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                               "Action": "sts:AssumeRole"}]
            }),
            &origin,
        )
    });
    Role {
        id: format!("{}Role", res.id),
        origin: origin.derived("/Role(generated)"),
        generated_for: Some(res.id.clone()),
        trust_policy: Some(trust),
        policies,
        permissions_boundary: p.get("PermissionsBoundary").cloned(),
    }
}

pub fn managed(name_or_arn: &str, at: &Origin) -> AttachedPolicy {
    match managed_policies::get(name_or_arn) {
        Some(policy) => AttachedPolicy {
            name: policy.name.clone(),
            origin: at.clone(),
            source: PolicySource::AwsManaged {
                name: policy.name.clone(),
            },
            document: Some(json_to_node(&policy.document, at)),
        },
        None => AttachedPolicy {
            name: name_or_arn.to_string(),
            origin: at.clone(),
            source: PolicySource::External,
            document: None,
        },
    }
}

pub(super) fn policy_entry(
    function: &str,
    index: usize,
    entry: &Node,
    ctx: &Context<'_>,
    resolver: &Resolver<'_>,
) -> AttachedPolicy {
    let at = &entry.origin;
    if let Some(name) = entry.as_str() {
        return managed(name, at);
    }
    if entry.is_unknown() {
        if let Some(mp) = referenced_resource(entry, |id| {
            ctx.resource_type(id) == Some("AWS::IAM::ManagedPolicy")
        }) {
            return AttachedPolicy {
                name: mp.clone(),
                origin: at.clone(),
                source: PolicySource::CustomerManaged { resource: mp },
                document: None, // filled by the IAM attachment pass
            };
        }
        return AttachedPolicy {
            name: entry.to_string(),
            origin: at.clone(),
            source: PolicySource::External,
            document: None,
        };
    }
    if entry.get("Statement").is_some() {
        return AttachedPolicy {
            name: format!("{function}RolePolicy{index}"),
            origin: at.clone(),
            source: PolicySource::Inline,
            document: Some(entry.clone()),
        };
    }
    if let [(key, params)] = entry.entries() {
        if let Some(template) = sam_templates::get(&key.name) {
            let definition = json_to_node(&template.definition, &key.origin);
            let substituted = substitute_params(&definition, &template.parameters, params);
            return AttachedPolicy {
                name: key.name.clone(),
                origin: key.origin.clone(),
                source: PolicySource::SamTemplate {
                    name: key.name.clone(),
                },
                document: resolver.resolve(&substituted),
            };
        }
        return AttachedPolicy {
            name: key.name.clone(),
            origin: key.origin.clone(),
            source: PolicySource::External,
            document: None,
        };
    }
    AttachedPolicy {
        name: format!("{function}RolePolicy{index}"),
        origin: at.clone(),
        source: PolicySource::External,
        document: None,
    }
}

/// Replaces `{"Ref": Param}` of a policy template's parameters with the values the template gives.
fn substitute_params(node: &Node, parameters: &[String], given: &Node) -> Node {
    if let [(key, target)] = node.entries()
        && key.name == "Ref"
        && let Some(name) = target.as_str()
        && parameters.iter().any(|p| p == name)
    {
        return match given.get(name) {
            Some(value) => {
                let mut v = value.clone();
                v.origin = given.origin.clone();
                v
            }
            None => Node::unknown(
                warden_model::Unknown::new(
                    format!("Ref {name}"),
                    format!("policy template parameter {name} not given"),
                ),
                given.origin.clone(),
            ),
        };
    }
    match &node.val {
        Val::Map(entries) => Node::new(
            Val::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), substitute_params(v, parameters, given)))
                    .collect(),
            ),
            node.origin.clone(),
        ),
        Val::List(items) => Node::new(
            Val::List(
                items
                    .iter()
                    .map(|v| substitute_params(v, parameters, given))
                    .collect(),
            ),
            node.origin.clone(),
        ),
        _ => node.clone(),
    }
}
