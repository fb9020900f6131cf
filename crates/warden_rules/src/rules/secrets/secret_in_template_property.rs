//! SEC002: a literal secret in a resource property that takes a password, key or token.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Node, Resource, Severity, Val};

/// ## What it does
/// Flags a resource property whose value is a literal secret: a password, token, client secret or
/// key property (`MasterUserPassword`, `AuthToken`, `ClientSecret`, `SecretString`, `PrivateKey`…)
/// holding a literal, or any property holding a credential recognised by its format (AWS access
/// key, Stripe, Slack or GitHub token, private key). Function environment variables are checked by
/// SEC001, SSM parameters by SEC004 and parameter defaults by SEC003; dynamic references
/// (`{{resolve:secretsmanager:…}}`) and parameters without a default are never flagged.
///
/// ## Why is this bad?
/// The template is committed to version control, copied into every deployment bucket and shown by
/// `GetTemplate` to anyone with read access to the stack. A password written there cannot be
/// rotated without a new commit and stays in history forever (SAS-7).
///
/// ## Insecure example
/// ```yaml
/// Database:
///   Type: AWS::RDS::DBCluster
///   Properties:
///     MasterUsername: admin
///     MasterUserPassword: "Sup3r-Secret-2024!"
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Database:
///   Type: AWS::RDS::DBCluster
///   Properties:
///     MasterUsername: admin
///     ManageMasterUserPassword: true
/// ```
///
/// ## References
/// AWS CloudFormation "Get values stored in other services using dynamic references";
/// OWASP Serverless Top 10 SAS-7 (insecure secret storage); CWE-798.
#[derive(Debug)]
pub struct SecretInTemplateProperty;

static META: RuleMeta = RuleMeta {
    code: "SEC002",
    name: "secret-in-template-property",
    category: Category::Secret,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "secrets: no secrets in code, templates or plain environment variables",
    cwe: &[798],
    owasp: &["SAS-7"],
    source: include_str!("secret_in_template_property.rs"),
};

const HELP: &str = "keep the value in Secrets Manager and use a `{{resolve:secretsmanager:…}}` dynamic reference, `ManageMasterUserPassword`, or `GenerateSecretString`";

/// Resource types whose secret-bearing properties another rule owns.
/// Resources whose secrets other rules report: SSM parameters (SEC004), a local settings file of
/// an Azure Functions project (its values are the functions' environment, SEC001).
const OWNED_ELSEWHERE: &[&str] = &["AWS::SSM::Parameter", "Azure::Functions::LocalSettings"];

fn is_function(kind: &str) -> bool {
    matches!(kind, "AWS::Serverless::Function" | "AWS::Lambda::Function")
}

impl Rule for SecretInTemplateProperty {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        // Parameter defaults resolve in place; SEC003 reports them at the parameter.
        let defaults: Vec<&str> = app
            .parameters
            .iter()
            .filter_map(|p| p.default.as_ref()?.as_str())
            .collect();
        for res in &app.resources {
            if OWNED_ELSEWHERE.contains(&res.kind.as_str()) {
                continue;
            }
            walk(res, &res.properties, None, &defaults, out, 0);
        }
    }
}

fn walk(
    res: &Resource,
    node: &Node,
    key: Option<&str>,
    defaults: &[&str],
    out: &mut Vec<Finding>,
    depth: u32,
) {
    if depth > 64 {
        return;
    }
    match &node.val {
        Val::Str(text) => {
            let Some(key) = key else { return };
            if defaults.contains(&text.as_str()) {
                return;
            }
            let Some(m) = warden_secrets::classify_value(Some(key), text) else {
                return;
            };
            let mut f = META.finding(
                &node.origin,
                Some(&res.id),
                format!(
                    "property `{key}` of {} `{}` holds a plaintext secret ({}): `{}`",
                    res.kind, res.id, m.description, m.redacted
                ),
                HELP,
            );
            f.confidence = match m.confidence {
                warden_secrets::Confidence::High => Confidence::High,
                warden_secrets::Confidence::Medium => Confidence::Medium,
                warden_secrets::Confidence::Low => Confidence::Low,
            };
            if m.confidence == warden_secrets::Confidence::Low {
                f.severity = Severity::Medium;
            }
            out.push(f);
        }
        Val::Map(entries) => {
            // `[{Name: DB_PASSWORD, Value: …}]` pairs: the value is named by its sibling.
            let sibling = node
                .get("Name")
                .or_else(|| node.get("Key"))
                .and_then(Node::as_str);
            for (k, v) in entries {
                if depth == 0 && is_function(&res.kind) && k.name == "Environment" {
                    continue; // SEC001
                }
                let name = match (k.name.as_str(), sibling) {
                    ("Value", Some(s)) => s,
                    (n, _) => n,
                };
                walk(res, v, Some(name), defaults, out, depth + 1);
            }
        }
        Val::List(items) => {
            for item in items {
                walk(res, item, key, defaults, out, depth + 1);
            }
        }
        _ => {}
    }
}
