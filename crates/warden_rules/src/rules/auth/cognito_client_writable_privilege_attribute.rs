//! AUTH006: a Cognito app client that lets users write their own privilege-like attribute.

use crate::meta::{Rule, RuleMeta};
use crate::rules::support::resources;
use warden_model::{App, Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags an `AWS::Cognito::UserPoolClient` whose `WriteAttributes` list a custom attribute named
/// like an authorization decision: `custom:role`, `custom:isAdmin`, `custom:groups`,
/// `custom:tenantId`, `custom:permissions`, `custom:scope`, `custom:plan`, `custom:tier`,
/// `custom:accessLevel`, `custom:entitlements`…
///
/// ## Why is this bad?
/// Attributes an app client may write are attributes every signed-in user may set on their own
/// account with `UpdateUserAttributes` and their access token, straight against the Cognito API.
/// The ID token then carries the user's chosen value, so an API or a function that authorizes on
/// `custom:role` or `custom:tenantId` lets any user make themselves an administrator or move into
/// another tenant (SAS-2, CWE-269).
///
/// ## Insecure example
/// ```yaml
/// WebClient:
///   Type: AWS::Cognito::UserPoolClient
///   Properties:
///     UserPoolId: !Ref Users
///     WriteAttributes: [email, name, "custom:role"]
/// ```
///
/// ## Secure alternative
/// ```yaml
/// WebClient:
///   Type: AWS::Cognito::UserPoolClient
///   Properties:
///     UserPoolId: !Ref Users
///     WriteAttributes: [email, name]   # custom:role is set by an admin API or a group
/// ```
///
/// ## References
/// Amazon Cognito developer guide, "User pool attributes: attribute permissions and scopes";
/// OWASP Serverless Top 10 SAS-2 (broken authentication); CWE-269 (improper privilege management).
#[derive(Debug)]
pub struct CognitoClientWritablePrivilegeAttribute;

static META: RuleMeta = RuleMeta {
    code: "AUTH006",
    name: "cognito-client-writable-privilege-attribute",
    category: Category::Auth,
    severity: Severity::High,
    confidence: Confidence::Medium,
    practice: "API perimeter: every route authenticated",
    cwe: &[269],
    owasp: &["SAS-2"],
    source: include_str!("cognito_client_writable_privilege_attribute.rs"),
};

const HELP: &str = "remove the attribute from `WriteAttributes`: set it server-side (AdminUpdateUserAttributes, a pre-token-generation trigger) or use Cognito groups for roles";

/// Words that make a custom attribute an authorization decision.
const PRIVILEGE_WORDS: &[&str] = &[
    "role",
    "admin",
    "group",
    "permission",
    "scope",
    "tenant",
    "org",
    "access",
    "tier",
    "plan",
    "entitlement",
    "privilege",
    "superuser",
    "staff",
    "owner",
    "acl",
];

/// True for `custom:` attribute names that read like an authorization decision.
fn is_privilege_attribute(attribute: &str) -> bool {
    let Some(name) = attribute.strip_prefix("custom:") else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    // Words split on case changes, `_` and `-`: `isAdmin` → is admin, `tenant_id` → tenant id.
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if c == '_' || c == '-' || c == '.' || (c.is_ascii_uppercase() && !current.is_empty()) {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            if c == '_' || c == '-' || c == '.' {
                continue;
            }
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words.iter().any(|w| {
        let singular = w.strip_suffix('s').unwrap_or(w);
        PRIVILEGE_WORDS.contains(&singular) || PRIVILEGE_WORDS.contains(&w.as_str())
    }) || PRIVILEGE_WORDS
        .iter()
        .any(|p| lower == *p || lower == format!("{p}s"))
}

impl Rule for CognitoClientWritablePrivilegeAttribute {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        for client in resources(app, &["AWS::Cognito::UserPoolClient"]) {
            let Some(attrs) = client.properties.get("WriteAttributes") else {
                continue;
            };
            for attr in attrs.one_or_many() {
                let Some(name) = attr.as_str() else { continue };
                if !is_privilege_attribute(name) {
                    continue;
                }
                out.push(META.finding(
                    &attr.origin,
                    Some(&client.id),
                    format!(
                        "app client `{}` lets every signed-in user write `{name}` on their own account: a user can grant themselves whatever it decides",
                        client.id
                    ),
                    HELP,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_privilege_attribute;

    #[test]
    fn privilege_like_custom_attributes() {
        for yes in [
            "custom:role",
            "custom:roles",
            "custom:isAdmin",
            "custom:tenant_id",
            "custom:tenantId",
            "custom:groups",
            "custom:accessLevel",
            "custom:plan",
            "custom:org-id",
        ] {
            assert!(is_privilege_attribute(yes), "{yes}");
        }
        for no in [
            "custom:favoriteColor",
            "custom:nickname",
            "custom:theme",
            "custom:storage",
            "custom:organic",
            "email",
            "role",
        ] {
            assert!(!is_privilege_attribute(no), "{no}");
        }
    }
}
