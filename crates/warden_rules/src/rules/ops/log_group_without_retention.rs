//! OPS002: a CloudWatch log group that keeps logs forever.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{present, resources};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an `AWS::Logs::LogGroup` without `RetentionInDays`.
///
/// ## Why is this bad?
/// Logs without retention are kept forever: personal data and accidentally logged tokens accumulate
/// with no end date (a data-protection liability), and storage is billed indefinitely (SAS-7).
///
/// ## Insecure example
/// ```yaml
/// OrdersLogs:
///   Type: AWS::Logs::LogGroup
///   Properties:
///     LogGroupName: /aws/lambda/orders
/// ```
///
/// ## Secure alternative
/// ```yaml
/// OrdersLogs:
///   Type: AWS::Logs::LogGroup
///   Properties:
///     LogGroupName: /aws/lambda/orders
///     RetentionInDays: 90
/// ```
///
/// ## References
/// Amazon CloudWatch Logs "Change log data retention"; AWS Security Hub CloudWatch.16; OWASP
/// Serverless Top 10 SAS-10; CWE-779.
#[derive(Debug)]
pub struct LogGroupWithoutRetention;

static META: RuleMeta = RuleMeta {
    code: "OPS002",
    name: "log-group-without-retention",
    category: Category::Logging,
    severity: Severity::Low,
    confidence: Confidence::High,
    practice: "operations: logging, tracing, audit trail",
    cwe: &[779],
    owasp: &["SAS-10"],
    source: include_str!("log_group_without_retention.rs"),
};

const HELP: &str = "set `RetentionInDays` to what audits and investigations need (e.g. 90 or 365)";

impl Rule for LogGroupWithoutRetention {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for g in resources(app, &["AWS::Logs::LogGroup"]) {
            if present(&g.properties, "RetentionInDays").is_some() {
                continue;
            }
            out.push(META.finding(
                &g.origin,
                Some(&g.id),
                format!(
                    "log group `{}` keeps logs forever (no `RetentionInDays`)",
                    g.id
                ),
                HELP,
            ));
        }
    }
}
