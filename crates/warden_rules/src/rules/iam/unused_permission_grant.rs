//! IAM011: a function role grants services that the function's code never calls.

use super::missing_permission_usage::{FunctionUse, function_uses};
use crate::facts::ProjectFacts;
use crate::iam_view::RoleRisk;
use crate::meta::{Rule, RuleMeta};
use std::collections::{BTreeMap, BTreeSet};
use warden_model::{Category, Confidence, Finding, Function, PolicySource, Severity, TriggerKind};

/// ## What it does
/// Flags a role whose grants cover AWS services that the code of every function running as it
/// never calls, listing the unused services and actions. It reports only when each function's
/// handler and every local module it imports were parsed without syntax errors, every SDK client
/// was followed (none handed to other code, no operation chosen at run time), no package that
/// calls AWS on the code's behalf (Powertools parameters, PynamoDB, Middy SSM…) is imported, and
/// the code makes at least one SDK call (handlers without any are usually placeholders).
///
/// Not reported: services the Lambda platform uses with the function's role (CloudWatch Logs,
/// X-Ray, the pollers of SQS, Kinesis, DynamoDB stream, MSK and MQ triggers, failure destinations,
/// dead-letter targets, the KMS key of the environment, VPC network interfaces); services that a
/// called service uses with the caller's permissions (S3 for Rekognition, Textract, Transcribe;
/// S3 and Glue for Athena; Secrets Manager for the RDS Data API; KMS for encrypted data);
/// `iam:PassRole`, a permission checked when another call hands over a role; and grants from the
/// AWS managed execution policies.
///
/// ## Why is this bad?
/// Every unused grant is reach for an attacker who gets code execution in the function (an
/// injection, a compromised dependency) and none for the function itself (SAS-4, CWE-250).
///
/// ## Insecure example
/// ```yaml
/// OrdersFn:
///   Type: AWS::Serverless::Function
///   Properties:
///     Handler: app.handler   # only calls dynamodb put_item
///     Policies:
///       - DynamoDBCrudPolicy: {TableName: !Ref Orders}
///       - SNSPublishMessagePolicy: {TopicName: !GetAtt Alerts.TopicName}
/// ```
///
/// ## Secure alternative
/// ```yaml
///     Policies:
///       - DynamoDBWritePolicy: {TableName: !Ref Orders}
/// ```
///
/// ## References
/// AWS IAM User Guide, "Refine permissions using last accessed information"; AWS Well-Architected
/// Serverless Lens, "Implement least privilege"; OWASP Serverless Top 10 SAS-4; CWE-250.
#[derive(Debug)]
pub struct UnusedPermissionGrant;

static META: RuleMeta = RuleMeta {
    code: "IAM011",
    name: "unused-service-grant",
    category: Category::Iam,
    severity: Severity::Low,
    confidence: Confidence::Medium,
    practice: "identity: least privilege per function",
    cwe: &[250],
    owasp: &["SAS-4"],
    source: include_str!("unused_permission_grant.rs"),
};

/// AWS managed execution policies: their grants are the platform's, not the code's.
const BASELINE_POLICIES: &[&str] = &[
    "AWSLambdaBasicExecutionRole",
    "AWSXrayWriteOnlyAccess",
    "AWSXRayDaemonWriteAccess",
    "AWSLambdaVPCAccessExecutionRole",
    "AWSLambdaSQSQueueExecutionRole",
    "AWSLambdaKinesisExecutionRole",
    "AWSLambdaDynamoDBExecutionRole",
    "AWSLambdaMSKExecutionRole",
    "AWSLambdaExecute",
];

/// Services that call others with the caller's permissions (forward access): reading media,
/// documents and query results from S3, table metadata from Glue, secrets for the Data API.
const FORWARD_ACCESS: &[(&str, &[&str])] = &[
    ("athena", &["s3", "glue", "kms", "lakeformation"]),
    ("rds-data", &["secretsmanager", "kms"]),
    (
        "redshift-data",
        &["secretsmanager", "redshift", "redshift-serverless"],
    ),
    ("rekognition", &["s3", "kms"]),
    ("textract", &["s3", "kms"]),
    ("transcribe", &["s3", "kms"]),
    ("comprehend", &["s3", "kms"]),
    ("comprehendmedical", &["s3", "kms"]),
    ("translate", &["s3", "kms", "comprehend"]),
    ("polly", &["s3", "kms"]),
    ("bedrock", &["s3", "kms"]),
    ("sagemaker", &["s3", "kms"]),
    ("s3", &["s3-object-lambda", "s3express", "kms"]),
    ("dynamodb", &["kms"]),
    ("sqs", &["kms"]),
    ("sns", &["kms"]),
    ("kinesis", &["kms"]),
    ("firehose", &["kms"]),
    ("secretsmanager", &["kms"]),
    ("ssm", &["kms"]),
    ("states", &["kms"]),
    ("events", &["kms"]),
    ("logs", &["kms"]),
];

/// Actions that are permissions only, checked when another call hands over a role
/// (`iam:PassRole` with `ecs:RunTask`, `scheduler:CreateSchedule`, …), never called themselves.
const PERMISSION_ONLY: &[&str] = &["iam:PassRole"];

/// Services the platform calls with the function's role.
fn platform_services(f: &Function) -> BTreeSet<&'static str> {
    let mut s = BTreeSet::from(["logs", "xray"]);
    for t in &f.triggers {
        match t.kind {
            TriggerKind::Sqs => {
                s.insert("sqs");
            }
            TriggerKind::Kinesis => {
                s.insert("kinesis");
            }
            TriggerKind::DynamoDb => {
                s.insert("dynamodb");
            }
            TriggerKind::Msk | TriggerKind::SelfManagedKafka => {
                s.extend(["kafka", "kafka-cluster", "ec2", "secretsmanager"]);
            }
            TriggerKind::Mq | TriggerKind::DocumentDb => {
                s.extend(["mq", "ec2", "secretsmanager", "rds"]);
            }
            _ => {}
        }
    }
    // Failure destinations of event source mappings are written with the function's role.
    if f.triggers
        .iter()
        .any(|t| t.properties.get("DestinationConfig").is_some())
    {
        s.extend(["sqs", "sns", "s3"]);
    }
    if f.dead_letter.is_some() {
        s.extend(["sqs", "sns"]);
    }
    if f.kms_key.is_some() {
        s.insert("kms");
    }
    if f.vpc.is_some() {
        s.insert("ec2");
    }
    // Destinations (`EventInvokeConfig`) send results with the function's role.
    if f.properties.get("EventInvokeConfig").is_some() {
        s.extend(["sqs", "sns", "lambda", "events"]);
    }
    s
}

fn check_role(role: &RoleRisk, uses: &[&FunctionUse<'_>], out: &mut Vec<Finding>) {
    // An administrator role grants every service: IAM001/IAM002 report it, with the severity it
    // deserves; listing hundreds of unused services adds nothing.
    if role
        .analysis
        .findings
        .iter()
        .any(|f| f.kind == warden_iam::analysis::FindingKind::AdminEquivalent)
    {
        return;
    }
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut platform: BTreeSet<&str> = BTreeSet::new();
    for u in uses {
        used.extend(u.usage.services());
        platform.extend(platform_services(u.function));
    }
    let calls: Vec<String> = used.iter().cloned().collect();
    let forwarded: Vec<String> = used
        .iter()
        .filter_map(|svc| FORWARD_ACCESS.iter().find(|(s, _)| s == svc))
        .flat_map(|(_, implied)| implied.iter().map(|s| (*s).to_owned()))
        .collect();
    used.extend(forwarded);
    // Unused service → (first granting statement, actions).
    type Statement = (usize, usize);
    let mut unused: BTreeMap<String, (Statement, Vec<String>)> = BTreeMap::new();
    for (info, a) in role.analysis.actions.iter() {
        let svc = info.service().prefix.as_str();
        if used.contains(svc)
            || platform.contains(svc)
            || PERMISSION_ONLY.iter().any(|p| info.to_string() == *p)
        {
            continue;
        }
        let Some(g) = a.grants.iter().find(|g| {
            !role.policies.get(g.policy_index).is_some_and(|p| {
                matches!(&p.source, PolicySource::AwsManaged { name } if BASELINE_POLICIES.contains(&name.as_str()))
            })
        }) else {
            continue;
        };
        let e = unused
            .entry(svc.to_owned())
            .or_insert(((g.policy_index, g.statement_index), Vec::new()));
        e.1.push(info.full_name());
    }
    // One finding per granting statement.
    let mut by_statement: BTreeMap<Statement, Vec<(String, Vec<String>)>> = BTreeMap::new();
    for (svc, (st, actions)) in unused {
        by_statement.entry(st).or_default().push((svc, actions));
    }
    let who = role.subject();
    for ((pi, si), services) in by_statement {
        let Some(origin) = role.statement_origin(pi, si) else {
            continue;
        };
        let all_names: Vec<&str> = services.iter().map(|(s, _)| s.as_str()).collect();
        let mut names: Vec<String> = all_names.iter().take(8).map(|s| (*s).to_owned()).collect();
        if all_names.len() > 8 {
            names.push(format!("{} more services", all_names.len() - 8));
        }
        let actions: Vec<&str> = services
            .iter()
            .flat_map(|(_, a)| a.iter().map(String::as_str))
            .collect();
        let shown = actions
            .iter()
            .take(6)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        let more = if actions.len() > 6 {
            format!(" and {} more", actions.len() - 6)
        } else {
            String::new()
        };
        out.push(META.finding(
            origin,
            Some(role.resource()),
            format!(
                "{who}: the role grants {} that the code never calls ({shown}{more}); the code calls {}",
                names.join(", "),
                if calls.is_empty() {
                    "no AWS service".to_owned()
                } else {
                    calls.join(", ")
                }
            ),
            "remove the grants the code does not use (`warden iam generate` prints the policy the code needs)",
        ));
    }
}

impl Rule for UnusedPermissionGrant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        let uses = function_uses(facts);
        for role in facts.roles {
            if role.functions.is_empty() {
                continue;
            }
            let mine: Vec<&FunctionUse<'_>> = uses
                .iter()
                .filter(|u| u.role.is_some_and(|r| std::ptr::eq(r, role)))
                .collect();
            // Every function of the role must have been read completely.
            if mine.len() != role.functions.len() || !mine.iter().all(|u| u.usage.complete()) {
                continue;
            }
            // Code that makes no SDK call at all is usually a placeholder: nothing to compare.
            if mine.iter().all(|u| u.usage.calls.is_empty()) {
                continue;
            }
            check_role(role, &mine, out);
        }
    }
}
