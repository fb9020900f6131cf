//! DATA004: an SQS queue not encrypted with a customer managed KMS key (or not encrypted at all).

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{is_aws_managed_key, present, resources};
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags an `AWS::SQS::Queue` without a customer managed `KmsMasterKeyId`. Low severity when the
/// queue uses SQS-managed encryption (the default) or the AWS managed key `alias/aws/sqs`; medium
/// when `SqsManagedSseEnabled: false` leaves it unencrypted.
///
/// ## Why is this bad?
/// Messages often carry orders, personal data and tokens. Without a customer managed key anyone
/// with `sqs:ReceiveMessage` reads them, with no key policy as a second gate; with encryption
/// turned off they sit in clear on disk (SAS-7).
///
/// ## Insecure example
/// ```yaml
/// Jobs:
///   Type: AWS::SQS::Queue
///   Properties:
///     SqsManagedSseEnabled: false
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Jobs:
///   Type: AWS::SQS::Queue
///   Properties:
///     KmsMasterKeyId: !Ref DataKey
/// ```
///
/// ## References
/// Amazon SQS "Encryption at rest"; AWS Security Hub SQS.1; OWASP Serverless Top 10 SAS-7; CWE-311.
#[derive(Debug)]
pub struct QueueWithoutCustomerKey;

static META: RuleMeta = RuleMeta {
    code: "DATA004",
    name: "queue-without-customer-key",
    category: Category::Encryption,
    severity: Severity::Low,
    confidence: Confidence::High,
    practice: "encryption: data at rest under a customer-managed key",
    cwe: &[311],
    owasp: &["SAS-7"],
    source: include_str!("queue_without_customer_key.rs"),
};

const HELP: &str = "set `KmsMasterKeyId` to a customer managed KMS key (its policy must let the producers' services use it)";

impl Rule for QueueWithoutCustomerKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for q in resources(app, &["AWS::SQS::Queue"]) {
            let key = present(&q.properties, "KmsMasterKeyId");
            if key.is_some_and(|k| !is_aws_managed_key(k)) {
                continue;
            }
            let sse_off = q
                .properties
                .get("SqsManagedSseEnabled")
                .and_then(Node::as_bool)
                == Some(false);
            if key.is_none() && sse_off {
                let mut f = META.finding(
                    &q.properties.get("SqsManagedSseEnabled").map_or(&q.origin, |n| &n.origin).clone(),
                    Some(&q.id),
                    format!("queue `{}` is not encrypted at rest (`SqsManagedSseEnabled: false` and no KMS key)", q.id),
                    HELP,
                );
                f.severity = Severity::Medium;
                out.push(f);
            } else {
                out.push(META.finding(
                    &q.origin,
                    Some(&q.id),
                    format!("queue `{}` is encrypted with an SQS-managed or AWS managed key, not a customer managed KMS key", q.id),
                    HELP,
                ));
            }
        }
    }
}
