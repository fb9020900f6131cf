//! SEC001: a plaintext secret in a function's environment variables.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Node, Severity, Val};

/// ## What it does
/// Flags a function environment variable whose value is a literal secret: a credential recognised
/// by its format (AWS access keys, GitHub, Slack and Stripe tokens, private keys, connection strings
/// with a password…) or a random-looking literal under a secret-like name (`DB_PASSWORD`,
/// `API_TOKEN`…). Dynamic references (`{{resolve:secretsmanager:…}}`, `{{resolve:ssm-secure:…}}`),
/// `NoEcho` parameters without a default and Secrets Manager ARNs are not plaintext and never
/// flagged.
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
        for f in &app.functions {
            for var in &f.environment {
                let Some(text) = literal_text(&var.value) else {
                    continue;
                };
                let Some(m) = warden_secrets::classify_value(Some(&var.name), &text) else {
                    continue;
                };
                let mut finding = META.finding(
                    &var.value.origin,
                    Some(&f.id),
                    format!(
                        "environment variable `{}` of function `{}` holds a plaintext secret ({}): `{}`",
                        var.name, f.id, m.description, m.redacted
                    ),
                    HELP,
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
