//! SEC003: a secret-like template parameter with a literal `Default`.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a template parameter whose `Default` is a literal secret: any literal under a name that
/// announces a secret (`DbPassword`, `StripeApiKey`, `GithubToken`…), or a credential recognised by
/// its format (a connection string with a password, a vendor token) under any name. `NoEcho` hides the value in the console
/// and in `DescribeStacks`, but a default is written in the template itself, so `NoEcho` does not
/// help. Parameters of type `AWS::SSM::Parameter::Value<…>` hold parameter names, not values, and
/// are not flagged.
///
/// ## Why is this bad?
/// The default is committed with the template, shared with every deployment that does not override
/// it, and visible to everyone who can read the repository or call `GetTemplate` (SAS-7).
///
/// ## Insecure example
/// ```yaml
/// Parameters:
///   DbPassword:
///     Type: String
///     NoEcho: true
///     Default: "Pr0d-Passw0rd-2024"
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Parameters:
///   DbPasswordSecret:
///     Type: String
///     Default: orders/db   # the secret's name; read with {{resolve:secretsmanager:…}}
/// ```
///
/// ## References
/// AWS CloudFormation "Parameters" (`NoEcho`) and "Do not embed credentials in your templates";
/// OWASP Serverless Top 10 SAS-7; CWE-798.
#[derive(Debug)]
pub struct SecretParameterDefault;

static META: RuleMeta = RuleMeta {
    code: "SEC003",
    name: "secret-parameter-default",
    category: Category::Secret,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "secrets: no secrets in code, templates or plain environment variables",
    cwe: &[798],
    owasp: &["SAS-7"],
    source: include_str!("secret_parameter_default.rs"),
};

const HELP: &str = "remove the `Default`, pass the value at deploy time with `NoEcho: true`, or better store it in Secrets Manager and use a dynamic reference";

impl Rule for SecretParameterDefault {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for p in &app.parameters {
            if p.kind
                .as_deref()
                .is_some_and(|k| k.starts_with("AWS::SSM::"))
            {
                continue;
            }
            let Some(default) = &p.default else { continue };
            let Some(text) = default.as_str() else {
                continue;
            };
            let Some(m) = warden_secrets::classify_value(Some(&p.name), text) else {
                continue;
            };
            // Under a neutral name only a credential recognised by its format counts.
            if warden_secrets::classify_name(&p.name).is_none()
                && m.confidence == warden_secrets::Confidence::Low
            {
                continue;
            }
            let echo = if p.no_echo {
                "`NoEcho` hides it from DescribeStacks, but the default is in the template"
            } else {
                "the parameter is not `NoEcho`, so CloudFormation also shows it in DescribeStacks"
            };
            let mut f = META.finding(
                &default.origin,
                Some(&p.name),
                format!(
                    "parameter `{}` has a literal secret as its default ({}): `{}`; {echo}",
                    p.name, m.description, m.redacted
                ),
                HELP,
            );
            if m.confidence == warden_secrets::Confidence::Low {
                f.severity = Severity::Medium;
                f.confidence = Confidence::Medium;
            }
            out.push(f);
        }
    }
}
