//! Least-privilege statements from a function's SDK calls: each action scoped to the resources its
//! calls name. A literal name becomes an ARN of the action's resource type; an environment
//! variable that the template sets to a resource (`!Ref Orders`, `!GetAtt Orders.Arn`) becomes
//! that resource's ARN as a CloudFormation `Fn::Sub` string (`${Orders.Arn}`; SAM, CloudFormation,
//! Serverless Framework and CDK output) or a Terraform interpolation (`${aws_dynamodb_table.
//! orders.arn}`); a template parameter becomes `${Param}` inside the ARN. What cannot be resolved
//! stays `*`.

use super::{FunctionSdk, ResourceRef, SdkCall};
use std::collections::{BTreeMap, BTreeSet};
use warden_iam::catalog;
use warden_model::{App, Format, Function, Val};

/// One resource of a statement.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PolicyResource {
    /// Every resource.
    Any,
    /// A plain ARN (no template substitution).
    Arn(String),
    /// A CloudFormation `Fn::Sub` string (`arn:${AWS::Partition}:…`, `${Orders.Arn}`).
    Sub(String),
}

impl PolicyResource {
    /// The text (`*`, the ARN, or the `Fn::Sub` template).
    pub fn text(&self) -> &str {
        match self {
            PolicyResource::Any => "*",
            PolicyResource::Arn(s) | PolicyResource::Sub(s) => s,
        }
    }
}

/// One least-privilege statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyStatement {
    /// Actions, sorted.
    pub actions: Vec<String>,
    /// Resources, sorted (`[Any]` when some call's resource is unknown).
    pub resources: Vec<PolicyResource>,
}

/// The resource type name of the catalog and the parameters that name it, per service.
struct Kind {
    service: &'static str,
    resource_type: &'static str,
    params: &'static [&'static str],
    /// Template resource types whose ARN is `${Id.Arn}` (`true`) or `${Id}` (`false`).
    template: &'static [(&'static str, bool)],
}

const KINDS: &[Kind] = &[
    Kind {
        service: "s3",
        resource_type: "object",
        params: &["Bucket"],
        template: &[("AWS::S3::Bucket", true)],
    },
    Kind {
        service: "s3",
        resource_type: "bucket",
        params: &["Bucket"],
        template: &[("AWS::S3::Bucket", true)],
    },
    Kind {
        service: "dynamodb",
        resource_type: "table",
        params: &["TableName"],
        template: &[
            ("AWS::DynamoDB::Table", true),
            ("AWS::Serverless::SimpleTable", true),
            ("AWS::DynamoDB::GlobalTable", true),
        ],
    },
    Kind {
        service: "sqs",
        resource_type: "queue",
        params: &["QueueUrl", "QueueName"],
        template: &[("AWS::SQS::Queue", true)],
    },
    Kind {
        service: "sns",
        resource_type: "topic",
        params: &["TopicArn", "TargetArn"],
        template: &[("AWS::SNS::Topic", false)],
    },
    Kind {
        service: "lambda",
        resource_type: "function",
        params: &["FunctionName"],
        template: &[
            ("AWS::Lambda::Function", true),
            ("AWS::Serverless::Function", true),
        ],
    },
    Kind {
        service: "secretsmanager",
        resource_type: "Secret",
        params: &["SecretId"],
        template: &[("AWS::SecretsManager::Secret", false)],
    },
    Kind {
        service: "ssm",
        resource_type: "parameter",
        params: &["Name", "Names", "Path"],
        template: &[],
    },
    Kind {
        service: "kinesis",
        resource_type: "stream",
        params: &["StreamName", "StreamARN"],
        template: &[("AWS::Kinesis::Stream", true)],
    },
    Kind {
        service: "firehose",
        resource_type: "deliverystream",
        params: &["DeliveryStreamName"],
        template: &[("AWS::KinesisFirehose::DeliveryStream", true)],
    },
    Kind {
        service: "states",
        resource_type: "stateMachine",
        params: &["stateMachineArn"],
        template: &[
            ("AWS::StepFunctions::StateMachine", false),
            ("AWS::Serverless::StateMachine", false),
        ],
    },
    Kind {
        service: "kms",
        resource_type: "key",
        params: &["KeyId"],
        template: &[("AWS::KMS::Key", true)],
    },
];

/// The ARN format of a catalog resource type.
fn format_of(service: &str, resource_type: &str) -> Option<&'static str> {
    catalog()
        .service(service)?
        .resource_types
        .iter()
        .find(|r| r.name == resource_type)
        .map(|r| r.arn_format.as_str())
}

/// True when the action accepts the resource type.
fn action_takes(action: &str, resource_type: &str) -> bool {
    catalog()
        .action(action)
        .is_some_and(|a| a.resource_types().any(|(r, _)| r.name == resource_type))
}

/// Fills an ARN format: partition, region and account as pseudo parameters (CloudFormation) or
/// `aws`/`*` (other formats), the first name placeholder with `name`, later ones with `*`.
fn fill(format: &str, name: &str, cfn: bool) -> String {
    let mut out = String::new();
    let mut rest = format;
    let mut named = false;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            break;
        };
        out.push_str(match (&after[..end], cfn) {
            ("Partition", true) => "${AWS::Partition}",
            ("Region", true) => "${AWS::Region}",
            ("Account", true) => "${AWS::AccountId}",
            ("Partition", false) => "aws",
            ("Region" | "Account", false) => "*",
            _ if !named => {
                named = true;
                name
            }
            _ => "*",
        });
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// True for formats deployed through CloudFormation (`Fn::Sub` is available).
fn is_cfn(app: &App) -> bool {
    matches!(
        app.format,
        Format::Sam | Format::CloudFormation | Format::ServerlessFramework | Format::Cdk
    )
}

/// What an argument resolved to.
enum Resolved {
    /// A name or ARN (already escaped for `Fn::Sub` when `sub`).
    Text {
        text: String,
        sub: bool,
    },
    /// A template resource's whole ARN (`${Orders.Arn}`).
    ResourceArn(String),
    Unknown,
}

fn sub_escape(s: &str) -> String {
    s.replace("${", "${!")
}

fn resolve(r: &ResourceRef, kind: &Kind, app: &App, f: &Function) -> Resolved {
    let cfn = is_cfn(app);
    match r {
        ResourceRef::Literal(s) if !s.is_empty() && !s.contains('*') => Resolved::Text {
            text: if cfn { sub_escape(s) } else { s.clone() },
            sub: cfn,
        },
        ResourceRef::Env(name) => {
            let Some(var) = f.environment.iter().find(|v| v.name == *name) else {
                return Resolved::Unknown;
            };
            match &var.value.val {
                Val::Str(s) if !s.is_empty() && !s.contains('*') => Resolved::Text {
                    text: if cfn { sub_escape(s) } else { s.clone() },
                    sub: cfn,
                },
                Val::Unknown(u) if app.format == Format::Terraform => {
                    // A Terraform reference: the resource's `arn` attribute, else the literal
                    // name the declaration gives.
                    if let Some(id) = &u.resource
                        && app
                            .resource(id)
                            .is_some_and(|res| kind.template.iter().any(|(t, _)| *t == res.kind))
                    {
                        return Resolved::ResourceArn(format!("${{{id}.arn}}"));
                    }
                    match &u.partial {
                        Some(p) if !p.contains("{{unknown") && !p.contains('*') => Resolved::Text {
                            text: p.clone(),
                            sub: false,
                        },
                        _ => Resolved::Unknown,
                    }
                }
                Val::Unknown(u) if cfn => {
                    if let Some(id) = &u.resource {
                        let Some(res) = app.resource(id) else {
                            return Resolved::Unknown;
                        };
                        return match kind.template.iter().find(|(t, _)| *t == res.kind) {
                            Some((_, true)) => Resolved::ResourceArn(format!("${{{id}.Arn}}")),
                            Some((_, false)) => Resolved::ResourceArn(format!("${{{id}}}")),
                            None => Resolved::Unknown,
                        };
                    }
                    // `!Ref Param`: the parameter's value names the resource.
                    match u.expr.strip_prefix("Ref ") {
                        Some(p)
                            if !p.starts_with("AWS::")
                                && app.parameters.iter().any(|x| x.name == p) =>
                        {
                            Resolved::Text {
                                text: format!("${{{p}}}"),
                                sub: true,
                            }
                        }
                        _ => Resolved::Unknown,
                    }
                }
                _ => Resolved::Unknown,
            }
        }
        _ => Resolved::Unknown,
    }
}

/// The resource of `action` named by `call`, if the call names one.
fn resource_for(call: &SdkCall, action: &str, app: &App, f: &Function) -> PolicyResource {
    let service = action.split(':').next().unwrap_or_default();
    let Some(kind) = KINDS
        .iter()
        .find(|k| k.service == service && action_takes(action, k.resource_type))
    else {
        return PolicyResource::Any;
    };
    let Some((param, value)) = kind
        .params
        .iter()
        .find_map(|p| call.params.iter().find(|(n, _)| n == p))
    else {
        return PolicyResource::Any;
    };
    let cfn = is_cfn(app);
    let wrap = |s: String, sub: bool| {
        if sub {
            PolicyResource::Sub(s)
        } else {
            PolicyResource::Arn(s)
        }
    };
    let key = || -> String {
        match call.params.iter().find(|(n, _)| n == "Key") {
            Some((_, ResourceRef::Literal(k))) if !k.is_empty() && !k.contains('*') => {
                if cfn {
                    sub_escape(k)
                } else {
                    k.clone()
                }
            }
            _ => "*".to_owned(),
        }
    };
    let Some(format) = format_of(kind.service, kind.resource_type) else {
        return PolicyResource::Any;
    };
    match resolve(value, kind, app, f) {
        Resolved::Unknown => PolicyResource::Any,
        Resolved::ResourceArn(arn) => {
            let arn = match kind.resource_type {
                "object" => format!("{arn}/{}", key()),
                _ => arn,
            };
            // `${Orders.Arn}` is a CloudFormation substitution; `${aws_x.y.arn}` a Terraform
            // interpolation, written as a plain string.
            wrap(arn, cfn)
        }
        Resolved::Text { text, sub } => {
            if text.starts_with("arn:") {
                return wrap(text, sub);
            }
            let name = match (kind.service, param.as_str()) {
                // A queue URL ends with the queue name.
                ("sqs", "QueueUrl") if text.contains('/') => {
                    text.rsplit('/').next().unwrap_or_default().to_owned()
                }
                ("s3", _) if kind.resource_type == "object" => format!("{text}/{}", key()),
                // Secrets Manager appends six random characters to a secret's name.
                ("secretsmanager", _) => format!("{text}-??????"),
                ("ssm", "Path") => format!("{}/*", text.trim_start_matches('/')),
                ("ssm", _) => text.trim_start_matches('/').to_owned(),
                _ => text,
            };
            wrap(fill(format, &name, cfn), sub || cfn)
        }
    }
}

/// The DynamoDB index a call reads (`IndexName`): queries and scans of an index are authorised
/// on the index's ARN (`…:table/T/index/I`), not the table's.
fn index_of(call: &SdkCall, action: &str, table: &PolicyResource) -> Option<PolicyResource> {
    if !action.starts_with("dynamodb:") || !action_takes(action, "index") {
        return None;
    }
    let name = match &call.params.iter().find(|(n, _)| n == "IndexName")?.1 {
        ResourceRef::Literal(n) if !n.is_empty() && !n.contains(['*', '$']) => n.clone(),
        _ => "*".to_owned(),
    };
    Some(match table {
        PolicyResource::Any => PolicyResource::Any,
        PolicyResource::Arn(t) => PolicyResource::Arn(format!("{t}/index/{name}")),
        PolicyResource::Sub(t) => PolicyResource::Sub(format!("{t}/index/{name}")),
    })
}

/// Least-privilege statements for a function: actions with the same resources share a statement.
pub fn statements(usage: &FunctionSdk, app: &App, f: &Function) -> Vec<PolicyStatement> {
    let mut per_action: BTreeMap<String, BTreeSet<PolicyResource>> = BTreeMap::new();
    for call in &usage.calls {
        for action in &call.actions {
            let r = resource_for(call, action, app, f);
            let index = index_of(call, action, &r);
            let set = per_action.entry(action.clone()).or_default();
            set.insert(r);
            set.extend(index);
        }
    }
    let mut grouped: BTreeMap<Vec<PolicyResource>, Vec<String>> = BTreeMap::new();
    for (action, mut resources) in per_action {
        if resources.contains(&PolicyResource::Any) {
            resources = BTreeSet::from([PolicyResource::Any]);
        }
        grouped
            .entry(resources.into_iter().collect())
            .or_default()
            .push(action);
    }
    let mut out: Vec<PolicyStatement> = grouped
        .into_iter()
        .map(|(resources, actions)| PolicyStatement { actions, resources })
        .collect();
    out.sort_by(|a, b| a.actions.cmp(&b.actions));
    out
}
