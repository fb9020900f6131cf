//! DATA007: a CloudWatch log group not encrypted with a customer managed KMS key.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{present, resources};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an `AWS::Logs::LogGroup` without `KmsKeyId`. Low severity: CloudWatch Logs encrypts log
/// data at rest with a service key by default.
///
/// ## Why is this bad?
/// Function logs routinely contain request data, identifiers and, by mistake, tokens. Without a
/// customer managed key, everyone with `logs:GetLogEvents` or `logs:StartQuery` reads them, with no
/// key policy as a second gate (SAS-7, SAS-10).
///
/// ## Insecure example
/// ```yaml
/// OrdersLogs:
///   Type: AWS::Logs::LogGroup
///   Properties: {RetentionInDays: 30}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// OrdersLogs:
///   Type: AWS::Logs::LogGroup
///   Properties:
///     RetentionInDays: 30
///     KmsKeyId: !GetAtt LogsKey.Arn
/// ```
///
/// ## References
/// Amazon CloudWatch Logs "Encrypt log data in CloudWatch Logs using AWS KMS"; OWASP Serverless Top
/// 10 SAS-7; CWE-311.
#[derive(Debug)]
pub struct LogGroupWithoutCustomerKey;

static META: RuleMeta = RuleMeta {
    code: "DATA007",
    name: "log-group-without-customer-key",
    category: Category::Encryption,
    severity: Severity::Low,
    confidence: Confidence::High,
    practice: "encryption: data at rest under a customer-managed key",
    cwe: &[311],
    owasp: &["SAS-7"],
    source: include_str!("log_group_without_customer_key.rs"),
};

const HELP: &str = "set `KmsKeyId` to a customer managed key whose policy allows the `logs.<region>.amazonaws.com` principal";

impl Rule for LogGroupWithoutCustomerKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for g in resources(app, &["AWS::Logs::LogGroup"]) {
            if present(&g.properties, "KmsKeyId").is_some() {
                continue;
            }
            out.push(META.finding(
                &g.origin,
                Some(&g.id),
                format!(
                    "log group `{}` has no customer managed KMS key (`KmsKeyId`)",
                    g.id
                ),
                HELP,
            ));
        }
    }
}
