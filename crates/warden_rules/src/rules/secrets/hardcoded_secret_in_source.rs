//! SEC008: a secret written in handler code or a configuration file.

use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_model::{Category, Confidence, Finding, Severity};
use warden_source::{Origin, Span};

/// ## What it does
/// Flags a credential written in a file of the project that is not a template: handler code
/// (JavaScript, TypeScript, Python, Java, C#, Go…), `.env` files, `*.tfvars`, `local.settings.json`,
/// `.npmrc`, `appsettings.json`, properties/ini/toml files and Terraform files. A credential is
/// recognised by its format (AWS access key ids with their secret keys, Stripe, SendGrid, Slack,
/// GitHub, GitLab, Twilio and Google keys, service-account JSON, Azure storage keys, private keys,
/// database URLs with a password, signed JWTs) or as a random-looking literal assigned to a
/// secret-like name (`password=`, `apiKey:`, `client_secret =`). Documentation example keys
/// (`AKIAIOSFODNN7EXAMPLE`), placeholders, references (`process.env.X`, `${ssm:…}`,
/// `@Microsoft.KeyVault(…)`) and hashes, UUIDs and base64 images are not secrets. A line marked
/// `warden:allow-secret` (or `pragma: allowlist secret`) is skipped. The secret is never shown:
/// every output format prints a redacted form.
///
/// ## Why is this bad?
/// Code and configuration are copied into every clone, fork, CI log, build artifact and deployment
/// package; a committed key stays in the repository history after it is deleted, and leaked cloud
/// and payment keys are abused within minutes of a push (SAS-7, CWE-798).
///
/// ## Insecure example
/// ```js
/// const stripe = require("stripe")("sk_live_51H...");
/// ```
///
/// ## Secure alternative
/// ```js
/// // The key lives in Secrets Manager; the function reads it at run time (and caches it).
/// const key = await secrets.getSecretValue({ SecretId: process.env.STRIPE_SECRET_ARN });
/// ```
///
/// ## References
/// OWASP Serverless Top 10 SAS-7 (insecure secret storage); CWE-798 (use of hard-coded
/// credentials); AWS Secrets Manager "Use secrets in Lambda functions"; Azure Key Vault references
/// for App Service and Functions.
#[derive(Debug)]
pub struct HardcodedSecretInSource;

static META: RuleMeta = RuleMeta {
    code: "SEC008",
    name: "hardcoded-secret-in-source",
    category: Category::Secret,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "secrets: no secrets in code, templates or plain environment variables",
    cwe: &[798],
    owasp: &["SAS-7"],
    source: include_str!("hardcoded_secret_in_source.rs"),
};

const HELP: &str = "revoke and rotate the credential now (it is in the history), then keep it in a \
secret manager (Secrets Manager, SSM SecureString, Key Vault, Secret Manager) and read it at run \
time; for local settings use an untracked file";

impl Rule for HardcodedSecretInSource {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        for file in facts.secrets {
            let functions = facts.functions_shipping(std::path::Path::new(&file.file));
            let shipped = match functions.as_slice() {
                [] => String::new(),
                list => format!(
                    ", in the code of {}",
                    list.iter()
                        .map(|f| format!("function `{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            for m in &file.matches {
                let (Ok(start), Ok(end)) = (u32::try_from(m.start), u32::try_from(m.end)) else {
                    continue;
                };
                let origin = Origin::new(
                    file.file.as_str().into(),
                    Span::new(start, end),
                    format!("#L{}", m.line),
                );
                let named = m
                    .key
                    .as_deref()
                    .map(|k| format!(" assigned to `{k}`"))
                    .unwrap_or_default();
                let mut f = META.finding(
                    &origin,
                    functions.first().map(String::as_str),
                    format!(
                        "{} written in `{}`{named}{shipped}: `{}`",
                        m.description, file.file, m.redacted
                    ),
                    HELP,
                );
                let (severity, confidence) = match m.confidence {
                    warden_secrets::Confidence::High => (Severity::High, Confidence::High),
                    warden_secrets::Confidence::Medium => (Severity::Medium, Confidence::Medium),
                    warden_secrets::Confidence::Low => (Severity::Low, Confidence::Low),
                };
                f.severity = severity;
                f.confidence = confidence;
                out.push(f);
            }
        }
    }
}

/// Drops SEC008 findings on a line that another secret rule already reports (a Terraform or
/// template value judged with its semantics by SEC001–SEC004): one secret, one finding.
pub fn drop_overlaps(findings: &mut Vec<Finding>, sources: &warden_source::SourceMap) {
    let line_of = |f: &Finding| {
        sources
            .get(&f.origin.file)
            .map(|s| s.position(f.origin.span.start).line)
    };
    let taken: std::collections::HashSet<(std::sync::Arc<str>, Option<u32>)> = findings
        .iter()
        .filter(|f| f.category == Category::Secret && f.rule != META.code)
        .map(|f| (f.origin.file.clone(), line_of(f)))
        .collect();
    findings
        .retain(|f| f.rule != META.code || !taken.contains(&(f.origin.file.clone(), line_of(f))));
}
