//! AUTH004: a Cognito user pool whose password policy accepts weak passwords.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::resources;
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags an `AWS::Cognito::UserPool` whose `Policies.PasswordPolicy` allows passwords shorter than
/// 8 characters, or shorter than 12 characters with no character-class requirement. A user pool
/// without a password policy uses Cognito's default (8 characters, all four classes) and passes.
///
/// ## Why is this bad?
/// Short passwords fall to online guessing and credential stuffing; every account of the pool then
/// reaches the API as an authenticated user (SAS-3).
///
/// ## Insecure example
/// ```yaml
/// UserPool:
///   Type: AWS::Cognito::UserPool
///   Properties:
///     Policies:
///       PasswordPolicy: {MinimumLength: 6}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// UserPool:
///   Type: AWS::Cognito::UserPool
///   Properties:
///     Policies:
///       PasswordPolicy:
///         MinimumLength: 12
///         RequireLowercase: true
///         RequireUppercase: true
///         RequireNumbers: true
/// ```
///
/// ## References
/// Amazon Cognito "Adding user pool password requirements"; NIST SP 800-63B §5.1.1;
/// OWASP Serverless Top 10 SAS-3; CWE-521.
#[derive(Debug)]
pub struct CognitoWeakPasswordPolicy;

static META: RuleMeta = RuleMeta {
    code: "AUTH004",
    name: "cognito-weak-password-policy",
    category: Category::Auth,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "API perimeter: every route authenticated",
    cwe: &[521],
    owasp: &["SAS-3"],
    source: include_str!("cognito_weak_password_policy.rs"),
};

const HELP: &str = "require at least 12 characters (or 8 with upper case, lower case, numbers and symbols) and enable advanced security / MFA";

const CLASSES: [&str; 4] = [
    "RequireLowercase",
    "RequireUppercase",
    "RequireNumbers",
    "RequireSymbols",
];

impl Rule for CognitoWeakPasswordPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for pool in resources(app, &["AWS::Cognito::UserPool"]) {
            let Some(policy) = pool.properties.at(&["Policies", "PasswordPolicy"]) else {
                continue;
            };
            let length_node = policy.get("MinimumLength");
            if length_node.is_some_and(Node::is_unknown) {
                out.push(META.unverified(
                    &policy.origin,
                    Some(&pool.id),
                    format!("could not verify the minimum password length of user pool `{}`: it depends on a deploy-time value", pool.id),
                    HELP,
                ));
                continue;
            }
            let length = length_node.and_then(Node::as_i64).unwrap_or(8);
            let classes = CLASSES
                .iter()
                .filter(|c| policy.get(c).and_then(Node::as_bool) == Some(true))
                .count();
            let at = length_node.map_or(&policy.origin, |n| &n.origin);
            if length < 8 {
                out.push(META.finding(
                    at,
                    Some(&pool.id),
                    format!(
                        "user pool `{}` accepts passwords of {length} characters",
                        pool.id
                    ),
                    HELP,
                ));
            } else if length < 12 && classes == 0 {
                out.push(META.finding(
                    at,
                    Some(&pool.id),
                    format!(
                        "user pool `{}` accepts passwords of {length} characters with no upper case, lower case, number or symbol requirement",
                        pool.id
                    ),
                    HELP,
                ));
            }
        }
    }
}
