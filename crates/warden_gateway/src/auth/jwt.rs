//! Bearer JWT validation: size cap, explicit algorithm allow-list (`none` cannot be expressed;
//! the key's family must match the algorithm, so HS256 signed with an RSA public key fails),
//! `iss`/`aud`/`exp`/`nbf`/`iat` with leeway, required claims and scopes.

use super::jwks::Jwks;
use crate::config::JwtConfig;
use crate::context::Principal;
use crate::error::{Reason, Rejection};
use jsonwebtoken::{Algorithm, Validation, decode, decode_header};
use serde_json::{Map, Value};

/// A compiled JWT authorizer.
#[derive(Debug)]
pub struct JwtAuth {
    cfg: JwtConfig,
    algorithms: Vec<Algorithm>,
    jwks: Jwks,
    verified: super::jwt_cache::VerifiedTokens,
}

fn family(a: Algorithm) -> u8 {
    use Algorithm::*;
    match a {
        HS256 | HS384 | HS512 => 0,
        RS256 | RS384 | RS512 | PS256 | PS384 | PS512 => 1,
        ES256 | ES384 => 2,
        EdDSA => 3,
        _ => 255,
    }
}

fn key_family(k: &jsonwebtoken::DecodingKey) -> u8 {
    use jsonwebtoken::AlgorithmFamily as F;
    match k.family() {
        F::Hmac => 0,
        F::Rsa => 1,
        F::Ec => 2,
        F::Ed => 3,
    }
}

/// Scopes from `scope` (space separated) or `scp` (array or string).
pub fn scopes(claims: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for name in ["scope", "scp"] {
        match claims.get(name) {
            Some(Value::String(s)) => out.extend(s.split_whitespace().map(str::to_string)),
            Some(Value::Array(a)) => {
                out.extend(a.iter().filter_map(|v| v.as_str()).map(str::to_string))
            }
            _ => {}
        }
    }
    out
}

impl JwtAuth {
    pub fn new(cfg: JwtConfig, jwks: Jwks) -> Result<Self, String> {
        if cfg.algorithms.is_empty() {
            return Err("JWT: `algorithms` must list at least one algorithm".into());
        }
        let mut algorithms = Vec::new();
        for a in &cfg.algorithms {
            let alg: Algorithm = a.parse().map_err(|_| {
                format!("JWT: unsupported algorithm `{a}` (`none` is never allowed)")
            })?;
            algorithms.push(alg);
        }
        if cfg.issuers.is_empty() {
            return Err("JWT: `issuers` is required".into());
        }
        if cfg.verify_audience && cfg.audiences.is_empty() {
            return Err("JWT: `audiences` is required (or `verify_audience = false`)".into());
        }
        Ok(Self {
            cfg,
            algorithms,
            jwks,
            verified: Default::default(),
        })
    }

    /// `aud` (a string or a list) names an accepted audience; a token without `aud` may name
    /// one in `client_id` instead (Cognito access tokens, as API Gateway's JWT authorizers accept).
    fn audience_ok(&self, claims: &Map<String, Value>) -> bool {
        let accepted = |v: &Value| {
            v.as_str()
                .is_some_and(|a| self.cfg.audiences.iter().any(|x| x == a))
        };
        match claims.get("aud") {
            Some(Value::Array(list)) => list.iter().any(accepted),
            Some(one) => accepted(one),
            None => claims.get("client_id").is_some_and(accepted),
        }
    }

    pub fn jwks(&self) -> &Jwks {
        &self.jwks
    }

    pub async fn authenticate(
        &self,
        headers: &http::HeaderMap,
        principal: &mut Principal,
    ) -> Result<(), Rejection> {
        let deny = |why| Err(Rejection::client("authn", Reason::Unauthenticated(why)));
        let Some(value) = headers.get(http::header::AUTHORIZATION) else {
            return deny("bearer token missing");
        };
        if value.len() > self.cfg.max_token_bytes + 7 {
            return deny("bearer token oversized");
        }
        let Ok(value) = value.to_str() else {
            return deny("authorization header not text");
        };
        // `Bearer <token>`, or the bare token as API Gateway's JWT and Cognito authorizers
        // also accept it.
        let token = match value.trim().split_once(' ') {
            Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => t.trim(),
            None if !value.trim().is_empty() => value.trim(),
            _ => return deny("not a bearer token"),
        };
        let generation = self.jwks.generation();
        if let Some(claims) = self.verified.get(token, generation) {
            use super::jwt_cache::{Stale, time_check};
            return match time_check(&claims, crate::time::unix_secs(), self.cfg.leeway_secs) {
                Ok(()) => {
                    Self::fill(principal, claims);
                    Ok(())
                }
                Err(Stale::Expired) => deny("token expired"),
                Err(Stale::NotYetValid) => deny("token not yet valid"),
            };
        }
        let Ok(header) = decode_header(token) else {
            return deny("token header invalid");
        };
        if !self.algorithms.contains(&header.alg) {
            return deny("token algorithm not allowed");
        }
        let Some(key) = self.jwks.key(header.kid.as_deref()).await else {
            return deny("token key unknown");
        };
        if key_family(&key.key) != family(header.alg) || key.alg.is_some_and(|a| a != header.alg) {
            return deny("token algorithm does not match the key");
        }
        let mut v = Validation::new(header.alg);
        v.algorithms = vec![header.alg];
        v.leeway = self.cfg.leeway_secs;
        v.validate_exp = true;
        v.validate_nbf = true;
        v.set_issuer(&self.cfg.issuers);
        // The audience is checked below (`aud`, or `client_id` when there is no `aud`).
        v.validate_aud = false;
        v.set_required_spec_claims(&["exp", "iss"]);
        let data = match decode::<Map<String, Value>>(token, &key.key, &v) {
            Ok(d) => d,
            Err(e) => {
                use jsonwebtoken::errors::ErrorKind as K;
                return deny(match e.kind() {
                    K::ExpiredSignature => "token expired",
                    K::ImmatureSignature => "token not yet valid",
                    K::InvalidAudience => "token audience rejected",
                    K::InvalidIssuer => "token issuer rejected",
                    K::InvalidSignature => "token signature invalid",
                    K::MissingRequiredClaim(_) => "token claim missing",
                    _ => "token invalid",
                });
            }
        };
        let claims = data.claims;
        if self.cfg.verify_audience && !self.audience_ok(&claims) {
            return deny("token audience rejected");
        }
        if let Some(iat) = claims.get("iat") {
            let Some(iat) = iat.as_f64() else {
                return deny("token iat invalid");
            };
            if iat > (crate::time::unix_secs() + self.cfg.leeway_secs) as f64 {
                return deny("token issued in the future");
            }
        }
        for c in &self.cfg.required_claims {
            if !claims.contains_key(c) {
                return deny("token claim missing");
            }
        }
        let claims = std::sync::Arc::new(claims);
        self.verified.insert(token, claims.clone(), generation);
        Self::fill(principal, claims);
        Ok(())
    }

    fn fill(principal: &mut Principal, claims: std::sync::Arc<Map<String, Value>>) {
        principal.scopes = scopes(&claims);
        principal.id = claims
            .get("sub")
            .and_then(|s| s.as_str())
            .map(|s| format!("sub:{s}"))
            .unwrap_or_else(|| "jwt".into());
        principal.claims = claims;
    }
}
