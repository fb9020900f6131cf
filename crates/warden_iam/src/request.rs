//! The request being authorised: action, resource, principal, accounts and the context keys.
//!
//! Everything the evaluator compares is folded or split once here (lower-cased action, split
//! resource ARN, lower-cased context keys) so evaluation itself does not allocate.

use crate::arn::split_arn;

/// A context key's value: one string, or a list (a multi-valued key such as `aws:TagKeys`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    /// Single-valued key.
    Single(String),
    /// Multi-valued key (possibly empty).
    Multi(Vec<String>),
}

impl ContextValue {
    /// The values as a slice.
    pub fn values(&self) -> &[String] {
        match self {
            ContextValue::Single(s) => std::slice::from_ref(s),
            ContextValue::Multi(v) => v,
        }
    }

    /// True for a list value.
    pub fn is_multi(&self) -> bool {
        matches!(self, ContextValue::Multi(_))
    }
}

/// The request context: condition keys (matched case-insensitively) and their values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    entries: Vec<(String, ContextValue)>,
}

impl Context {
    /// Sets a single-valued key.
    pub fn insert(&mut self, key: &str, value: &str) {
        self.set(key, ContextValue::Single(value.to_owned()));
    }

    /// Sets a multi-valued key.
    pub fn insert_multi(&mut self, key: &str, values: Vec<String>) {
        self.set(key, ContextValue::Multi(values));
    }

    /// Sets a key to a value.
    pub fn set(&mut self, key: &str, value: ContextValue) {
        let k = key.to_ascii_lowercase();
        match self.entries.iter_mut().find(|(ek, _)| *ek == k) {
            Some(e) => e.1 = value,
            None => self.entries.push((k, value)),
        }
    }

    /// Looks up a key; `key` must already be lower-cased.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Looks up a key in any case.
    pub fn get_any_case(&self, key: &str) -> Option<&ContextValue> {
        self.get(&key.to_ascii_lowercase())
    }

    /// Iterates over (lower-cased key, value).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// True when no key is set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// What kind of principal makes the request; decides which policies apply and how a
/// resource-policy grant combines with the principal's own policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    /// No signature: only resource policies (and RCPs) apply.
    Anonymous,
    /// An AWS service principal such as `lambda.amazonaws.com`.
    Service,
    /// `arn:aws:iam::ACCOUNT:user/...`.
    User,
    /// `arn:aws:iam::ACCOUNT:role/...` used directly as the principal.
    Role,
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    RoleSession,
    /// `arn:aws:sts::ACCOUNT:federated-user/NAME`.
    FederatedUser,
    /// `arn:aws:iam::ACCOUNT:root`.
    AccountRoot,
    /// Any other identifier (canonical user, web identity provider, …).
    Other,
}

/// The principal of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPrincipal {
    /// The identifier as given (`None` for anonymous).
    pub id: Option<String>,
    /// Its kind.
    pub kind: PrincipalKind,
    /// Its account, if known.
    pub account: Option<String>,
    /// For a role session, the role name; for a role or user, its name without path.
    pub name: Option<String>,
}

impl RequestPrincipal {
    /// Classifies a principal identifier; `None` is anonymous.
    pub fn parse(id: Option<&str>) -> RequestPrincipal {
        let Some(id) = id else {
            return RequestPrincipal {
                id: None,
                kind: PrincipalKind::Anonymous,
                account: None,
                name: None,
            };
        };
        let mut p = RequestPrincipal {
            id: Some(id.to_owned()),
            kind: PrincipalKind::Other,
            account: None,
            name: None,
        };
        if let Some(f) = split_arn(id) {
            p.account = (!f[4].is_empty()).then(|| f[4].to_owned());
            let res = f[5];
            let (kind, name) = if f[2] == "iam" && res == "root" {
                (PrincipalKind::AccountRoot, None)
            } else if f[2] == "iam" && res.starts_with("user/") {
                (PrincipalKind::User, res.rsplit('/').next())
            } else if f[2] == "iam" && res.starts_with("role/") {
                (PrincipalKind::Role, res.rsplit('/').next())
            } else if f[2] == "sts" && res.starts_with("assumed-role/") {
                (PrincipalKind::RoleSession, res.split('/').nth(1))
            } else if f[2] == "sts" && res.starts_with("federated-user/") {
                (PrincipalKind::FederatedUser, res.split('/').nth(1))
            } else {
                (PrincipalKind::Other, None)
            };
            p.kind = kind;
            p.name = name.map(str::to_owned);
        } else if is_service_principal(id) {
            p.kind = PrincipalKind::Service;
        }
        p
    }

    /// True for IAM principals (users, roles, sessions, root): the ones identity policies,
    /// boundaries and SCPs apply to.
    pub fn is_iam(&self) -> bool {
        matches!(
            self.kind,
            PrincipalKind::User
                | PrincipalKind::Role
                | PrincipalKind::RoleSession
                | PrincipalKind::FederatedUser
                | PrincipalKind::AccountRoot
                | PrincipalKind::Other
        )
    }
}

/// True for identifiers such as `lambda.amazonaws.com` or `states.eu-west-1.amazonaws.com`.
pub fn is_service_principal(id: &str) -> bool {
    !id.starts_with("arn:")
        && (id.ends_with(".amazonaws.com")
            || id.ends_with(".amazonaws.com.cn")
            || id.ends_with(".amazon.com"))
}

/// A request to authorise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    action: String,
    action_lower: String,
    resource: String,
    /// The resource compared with `Resource` elements: `*` for actions without resource-level
    /// permissions (from the catalog), else the resource itself.
    match_resource: String,
    /// Whether `match_resource` is an ARN (cached split check).
    arn_fields: bool,
    /// Whether resource control policies govern the action's service.
    rcp_applies: bool,
    /// Whether the resource policy must allow explicitly (role trust policy, KMS key policy).
    resource_policy_required: bool,
    /// The principal.
    pub principal: RequestPrincipal,
    /// The account that owns the resource, when known; defaults to the ARN's account field and
    /// then to the principal's account.
    pub resource_account: Option<String>,
    /// Condition keys.
    pub context: Context,
}

impl Request {
    /// Builds a request. `principal` is an ARN, a service principal or `None` (anonymous).
    pub fn new(action: &str, resource: &str, principal: Option<&str>, context: Context) -> Request {
        let principal = RequestPrincipal::parse(principal);
        let action_lower = action.to_ascii_lowercase();
        let match_resource = match crate::catalog::catalog().action(&action_lower) {
            Some(a) if !a.has_resource_types() => "*".to_owned(),
            _ => resource.to_owned(),
        };
        let arn_fields = split_arn(&match_resource).is_some();
        let fields = split_arn(resource);
        let resource_account = fields.and_then(|f| (!f[4].is_empty()).then(|| f[4].to_owned()));
        let service = action_lower.split(':').next().unwrap_or("");
        let rcp_applies = crate::catalog::catalog()
            .service(service)
            .is_none_or(|s| s.supports_rcp);
        let resource_policy_required = match fields {
            Some(f) => {
                (service == "sts" && f[2] == "iam" && f[5].starts_with("role/"))
                    || (service == "kms" && f[2] == "kms" && f[5].starts_with("key/"))
            }
            None => false,
        };
        Request {
            action: action.to_owned(),
            action_lower,
            resource: resource.to_owned(),
            match_resource,
            arn_fields,
            rcp_applies,
            resource_policy_required,
            principal,
            resource_account,
            context,
        }
    }

    /// Overrides the principal's account (when the identifier does not carry it).
    pub fn with_principal_account(mut self, account: Option<&str>) -> Request {
        if let Some(a) = account {
            self.principal.account = Some(a.to_owned());
        }
        self
    }

    /// Overrides the resource's account.
    pub fn with_resource_account(mut self, account: Option<&str>) -> Request {
        if let Some(a) = account {
            self.resource_account = Some(a.to_owned());
        }
        self
    }

    /// True when resource control policies govern the action's service (from the catalog; an
    /// unknown service is assumed to be governed).
    pub fn rcp_applies(&self) -> bool {
        self.rcp_applies
    }

    /// True when the resource's own policy must allow the request explicitly: a role's trust
    /// policy for `sts:AssumeRole*`, a KMS key policy for `kms:*` on a key.
    pub fn resource_policy_required(&self) -> bool {
        self.resource_policy_required
    }

    /// Forces or clears the explicit-resource-policy requirement.
    pub fn with_resource_policy_required(mut self, required: bool) -> Request {
        self.resource_policy_required = required;
        self
    }

    /// The action as given.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The action lower-cased.
    pub fn action_lower(&self) -> &str {
        &self.action_lower
    }

    /// The resource as given.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The resource compared with `Resource` elements.
    pub fn match_resource(&self) -> &str {
        &self.match_resource
    }

    /// The ARN fields of [`Request::match_resource`], if it is an ARN.
    pub fn match_fields(&self) -> Option<[&str; 6]> {
        if self.arn_fields {
            split_arn(&self.match_resource)
        } else {
            None
        }
    }

    /// The account the resource lives in (falls back to the principal's account).
    pub fn effective_resource_account(&self) -> Option<&str> {
        self.resource_account
            .as_deref()
            .or(self.principal.account.as_deref())
    }

    /// True when principal and resource are in the same account (or either is unknown).
    pub fn same_account(&self) -> bool {
        match (
            self.principal.account.as_deref(),
            self.resource_account.as_deref(),
        ) {
            (Some(p), Some(r)) => p == r,
            _ => true,
        }
    }

    /// Fills `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:username` and
    /// `aws:PrincipalIsAWSService` from the principal when the caller did not set them, as AWS does.
    pub fn with_derived_context(mut self) -> Request {
        let p = self.principal.clone();
        let mut put = |k: &str, v: &str| {
            if self.context.get_any_case(k).is_none() {
                self.context.insert(k, v);
            }
        };
        if let Some(id) = p.id.as_deref() {
            match p.kind {
                PrincipalKind::Service => {
                    put("aws:PrincipalServiceName", id);
                    put("aws:PrincipalIsAWSService", "true");
                }
                PrincipalKind::Anonymous => {}
                _ => {
                    put("aws:PrincipalIsAWSService", "false");
                    if let (PrincipalKind::RoleSession, Some(acct), Some(role)) =
                        (p.kind, &p.account, &p.name)
                    {
                        put(
                            "aws:PrincipalArn",
                            &format!("arn:aws:iam::{acct}:role/{role}"),
                        );
                    } else {
                        put("aws:PrincipalArn", id);
                    }
                    if let Some(a) = &p.account {
                        put("aws:PrincipalAccount", a);
                    }
                    if let (PrincipalKind::User, Some(n)) = (p.kind, &p.name) {
                        put("aws:username", n);
                    }
                }
            }
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_principals() {
        let k = |s: Option<&str>| RequestPrincipal::parse(s).kind;
        assert_eq!(k(None), PrincipalKind::Anonymous);
        assert_eq!(k(Some("lambda.amazonaws.com")), PrincipalKind::Service);
        assert_eq!(k(Some("arn:aws:iam::1:user/a/b")), PrincipalKind::User);
        assert_eq!(k(Some("arn:aws:iam::1:role/r")), PrincipalKind::Role);
        assert_eq!(
            k(Some("arn:aws:sts::1:assumed-role/r/s")),
            PrincipalKind::RoleSession
        );
        assert_eq!(k(Some("arn:aws:iam::1:root")), PrincipalKind::AccountRoot);
        let s = RequestPrincipal::parse(Some("arn:aws:sts::1:assumed-role/r/s"));
        assert_eq!(s.name.as_deref(), Some("r"));
        assert_eq!(s.account.as_deref(), Some("1"));
    }

    #[test]
    fn actions_without_resource_level_permissions_match_star() {
        let r = Request::new(
            "s3:ListAllMyBuckets",
            "arn:aws:s3:::b",
            None,
            Context::default(),
        );
        assert_eq!(r.match_resource(), "*");
        let r = Request::new("s3:GetObject", "arn:aws:s3:::b/k", None, Context::default());
        assert_eq!(r.match_resource(), "arn:aws:s3:::b/k");
    }
}
