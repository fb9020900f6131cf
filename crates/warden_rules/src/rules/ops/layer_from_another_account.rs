//! OPS006: a function that loads a Lambda layer published by another AWS account.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a function layer given as a literal ARN whose account is neither the template's own
/// (`${AWS::AccountId}`) nor one of the accounts AWS publishes layers from (Powertools for AWS
/// Lambda, Lambda Insights, AWS Distro for OpenTelemetry, the Parameters and Secrets extension).
/// Layers declared in the template (`!Ref MyLayer`) are not flagged.
///
/// ## Why is this bad?
/// A layer's code runs inside the function with its role and sees every event. The publishing
/// account can replace what a version points to only by publishing a new version, but it decides
/// what is in it, can delete it (breaking deployments) and is outside your review and scanning
/// (SAS-9).
///
/// ## Insecure example
/// ```yaml
/// Layers:
///   - arn:aws:lambda:eu-west-1:111122223333:layer:image-tools:12
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Layers:
///   - !Ref ImageToolsLayer   # AWS::Serverless::LayerVersion built from reviewed sources
/// ```
///
/// ## References
/// AWS Lambda developer guide, "Managing Lambda dependencies with layers" and "Layer permissions";
/// OWASP Serverless Top 10 SAS-9; CWE-829.
#[derive(Debug)]
pub struct LayerFromAnotherAccount;

static META: RuleMeta = RuleMeta {
    code: "OPS006",
    name: "layer-from-another-account",
    category: Category::Dependency,
    severity: Severity::Low,
    confidence: Confidence::Medium,
    practice: "supply chain: few dependencies, none untrusted",
    cwe: &[829],
    owasp: &["SAS-9"],
    source: include_str!("layer_from_another_account.rs"),
};

const HELP: &str = "build the layer from reviewed sources in your own account, or vendor its contents into the function package";

/// Accounts AWS publishes Lambda layers from (Powertools, Lambda Insights, ADOT, Parameters and
/// Secrets extension in us-east-1).
const AWS_PUBLISHERS: &[&str] = &[
    "017000801446",
    "094274105915",
    "580247275435",
    "901920570463",
    "177933569100",
];

impl Rule for LayerFromAnotherAccount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for f in app.functions.iter().filter(|f| f.kind.is_lambda()) {
            for layer in &f.layers {
                let Some(arn) = layer.as_str() else { continue };
                let parts: Vec<&str> = arn.split(':').collect();
                if parts.len() < 7 || parts[2] != "lambda" || parts[5] != "layer" {
                    continue;
                }
                let account = parts[4];
                if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
                    continue;
                }
                if AWS_PUBLISHERS.contains(&account) {
                    continue;
                }
                out.push(META.finding(
                    &layer.origin,
                    Some(&f.id),
                    format!(
                        "function `{}` loads layer `{}` from account {account}: code you do not build runs with the function's role",
                        f.id, parts[6]
                    ),
                    HELP,
                ));
            }
        }
    }
}
