//! `Principal`/`NotPrincipal`: the forms AWS accepts and how they match a request's principal.
//!
//! A match records how specific it was, because a same-account resource-policy grant bypasses
//! different implicit denies depending on whether it names the session, the role, or the account.

use super::PolicyError;
use super::parse::{err, string_list};
use crate::arn::split_arn;
use crate::request::{PrincipalKind, RequestPrincipal};
use serde_json::Value;

/// A parsed principal element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrincipalSpec {
    /// `"*"` given as the whole element.
    pub wildcard: bool,
    /// `AWS` values (account IDs, ARNs, `*`).
    pub aws: Vec<String>,
    /// `Service` values.
    pub service: Vec<String>,
    /// `Federated` values.
    pub federated: Vec<String>,
    /// `CanonicalUser` values.
    pub canonical_user: Vec<String>,
}

/// How a principal element matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrincipalMatch {
    /// Not matched.
    No,
    /// Matched through the account (`123456789012` or `arn:…:root`): a delegation to the account.
    Account,
    /// A role ARN matched a session of that role.
    Role,
    /// The principal itself (its exact ARN, service, provider).
    Exact,
    /// `"*"` or `{"AWS": "*"}`: everyone.
    Public,
}

pub(super) fn parse_principal(v: &Value, path: &str) -> Result<PrincipalSpec, PolicyError> {
    let mut spec = PrincipalSpec::default();
    match v {
        Value::String(s) if s == "*" => spec.wildcard = true,
        Value::Object(map) => {
            for (k, val) in map {
                let p = format!("{path}/{k}");
                let list = string_list(val, &p)?;
                match k.as_str() {
                    "AWS" => spec.aws = list,
                    "Service" => spec.service = list,
                    "Federated" => spec.federated = list,
                    "CanonicalUser" => spec.canonical_user = list,
                    other => return Err(err(&p, format!("unknown principal type `{other}`"))),
                }
            }
        }
        _ => return Err(err(path, "expected \"*\" or an object of principal types")),
    }
    Ok(spec)
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

impl PrincipalSpec {
    /// True for `"*"` or `{"AWS": "*"}`: everyone, including anonymous callers.
    pub fn is_public(&self) -> bool {
        self.wildcard || self.aws.iter().any(|a| a == "*")
    }

    /// How this element matches the request's principal.
    pub fn matches(&self, p: &RequestPrincipal) -> PrincipalMatch {
        if self.is_public() {
            return PrincipalMatch::Public;
        }
        let id = p.id.as_deref();
        let mut best = PrincipalMatch::No;
        for a in &self.aws {
            best = best.max(match_aws(a, p));
            if best == PrincipalMatch::Exact {
                return best;
            }
        }
        if p.kind == PrincipalKind::Service {
            if let Some(id) = id
                && self
                    .service
                    .iter()
                    .any(|s| s == "*" || s.eq_ignore_ascii_case(id))
            {
                return PrincipalMatch::Exact;
            }
        } else if let Some(id) = id
            && (self.federated.iter().any(|f| f == id)
                || self.canonical_user.iter().any(|c| c == id))
        {
            return PrincipalMatch::Exact;
        }
        best
    }
}

fn match_aws(value: &str, p: &RequestPrincipal) -> PrincipalMatch {
    if !p.is_iam() {
        return PrincipalMatch::No;
    }
    if p.id.as_deref() == Some(value) {
        return PrincipalMatch::Exact;
    }
    if is_account_id(value) {
        return if p.account.as_deref() == Some(value) {
            PrincipalMatch::Account
        } else {
            PrincipalMatch::No
        };
    }
    let Some(f) = split_arn(value) else {
        return PrincipalMatch::No;
    };
    if f[2] != "iam" {
        return PrincipalMatch::No;
    }
    if f[5] == "root" {
        return if p.account.as_deref() == Some(f[4]) {
            PrincipalMatch::Account
        } else {
            PrincipalMatch::No
        };
    }
    if p.kind == PrincipalKind::RoleSession
        && let Some(path_name) = f[5].strip_prefix("role/")
        && p.account.as_deref() == Some(f[4])
        && path_name.rsplit('/').next() == p.name.as_deref()
    {
        return PrincipalMatch::Role;
    }
    PrincipalMatch::No
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(spec: Value, who: Option<&str>) -> PrincipalMatch {
        parse_principal(&spec, "")
            .unwrap()
            .matches(&RequestPrincipal::parse(who))
    }

    #[test]
    fn forms() {
        let sess_arn = "arn:aws:sts::111122223333:assumed-role/App/s1";
        let sess = Some(sess_arn);
        assert_eq!(m(json!("*"), None), PrincipalMatch::Public);
        assert_eq!(m(json!({"AWS": "*"}), sess), PrincipalMatch::Public);
        assert_eq!(
            m(json!({"AWS": "111122223333"}), sess),
            PrincipalMatch::Account
        );
        assert_eq!(
            m(json!({"AWS": "arn:aws:iam::111122223333:root"}), sess),
            PrincipalMatch::Account
        );
        assert_eq!(
            m(json!({"AWS": "arn:aws:iam::444455556666:root"}), sess),
            PrincipalMatch::No
        );
        assert_eq!(
            m(
                json!({"AWS": "arn:aws:iam::111122223333:role/path/App"}),
                sess
            ),
            PrincipalMatch::Role
        );
        assert_eq!(m(json!({"AWS": [sess_arn]}), sess), PrincipalMatch::Exact);
        assert_eq!(
            m(
                json!({"Service": "lambda.amazonaws.com"}),
                Some("lambda.amazonaws.com")
            ),
            PrincipalMatch::Exact
        );
        assert_eq!(
            m(json!({"Service": "lambda.amazonaws.com"}), sess),
            PrincipalMatch::No
        );
        assert_eq!(m(json!({"AWS": "111122223333"}), None), PrincipalMatch::No);
        assert_eq!(
            m(json!({"AWS": "111122223333"}), Some("s3.amazonaws.com")),
            PrincipalMatch::No
        );
        assert!(parse_principal(&json!({"Bogus": "x"}), "").is_err());
        assert!(parse_principal(&json!("arn:aws:iam::1:root"), "").is_err());
    }
}
