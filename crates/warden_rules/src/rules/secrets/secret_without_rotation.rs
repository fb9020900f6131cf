//! SEC005: a Secrets Manager secret with no rotation schedule.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{refers_to, resources};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an `AWS::SecretsManager::Secret` that no `AWS::SecretsManager::RotationSchedule` in the
/// template targets.
///
/// ## Why is this bad?
/// A secret that never changes stays valid forever once it leaks (a log line, a former employee, a
/// compromised function). Rotation limits how long a stolen credential is useful (SAS-7). Secrets
/// that cannot be rotated automatically (a third party's API key) should be rotated by hand on a
/// schedule; suppress the finding there with a reason.
///
/// ## Insecure example
/// ```yaml
/// DbSecret:
///   Type: AWS::SecretsManager::Secret
///   Properties:
///     GenerateSecretString: {SecretStringTemplate: '{"username":"app"}', GenerateStringKey: password}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// DbSecretRotation:
///   Type: AWS::SecretsManager::RotationSchedule
///   Properties:
///     SecretId: !Ref DbSecret
///     HostedRotationLambda: {RotationType: PostgreSQLSingleUser}
///     RotationRules: {AutomaticallyAfterDays: 30}
/// ```
///
/// ## References
/// AWS Secrets Manager "Rotate AWS Secrets Manager secrets"; AWS Security Hub SecretsManager.1;
/// OWASP Serverless Top 10 SAS-7; CWE-324.
#[derive(Debug)]
pub struct SecretWithoutRotation;

static META: RuleMeta = RuleMeta {
    code: "SEC005",
    name: "secret-without-rotation",
    category: Category::Config,
    severity: Severity::Low,
    confidence: Confidence::Medium,
    practice: "secrets: fetched at run time, cached, rotated",
    cwe: &[324],
    owasp: &["SAS-7"],
    source: include_str!("secret_without_rotation.rs"),
};

const HELP: &str = "add an `AWS::SecretsManager::RotationSchedule` for the secret (hosted rotation for RDS, or a rotation function)";

impl Rule for SecretWithoutRotation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        let schedules: Vec<_> = resources(app, &["AWS::SecretsManager::RotationSchedule"])
            .filter_map(|r| r.properties.get("SecretId"))
            .collect();
        for secret in resources(app, &["AWS::SecretsManager::Secret"]) {
            if schedules.iter().any(|s| refers_to(s, &secret.id)) {
                continue;
            }
            out.push(META.finding(
                &secret.origin,
                Some(&secret.id),
                format!(
                    "secret `{}` is never rotated: no rotation schedule targets it",
                    secret.id
                ),
                HELP,
            ));
        }
    }
}
