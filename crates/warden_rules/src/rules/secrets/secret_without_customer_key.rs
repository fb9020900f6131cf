//! SEC006: a Secrets Manager secret encrypted with the AWS managed key.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{present, resources};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an `AWS::SecretsManager::Secret` without a `KmsKeyId`, or with the AWS managed key
/// `alias/aws/secretsmanager`.
///
/// ## Why is this bad?
/// With the AWS managed key, every principal of the account that may call `GetSecretValue` can
/// decrypt the secret: the key policy cannot be narrowed, the secret cannot be shared with another
/// account, and decryption is not separately auditable per key (SAS-7). A customer managed key adds
/// a second, independent permission check.
///
/// ## Insecure example
/// ```yaml
/// ApiKeySecret:
///   Type: AWS::SecretsManager::Secret
///   Properties:
///     Description: payment provider key
/// ```
///
/// ## Secure alternative
/// ```yaml
/// ApiKeySecret:
///   Type: AWS::SecretsManager::Secret
///   Properties:
///     Description: payment provider key
///     KmsKeyId: !Ref SecretsKey
/// ```
///
/// ## References
/// AWS Secrets Manager "Secret encryption and decryption"; OWASP Serverless Top 10 SAS-7; CWE-311.
#[derive(Debug)]
pub struct SecretWithoutCustomerKey;

static META: RuleMeta = RuleMeta {
    code: "SEC006",
    name: "secret-without-customer-key",
    category: Category::Encryption,
    severity: Severity::Low,
    confidence: Confidence::High,
    practice: "encryption: data at rest under a customer-managed key",
    cwe: &[311],
    owasp: &["SAS-7"],
    source: include_str!("secret_without_customer_key.rs"),
};

const HELP: &str = "set `KmsKeyId` to a customer managed KMS key whose policy lets only the secret's readers decrypt";

impl Rule for SecretWithoutCustomerKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for secret in resources(app, &["AWS::SecretsManager::Secret"]) {
            match present(&secret.properties, "KmsKeyId") {
                Some(k) if k.as_str() == Some("alias/aws/secretsmanager") => out.push(META.finding(
                    &k.origin,
                    Some(&secret.id),
                    format!("secret `{}` is encrypted with the AWS managed key `alias/aws/secretsmanager`", secret.id),
                    HELP,
                )),
                Some(_) => {}
                None => out.push(META.finding(
                    &secret.origin,
                    Some(&secret.id),
                    format!("secret `{}` has no customer managed KMS key (`KmsKeyId`): any principal allowed `GetSecretValue` can decrypt it", secret.id),
                    HELP,
                )),
            }
        }
    }
}
