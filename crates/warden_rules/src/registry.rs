//! The rule table: one row per rule, sorted by code. Adding a rule is one file and one row here.

use crate::doc;
use crate::meta::Rule;
use crate::rules;
use warden_model::RuleInfo;

/// Every rule, sorted by code.
pub static RULES: &[&dyn Rule] = &[
    &rules::auth::function_url_auth_none::FunctionUrlAuthNone,
    &rules::auth::unauthenticated_route::UnauthenticatedRoute,
    &rules::events::permission_without_source::PermissionWithoutSource,
    &rules::iam::wildcard_action::WildcardAction,
    &rules::secrets::plaintext_secret_in_environment::PlaintextSecretInEnvironment,
];

pub fn all_rules() -> &'static [&'static dyn Rule] {
    RULES
}

/// A rule by code, case-insensitively.
pub fn find_rule(code: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code))
}

/// Metadata of every rule, as renderers need it.
pub fn rule_infos() -> Vec<RuleInfo> {
    RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            let documentation = doc::extract(m.source);
            RuleInfo {
                code: m.code,
                name: m.name,
                category: m.category,
                severity: m.severity,
                confidence: m.confidence,
                summary: doc::summary(&documentation),
                doc: documentation,
                cwe: m.cwe,
                owasp: m.owasp,
            }
        })
        .collect()
}
