//! DATA005: an SNS topic without KMS server-side encryption.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{is_aws_managed_key, present, resources};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an `AWS::SNS::Topic` without `KmsMasterKeyId` (no server-side encryption), and, at low
/// severity, one encrypted with the AWS managed key `alias/aws/sns`.
///
/// ## Why is this bad?
/// SNS does not encrypt topics with KMS unless asked to: notifications carrying personal data or
/// tokens are stored without a key that access can be revoked through, and anyone allowed
/// `sns:Subscribe` or `sns:Publish` needs no key permission (SAS-7).
///
/// ## Insecure example
/// ```yaml
/// OrderEvents:
///   Type: AWS::SNS::Topic
/// ```
///
/// ## Secure alternative
/// ```yaml
/// OrderEvents:
///   Type: AWS::SNS::Topic
///   Properties:
///     KmsMasterKeyId: !Ref DataKey
/// ```
///
/// ## References
/// Amazon SNS "Encryption at rest"; AWS Security Hub SNS.1; OWASP Serverless Top 10 SAS-7; CWE-311.
#[derive(Debug)]
pub struct TopicUnencrypted;

static META: RuleMeta = RuleMeta {
    code: "DATA005",
    name: "topic-unencrypted",
    category: Category::Encryption,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "encryption: data at rest under a customer-managed key",
    cwe: &[311],
    owasp: &["SAS-7"],
    source: include_str!("topic_unencrypted.rs"),
};

const HELP: &str = "set `KmsMasterKeyId` to a customer managed KMS key whose policy lets the publishing services use it";

impl Rule for TopicUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for t in resources(app, &["AWS::SNS::Topic"]) {
            match present(&t.properties, "KmsMasterKeyId") {
                None => out.push(META.finding(
                    &t.origin,
                    Some(&t.id),
                    format!(
                        "topic `{}` has no server-side encryption (`KmsMasterKeyId`)",
                        t.id
                    ),
                    HELP,
                )),
                Some(k) if is_aws_managed_key(k) => {
                    let mut f = META.finding(
                        &k.origin,
                        Some(&t.id),
                        format!("topic `{}` is encrypted with the AWS managed key `alias/aws/sns`, not a customer managed key", t.id),
                        HELP,
                    );
                    f.severity = Severity::Low;
                    out.push(f);
                }
                Some(_) => {}
            }
        }
    }
}
