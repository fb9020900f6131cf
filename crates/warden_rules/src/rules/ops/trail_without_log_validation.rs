//! OPS003: a CloudTrail trail without log file integrity validation.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::resources;
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags an `AWS::CloudTrail::Trail` without `EnableLogFileValidation: true`.
///
/// ## Why is this bad?
/// Without digest files, an intruder who reaches the trail bucket can delete or rewrite log files
/// and nobody can prove it: the audit trail is no longer evidence (SAS-10).
///
/// ## Insecure example
/// ```yaml
/// Trail:
///   Type: AWS::CloudTrail::Trail
///   Properties: {IsLogging: true, S3BucketName: !Ref TrailBucket}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Trail:
///   Type: AWS::CloudTrail::Trail
///   Properties:
///     IsLogging: true
///     S3BucketName: !Ref TrailBucket
///     EnableLogFileValidation: true
/// ```
///
/// ## References
/// AWS CloudTrail "Validating CloudTrail log file integrity"; AWS Security Hub CloudTrail.4;
/// OWASP Serverless Top 10 SAS-10; CWE-354.
#[derive(Debug)]
pub struct TrailWithoutLogValidation;

static META: RuleMeta = RuleMeta {
    code: "OPS003",
    name: "trail-without-log-validation",
    category: Category::Logging,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "operations: logging, tracing, audit trail",
    cwe: &[354],
    owasp: &["SAS-10"],
    source: include_str!("trail_without_log_validation.rs"),
};

const HELP: &str = "set `EnableLogFileValidation: true` on the trail";

impl Rule for TrailWithoutLogValidation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for t in resources(app, &["AWS::CloudTrail::Trail"]) {
            let flag = t.properties.get("EnableLogFileValidation");
            if flag.is_some_and(|f| f.is_unknown() || f.as_bool() == Some(true)) {
                continue;
            }
            out.push(META.finding(
                flag.map_or(&t.origin, |f: &Node| &f.origin),
                Some(&t.id),
                format!("trail `{}` does not validate log files: tampering with the audit trail goes unnoticed", t.id),
                HELP,
            ));
        }
    }
}
