//! The policies file of `warden secrets serve`: who the callers are and what each may read.
//!
//! ```json
//! {
//!   "region": "us-east-1",
//!   "account": "123456789012",
//!   "cache_ttl_seconds": 30,
//!   "functions": [
//!     {
//!       "name": "orders",
//!       "token_sha256": "<hex SHA-256 of the token the function sends>",
//!       "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
//!         "Action": "secretsmanager:GetSecretValue",
//!         "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/*"}]}
//!     }
//!   ]
//! }
//! ```
//!
//! A caller sends its token in `X-Aws-Parameters-Secrets-Token` (in Lambda, the extension
//! expects `AWS_SESSION_TOKEN`); the file only holds its hash. Unknown fields are errors.

use super::authz::PolicyAuthorizer;
use super::identity::Identities;
use serde::Deserialize;
use std::path::Path;

/// The parsed file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoliciesFile {
    /// Region used in ARNs.
    #[serde(default = "default_region")]
    pub region: String,
    /// Account id used in ARNs.
    #[serde(default = "default_account")]
    pub account: String,
    /// Cache TTL in seconds (the command line may override it).
    #[serde(default)]
    pub cache_ttl_seconds: Option<u64>,
    /// The callers.
    pub functions: Vec<FunctionEntry>,
}

/// One calling function.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionEntry {
    /// Function name (appears in the audit log).
    pub name: String,
    /// Hex SHA-256 of the function's token.
    pub token_sha256: String,
    /// The function's identity policy.
    pub policy: serde_json::Value,
}

fn default_region() -> String {
    "us-east-1".into()
}

fn default_account() -> String {
    "000000000000".into()
}

/// Why the policies file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// File path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file does not parse or is inconsistent.
    #[error("{path}: {reason}")]
    Invalid {
        /// File path.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

/// The file turned into what the service needs.
#[derive(Debug)]
pub struct LoadedPolicies {
    /// Region for ARNs.
    pub region: String,
    /// Account for ARNs.
    pub account: String,
    /// TTL from the file, if any.
    pub cache_ttl_seconds: Option<u64>,
    /// Token hash to function.
    pub identities: Identities,
    /// Function to policy.
    pub authorizer: PolicyAuthorizer,
}

impl PoliciesFile {
    /// Reads and validates a policies file.
    pub fn load(path: &Path) -> Result<LoadedPolicies, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: shown.clone(),
            source,
        })?;
        let file: PoliciesFile = serde_json::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        file.into_loaded().map_err(|reason| ConfigError::Invalid {
            path: shown,
            reason,
        })
    }

    /// Validates the parsed file.
    pub fn into_loaded(self) -> Result<LoadedPolicies, String> {
        if self.account.len() != 12 || !self.account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("account {:?} must be 12 digits", self.account));
        }
        if self.region.is_empty()
            || !self
                .region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(format!("region {:?} is not a region name", self.region));
        }
        let mut identities = Identities::default();
        let mut authorizer = PolicyAuthorizer::new(&self.account);
        let mut names = std::collections::HashSet::new();
        for f in &self.functions {
            let role_name_ok = (1..=64).contains(&f.name.len())
                && f.name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b));
            if !role_name_ok || !names.insert(f.name.as_str()) {
                return Err(format!(
                    "function name {:?} must be 1-64 characters of letters, digits and +=,.@_- and unique",
                    f.name
                ));
            }
            if f.token_sha256.trim().len() != 64 || !identities.add(&f.name, &f.token_sha256) {
                return Err(format!(
                    "function {:?}: token_sha256 must be 64 hex digits, distinct from every other function's",
                    f.name
                ));
            }
            authorizer
                .add(&f.name, &f.policy)
                .map_err(|e| format!("function {:?}: {e}", f.name))?;
        }
        Ok(LoadedPolicies {
            region: self.region,
            account: self.account,
            cache_ttl_seconds: self.cache_ttl_seconds,
            identities,
            authorizer,
        })
    }
}
