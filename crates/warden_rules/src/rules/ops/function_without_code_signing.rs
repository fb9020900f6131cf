//! OPS007: a function deployed without code signing.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a function without `CodeSigningConfigArn`. Informational: code signing is hygiene, never
/// the reason a default run fails.
///
/// ## Why is this bad?
/// Without a code signing configuration, anyone allowed `lambda:UpdateFunctionCode` (a leaked CI
/// key, an over-privileged role) can replace the function's code with anything; Lambda accepts
/// only packages signed by your signing profiles when one is set (SAS-9).
///
/// ## Insecure example
/// ```yaml
/// OrdersFn:
///   Type: AWS::Serverless::Function
///   Properties: {CodeUri: src/, Handler: app.handler, Runtime: python3.12}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// OrdersFn:
///   Type: AWS::Serverless::Function
///   Properties:
///     CodeUri: src/
///     Handler: app.handler
///     Runtime: python3.12
///     CodeSigningConfigArn: !Ref SigningConfig
/// ```
///
/// ## References
/// AWS Lambda developer guide, "Configuring code signing for Lambda"; OWASP Serverless Top 10
/// SAS-9; CWE-494.
#[derive(Debug)]
pub struct FunctionWithoutCodeSigning;

static META: RuleMeta = RuleMeta {
    code: "OPS007",
    name: "function-without-code-signing",
    category: Category::Config,
    severity: Severity::Info,
    confidence: Confidence::High,
    practice: "supply chain: only reviewed code deployed",
    cwe: &[494],
    owasp: &["SAS-9"],
    source: include_str!("function_without_code_signing.rs"),
};

const HELP: &str = "create an `AWS::Lambda::CodeSigningConfig` with your signing profile and set `CodeSigningConfigArn`";

impl Rule for FunctionWithoutCodeSigning {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for f in app.functions.iter().filter(|f| f.kind.is_lambda()) {
            if f.code_signing
                .as_ref()
                .is_some_and(|c| !matches!(c.val, warden_model::Val::Null))
            {
                continue;
            }
            out.push(META.finding(
                &f.origin,
                Some(&f.id),
                format!(
                    "function `{}` accepts unsigned code (no `CodeSigningConfigArn`)",
                    f.id
                ),
                HELP,
            ));
        }
    }
}
