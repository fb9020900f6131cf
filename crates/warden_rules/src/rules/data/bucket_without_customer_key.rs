//! DATA001: an S3 bucket not encrypted with a customer managed KMS key.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{find_key, is_aws_managed_key, resources};
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags an `AWS::S3::Bucket` whose default encryption is not SSE-KMS with a customer managed key:
/// no `BucketEncryption` (S3 then uses SSE-S3), `SSEAlgorithm: AES256`, or `aws:kms` with no
/// `KMSMasterKeyID` or with `alias/aws/s3`. Low severity: S3 encrypts every object at rest by
/// default.
///
/// ## Why is this bad?
/// With S3-managed or AWS managed keys, anyone with `s3:GetObject` reads the data: there is no key
/// policy as a second gate, no per-key audit trail of decryptions, and no way to revoke access by
/// disabling the key (SAS-7).
///
/// ## Insecure example
/// ```yaml
/// Invoices:
///   Type: AWS::S3::Bucket
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Invoices:
///   Type: AWS::S3::Bucket
///   Properties:
///     BucketEncryption:
///       ServerSideEncryptionConfiguration:
///         - ServerSideEncryptionByDefault: {SSEAlgorithm: aws:kms, KMSMasterKeyID: !Ref DataKey}
///           BucketKeyEnabled: true
/// ```
///
/// ## References
/// Amazon S3 "Protecting data with server-side encryption"; OWASP Serverless Top 10 SAS-7; CWE-311.
#[derive(Debug)]
pub struct BucketWithoutCustomerKey;

static META: RuleMeta = RuleMeta {
    code: "DATA001",
    name: "bucket-without-customer-key",
    category: Category::Encryption,
    severity: Severity::Low,
    confidence: Confidence::High,
    practice: "encryption: data at rest under a customer-managed key",
    cwe: &[311],
    owasp: &["SAS-7"],
    source: include_str!("bucket_without_customer_key.rs"),
};

const HELP: &str = "set `BucketEncryption` to `aws:kms` with a customer managed `KMSMasterKeyID` (and `BucketKeyEnabled: true`)";

impl Rule for BucketWithoutCustomerKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for b in resources(app, &["AWS::S3::Bucket"]) {
            let enc = b.properties.get("BucketEncryption");
            let key = enc.and_then(|e| find_key(e, "KMSMasterKeyID"));
            let algo = enc
                .and_then(|e| find_key(e, "SSEAlgorithm"))
                .and_then(Node::as_str);
            let kms = algo.is_some_and(|a| a.starts_with("aws:kms"));
            match key {
                Some(k) if kms && !is_aws_managed_key(k) => continue,
                _ => {}
            }
            if enc.is_some_and(Node::contains_unknown) && key.is_none() && algo.is_none() {
                out.push(META.unverified(
                    &b.origin,
                    Some(&b.id),
                    format!("could not verify the encryption of bucket `{}`: it depends on deploy-time values", b.id),
                    HELP,
                ));
                continue;
            }
            let how = match (algo, key) {
                (None, _) => "S3-managed keys (no `BucketEncryption`)",
                (Some(a), _) if !a.starts_with("aws:kms") => "S3-managed keys (`AES256`)",
                _ => "the AWS managed key `aws/s3`",
            };
            let at = enc.map_or(&b.origin, |e| &e.origin);
            out.push(META.finding(
                at,
                Some(&b.id),
                format!(
                    "bucket `{}` is encrypted with {how}, not a customer managed KMS key",
                    b.id
                ),
                HELP,
            ));
        }
    }
}
