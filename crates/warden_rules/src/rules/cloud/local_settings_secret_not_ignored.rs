//! AZ001: an Azure Functions `local.settings.json` that holds secrets and is not git-ignored.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::resources;
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags a `local.settings.json` of an Azure Functions project that holds at least one secret
/// (a storage account key, a connection string with a password, a token…) in `Values` or
/// `ConnectionStrings` and is not ignored by a `.gitignore` between it and the repository root.
/// Files with `IsEncrypted: true` are not flagged. Each secret is also reported by SEC001.
///
/// ## Why is this bad?
/// `local.settings.json` holds the settings a function app uses when run locally, often copied
/// from the deployed app. Every project template git-ignores it because it is meant to stay on
/// the developer's machine; a tracked copy publishes its secrets to everyone with read access to
/// the repository and its history, forever (SAS-7).
///
/// ## Insecure example
/// ```json
/// {"IsEncrypted": false,
///  "Values": {"AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=app;AccountKey=…"}}
/// ```
///
/// ## Secure alternative
/// ```text
/// # .gitignore
/// local.settings.json
/// ```
///
/// ## References
/// Microsoft Learn, "Develop Azure Functions locally using Core Tools: local settings file";
/// OWASP Serverless Top 10 SAS-7 (insecure secret storage); CWE-540; CWE-798.
#[derive(Debug)]
pub struct LocalSettingsSecretNotIgnored;

static META: RuleMeta = RuleMeta {
    code: "AZ001",
    name: "local-settings-secret-not-ignored",
    category: Category::Secret,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "secrets: no secrets in code, templates or plain environment variables",
    cwe: &[540, 798],
    owasp: &["SAS-7"],
    source: include_str!("local_settings_secret_not_ignored.rs"),
};

const HELP: &str = "add `local.settings.json` to `.gitignore`, remove it from the repository (`git rm --cached`), and rotate the secrets it held";

/// The resource kind the Azure Functions lowering gives a tracked `local.settings.json`.
const KIND: &str = "Azure::Functions::LocalSettings";

impl Rule for LocalSettingsSecretNotIgnored {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for res in resources(app, &[KIND]) {
            let p = &res.properties;
            if p.get("IsEncrypted").and_then(Node::as_bool) == Some(true) {
                continue;
            }
            let mut names = Vec::new();
            for section in ["Values", "ConnectionStrings"] {
                for (key, value) in p.get(section).map(Node::entries).unwrap_or_default() {
                    let value = value.get("ConnectionString").unwrap_or(value);
                    let Some(text) = value.as_str() else { continue };
                    if warden_secrets::classify_value(Some(&key.name), text).is_some() {
                        names.push(format!("`{}`", key.name));
                    }
                }
            }
            if names.is_empty() {
                continue;
            }
            out.push(META.finding(
                &res.origin,
                Some(&res.id),
                format!(
                    "`{}` holds {} secret(s) ({}) and is not git-ignored: committing it publishes them",
                    res.id,
                    names.len(),
                    names.join(", ")
                ),
                HELP,
            ));
        }
    }
}
