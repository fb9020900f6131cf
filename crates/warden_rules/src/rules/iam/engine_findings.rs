//! Shared reporting for the rules that read the IAM engine's principal analysis: each rule picks
//! the finding kinds it owns; this maps them back to template statements and to model findings.

use crate::facts::ProjectFacts;
use crate::meta::RuleMeta;
use warden_iam::FindingKind;
use warden_model::{Finding, PolicySource, Severity};

/// The execution policies SAM and the Lambda console attach to every function: their grants
/// (log writes on `*`, X-Ray, ENI management for VPC access, pollers) are the documented baseline
/// and flagging them on every function would bury real findings.
const BASELINE_POLICIES: &[&str] = &[
    "AWSLambdaBasicExecutionRole",
    "AWSXrayWriteOnlyAccess",
    "AWSLambdaVPCAccessExecutionRole",
    "AWSLambdaSQSQueueExecutionRole",
    "AWSLambdaKinesisExecutionRole",
    "AWSLambdaDynamoDBExecutionRole",
    "AWSLambdaMSKExecutionRole",
];

/// True when a policy of the role allows `Action: "*"` or `"*:*"` (IAM001's case).
fn grants_every_action(role: &crate::iam_view::RoleRisk) -> bool {
    role.policies
        .iter()
        .filter_map(|p| p.document.as_ref())
        .any(|doc| {
            doc.get("Statement").is_some_and(|stmts| {
                stmts.one_or_many().iter().any(|stmt| {
                    stmt.get("Effect").and_then(|e| e.as_str()) == Some("Allow")
                        && stmt.get("Action").is_some_and(|a| {
                            a.one_or_many()
                                .iter()
                                .any(|x| matches!(x.as_str(), Some("*" | "*:*")))
                        })
                })
            })
        })
}

/// Actions every Lambda function legitimately holds on `*` (logging, tracing, VPC network
/// interfaces): a finding made only of these is the documented baseline, not a risk.
const BASELINE_ACTIONS: &[&str] = &[
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
];

fn severity(s: warden_iam::Severity) -> Severity {
    match s {
        warden_iam::Severity::Info => Severity::Info,
        warden_iam::Severity::Low => Severity::Low,
        warden_iam::Severity::Medium => Severity::Medium,
        warden_iam::Severity::High => Severity::High,
        warden_iam::Severity::Critical => Severity::Critical,
    }
}

/// True when the role is admin-equivalent (an engine finding, or `Action: "*"` in a policy).
pub(crate) fn is_admin(role: &crate::iam_view::RoleRisk) -> bool {
    role.analysis
        .findings
        .iter()
        .any(|f| f.kind == FindingKind::AdminEquivalent)
        || grants_every_action(role)
}

/// True when an engine finding is worth reporting: not made only of the Lambda baseline actions,
/// not lowered to info by a truly limiting condition, not from a baseline execution policy.
pub(crate) fn is_reportable(role: &crate::iam_view::RoleRisk, f: &warden_iam::Finding) -> bool {
    if !f.actions.is_empty()
        && f.actions
            .iter()
            .all(|a| BASELINE_ACTIONS.iter().any(|b| b.eq_ignore_ascii_case(a)))
    {
        return false;
    }
    // A grant a condition truly limits (source ARN or account, org, tags) is lowered by the
    // engine; lowered to info, it is not worth a reviewer's time.
    if f.severity == warden_iam::Severity::Info {
        return false;
    }
    !role.policies.get(f.policy_index).is_some_and(|p| {
        matches!(&p.source, PolicySource::AwsManaged { name } if BASELINE_POLICIES.contains(&name.as_str()))
    })
}

/// The model severity of an engine severity.
pub(crate) fn model_severity(s: warden_iam::Severity) -> Severity {
    severity(s)
}

/// Reports the engine findings of `kinds` for every role. Roles that are already admin-equivalent
/// get only the admin finding (`skip_if_admin`): everything else follows from it.
pub fn report(
    facts: &ProjectFacts<'_>,
    meta: &'static RuleMeta,
    kinds: &[FindingKind],
    skip_if_admin: bool,
    help: &str,
    keep: impl Fn(&crate::iam_view::RoleRisk, &warden_iam::Finding) -> bool,
    out: &mut Vec<Finding>,
) {
    let start = out.len();
    for role in facts.roles {
        // The practice is least privilege per function: roles no function runs as (service roles
        // of API Gateway, ECS, Glue, Firehose…) are out of scope here (IAM001 still sees them).
        if role.functions.is_empty() {
            continue;
        }
        let admin = is_admin(role);
        if skip_if_admin && admin {
            continue;
        }
        for f in &role.analysis.findings {
            if !kinds.contains(&f.kind) || !keep(role, f) || !is_reportable(role, f) {
                continue;
            }
            let Some(origin) = role.statement_origin(f.policy_index, f.statement_index) else {
                continue;
            };
            let limited = if f.limited_by.is_empty() {
                String::new()
            } else {
                format!(" (limited by {})", f.limited_by.join(", "))
            };
            let mut finding = meta.finding(
                origin,
                Some(role.resource()),
                format!(
                    "{}: {}{}{limited}",
                    role.subject(),
                    f.message,
                    role.policy_label(f.policy_index)
                ),
                help,
            );
            finding.severity = severity(f.severity);
            // One finding per statement: further paths through the same statement are counted.
            if let Some(prev) = out[start..]
                .iter_mut()
                .find(|p| p.origin == finding.origin && p.resource == finding.resource)
            {
                prev.related.push(warden_model::Related {
                    origin: finding.origin.clone(),
                    message: f.message.clone(),
                });
                continue;
            }
            out.push(finding);
        }
    }
    for f in &mut out[start..] {
        if !f.related.is_empty() {
            f.message.push_str(&format!(
                " (and {} more through this statement)",
                f.related.len()
            ));
            f.related.clear();
        }
    }
}
