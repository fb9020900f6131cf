//! DATA008: a symmetric KMS key without automatic rotation.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::resources;
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags an `AWS::KMS::Key` for symmetric encryption (`KeySpec` absent or `SYMMETRIC_DEFAULT`,
/// `KeyUsage` absent or `ENCRYPT_DECRYPT`) without `EnableKeyRotation: true`. Asymmetric and HMAC
/// keys cannot rotate automatically and are not flagged.
///
/// ## Why is this bad?
/// Key material that never changes protects ever more data: if it is ever exposed, every object,
/// message and secret encrypted under it is exposed too (SAS-7).
///
/// ## Insecure example
/// ```yaml
/// DataKey:
///   Type: AWS::KMS::Key
///   Properties:
///     KeyPolicy: {Version: "2012-10-17", Statement: []}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// DataKey:
///   Type: AWS::KMS::Key
///   Properties:
///     EnableKeyRotation: true
///     KeyPolicy: {Version: "2012-10-17", Statement: []}
/// ```
///
/// ## References
/// AWS KMS "Rotate AWS KMS keys"; AWS Security Hub KMS.4; OWASP Serverless Top 10 SAS-7; CWE-320.
#[derive(Debug)]
pub struct KmsKeyWithoutRotation;

static META: RuleMeta = RuleMeta {
    code: "DATA008",
    name: "kms-key-without-rotation",
    category: Category::Encryption,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "encryption: data at rest under a customer-managed key",
    cwe: &[320],
    owasp: &["SAS-7"],
    source: include_str!("kms_key_without_rotation.rs"),
};

const HELP: &str = "set `EnableKeyRotation: true` (optionally `RotationPeriodInDays`)";

impl Rule for KmsKeyWithoutRotation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for k in resources(app, &["AWS::KMS::Key"]) {
            let p = &k.properties;
            let symmetric = p
                .get("KeySpec")
                .and_then(Node::as_str)
                .is_none_or(|s| s == "SYMMETRIC_DEFAULT");
            let encrypts = p
                .get("KeyUsage")
                .and_then(Node::as_str)
                .is_none_or(|u| u == "ENCRYPT_DECRYPT");
            if !(symmetric && encrypts) {
                continue;
            }
            match p.get("EnableKeyRotation") {
                Some(r) if r.is_unknown() => out.push(META.unverified(
                    &r.origin,
                    Some(&k.id),
                    format!(
                        "could not verify rotation of KMS key `{}`: it depends on {r}",
                        k.id
                    ),
                    HELP,
                )),
                Some(r) if r.as_bool() == Some(true) => {}
                other => out.push(META.finding(
                    other.map_or(&k.origin, |r| &r.origin),
                    Some(&k.id),
                    format!(
                        "KMS key `{}` is never rotated (`EnableKeyRotation` is not `true`)",
                        k.id
                    ),
                    HELP,
                )),
            }
        }
    }
}
