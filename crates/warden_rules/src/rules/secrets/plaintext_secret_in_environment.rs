//! SEC001: a plaintext secret in a function's environment variables.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Cloud, Confidence, Finding, Node, Severity, Val};

/// ## What it does
/// Flags a function environment variable whose value is a literal secret: a credential recognised
/// by its format (AWS access keys, GitHub, Slack and Stripe tokens, private keys, connection strings
/// with a password…) or a random-looking literal under a secret-like name (`DB_PASSWORD`,
/// `API_TOKEN`…). Dynamic references (`{{resolve:secretsmanager:…}}`, `{{resolve:ssm-secure:…}}`),
/// `NoEcho` parameters without a default and Secrets Manager ARNs are not plaintext and never
/// flagged. The same practice on other clouds: Azure app settings (`app_settings`,
/// `local.settings.json` `Values`; Key Vault references `@Microsoft.KeyVault(…)` are fine) and GCP
/// `environment_variables` (`secret_environment_variables` are fine). A setting shared by several
/// functions of one app is reported once.
///
/// ## Why is this bad?
/// Environment variables are stored with the function configuration and shown to anyone who may
/// call `lambda:GetFunctionConfiguration`, copied into every deployment artifact, template history
/// and CI log, and never rotated (SAS-7, CWE-798).
///
/// ## Insecure example
/// ```yaml
/// Environment:
///   Variables:
///     DB_PASSWORD: "hunter2-prod-9f8a7c"
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Environment:
///   Variables:
///     DB_SECRET_ARN: !Ref DbSecret   # read with the Secrets Manager SDK or the Lambda extension
/// ```
///
/// ## References
/// AWS Lambda developer guide, "Securing environment variables"; AWS Secrets Manager "Use
/// secrets in Lambda functions"; OWASP Serverless Top 10 SAS-7 (insecure secret storage); CWE-798.
#[derive(Debug)]
pub struct PlaintextSecretInEnvironment;

static META: RuleMeta = RuleMeta {
    code: "SEC001",
    name: "plaintext-secret-in-environment",
    category: Category::Secret,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "secrets: no secrets in code, templates or plain environment variables",
    cwe: &[798],
    owasp: &["SAS-7"],
    source: include_str!("plaintext_secret_in_environment.rs"),
};

const HELP: &str = "store the value in AWS Secrets Manager or SSM SecureString and pass its ARN or a `{{resolve:secretsmanager:…}}` reference instead";
const HELP_AZURE: &str = "store the value in Azure Key Vault and reference it from the app setting with `@Microsoft.KeyVault(SecretUri=…)`, read with the function app's managed identity";
const HELP_GCP: &str = "store the value in Secret Manager and expose it with `secret_environment_variables` (or read it at run time with the function's service account)";

/// The literal text of a value, when it can hold a plaintext secret: a scalar, or the known parts
/// of a partially resolved string (placeholders replaced by a neutral token).
fn literal_text(value: &Node) -> Option<String> {
    match &value.val {
        Val::Str(s) | Val::Num(s) => Some(s.clone()),
        Val::Unknown(u) if !u.external_secret => {
            let partial = u.partial.as_deref()?;
            let mut out = String::new();
            let mut rest = partial;
            while let Some(start) = rest.find("{{unknown:") {
                out.push_str(&rest[..start]);
                out.push('x');
                rest = rest[start..].split_once("}}").map_or("", |(_, r)| r);
            }
            out.push_str(rest);
            // A value made only of placeholders holds nothing literal.
            (out.trim_matches(|c: char| c == 'x' || !c.is_alphanumeric())
                .len()
                >= 4)
                .then_some(out)
        }
        _ => None,
    }
}

impl Rule for PlaintextSecretInEnvironment {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        // App-wide settings (Azure app settings) are every function's environment: once each.
        // (SAM `Globals` stay reported per function, as each function's configuration.)
        let mut seen = std::collections::HashSet::new();
        for f in &app.functions {
            for var in &f.environment {
                if f.kind.cloud() != Cloud::Aws && !seen.insert(&var.value.origin) {
                    continue;
                }
                let Some(text) = literal_text(&var.value) else {
                    continue;
                };
                let Some(m) = warden_secrets::classify_value(Some(&var.name), &text) else {
                    continue;
                };
                let (what, help) = match f.kind.cloud() {
                    Cloud::Aws => ("environment variable", HELP),
                    Cloud::Azure => ("app setting", HELP_AZURE),
                    Cloud::Gcp => ("environment variable", HELP_GCP),
                };
                let mut finding = META.finding(
                    &var.value.origin,
                    Some(&f.id),
                    format!(
                        "{what} `{}` of function `{}` holds a plaintext secret ({}): `{}`",
                        var.name, f.id, m.description, m.redacted
                    ),
                    help,
                );
                finding.confidence = match m.confidence {
                    warden_secrets::Confidence::High => Confidence::High,
                    warden_secrets::Confidence::Medium => Confidence::Medium,
                    warden_secrets::Confidence::Low => Confidence::Low,
                };
                if m.confidence == warden_secrets::Confidence::Low {
                    finding.severity = Severity::Medium;
                }
                out.push(finding);
            }
        }
    }
}
