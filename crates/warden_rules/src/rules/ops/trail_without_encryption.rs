//! OPS004: a CloudTrail trail whose logs are not encrypted with a KMS key.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{present, resources};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an `AWS::CloudTrail::Trail` without `KMSKeyId`.
///
/// ## Why is this bad?
/// Trail logs describe every API call of the account, including resource names and caller
/// identities. With S3-managed encryption only, anyone who can read the trail bucket reads them; a
/// KMS key adds a second gate and an audit of decryptions (SAS-10).
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
///     KMSKeyId: !Ref TrailKey
/// ```
///
/// ## References
/// AWS CloudTrail "Encrypting CloudTrail log files with AWS KMS keys (SSE-KMS)"; AWS Security Hub
/// CloudTrail.2; OWASP Serverless Top 10 SAS-10; CWE-311.
#[derive(Debug)]
pub struct TrailWithoutEncryption;

static META: RuleMeta = RuleMeta {
    code: "OPS004",
    name: "trail-without-encryption",
    category: Category::Encryption,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "operations: logging, tracing, audit trail",
    cwe: &[311],
    owasp: &["SAS-10"],
    source: include_str!("trail_without_encryption.rs"),
};

const HELP: &str = "set `KMSKeyId` to a customer managed key whose policy allows `cloudtrail.amazonaws.com` to encrypt";

impl Rule for TrailWithoutEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for t in resources(app, &["AWS::CloudTrail::Trail"]) {
            if present(&t.properties, "KMSKeyId").is_some() {
                continue;
            }
            out.push(META.finding(
                &t.origin,
                Some(&t.id),
                format!(
                    "trail `{}` writes its logs without KMS encryption (`KMSKeyId`)",
                    t.id
                ),
                HELP,
            ));
        }
    }
}
