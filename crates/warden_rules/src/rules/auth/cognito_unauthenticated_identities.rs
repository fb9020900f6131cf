//! AUTH005: a Cognito identity pool that hands AWS credentials to unauthenticated users.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::{refers_to, resources};
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags an `AWS::Cognito::IdentityPool` with `AllowUnauthenticatedIdentities: true`, naming the
/// unauthenticated role when an `IdentityPoolRoleAttachment` gives one.
///
/// ## Why is this bad?
/// Anyone on the internet can call `GetId` and `GetCredentialsForIdentity` and receive temporary
/// AWS credentials for the unauthenticated role: every permission of that role (invoking
/// functions, reading buckets, writing to tables) is public (SAS-3, SAS-4).
///
/// ## Insecure example
/// ```yaml
/// Identities:
///   Type: AWS::Cognito::IdentityPool
///   Properties:
///     AllowUnauthenticatedIdentities: true
/// ```
///
/// ## Secure alternative
/// ```yaml
/// Identities:
///   Type: AWS::Cognito::IdentityPool
///   Properties:
///     AllowUnauthenticatedIdentities: false
///     CognitoIdentityProviders:
///       - {ClientId: !Ref AppClient, ProviderName: !GetAtt UserPool.ProviderName}
/// ```
///
/// ## References
/// Amazon Cognito "Identity pools (federated identities) authentication flow: guest access";
/// OWASP Serverless Top 10 SAS-3; CWE-306.
#[derive(Debug)]
pub struct CognitoUnauthenticatedIdentities;

static META: RuleMeta = RuleMeta {
    code: "AUTH005",
    name: "cognito-unauthenticated-identities",
    category: Category::Auth,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "API perimeter: every route authenticated",
    cwe: &[306],
    owasp: &["SAS-3"],
    source: include_str!("cognito_unauthenticated_identities.rs"),
};

const HELP: &str = "set `AllowUnauthenticatedIdentities: false`, or keep the unauthenticated role to the few read-only actions guests truly need";

impl Rule for CognitoUnauthenticatedIdentities {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for pool in resources(app, &["AWS::Cognito::IdentityPool"]) {
            let Some(flag) = pool.properties.get("AllowUnauthenticatedIdentities") else {
                continue;
            };
            if flag.is_unknown() {
                out.push(META.unverified(
                    &flag.origin,
                    Some(&pool.id),
                    format!("could not verify whether identity pool `{}` allows unauthenticated identities", pool.id),
                    HELP,
                ));
                continue;
            }
            if flag.as_bool() != Some(true) {
                continue;
            }
            let role = resources(app, &["AWS::Cognito::IdentityPoolRoleAttachment"])
                .filter(|a| {
                    a.properties
                        .get("IdentityPoolId")
                        .is_some_and(|v| refers_to(v, &pool.id))
                })
                .find_map(|a| a.properties.at(&["Roles", "unauthenticated"]))
                .map(|r| match r.as_unknown().and_then(|u| u.resource.clone()) {
                    Some(id) => format!(" with the permissions of role `{id}`"),
                    None => format!(" with the permissions of role {}", Node::to_string(r)),
                })
                .unwrap_or_default();
            out.push(META.finding(
                &flag.origin,
                Some(&pool.id),
                format!(
                    "identity pool `{}` gives AWS credentials to anyone, unauthenticated{role}",
                    pool.id
                ),
                HELP,
            ));
        }
    }
}
