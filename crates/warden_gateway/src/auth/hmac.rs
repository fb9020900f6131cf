//! HMAC-signed webhooks: `hex(HMAC-SHA256(secret, "<timestamp>.<body>"))` in a header, a
//! timestamp within the replay window, and each signature accepted once within that window.

use crate::config::HmacConfig;
use crate::context::Principal;
use crate::error::{Reason, Rejection};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::Mutex;

/// A compiled webhook authorizer.
pub struct HmacAuth {
    name: String,
    secret: Vec<u8>,
    sig_header: http::HeaderName,
    ts_header: http::HeaderName,
    window: u64,
    seen: Mutex<HashMap<Vec<u8>, u64>>,
}

impl std::fmt::Debug for HmacAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HmacAuth")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Signs a payload the way senders must (used by tests and clients).
pub fn sign(secret: &[u8], timestamp: u64, body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

impl HmacAuth {
    /// Reads the secret from the configured environment variable.
    pub fn new(name: &str, cfg: &HmacConfig) -> Result<Self, String> {
        let secret = std::env::var(&cfg.secret_env).map_err(|_| {
            format!(
                "authorizer `{name}`: environment variable `{}` is not set",
                cfg.secret_env
            )
        })?;
        Self::with_secret(name, cfg, secret.into_bytes())
    }

    /// Builds the authorizer with an explicit secret.
    pub fn with_secret(name: &str, cfg: &HmacConfig, secret: Vec<u8>) -> Result<Self, String> {
        if secret.len() < 16 {
            return Err(format!(
                "authorizer `{name}`: the HMAC secret must be at least 16 bytes"
            ));
        }
        let h = |s: &str| {
            http::HeaderName::from_bytes(s.to_ascii_lowercase().as_bytes())
                .map_err(|_| format!("authorizer `{name}`: bad header `{s}`"))
        };
        Ok(Self {
            name: name.to_string(),
            secret,
            sig_header: h(&cfg.signature_header)?,
            ts_header: h(&cfg.timestamp_header)?,
            window: cfg.replay_window_secs.max(1),
            seen: Mutex::new(HashMap::new()),
        })
    }

    pub fn authenticate(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        principal: &mut Principal,
    ) -> Result<(), Rejection> {
        let deny = |why| Err(Rejection::client("authn", Reason::Unauthenticated(why)));
        let get = |h: &http::HeaderName| headers.get(h).and_then(|v| v.to_str().ok());
        let (Some(sig), Some(ts)) = (get(&self.sig_header), get(&self.ts_header)) else {
            return deny("webhook signature missing");
        };
        let Ok(ts_num) = ts.trim().parse::<u64>() else {
            return deny("webhook timestamp invalid");
        };
        let now = crate::time::unix_secs();
        if now.abs_diff(ts_num) > self.window {
            return deny("webhook timestamp outside the replay window");
        }
        let hex_sig = sig.trim().strip_prefix("sha256=").unwrap_or(sig.trim());
        let Ok(sig_bytes) = hex::decode(hex_sig) else {
            return deny("webhook signature malformed");
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.secret) else {
            return deny("webhook key unusable");
        };
        mac.update(ts.trim().as_bytes());
        mac.update(b".");
        mac.update(body);
        if mac.verify_slice(&sig_bytes).is_err() {
            return deny("webhook signature mismatch");
        }
        // Replay: a valid signature is accepted once while its timestamp is in the window.
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.retain(|_, exp| *exp >= now);
        if seen.insert(sig_bytes, ts_num + self.window).is_some() {
            return deny("webhook replayed");
        }
        principal.id = format!("webhook:{}", self.name);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef-secret";

    #[test]
    fn signature_timestamp_and_replay() {
        let a = HmacAuth::with_secret("hook", &HmacConfig::default(), SECRET.to_vec()).unwrap();
        let now = crate::time::unix_secs();
        let mut h = http::HeaderMap::new();
        h.insert("x-signature-timestamp", now.to_string().parse().unwrap());
        let sig = format!("sha256={}", sign(SECRET, now, b"{}"));
        h.insert("x-signature", sig.parse().unwrap());
        let mut p = Principal::default();
        assert!(a.authenticate(&h, b"{}", &mut p).is_ok());
        assert!(
            a.authenticate(&h, b"{}", &mut p).is_err(),
            "replay accepted"
        );
        assert!(
            a.authenticate(&h, b"{x}", &mut p).is_err(),
            "tampered body accepted"
        );
        let old = now - 1000;
        h.insert("x-signature-timestamp", old.to_string().parse().unwrap());
        h.insert("x-signature", sign(SECRET, old, b"{}").parse().unwrap());
        assert!(a.authenticate(&h, b"{}", &mut p).is_err(), "stale accepted");
        assert!(HmacAuth::with_secret("h", &HmacConfig::default(), b"short".to_vec()).is_err());
    }
}
