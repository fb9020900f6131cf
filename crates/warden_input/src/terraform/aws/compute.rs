//! Lambda and its event sources: `aws_lambda_function`, `_permission`, `_function_url`,
//! `_event_source_mapping`, SNS subscriptions, S3 bucket notifications (merged into the bucket's
//! `NotificationConfiguration`), and EventBridge rules with their targets (triggers added after
//! the CloudFormation lowering, which has no rule for them).

use super::shape::{Props, block, blocks, policy, renamed};
use super::{Cfn, Ctx, find};
use crate::terraform::TfResource;
use crate::terraform::values::{key, list, map};
use warden_model::{App, Node, Trigger, TriggerKind, Val};

pub fn convert(r: &TfResource, ctx: &Ctx<'_>, out: &mut Vec<Cfn>) {
    let b = &r.body;
    let mut p = Props::new(&r.origin);
    let kind = match r.kind.as_str() {
        "aws_lambda_function" => {
            p.copy_all(
                b,
                &[
                    ("function_name", "FunctionName"),
                    ("runtime", "Runtime"),
                    ("handler", "Handler"),
                    ("role", "Role"),
                    ("kms_key_arn", "KmsKeyArn"),
                    ("timeout", "Timeout"),
                    ("memory_size", "MemorySize"),
                    ("layers", "Layers"),
                    ("code_signing_config_arn", "CodeSigningConfigArn"),
                    ("architectures", "Architectures"),
                    ("package_type", "PackageType"),
                ],
            );
            if let Some((k, v)) = b.entry("reserved_concurrent_executions")
                && v.as_i64() != Some(-1)
                && !matches!(v.val, Val::Null)
            {
                p.put("ReservedConcurrentExecutions", &k.origin, v.clone());
            }
            if let Some(env) = block(b, "environment")
                && let Some((k, vars)) = env.entry("variables")
            {
                let inner = map(
                    vec![(key("Variables", &k.origin), vars.clone())],
                    &env.origin,
                );
                p.put("Environment", &env.origin, inner);
            }
            if let Some(t) = block(b, "tracing_config") {
                p.put("TracingConfig", &t.origin, renamed(t, &[("mode", "Mode")]));
            }
            if let Some(d) = block(b, "dead_letter_config") {
                p.put(
                    "DeadLetterConfig",
                    &d.origin,
                    renamed(d, &[("target_arn", "TargetArn")]),
                );
            }
            if let Some(v) = block(b, "vpc_config") {
                let cfg = renamed(
                    v,
                    &[
                        ("subnet_ids", "SubnetIds"),
                        ("security_group_ids", "SecurityGroupIds"),
                    ],
                );
                p.put("VpcConfig", &v.origin, cfg);
            }
            // The code: a local path (an archive stands for the directory it packs), an S3
            // object or an image.
            if !p.copy(b, "filename", "Code") {
                let code = renamed(
                    b,
                    &[
                        ("s3_bucket", "S3Bucket"),
                        ("s3_key", "S3Key"),
                        ("image_uri", "ImageUri"),
                    ],
                );
                if !code.entries().is_empty() {
                    p.put("Code", &r.origin, code);
                }
            }
            "AWS::Lambda::Function"
        }
        "aws_lambda_permission" => {
            p.copy_all(
                b,
                &[
                    ("action", "Action"),
                    ("principal", "Principal"),
                    ("source_arn", "SourceArn"),
                    ("source_account", "SourceAccount"),
                    ("principal_org_id", "PrincipalOrgID"),
                    ("function_url_auth_type", "FunctionUrlAuthType"),
                    ("event_source_token", "EventSourceToken"),
                ],
            );
            link_function(b, "function_name", "FunctionName", ctx, &mut p);
            "AWS::Lambda::Permission"
        }
        "aws_lambda_function_url" => {
            p.copy_all(
                b,
                &[
                    ("authorization_type", "AuthType"),
                    ("invoke_mode", "InvokeMode"),
                    ("qualifier", "Qualifier"),
                ],
            );
            link_function(b, "function_name", "TargetFunctionArn", ctx, &mut p);
            if let Some(c) = block(b, "cors") {
                p.put("Cors", &c.origin, cors(c));
            }
            "AWS::Lambda::Url"
        }
        "aws_lambda_event_source_mapping" => {
            p.copy_all(
                b,
                &[
                    ("event_source_arn", "EventSourceArn"),
                    ("batch_size", "BatchSize"),
                    ("enabled", "Enabled"),
                    ("starting_position", "StartingPosition"),
                ],
            );
            link_function(b, "function_name", "FunctionName", ctx, &mut p);
            "AWS::Lambda::EventSourceMapping"
        }
        "aws_sns_topic_subscription" => {
            p.copy_all(
                b,
                &[
                    ("protocol", "Protocol"),
                    ("topic_arn", "TopicArn"),
                    ("filter_policy", "FilterPolicy"),
                ],
            );
            link_function(b, "endpoint", "Endpoint", ctx, &mut p);
            "AWS::SNS::Subscription"
        }
        "aws_cloudwatch_event_rule" => {
            p.copy_all(
                b,
                &[
                    ("name", "Name"),
                    ("schedule_expression", "ScheduleExpression"),
                    ("state", "State"),
                    ("event_bus_name", "EventBusName"),
                ],
            );
            if let Some((k, v)) = b.entry("event_pattern") {
                p.put("EventPattern", &k.origin, policy(v));
            }
            "AWS::Events::Rule"
        }
        _ => return,
    };
    out.push(Cfn::new(r, kind, p));
}

/// Function URL `cors` block in the CloudFormation `Cors` shape.
pub fn cors(c: &Node) -> Node {
    renamed(
        c,
        &[
            ("allow_credentials", "AllowCredentials"),
            ("allow_headers", "AllowHeaders"),
            ("allow_methods", "AllowMethods"),
            ("allow_origins", "AllowOrigins"),
            ("expose_headers", "ExposeHeaders"),
            ("max_age", "MaxAge"),
        ],
    )
}

fn link_function(b: &Node, tf: &str, cfn: &str, ctx: &Ctx<'_>, p: &mut Props) {
    if let Some((k, v)) = b.entry(tf) {
        p.put(cfn, &k.origin, ctx.link(v, "aws_lambda_function"));
    }
}

pub fn merge(r: &TfResource, ctx: &Ctx<'_>, out: &mut [Cfn]) {
    let b = &r.body;
    match r.kind.as_str() {
        "aws_s3_bucket_notification" => {
            let Some(bucket) = b.get("bucket").map(|v| ctx.link(v, "aws_s3_bucket")) else {
                return;
            };
            let Some(target) = ctx.target(&bucket) else {
                return;
            };
            let Some(c) = find(out, &target.address) else {
                return;
            };
            for (tf, cfn, arn_tf, arn_cfn) in [
                (
                    "lambda_function",
                    "LambdaConfigurations",
                    "lambda_function_arn",
                    "Function",
                ),
                ("queue", "QueueConfigurations", "queue_arn", "Queue"),
                ("topic", "TopicConfigurations", "topic_arn", "Topic"),
            ] {
                for cfg in blocks(b, tf) {
                    let mut item = Props::new(&cfg.origin);
                    if let Some((k, v)) = cfg.entry(arn_tf) {
                        let v = if arn_cfn == "Function" {
                            ctx.link(v, "aws_lambda_function")
                        } else {
                            v.clone()
                        };
                        item.put(arn_cfn, &k.origin, v);
                    }
                    if let Some((k, events)) = cfg.entry("events") {
                        // One CloudFormation configuration per event.
                        item.put(
                            "Event",
                            &k.origin,
                            events
                                .items()
                                .first()
                                .cloned()
                                .unwrap_or_else(|| events.clone()),
                        );
                    }
                    push_nested(
                        &mut c.props,
                        "NotificationConfiguration",
                        cfn,
                        &r.origin,
                        item.into_node(),
                    );
                }
            }
        }
        "aws_cloudwatch_event_target" => {
            let Some(rule) = b
                .get("rule")
                .map(|v| ctx.link(v, "aws_cloudwatch_event_rule"))
            else {
                return;
            };
            let Some(target) = ctx.target(&rule) else {
                return;
            };
            if let Some(c) = find(out, &target.address) {
                let mut item = Props::new(&r.origin);
                if let Some((k, v)) = b.entry("arn") {
                    item.put("Arn", &k.origin, ctx.link(v, "aws_lambda_function"));
                }
                item.copy(b, "target_id", "Id");
                c.props.push_item("Targets", &r.origin, item.into_node());
            }
        }
        _ => {}
    }
}

/// Appends `item` to the list `inner` inside the map `outer` of `props`.
pub fn push_nested(
    props: &mut Props,
    outer: &str,
    inner: &str,
    at: &warden_source::Origin,
    item: Node,
) {
    let mut map_node = props
        .get(outer)
        .cloned()
        .unwrap_or_else(|| map(Vec::new(), at));
    if let Val::Map(entries) = &mut map_node.val {
        match entries.iter_mut().find(|(k, _)| k.name == inner) {
            Some((
                _,
                Node {
                    val: Val::List(items),
                    ..
                },
            )) => items.push(item),
            _ => {
                let o = item.origin.clone();
                entries.push((key(inner, at), list(vec![item], &o)));
            }
        }
    }
    props.put(outer, at, map_node);
}

/// EventBridge rules targeting a function become its triggers (`Schedule` for schedules).
pub fn rule_triggers(app: &mut App) {
    let mut found: Vec<(String, Trigger)> = Vec::new();
    for res in app
        .resources
        .iter()
        .filter(|r| r.kind == "AWS::Events::Rule")
    {
        let schedule = res.properties.get("ScheduleExpression").is_some();
        for t in res
            .properties
            .get("Targets")
            .map(Node::items)
            .unwrap_or_default()
        {
            let Some(function) = t
                .get("Arn")
                .and_then(|a| a.as_unknown())
                .and_then(|u| u.resource.clone())
                .filter(|f| app.functions.iter().any(|x| &x.id == f))
            else {
                continue;
            };
            found.push((
                function,
                Trigger {
                    name: res.id.clone(),
                    kind: if schedule {
                        TriggerKind::Schedule
                    } else {
                        TriggerKind::EventBridge
                    },
                    origin: t.origin.clone(),
                    source: Some(res.id.clone()),
                    properties: res.properties.clone(),
                },
            ));
        }
    }
    for (function, trigger) in found {
        if let Some(f) = app.functions.iter_mut().find(|f| f.id == function) {
            f.triggers.push(trigger);
        }
    }
}
