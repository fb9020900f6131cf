//! DATA009: a function whose environment holds secret-named variables without a customer key.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a function with environment variables whose names announce secrets (`DB_PASSWORD`,
/// `API_TOKEN`, `CLIENT_SECRET`…) and no `KmsKeyArn`. Variables that only name a secret
/// (`DB_SECRET_ARN`, `TOKEN_PARAM`) do not count. Whether the value itself is a literal secret is
/// SEC001's concern; this rule is about how the value is stored once deployed: a
/// `{{resolve:secretsmanager:…}}` reference is resolved at deploy time and stored in the function
/// configuration like any other value.
///
/// ## Why is this bad?
/// Lambda encrypts environment variables with the AWS managed key `aws/lambda`, which every
/// principal allowed `lambda:GetFunctionConfiguration` may use: the secret is readable by anyone
/// who can read the function's configuration (SAS-7).
///
/// ## Insecure example
/// ```yaml
/// Environment:
///   Variables:
///     DB_PASSWORD: "{{resolve:secretsmanager:orders/db:SecretString:password}}"
/// ```
///
/// ## Secure alternative
/// ```yaml
/// KmsKeyArn: !GetAtt EnvKey.Arn
/// Environment:
///   Variables:
///     DB_SECRET_ARN: !Ref DbSecret   # fetched at run time
/// ```
///
/// ## References
/// AWS Lambda developer guide, "Securing Lambda environment variables"; OWASP Serverless Top 10
/// SAS-7; CWE-311.
#[derive(Debug)]
pub struct SensitiveEnvironmentWithoutCustomerKey;

static META: RuleMeta = RuleMeta {
    code: "DATA009",
    name: "sensitive-environment-without-customer-key",
    category: Category::Encryption,
    severity: Severity::Low,
    confidence: Confidence::Medium,
    practice: "encryption: data at rest under a customer-managed key (env vars)",
    cwe: &[311],
    owasp: &["SAS-7"],
    source: include_str!("sensitive_environment_without_customer_key.rs"),
};

const HELP: &str = "fetch the secret at run time from Secrets Manager (pass only its ARN), or set `KmsKeyArn` to a customer managed key";

impl Rule for SensitiveEnvironmentWithoutCustomerKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for f in app.functions.iter().filter(|f| f.kind.is_lambda()) {
            if f.kms_key
                .as_ref()
                .is_some_and(|k| !matches!(k.val, warden_model::Val::Null))
            {
                continue;
            }
            let sensitive: Vec<_> = f
                .environment
                .iter()
                .filter(|v| warden_secrets::is_sensitive_name(&v.name))
                .collect();
            let Some(first) = sensitive.first() else {
                continue;
            };
            let names = sensitive
                .iter()
                .map(|v| format!("`{}`", v.name))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(META.finding(
                &first.origin,
                Some(&f.id),
                format!(
                    "function `{}` keeps {names} in its environment under the AWS managed key: anyone who can read its configuration reads them",
                    f.id
                ),
                HELP,
            ));
        }
    }
}
