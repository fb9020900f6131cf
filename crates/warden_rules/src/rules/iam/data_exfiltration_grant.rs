//! IAM006: object, secret or parameter reads on unconstrained resources.

use super::engine_findings::report;
use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_iam::FindingKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags reads of objects, secrets or parameters on every resource: `s3:GetObject`,
/// `secretsmanager:GetSecretValue`, `ssm:GetParameter*`, `kms:Decrypt` and similar on `*`.
///
/// ## Why is this bad?
/// A compromised function can read every object, secret and parameter in the account, not only its
/// own (SAS-4, SAS-7, CWE-200).
///
/// ## Insecure example
/// ```yaml
/// Statement:
///   - Effect: Allow
///     Action: secretsmanager:GetSecretValue
///     Resource: "*"
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Policies:
///   - AWSSecretsManagerGetSecretValuePolicy:
///       SecretArn: !Ref DbSecret
/// ```
///
/// ## References
/// AWS Secrets Manager "Authentication and access control"; OWASP Serverless Top 10 SAS-4; CWE-200.
#[derive(Debug)]
pub struct DataExfiltrationGrant;

static META: RuleMeta = RuleMeta {
    code: "IAM006",
    name: "data-exfiltration-grant",
    category: Category::Iam,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "identity: least privilege per function",
    cwe: &[200],
    owasp: &["SAS-4"],
    source: include_str!("data_exfiltration_grant.rs"),
};

impl Rule for DataExfiltrationGrant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        report(
            facts,
            &META,
            &[FindingKind::DataExfiltration],
            true,
            "scope the read to the function's own bucket prefix, secret or parameter path",
            |_, _| true,
            out,
        );
    }
}
