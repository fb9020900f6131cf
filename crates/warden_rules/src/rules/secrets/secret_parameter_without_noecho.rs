//! SEC007: a secret-like template parameter that is not `NoEcho`.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a template parameter whose name announces a secret (`DbPassword`, `ApiToken`…) without
/// `NoEcho: true`. Parameters with a literal secret default are reported by SEC003 instead;
/// `AWS::SSM::Parameter::Value<…>` parameters hold names, not values, and are not flagged.
///
/// ## Why is this bad?
/// CloudFormation shows the values of parameters without `NoEcho` in the console, in
/// `DescribeStacks` and in stack events: anyone with read-only access to CloudFormation reads the
/// secret given at deploy time (SAS-7).
///
/// ## Insecure example
/// ```yaml
/// Parameters:
///   DbPassword:
///     Type: String
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Parameters:
///   DbPassword:
///     Type: String
///     NoEcho: true
/// ```
///
/// ## References
/// AWS CloudFormation "Parameters" (`NoEcho`); OWASP Serverless Top 10 SAS-7; CWE-200.
#[derive(Debug)]
pub struct SecretParameterWithoutNoecho;

static META: RuleMeta = RuleMeta {
    code: "SEC007",
    name: "secret-parameter-without-noecho",
    category: Category::Config,
    severity: Severity::Low,
    confidence: Confidence::Medium,
    practice: "secrets: no secrets in code, templates or plain environment variables",
    cwe: &[200],
    owasp: &["SAS-7"],
    source: include_str!("secret_parameter_without_noecho.rs"),
};

const HELP: &str = "add `NoEcho: true` to the parameter (or pass a Secrets Manager secret name instead of the value)";

impl Rule for SecretParameterWithoutNoecho {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for p in &app.parameters {
            if p.no_echo
                || p.kind
                    .as_deref()
                    .is_some_and(|k| k.starts_with("AWS::SSM::"))
            {
                continue;
            }
            if !matches!(p.kind.as_deref(), None | Some("String")) {
                continue; // numbers, lists and AWS-specific types do not carry secrets
            }
            if warden_secrets::classify_name(&p.name).is_none() {
                continue;
            }
            let literal_secret = p
                .default
                .as_ref()
                .and_then(|d| d.as_str())
                .and_then(|t| warden_secrets::classify_value(Some(&p.name), t))
                .is_some();
            if literal_secret {
                continue; // SEC003
            }
            out.push(META.finding(
                &p.origin,
                Some(&p.name),
                format!(
                    "parameter `{}` looks like a secret but is not `NoEcho`: CloudFormation shows its value in the console and DescribeStacks",
                    p.name
                ),
                HELP,
            ));
        }
    }
}
