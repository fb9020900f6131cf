//! Authentication: JWT/OIDC bearer tokens, API keys and HMAC-signed webhooks. Failures carry a
//! precise reason for the gateway's own logs and a generic 401/403 for the client.

pub mod api_key;
pub mod hmac;
pub mod jwks;
pub mod jwt;
pub mod jwt_cache;

use crate::context::Principal;
use crate::error::Rejection;
use bytes::Bytes;

/// A named, ready-to-use authorizer.
#[derive(Debug)]
pub enum Authorizer {
    Jwt(Box<jwt::JwtAuth>),
    ApiKey(api_key::ApiKeyAuth),
    Hmac(hmac::HmacAuth),
    /// Refuses every request (an authorizer that cannot be enforced here).
    Deny,
}

impl Authorizer {
    /// Authenticates one request, filling in the principal.
    pub async fn authenticate(
        &self,
        parts: &http::request::Parts,
        body: &Bytes,
        principal: &mut Principal,
    ) -> Result<(), Rejection> {
        match self {
            Authorizer::Jwt(a) => a.authenticate(&parts.headers, principal).await,
            Authorizer::ApiKey(a) => a.authenticate(&parts.headers, principal),
            Authorizer::Hmac(a) => a.authenticate(&parts.headers, body, principal),
            Authorizer::Deny => Err(Rejection::client(
                "authn",
                crate::error::Reason::Unauthenticated("authorizer not enforceable here"),
            )),
        }
    }
}
