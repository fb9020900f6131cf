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

fn severity(s: warden_iam::Severity) -> Severity {
    match s {
        warden_iam::Severity::Info => Severity::Info,
        warden_iam::Severity::Low => Severity::Low,
        warden_iam::Severity::Medium => Severity::Medium,
        warden_iam::Severity::High => Severity::High,
        warden_iam::Severity::Critical => Severity::Critical,
    }
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
    for role in facts.roles {
        let admin = role
            .analysis
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::AdminEquivalent);
        if skip_if_admin && admin {
            continue;
        }
        for f in &role.analysis.findings {
            if !kinds.contains(&f.kind) || !keep(role, f) {
                continue;
            }
            let baseline = role.policies.get(f.policy_index).is_some_and(|p| {
                matches!(&p.source, PolicySource::AwsManaged { name } if BASELINE_POLICIES.contains(&name.as_str()))
            });
            if baseline {
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
            out.push(finding);
        }
    }
}
