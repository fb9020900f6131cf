//! DATA006: a Kinesis data stream without server-side encryption.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{is_aws_managed_key, present, resources};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an `AWS::Kinesis::Stream` without `StreamEncryption`, and, at low severity, one encrypted
/// with the AWS managed key `alias/aws/kinesis`.
///
/// ## Why is this bad?
/// Kinesis does not encrypt records at rest unless `StreamEncryption` is set: event payloads (click
/// streams, orders, telemetry with personal data) are stored in clear for the retention period
/// (SAS-7).
///
/// ## Insecure example
/// ```yaml
/// Clicks:
///   Type: AWS::Kinesis::Stream
///   Properties: {ShardCount: 1}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Clicks:
///   Type: AWS::Kinesis::Stream
///   Properties:
///     ShardCount: 1
///     StreamEncryption: {EncryptionType: KMS, KeyId: !Ref DataKey}
/// ```
///
/// ## References
/// Amazon Kinesis Data Streams "Data protection: server-side encryption"; AWS Security Hub
/// Kinesis.1; OWASP Serverless Top 10 SAS-7; CWE-311.
#[derive(Debug)]
pub struct StreamUnencrypted;

static META: RuleMeta = RuleMeta {
    code: "DATA006",
    name: "stream-unencrypted",
    category: Category::Encryption,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "encryption: data at rest under a customer-managed key",
    cwe: &[311],
    owasp: &["SAS-7"],
    source: include_str!("stream_unencrypted.rs"),
};

const HELP: &str = "set `StreamEncryption: {EncryptionType: KMS, KeyId: <customer managed key>}`";

impl Rule for StreamUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for s in resources(app, &["AWS::Kinesis::Stream"]) {
            match present(&s.properties, "StreamEncryption") {
                None => out.push(META.finding(
                    &s.origin,
                    Some(&s.id),
                    format!(
                        "stream `{}` stores records unencrypted (no `StreamEncryption`)",
                        s.id
                    ),
                    HELP,
                )),
                Some(enc) => {
                    if let Some(k) = enc.get("KeyId").filter(|k| is_aws_managed_key(k)) {
                        let mut f = META.finding(
                            &k.origin,
                            Some(&s.id),
                            format!("stream `{}` is encrypted with the AWS managed key, not a customer managed key", s.id),
                            HELP,
                        );
                        f.severity = Severity::Low;
                        out.push(f);
                    }
                }
            }
        }
    }
}
