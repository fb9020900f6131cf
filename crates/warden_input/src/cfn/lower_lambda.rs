//! Plain CloudFormation Lambda resources: `AWS::Lambda::Function`, `::Permission`, `::Url` and
//! `::EventSourceMapping`, plus helpers shared with the SAM function lowering.

use super::context::Context;
use super::convert::referenced_resource;
use warden_model::{
    App, EnvVar, Function, FunctionKind, FunctionUrl, Node, Permission, Resource, RoleLink,
    Trigger, TriggerKind, Val,
};

/// `Environment.Variables` as the model's environment variables.
pub fn env_vars(props: &Node) -> Vec<EnvVar> {
    props
        .at(&["Environment", "Variables"])
        .map(|vars| {
            vars.entries()
                .iter()
                .map(|(k, v)| EnvVar {
                    name: k.name.clone(),
                    origin: k.origin.clone(),
                    value: v.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A function's `Role`: a role declared here when the ARN refers to one, else external.
pub fn role_link(role: &Node, ctx: &Context<'_>) -> RoleLink {
    match referenced_resource(role, |id| ctx.resource_type(id) == Some("AWS::IAM::Role")) {
        Some(id) => RoleLink::Resource(id),
        None => RoleLink::External(role.clone()),
    }
}

fn is_function(ctx: &Context<'_>, id: &str) -> bool {
    matches!(
        ctx.resource_type(id),
        Some("AWS::Lambda::Function" | "AWS::Serverless::Function")
    )
}

/// The function a `FunctionName`/`TargetFunctionArn` value names, when declared here.
pub fn function_ref(value: Option<&Node>, ctx: &Context<'_>) -> Option<String> {
    let value = value?;
    if let Some(name) = value.as_str() {
        return is_function(ctx, name).then(|| name.to_string());
    }
    referenced_resource(value, |id| is_function(ctx, id))
}

pub fn function(app: &mut App, res: &Resource, ctx: &Context<'_>) {
    let p = &res.properties;
    app.functions.push(Function {
        id: res.id.clone(),
        kind: FunctionKind::LambdaFunction,
        origin: res.origin.clone(),
        runtime: p.get("Runtime").cloned(),
        handler: p.get("Handler").cloned(),
        code_uri: p.get("Code").cloned(),
        role: p
            .get("Role")
            .map_or(RoleLink::Missing, |r| role_link(r, ctx)),
        environment: env_vars(p),
        kms_key: p.get("KmsKeyArn").cloned(),
        triggers: Vec::new(),
        url: None,
        reserved_concurrency: p.get("ReservedConcurrentExecutions").cloned(),
        timeout: p.get("Timeout").cloned(),
        memory_size: p.get("MemorySize").cloned(),
        tracing: p.at(&["TracingConfig", "Mode"]).cloned(),
        layers: p
            .get("Layers")
            .map(|l| l.items().to_vec())
            .unwrap_or_default(),
        dead_letter: p.get("DeadLetterConfig").cloned(),
        vpc: p.get("VpcConfig").cloned(),
        code_signing: p.get("CodeSigningConfigArn").cloned(),
        identity: None,
        properties: p.clone(),
    });
}

pub fn permission(app: &mut App, res: &Resource, ctx: &Context<'_>) {
    let p = &res.properties;
    let null = || Node::new(Val::Null, res.origin.clone());
    app.permissions.push(Permission {
        id: res.id.clone(),
        origin: res.origin.clone(),
        function: function_ref(p.get("FunctionName"), ctx),
        action: p.get("Action").cloned().unwrap_or_else(null),
        principal: p.get("Principal").cloned().unwrap_or_else(null),
        source_arn: p.get("SourceArn").cloned(),
        source_account: p.get("SourceAccount").cloned(),
        principal_org_id: p.get("PrincipalOrgID").cloned(),
        function_url_auth_type: p.get("FunctionUrlAuthType").cloned(),
    });
}

/// `AWS::Lambda::Url` resources, attached to their target functions.
pub fn urls(app: &mut App, ctx: &Context<'_>) {
    let mut found = Vec::new();
    for res in app
        .resources
        .iter()
        .filter(|r| r.kind == "AWS::Lambda::Url")
    {
        let p = &res.properties;
        let Some(target) = function_ref(p.get("TargetFunctionArn"), ctx) else {
            continue;
        };
        found.push((
            target,
            FunctionUrl {
                origin: res.origin.clone(),
                auth_type: p
                    .get("AuthType")
                    .cloned()
                    .unwrap_or_else(|| Node::new(Val::Null, res.origin.clone())),
                cors: p.get("Cors").cloned(),
            },
        ));
    }
    for (target, url) in found {
        if let Some(f) = app.functions.iter_mut().find(|f| f.id == target) {
            f.url = Some(url);
        }
    }
}

/// `AWS::Lambda::EventSourceMapping`, S3 bucket notifications and SNS subscriptions become
/// triggers of the function they invoke.
pub fn event_sources(app: &mut App, ctx: &Context<'_>) {
    let mut found: Vec<(String, Trigger)> = Vec::new();
    for res in &app.resources {
        let p = &res.properties;
        match res.kind.as_str() {
            "AWS::Lambda::EventSourceMapping" => {
                let Some(function) = function_ref(p.get("FunctionName"), ctx) else {
                    continue;
                };
                let source = p
                    .get("EventSourceArn")
                    .and_then(|v| referenced_resource(v, |id| ctx.is_resource(id)));
                let kind = match source.as_deref().and_then(|s| ctx.resource_type(s)) {
                    Some("AWS::SQS::Queue") => TriggerKind::Sqs,
                    Some("AWS::Kinesis::Stream") => TriggerKind::Kinesis,
                    Some("AWS::DynamoDB::Table") => TriggerKind::DynamoDb,
                    Some("AWS::MSK::Cluster") => TriggerKind::Msk,
                    _ => TriggerKind::Other("EventSourceMapping".into()),
                };
                found.push((
                    function,
                    Trigger {
                        name: res.id.clone(),
                        kind,
                        origin: res.origin.clone(),
                        source,
                        properties: p.clone(),
                    },
                ));
            }
            "AWS::S3::Bucket" => {
                let Some(configs) = p.at(&["NotificationConfiguration", "LambdaConfigurations"])
                else {
                    continue;
                };
                for cfg in configs.items() {
                    if let Some(function) = function_ref(cfg.get("Function"), ctx) {
                        found.push((
                            function,
                            Trigger {
                                name: res.id.clone(),
                                kind: TriggerKind::S3,
                                origin: cfg.origin.clone(),
                                source: Some(res.id.clone()),
                                properties: cfg.clone(),
                            },
                        ));
                    }
                }
            }
            "AWS::SNS::Subscription" => {
                if p.get("Protocol").and_then(Node::as_str) != Some("lambda") {
                    continue;
                }
                if let Some(function) = function_ref(p.get("Endpoint"), ctx) {
                    let source = p
                        .get("TopicArn")
                        .and_then(|v| referenced_resource(v, |id| ctx.is_resource(id)));
                    found.push((
                        function,
                        Trigger {
                            name: res.id.clone(),
                            kind: TriggerKind::Sns,
                            origin: res.origin.clone(),
                            source,
                            properties: p.clone(),
                        },
                    ));
                }
            }
            _ => {}
        }
    }
    for (function, trigger) in found {
        if let Some(f) = app.functions.iter_mut().find(|f| f.id == function) {
            f.triggers.push(trigger);
        }
    }
}
