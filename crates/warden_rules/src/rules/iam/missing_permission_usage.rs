//! What IAM010 and IAM011 share: the AWS SDK calls of each function's handler code (read from the
//! texts the code pass loaded, through `warden_code::sdk`) next to the analysed role it runs as.

use crate::facts::ProjectFacts;
use crate::iam_view::RoleRisk;
use warden_code::sdk::{FunctionSdk, SourceFiles, collect};
use warden_model::{App, Function};

/// One function with code, its SDK use and its role.
pub(crate) struct FunctionUse<'a> {
    pub app: &'a App,
    pub function: &'a Function,
    pub usage: FunctionSdk,
    /// The analysed role, when the function runs as a role of its app.
    pub role: Option<&'a RoleRisk>,
}

/// Every function whose handler code was analysed, with its SDK use.
pub(crate) fn function_uses<'a>(facts: &ProjectFacts<'a>) -> Vec<FunctionUse<'a>> {
    let Some(code) = facts.code else {
        return Vec::new();
    };
    let files = SourceFiles::new(&code.sources);
    let mut out = Vec::new();
    for report in &code.functions {
        let Some((ai, app)) = facts
            .apps
            .iter()
            .enumerate()
            .find(|(_, a)| a.file == report.app)
        else {
            continue;
        };
        let Some(function) = app.function(&report.function) else {
            continue;
        };
        if !function.kind.is_lambda() {
            continue;
        }
        let role = facts
            .roles
            .iter()
            .find(|r| r.app == ai && r.functions.contains(&function.id));
        out.push(FunctionUse {
            app,
            function,
            usage: collect(&files, &report.file, Some(&report.handler)),
            role,
        });
    }
    out
}

/// True when every policy of the role is known to the engine (no external or unresolved managed
/// policy) and the app declares no SAM connectors (which add policies the model does not hold).
pub(crate) fn role_fully_known(app: &App, role: &RoleRisk) -> bool {
    let Some(model_role) = app.role(&role.role) else {
        return false;
    };
    model_role.policies.len() == role.policies.len()
        && !app
            .resources
            .iter()
            .any(|r| r.kind == "AWS::Serverless::Connector")
}
