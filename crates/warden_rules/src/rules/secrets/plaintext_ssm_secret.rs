//! SEC004: a secret stored in a plain `String` SSM parameter.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::resources;
use warden_model::{App, Category, Confidence, Finding, Node, Severity, Val};

/// ## What it does
/// Flags an `AWS::SSM::Parameter` of `Type: String` or `StringList` whose name announces a secret
/// (`/orders/prod/db-password`) or whose value is a literal secret. CloudFormation cannot create
/// `SecureString` parameters, so a secret declared this way is always stored unencrypted.
///
/// ## Why is this bad?
/// A `String` parameter is not encrypted with KMS and is returned in clear by `GetParameter` to
/// every principal with `ssm:GetParameter*` on it, with no key policy in the way; a literal value
/// is also written in the template (SAS-7).
///
/// ## Insecure example
/// ```yaml
/// DbPassword:
///   Type: AWS::SSM::Parameter
///   Properties:
///     Name: /orders/prod/db-password
///     Type: String
///     Value: "Pr0d-Passw0rd-2024"
/// ```
///
/// ## Secure alternative
/// ```yaml
/// DbPassword:
///   Type: AWS::SecretsManager::Secret
///   Properties:
///     Name: orders/prod/db-password
///     GenerateSecretString: {PasswordLength: 32}
/// ```
///
/// ## References
/// AWS Systems Manager "Working with parameter tiers and types (SecureString)"; AWS CloudFormation
/// `AWS::SSM::Parameter` (SecureString is not supported); OWASP Serverless Top 10 SAS-7; CWE-312.
#[derive(Debug)]
pub struct PlaintextSsmSecret;

static META: RuleMeta = RuleMeta {
    code: "SEC004",
    name: "plaintext-ssm-secret",
    category: Category::Secret,
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    practice: "secrets: secrets in a secret manager or vault",
    cwe: &[312],
    owasp: &["SAS-7"],
    source: include_str!("plaintext_ssm_secret.rs"),
};

const HELP: &str = "store the secret in Secrets Manager (or a SecureString parameter created outside CloudFormation) and pass its name or ARN";

/// The literal text of a name: a string, or the known parts of a partially resolved `!Sub`.
fn name_text(node: &Node) -> Option<String> {
    match &node.val {
        Val::Str(s) => Some(s.clone()),
        Val::Unknown(u) => u.partial.clone(),
        _ => None,
    }
}

impl Rule for PlaintextSsmSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for res in resources(app, &["AWS::SSM::Parameter"]) {
            let p = &res.properties;
            let Some(kind) = p.get("Type") else { continue };
            if !matches!(kind.as_str(), Some("String" | "StringList")) {
                continue;
            }
            let name = p
                .get("Name")
                .and_then(name_text)
                .map(|n| n.rsplit('/').next().unwrap_or(&n).to_string())
                .unwrap_or_else(|| res.id.clone());
            let value = p.get("Value");
            if let Some(m) = value
                .and_then(Node::as_str)
                .and_then(|v| warden_secrets::classify_value(Some(&name), v))
            {
                let mut f = META.finding(
                    &value.map_or(&res.origin, |v| &v.origin).clone(),
                    Some(&res.id),
                    format!(
                        "SSM parameter `{}` stores a literal secret ({}) unencrypted as `{}`: `{}`",
                        res.id,
                        m.description,
                        kind.as_str().unwrap_or("String"),
                        m.redacted
                    ),
                    HELP,
                );
                f.severity = Severity::High;
                f.confidence = Confidence::High;
                out.push(f);
            } else if warden_secrets::classify_name(&name).is_some() {
                let at = p.get("Name").map_or(&res.origin, |n| &n.origin);
                out.push(META.finding(
                    at,
                    Some(&res.id),
                    format!(
                        "SSM parameter `{}` (`{name}`) looks like a secret but is a plain `{}` parameter: it is stored and returned unencrypted",
                        res.id,
                        kind.as_str().unwrap_or("String")
                    ),
                    HELP,
                ));
            }
        }
    }
}
