//! Authorisation of secret reads: the [`Authorizer`] trait the service calls, and the default
//! implementation that evaluates each function's IAM identity policy with `warden_iam`.
//!
//! A caller's function `NAME` is evaluated as the principal `arn:aws:iam::<account>:role/NAME`
//! (Lambda functions act through their execution role), with `aws:CurrentTime`,
//! `aws:EpochTime` and `aws:SecureTransport` (false: loopback HTTP) in the request context,
//! so conditions on those keys work; conditions on keys the service does not know fail the
//! way AWS fails them (the key is absent).

use std::collections::HashMap;
use warden_iam::{Context, Outcome, Policy, PolicySet, Request};

/// One access to decide: which function asks for which action on which resource ARN.
#[derive(Debug, Clone, Copy)]
pub struct AccessRequest<'a> {
    /// The calling function (resolved from its token).
    pub function: &'a str,
    /// IAM action, e.g. `secretsmanager:GetSecretValue`.
    pub action: &'a str,
    /// Resource ARN.
    pub resource: &'a str,
}

/// The outcome of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// A statement allowed it and none denied it.
    Allow,
    /// A statement denied it.
    ExplicitDeny,
    /// Nothing allowed it.
    ImplicitDeny,
}

/// Decides whether a function may perform an action on a resource.
pub trait Authorizer: Send + Sync {
    /// The decision for `request`.
    fn decide(&self, request: &AccessRequest<'_>) -> Decision;
}

/// Evaluates each function's identity policy; unknown functions are denied.
#[derive(Debug)]
pub struct PolicyAuthorizer {
    account: String,
    policies: HashMap<String, PolicySet>,
}

impl PolicyAuthorizer {
    /// An authoriser for functions of `account`.
    pub fn new(account: &str) -> Self {
        Self {
            account: account.to_owned(),
            policies: HashMap::new(),
        }
    }

    /// Parses and registers the identity policy of `function`.
    pub fn add(
        &mut self,
        function: &str,
        document: &serde_json::Value,
    ) -> Result<(), warden_iam::PolicyError> {
        let policy = Policy::parse(document)?;
        self.policies.insert(
            function.to_owned(),
            PolicySet {
                identity: vec![policy],
                ..PolicySet::default()
            },
        );
        Ok(())
    }
}

impl Authorizer for PolicyAuthorizer {
    fn decide(&self, request: &AccessRequest<'_>) -> Decision {
        let Some(set) = self.policies.get(request.function) else {
            return Decision::ImplicitDeny;
        };
        let now_ms = crate::clock::system_now_ms();
        let mut context = Context::default();
        context.insert("aws:CurrentTime", &crate::clock::rfc3339(now_ms));
        context.insert("aws:EpochTime", &(now_ms / 1000).to_string());
        context.insert("aws:SecureTransport", "false");
        let principal = format!("arn:aws:iam::{}:role/{}", self.account, request.function);
        let req = Request::new(request.action, request.resource, Some(&principal), context)
            .with_derived_context();
        match warden_iam::evaluate(&req, set).outcome {
            Outcome::Allowed => Decision::Allow,
            Outcome::ExplicitlyDenied => Decision::ExplicitDeny,
            Outcome::ImplicitlyDenied => Decision::ImplicitDeny,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";
    const GET: &str = "secretsmanager:GetSecretValue";

    fn decide(policy: serde_json::Value, function: &str, action: &str, resource: &str) -> Decision {
        let mut a = PolicyAuthorizer::new("123456789012");
        a.add("orders", &policy).unwrap();
        a.decide(&AccessRequest {
            function,
            action,
            resource,
        })
    }

    #[test]
    fn allow_deny_default_and_unknown_function() {
        let p = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": GET, "Resource": "arn:aws:secretsmanager:*:*:secret:prod/*"},
            {"Effect": "Deny", "Action": "secretsmanager:*", "Resource": "arn:aws:secretsmanager:*:*:secret:prod/root-*"}]});
        assert_eq!(decide(p.clone(), "orders", GET, ARN), Decision::Allow);
        assert_eq!(
            decide(p.clone(), "orders", "secretsmanager:PutSecretValue", ARN),
            Decision::ImplicitDeny
        );
        let root = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/root-XyZabc";
        assert_eq!(
            decide(p.clone(), "orders", GET, root),
            Decision::ExplicitDeny
        );
        assert_eq!(decide(p, "billing", GET, ARN), Decision::ImplicitDeny);
    }

    #[test]
    fn conditions_are_evaluated() {
        let p = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": GET, "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/orders"}}}]});
        assert_eq!(decide(p, "orders", GET, ARN), Decision::Allow);
        let p = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": GET, "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]});
        assert_eq!(decide(p, "orders", GET, ARN), Decision::ImplicitDeny);
    }
}
