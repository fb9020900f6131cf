//! Route-level authorization with IAM-style JSON policies, evaluated by `warden_iam` (the same
//! engine `warden scan` uses), so one policy language serves static analysis and runtime.
//!
//! A route policy is an API Gateway resource policy: the request is the action
//! `execute-api:Invoke` on `arn:aws:execute-api:local:000000000000:warden/$default/METHOD/PATH`,
//! made by an anonymous principal (statements use `"Principal": "*"`), with condition keys:
//! `aws:SourceIp`, `aws:CurrentTime`, `aws:EpochTime`, `aws:SecureTransport`, `aws:UserAgent`,
//! `aws:Referer`, `warden:RouteId`, `warden:Method`, `warden:Path`, `warden:PrincipalId`,
//! `warden:ApiKeyId`, `warden:Scope` (multi-valued), `warden:ClientCert`, and `jwt:<claim>` for
//! every string, number or boolean claim (multi-valued for arrays). Default deny; an explicit
//! deny wins.

use crate::context::{Meta, Principal};
use crate::error::{Reason, Rejection};
use serde_json::Value;
use warden_iam::{Context, PolicySet, Request, evaluate};

/// The action every route request is.
pub const ACTION: &str = "execute-api:Invoke";

/// A compiled route policy.
#[derive(Debug)]
pub struct Policy {
    set: PolicySet,
}

/// The resource ARN of a request.
pub fn resource_arn(method: &str, path: &str) -> String {
    format!(
        "arn:aws:execute-api:local:000000000000:warden/$default/{method}/{}",
        path.trim_start_matches('/')
    )
}

fn claim_values(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Number(n) => Some(vec![n.to_string()]),
        Value::Bool(b) => Some(vec![b.to_string()]),
        Value::Array(a) => Some(
            a.iter()
                .filter_map(|x| match x {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    Value::Bool(b) => Some(b.to_string()),
                    _ => None,
                })
                .collect(),
        ),
        _ => None,
    }
}

/// The condition keys of a request.
pub fn context(
    req: &http::Request<bytes::Bytes>,
    meta: &Meta,
    principal: Option<&Principal>,
    tls: bool,
) -> Context {
    let mut c = Context::default();
    c.insert("aws:SourceIp", &meta.client_ip.to_string());
    let now_ms = crate::time::unix_millis();
    c.insert("aws:CurrentTime", &crate::time::rfc3339_millis(now_ms));
    c.insert("aws:EpochTime", &(now_ms / 1000).to_string());
    c.insert("aws:SecureTransport", if tls { "true" } else { "false" });
    for (key, h) in [
        ("aws:UserAgent", http::header::USER_AGENT),
        ("aws:Referer", http::header::REFERER),
    ] {
        if let Some(v) = req.headers().get(h).and_then(|v| v.to_str().ok()) {
            c.insert(key, v);
        }
    }
    c.insert("warden:RouteId", meta.route_id());
    c.insert("warden:Method", req.method().as_str());
    c.insert("warden:Path", req.uri().path());
    c.insert(
        "warden:ClientCert",
        if meta.client_cert { "true" } else { "false" },
    );
    if let Some(p) = principal {
        if !p.id.is_empty() {
            c.insert("warden:PrincipalId", &p.id);
        }
        if let Some(k) = &p.api_key {
            c.insert("warden:ApiKeyId", k);
        }
        c.insert_multi("warden:Scope", p.scopes.clone());
        for (k, v) in p.claims.iter() {
            match (v, claim_values(v)) {
                (Value::Array(_), Some(vals)) => c.insert_multi(&format!("jwt:{k}"), vals),
                (_, Some(vals)) => {
                    if let Some(first) = vals.first() {
                        c.insert(&format!("jwt:{k}"), first);
                    }
                }
                _ => {}
            }
        }
    }
    c
}

impl Policy {
    /// Parses a policy document (IAM JSON grammar, checked by `warden_iam`).
    pub fn new(doc: &Value) -> Result<Self, String> {
        let policy = warden_iam::Policy::parse(doc).map_err(|e| format!("policy: {e}"))?;
        Ok(Self {
            set: PolicySet {
                resource: Some(policy),
                ..Default::default()
            },
        })
    }

    /// Evaluates one request; anything but an allow is 403.
    pub fn check(
        &self,
        req: &http::Request<bytes::Bytes>,
        meta: &Meta,
        principal: Option<&Principal>,
    ) -> Result<(), Rejection> {
        let tls = req
            .extensions()
            .get::<crate::context::ConnInfo>()
            .is_some_and(|c| c.tls);
        let ctx = context(req, meta, principal, tls);
        let request = Request::new(
            ACTION,
            &resource_arn(req.method().as_str(), req.uri().path()),
            None,
            ctx,
        );
        if evaluate(&request, &self.set).is_allowed() {
            Ok(())
        } else {
            Err(Rejection::client(
                "authz",
                Reason::Forbidden("policy denied"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::Arc;

    fn req(method: &str, path: &str, ip: &str) -> (http::Request<bytes::Bytes>, Arc<Meta>) {
        let meta = Arc::new(Meta::new("id".into(), ip.parse().unwrap(), false));
        let r = http::Request::builder()
            .method(method)
            .uri(path)
            .body(bytes::Bytes::new())
            .unwrap();
        (r, meta)
    }

    #[test]
    fn resource_policy_with_conditions() {
        let p = Policy::new(&json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke",
                 "Resource": "arn:aws:execute-api:*:*:*/*/GET/orders/*",
                 "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}},
                {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke",
                 "Resource": "arn:aws:execute-api:*:*:*/*/POST/orders/*",
                 "Condition": {"StringEquals": {"jwt:tenant": "acme"}, "ForAnyValue:StringEquals": {"warden:Scope": ["orders:write"]}}},
                {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
                 "Resource": "arn:aws:execute-api:*:*:*/*/*/orders/locked"}
            ]
        }))
        .unwrap();
        let (r, m) = req("GET", "/orders/1", "10.1.2.3");
        assert!(p.check(&r, &m, None).is_ok());
        let (r, m) = req("GET", "/orders/1", "192.0.2.1");
        assert_eq!(p.check(&r, &m, None).unwrap_err().status(), 403);
        let (r, m) = req("GET", "/orders/locked", "10.1.2.3");
        assert!(p.check(&r, &m, None).is_err(), "explicit deny must win");
        let mut principal = Principal {
            id: "sub:alice".into(),
            scopes: vec!["orders:write".into()],
            ..Default::default()
        };
        std::sync::Arc::make_mut(&mut principal.claims).insert("tenant".into(), json!("acme"));
        let (r, m) = req("POST", "/orders/9", "192.0.2.1");
        assert!(p.check(&r, &m, Some(&principal)).is_ok());
        std::sync::Arc::make_mut(&mut principal.claims).insert("tenant".into(), json!("other"));
        assert!(p.check(&r, &m, Some(&principal)).is_err());
        let (r, m) = req("DELETE", "/orders/9", "10.0.0.1");
        assert!(p.check(&r, &m, None).is_err(), "default deny");
    }

    #[test]
    fn invalid_policies_are_refused() {
        assert!(Policy::new(&json!({"Statement": "nope"})).is_err());
    }
}
