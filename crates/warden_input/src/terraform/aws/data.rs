//! Data stores and the services around them, in their CloudFormation shapes: S3 (with the split
//! `aws_s3_bucket_*` resources merged into the bucket), SQS, SNS, DynamoDB, Kinesis, KMS, Secrets
//! Manager (secret versions and rotation), SSM parameters, CloudWatch log groups, CloudTrail and
//! Cognito user and identity pools. Inline `policy` arguments of buckets, queues and topics become
//! the matching policy resources (`<address>/policy`).

use super::shape::{Props, block, blocks, policy, renamed};
use super::{Cfn, Ctx, find};
use crate::terraform::TfResource;
use crate::terraform::values::{bool_node, list, map, str_node};
use warden_model::{Node, Val};

pub fn convert(r: &TfResource, ctx: &Ctx<'_>, out: &mut Vec<Cfn>) {
    let b = &r.body;
    let mut p = Props::new(&r.origin);
    let kind = match r.kind.as_str() {
        "aws_s3_bucket" => {
            p.copy(b, "bucket", "BucketName");
            if let Some((k, acl)) = b.entry("acl") {
                p.put("AccessControl", &k.origin, canned_acl(acl));
            }
            if let Some(sse) = block(b, "server_side_encryption_configuration") {
                p.put("BucketEncryption", &sse.origin, bucket_encryption(sse));
            }
            if let Some(v) = block(b, "versioning") {
                let on = v.get("enabled").and_then(Node::as_bool) == Some(true);
                let status = str_node(if on { "Enabled" } else { "Suspended" }, &v.origin);
                p.put(
                    "VersioningConfiguration",
                    &v.origin,
                    map(
                        vec![(crate::terraform::values::key("Status", &v.origin), status)],
                        &v.origin,
                    ),
                );
            }
            if let Some(l) = block(b, "logging") {
                p.put("LoggingConfiguration", &l.origin, logging(l));
            }
            inline_policy(r, "AWS::S3::BucketPolicy", "Bucket", false, out);
            "AWS::S3::Bucket"
        }
        "aws_s3_bucket_policy" => {
            if let Some((k, v)) = b.entry("bucket") {
                p.put("Bucket", &k.origin, ctx.link(v, "aws_s3_bucket"));
            }
            if let Some((k, v)) = b.entry("policy") {
                p.put("PolicyDocument", &k.origin, policy(v));
            }
            "AWS::S3::BucketPolicy"
        }
        "aws_sqs_queue" => {
            p.copy_all(
                b,
                &[
                    ("name", "QueueName"),
                    ("kms_master_key_id", "KmsMasterKeyId"),
                    (
                        "kms_data_key_reuse_period_seconds",
                        "KmsDataKeyReusePeriodSeconds",
                    ),
                    ("sqs_managed_sse_enabled", "SqsManagedSseEnabled"),
                    ("fifo_queue", "FifoQueue"),
                    ("visibility_timeout_seconds", "VisibilityTimeout"),
                    ("message_retention_seconds", "MessageRetentionPeriod"),
                ],
            );
            if let Some((k, v)) = b.entry("redrive_policy") {
                p.put("RedrivePolicy", &k.origin, policy(v));
            }
            inline_policy(r, "AWS::SQS::QueuePolicy", "Queues", true, out);
            "AWS::SQS::Queue"
        }
        "aws_sqs_queue_policy" => {
            if let Some((k, v)) = b.entry("queue_url") {
                p.put(
                    "Queues",
                    &k.origin,
                    list(vec![ctx.link(v, "aws_sqs_queue")], &v.origin),
                );
            }
            if let Some((k, v)) = b.entry("policy") {
                p.put("PolicyDocument", &k.origin, policy(v));
            }
            "AWS::SQS::QueuePolicy"
        }
        "aws_sns_topic" => {
            p.copy_all(
                b,
                &[
                    ("name", "TopicName"),
                    ("kms_master_key_id", "KmsMasterKeyId"),
                    ("fifo_topic", "FifoTopic"),
                ],
            );
            inline_policy(r, "AWS::SNS::TopicPolicy", "Topics", true, out);
            "AWS::SNS::Topic"
        }
        "aws_sns_topic_policy" => {
            if let Some((k, v)) = b.entry("arn") {
                p.put(
                    "Topics",
                    &k.origin,
                    list(vec![ctx.link(v, "aws_sns_topic")], &v.origin),
                );
            }
            if let Some((k, v)) = b.entry("policy") {
                p.put("PolicyDocument", &k.origin, policy(v));
            }
            "AWS::SNS::TopicPolicy"
        }
        "aws_dynamodb_table" => {
            p.copy_all(b, &[("name", "TableName"), ("billing_mode", "BillingMode")]);
            if let Some(sse) = block(b, "server_side_encryption") {
                let mut s = Props::new(&sse.origin);
                s.copy_all(
                    sse,
                    &[("enabled", "SSEEnabled"), ("kms_key_arn", "KMSMasterKeyId")],
                );
                if sse.get("enabled").and_then(Node::as_bool) == Some(true) {
                    s.put("SSEType", &sse.origin, str_node("KMS", &sse.origin));
                }
                p.put("SSESpecification", &sse.origin, s.into_node());
            }
            if b.get("stream_enabled").and_then(Node::as_bool) == Some(true) {
                let mut s = Props::new(&r.origin);
                s.copy(b, "stream_view_type", "StreamViewType");
                p.put("StreamSpecification", &r.origin, s.into_node());
            }
            if let Some(pitr) = block(b, "point_in_time_recovery") {
                p.put(
                    "PointInTimeRecoverySpecification",
                    &pitr.origin,
                    renamed(pitr, &[("enabled", "PointInTimeRecoveryEnabled")]),
                );
            }
            "AWS::DynamoDB::Table"
        }
        "aws_kinesis_stream" => {
            p.copy(b, "name", "Name");
            let encrypted = b
                .get("encryption_type")
                .is_some_and(|t| t.is_unknown() || t.as_str().is_some_and(|s| s != "NONE"));
            if encrypted && let Some((k, _)) = b.entry("encryption_type") {
                let enc = renamed(
                    b,
                    &[
                        ("encryption_type", "EncryptionType"),
                        ("kms_key_id", "KeyId"),
                    ],
                );
                p.put("StreamEncryption", &k.origin, enc);
            }
            "AWS::Kinesis::Stream"
        }
        "aws_kms_key" => {
            p.copy_all(
                b,
                &[
                    ("description", "Description"),
                    ("enable_key_rotation", "EnableKeyRotation"),
                    ("customer_master_key_spec", "KeySpec"),
                    ("key_usage", "KeyUsage"),
                    ("multi_region", "MultiRegion"),
                ],
            );
            if let Some((k, v)) = b.entry("policy") {
                p.put("KeyPolicy", &k.origin, policy(v));
            }
            "AWS::KMS::Key"
        }
        "aws_secretsmanager_secret" => {
            p.copy_all(
                b,
                &[
                    ("name", "Name"),
                    ("kms_key_id", "KmsKeyId"),
                    ("description", "Description"),
                ],
            );
            "AWS::SecretsManager::Secret"
        }
        "aws_secretsmanager_secret_rotation" => {
            p.copy(b, "rotation_lambda_arn", "RotationLambdaARN");
            if let Some((k, v)) = b.entry("secret_id") {
                p.put(
                    "SecretId",
                    &k.origin,
                    ctx.link(v, "aws_secretsmanager_secret"),
                );
            }
            if let Some(rules) = block(b, "rotation_rules") {
                p.put(
                    "RotationRules",
                    &rules.origin,
                    renamed(
                        rules,
                        &[
                            ("automatically_after_days", "AutomaticallyAfterDays"),
                            ("schedule_expression", "ScheduleExpression"),
                            ("duration", "Duration"),
                        ],
                    ),
                );
            }
            "AWS::SecretsManager::RotationSchedule"
        }
        "aws_ssm_parameter" => {
            p.copy_all(
                b,
                &[
                    ("name", "Name"),
                    ("type", "Type"),
                    ("value", "Value"),
                    ("insecure_value", "Value"),
                    ("description", "Description"),
                    ("tier", "Tier"),
                ],
            );
            "AWS::SSM::Parameter"
        }
        "aws_cloudwatch_log_group" => {
            p.copy_all(b, &[("name", "LogGroupName"), ("kms_key_id", "KmsKeyId")]);
            // Terraform's 0 means "never expire", CloudFormation's absent property.
            if let Some((k, v)) = b.entry("retention_in_days")
                && v.as_i64() != Some(0)
                && !matches!(v.val, Val::Null)
            {
                p.put("RetentionInDays", &k.origin, v.clone());
            }
            "AWS::Logs::LogGroup"
        }
        "aws_cloudtrail" => {
            p.copy_all(
                b,
                &[
                    ("name", "TrailName"),
                    ("s3_bucket_name", "S3BucketName"),
                    ("kms_key_id", "KMSKeyId"),
                    ("enable_log_file_validation", "EnableLogFileValidation"),
                    ("is_multi_region_trail", "IsMultiRegionTrail"),
                    ("cloud_watch_logs_group_arn", "CloudWatchLogsLogGroupArn"),
                ],
            );
            if !p.copy(b, "enable_logging", "IsLogging") {
                p.put("IsLogging", &r.origin, bool_node(true, &r.origin));
            }
            "AWS::CloudTrail::Trail"
        }
        "aws_cognito_user_pool" => {
            p.copy_all(
                b,
                &[
                    ("name", "UserPoolName"),
                    ("mfa_configuration", "MfaConfiguration"),
                ],
            );
            if let Some(pp) = block(b, "password_policy") {
                let policy = renamed(
                    pp,
                    &[
                        ("minimum_length", "MinimumLength"),
                        ("require_lowercase", "RequireLowercase"),
                        ("require_numbers", "RequireNumbers"),
                        ("require_symbols", "RequireSymbols"),
                        ("require_uppercase", "RequireUppercase"),
                        (
                            "temporary_password_validity_days",
                            "TemporaryPasswordValidityDays",
                        ),
                    ],
                );
                let wrapped = map(
                    vec![(
                        crate::terraform::values::key("PasswordPolicy", &pp.origin),
                        policy,
                    )],
                    &pp.origin,
                );
                p.put("Policies", &pp.origin, wrapped);
            }
            "AWS::Cognito::UserPool"
        }
        "aws_cognito_identity_pool" => {
            p.copy_all(
                b,
                &[
                    ("identity_pool_name", "IdentityPoolName"),
                    (
                        "allow_unauthenticated_identities",
                        "AllowUnauthenticatedIdentities",
                    ),
                    ("allow_classic_flow", "AllowClassicFlow"),
                ],
            );
            "AWS::Cognito::IdentityPool"
        }
        "aws_cognito_identity_pool_roles_attachment" => {
            p.copy_all(
                b,
                &[("identity_pool_id", "IdentityPoolId"), ("roles", "Roles")],
            );
            "AWS::Cognito::IdentityPoolRoleAttachment"
        }
        _ => return,
    };
    out.push(Cfn::new(r, kind, p));
}

/// A bucket's, queue's or topic's inline `policy` argument as its policy resource.
fn inline_policy(
    r: &TfResource,
    kind: &'static str,
    target_key: &str,
    as_list: bool,
    out: &mut Vec<Cfn>,
) {
    let Some((k, doc)) = r.body.entry("policy") else {
        return;
    };
    if matches!(doc.val, Val::Null) {
        return;
    }
    let reference =
        crate::terraform::aws::shape::reference_to(&r.address, &str_node("", &k.origin));
    let mut p = Props::new(&k.origin);
    let target = if as_list {
        list(vec![reference], &k.origin)
    } else {
        reference
    };
    p.put(target_key, &k.origin, target);
    p.put("PolicyDocument", &k.origin, policy(doc));
    out.push(Cfn {
        id: format!("{}/policy", r.address),
        kind,
        origin: k.origin.clone(),
        props: p,
    });
}

/// TF canned ACL names (`public-read`) as CloudFormation's (`PublicRead`).
fn canned_acl(acl: &Node) -> Node {
    let Some(s) = acl.as_str() else {
        return acl.clone();
    };
    let pascal: String = s
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    str_node(pascal, &acl.origin)
}

/// `rule { apply_server_side_encryption_by_default { ... } bucket_key_enabled }` blocks as
/// `{ServerSideEncryptionConfiguration: [...]}`.
fn bucket_encryption(cfg: &Node) -> Node {
    let mut p = Props::new(&cfg.origin);
    for rule in blocks(cfg, "rule") {
        let mut item = Props::new(&rule.origin);
        if let Some(d) = block(rule, "apply_server_side_encryption_by_default") {
            item.put(
                "ServerSideEncryptionByDefault",
                &d.origin,
                renamed(
                    d,
                    &[
                        ("sse_algorithm", "SSEAlgorithm"),
                        ("kms_master_key_id", "KMSMasterKeyID"),
                    ],
                ),
            );
        }
        item.copy(rule, "bucket_key_enabled", "BucketKeyEnabled");
        p.push_item(
            "ServerSideEncryptionConfiguration",
            &rule.origin,
            item.into_node(),
        );
    }
    p.into_node()
}

fn logging(l: &Node) -> Node {
    renamed(
        l,
        &[
            ("target_bucket", "DestinationBucketName"),
            ("target_prefix", "LogFilePrefix"),
        ],
    )
}

/// The bucket declared here that a split `aws_s3_bucket_*` resource configures.
fn bucket_of<'a>(r: &TfResource, ctx: &Ctx<'_>, out: &'a mut [Cfn]) -> Option<&'a mut Cfn> {
    let bucket = ctx.link(r.body.get("bucket")?, "aws_s3_bucket");
    let t = ctx.target(&bucket)?;
    find(out, &t.address)
}

pub fn merge(r: &TfResource, ctx: &Ctx<'_>, out: &mut [Cfn]) {
    let b = &r.body;
    match r.kind.as_str() {
        "aws_s3_bucket_server_side_encryption_configuration" => {
            if let Some(c) = bucket_of(r, ctx, out) {
                c.props
                    .put("BucketEncryption", &r.origin, bucket_encryption(b));
            }
        }
        "aws_s3_bucket_acl" => {
            if let Some((k, acl)) = b.entry("acl")
                && let Some(c) = bucket_of(r, ctx, out)
            {
                c.props.put("AccessControl", &k.origin, canned_acl(acl));
            }
        }
        "aws_s3_bucket_versioning" => {
            if let Some(v) = block(b, "versioning_configuration")
                && let Some(c) = bucket_of(r, ctx, out)
            {
                c.props.put(
                    "VersioningConfiguration",
                    &v.origin,
                    renamed(v, &[("status", "Status")]),
                );
            }
        }
        "aws_s3_bucket_logging" => {
            if let Some(c) = bucket_of(r, ctx, out) {
                c.props.put("LoggingConfiguration", &r.origin, logging(b));
            }
        }
        "aws_s3_bucket_public_access_block" => {
            if let Some(c) = bucket_of(r, ctx, out) {
                let cfg = renamed(
                    b,
                    &[
                        ("block_public_acls", "BlockPublicAcls"),
                        ("block_public_policy", "BlockPublicPolicy"),
                        ("ignore_public_acls", "IgnorePublicAcls"),
                        ("restrict_public_buckets", "RestrictPublicBuckets"),
                    ],
                );
                c.props
                    .put("PublicAccessBlockConfiguration", &r.origin, cfg);
            }
        }
        "aws_secretsmanager_secret_version" => {
            let Some(secret) = b
                .get("secret_id")
                .map(|v| ctx.link(v, "aws_secretsmanager_secret"))
            else {
                return;
            };
            let Some(t) = ctx.target(&secret) else {
                return;
            };
            if let Some(c) = find(out, &t.address)
                && let Some((k, v)) = b.entry("secret_string")
            {
                c.props.put("SecretString", &k.origin, v.clone());
            }
        }
        _ => {}
    }
}
