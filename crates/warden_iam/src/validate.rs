//! Policy validation in the spirit of IAM Access Analyzer: errors, security warnings, warnings and
//! suggestions, each with a JSON pointer into the document.

use crate::catalog::{KeyType, catalog};
use crate::policy::{
    ActionElement, Effect, Family, Policy, PrincipalElement, ResourceElement, SetOp,
};
use serde_json::Value;

/// Finding level, as Access Analyzer names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValidationLevel {
    /// The policy is invalid or cannot work.
    Error,
    /// The policy grants more than it seems to.
    SecurityWarning,
    /// Something is probably wrong.
    Warning,
    /// Something could be simpler.
    Suggestion,
}

/// One validation finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ValidationFinding {
    /// Level.
    pub level: ValidationLevel,
    /// Stable kind.
    pub kind: &'static str,
    /// Explanation.
    pub message: String,
    /// JSON pointer into the policy document.
    pub path: String,
}

fn f(
    level: ValidationLevel,
    kind: &'static str,
    message: String,
    path: String,
) -> ValidationFinding {
    ValidationFinding {
        level,
        kind,
        message,
        path,
    }
}

fn family_fits(fam: Family, kt: KeyType) -> bool {
    use KeyType as K;
    match fam {
        Family::Null => true,
        Family::String => matches!(
            kt,
            K::String | K::ArrayOfString | K::Arn | K::ArrayOfArn | K::Other
        ),
        Family::Arn => matches!(
            kt,
            K::Arn | K::ArrayOfArn | K::String | K::ArrayOfString | K::Other
        ),
        Family::Numeric => matches!(kt, K::Numeric | K::Other | K::ArrayOfOther),
        Family::Date => matches!(kt, K::Date | K::Other),
        Family::Bool => matches!(kt, K::Bool | K::ArrayOfBool | K::Other),
        Family::Binary => matches!(kt, K::Binary | K::Other),
        Family::Ip => matches!(kt, K::IpAddress | K::Other),
    }
}

/// Validates a policy document.
pub fn validate_policy(doc: &Value) -> Vec<ValidationFinding> {
    use ValidationLevel as L;
    let policy = match Policy::parse(doc) {
        Ok(p) => p,
        Err(e) => return vec![f(L::Error, "invalid-policy", e.message, e.path)],
    };
    let cat = catalog();
    let mut out = Vec::new();
    let text = doc.to_string();
    if !policy.version.supports_variables() && text.contains("${") {
        out.push(f(
            L::Error,
            "policy-variable-wrong-version",
            "policy variables need `\"Version\": \"2012-10-17\"`; they are literal text here"
                .to_owned(),
            "/Version".to_owned(),
        ));
    }
    for st in &policy.statements {
        let sp = policy.statement_pointer(st.index);
        let elem = if st.action.is_not() {
            "NotAction"
        } else {
            "Action"
        };
        let mut known_actions = Vec::new();
        for (i, p) in st.action.patterns().iter().enumerate() {
            let path = format!("{sp}/{elem}/{i}");
            if p.full.is_any() {
                continue;
            }
            let Some((svc, _)) = p.raw.split_once(':') else {
                out.push(f(
                    L::Error,
                    "invalid-action",
                    format!("`{}` is not `service:action`", p.raw),
                    path,
                ));
                continue;
            };
            if !svc.contains(['*', '?']) && cat.service(svc).is_none() {
                out.push(f(
                    L::Error,
                    "unknown-service",
                    format!("unknown service prefix `{svc}`"),
                    path,
                ));
                continue;
            }
            let matching: Vec<_> = cat
                .services
                .iter()
                .filter(|s| p.service.matches(&s.prefix.to_ascii_lowercase()))
                .flat_map(|s| cat.actions_of(s))
                .filter(|a| p.matches(&cat.actions[a.index].key))
                .collect();
            if matching.is_empty() {
                out.push(f(
                    L::Error,
                    "unknown-action",
                    format!("`{}` matches no known action", p.raw),
                    path,
                ));
            }
            known_actions.extend(matching);
        }
        for (ci, c) in st.conditions.iter().enumerate() {
            let path = format!("{sp}/Condition/{}/{}", c.operator.raw, c.key);
            let _ = ci;
            let key = if known_actions.is_empty() || st.action.is_not() {
                cat.condition_key(None, &c.key)
            } else {
                known_actions
                    .iter()
                    .find_map(|a| cat.condition_key(Some(*a), &c.key))
            };
            let Some(key) = key else {
                out.push(f(
                    L::Warning,
                    "unknown-condition-key",
                    format!("`{}` is not a known condition key for these actions", c.key),
                    path,
                ));
                continue;
            };
            if !family_fits(c.operator.base.family(), key.kind) {
                out.push(f(
                    L::Error,
                    "operator-type-mismatch",
                    format!(
                        "`{}` compares {:?} values but `{}` is of type {:?}",
                        c.operator.raw,
                        c.operator.base.family(),
                        c.key,
                        key.kind
                    ),
                    path.clone(),
                ));
            }
            if c.operator.set != SetOp::None && !key.kind.is_multi() {
                out.push(f(
                    L::SecurityWarning,
                    "set-operator-on-single-valued-key",
                    format!("`{}` is single-valued: `{}` behaves unexpectedly (ForAllValues holds when the key is absent)", c.key, c.operator.raw),
                    path,
                ));
            }
        }
        if st.effect == Effect::Allow
            && matches!(st.principal, Some(PrincipalElement::NotPrincipal(_)))
        {
            out.push(f(L::SecurityWarning, "allow-with-not-principal", "`Allow` with `NotPrincipal` grants every other principal, anonymous callers included".to_owned(), format!("{sp}/NotPrincipal")));
        }
        if st.effect == Effect::Allow
            && matches!(st.resource, Some(ResourceElement::NotResource(_)))
            && st.action.matches("iam:passrole")
        {
            out.push(f(
                L::SecurityWarning,
                "not-resource-with-pass-role",
                "`iam:PassRole` with `NotResource` lets the principal pass almost every role"
                    .to_owned(),
                format!("{sp}/NotResource"),
            ));
        }
        if let ActionElement::Action(ps) = &st.action
            && ps.is_empty()
        {
            out.push(f(
                L::Error,
                "empty-action",
                "`Action` is an empty list".to_owned(),
                format!("{sp}/Action"),
            ));
        }
    }
    // Redundant statements: identical to an earlier one apart from `Sid`.
    for (i, a) in policy.statements.iter().enumerate() {
        for b in &policy.statements[..i] {
            let same = a.effect == b.effect
                && a.action == b.action
                && a.resource == b.resource
                && a.principal == b.principal
                && a.conditions == b.conditions;
            if same {
                out.push(f(
                    L::Suggestion,
                    "redundant-statement",
                    format!("statement {} repeats statement {}", a.index, b.index),
                    policy.statement_pointer(a.index),
                ));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kinds(doc: Value) -> Vec<&'static str> {
        validate_policy(&doc).into_iter().map(|f| f.kind).collect()
    }

    #[test]
    fn findings() {
        assert!(kinds(json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})).is_empty());
        assert_eq!(
            kinds(
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "nosuch:Thing", "Resource": "*"}]})
            ),
            ["unknown-service"]
        );
        assert_eq!(
            kinds(
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]})
            ),
            ["unknown-action"]
        );
        assert_eq!(
            kinds(
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"s3:bogus": "x"}}}]})
            ),
            ["unknown-condition-key"]
        );
        assert_eq!(
            kinds(
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"NumericEquals": {"aws:SourceIp": "1"}}}]})
            ),
            ["operator-type-mismatch"]
        );
        assert_eq!(
            kinds(
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-1"}}}]})
            ),
            ["set-operator-on-single-valued-key"]
        );
        assert_eq!(
            kinds(
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "*"}]})
            ),
            ["allow-with-not-principal"]
        );
        assert_eq!(
            kinds(
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::1:role/admin"}]})
            ),
            ["not-resource-with-pass-role"]
        );
        assert_eq!(
            kinds(
                json!({"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}]})
            ),
            ["policy-variable-wrong-version"]
        );
        let st = json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"});
        let v = validate_policy(&json!({"Version": "2012-10-17", "Statement": [st, st]}));
        assert_eq!(
            (v[0].kind, v[0].path.as_str()),
            ("redundant-statement", "/Statement/1")
        );
        assert_eq!(
            kinds(json!({"Statement": [{"Effect": "Allow"}]})),
            ["invalid-policy"]
        );
    }
}
