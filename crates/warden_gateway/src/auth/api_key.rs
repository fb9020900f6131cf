//! API keys: only SHA-256 digests are configured; a presented key is hashed and looked up. The
//! key itself is never stored, logged or echoed; the key's public id identifies the caller.

use crate::config::ApiKeyConfig;
use crate::context::Principal;
use crate::error::{Reason, Rejection};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// A compiled API key authorizer.
#[derive(Debug)]
pub struct ApiKeyAuth {
    header: http::HeaderName,
    keys: HashMap<[u8; 32], (String, Option<String>)>,
    forbidden: bool,
}

/// Lowercase hex SHA-256 of a key (what the configuration stores).
pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

impl ApiKeyAuth {
    pub fn new(cfg: &ApiKeyConfig) -> Result<Self, String> {
        let header = http::HeaderName::from_bytes(cfg.header.to_ascii_lowercase().as_bytes())
            .map_err(|_| format!("bad API key header `{}`", cfg.header))?;
        let mut keys = HashMap::new();
        for k in &cfg.keys {
            let raw = hex::decode(k.sha256.trim())
                .ok()
                .and_then(|v| <[u8; 32]>::try_from(v).ok())
                .ok_or_else(|| format!("API key `{}`: sha256 must be 64 hex digits", k.id))?;
            if keys.insert(raw, (k.id.clone(), k.plan.clone())).is_some() {
                return Err(format!("API key `{}` is configured twice", k.id));
            }
        }
        Ok(Self {
            header,
            keys,
            forbidden: cfg.on_failure == crate::config::KeyFailure::Forbidden,
        })
    }

    pub fn header(&self) -> &http::HeaderName {
        &self.header
    }

    pub fn authenticate(
        &self,
        headers: &http::HeaderMap,
        principal: &mut Principal,
    ) -> Result<(), Rejection> {
        let forbidden = self.forbidden;
        let deny = |why| {
            Err(Rejection::client(
                "authn",
                if forbidden {
                    Reason::Forbidden(why)
                } else {
                    Reason::Unauthenticated(why)
                },
            ))
        };
        let Some(v) = headers.get(&self.header) else {
            return deny("api key missing");
        };
        if v.len() > 512 {
            return deny("api key oversized");
        }
        let digest: [u8; 32] = Sha256::digest(v.as_bytes()).into();
        match self.keys.get(&digest) {
            Some((id, plan)) => {
                principal.api_key = Some(id.clone());
                principal.plan = plan.clone();
                if principal.id.is_empty() {
                    principal.id = format!("key:{id}");
                }
                Ok(())
            }
            None => deny("api key unknown"),
        }
    }
}
