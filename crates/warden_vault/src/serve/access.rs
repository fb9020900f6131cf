//! The access path shared by both endpoints: resolve the requested id to a secret, authorise
//! the caller on the secret's ARN (on every request, cached or not), then serve from the cache
//! or decrypt from the vault.

use super::ServeState;
use super::authz::{AccessRequest, Decision};
use crate::error::VaultError;
use crate::model::{SecretMeta, Selector};
use crate::store::Secret;
use std::sync::Arc;

/// `secretsmanager:GetSecretValue`.
pub const GET_SECRET_VALUE: &str = "secretsmanager:GetSecretValue";
/// `ssm:GetParameter`.
pub const GET_PARAMETER: &str = "ssm:GetParameter";

/// Why a request failed; the status code is chosen in one place ([`ApiError::status`]).
#[derive(Debug)]
pub enum ApiError {
    /// Malformed request.
    BadRequest(String),
    /// No or unknown token.
    Unauthenticated,
    /// The policy does not grant the action on the resource.
    Denied {
        /// The ARN that was refused.
        resource: String,
    },
    /// No such secret, parameter or version.
    NotFound {
        /// What was not found.
        message: String,
        /// The ARN the caller was authorised on.
        resource: String,
    },
    /// The secret is scheduled for deletion.
    Deleted {
        /// Message.
        message: String,
        /// Its ARN.
        resource: String,
    },
    /// The vault failed (integrity, I/O). Details go to stderr, not to the caller.
    Internal,
}

impl ApiError {
    /// HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            Self::BadRequest(_) | Self::Deleted { .. } => 400,
            Self::Unauthenticated => 401,
            Self::Denied { .. } => 403,
            Self::NotFound { .. } => 404,
            Self::Internal => 500,
        }
    }

    /// Outcome word for the audit log.
    pub fn outcome(&self) -> &'static str {
        match self {
            Self::BadRequest(_) | Self::Deleted { .. } => "bad_request",
            Self::Unauthenticated => "unauthenticated",
            Self::Denied { .. } => "deny",
            Self::NotFound { .. } => "not_found",
            Self::Internal => "error",
        }
    }

    /// The resource ARN involved, when known.
    pub fn resource(&self) -> Option<&str> {
        match self {
            Self::Denied { resource }
            | Self::NotFound { resource, .. }
            | Self::Deleted { resource, .. } => Some(resource),
            _ => None,
        }
    }

    /// AWS error type and message for the response body.
    pub fn body(&self, ssm: bool) -> (&'static str, String) {
        match self {
            Self::BadRequest(m) => ("ValidationException", m.clone()),
            Self::Unauthenticated => (
                "UnrecognizedClientException",
                "missing or unknown X-Aws-Parameters-Secrets-Token".into(),
            ),
            Self::Denied { resource } => (
                "AccessDeniedException",
                format!("not authorized to access {resource}"),
            ),
            Self::NotFound { message, .. } => (
                if ssm {
                    "ParameterNotFound"
                } else {
                    "ResourceNotFoundException"
                },
                message.clone(),
            ),
            Self::Deleted { message, .. } => ("InvalidRequestException", message.clone()),
            Self::Internal => (
                "InternalServiceError",
                "the vault could not serve this request".into(),
            ),
        }
    }
}

/// A successful read.
pub struct Served {
    /// The decrypted version.
    pub secret: Arc<Secret>,
    /// The resource ARN the caller was authorised on.
    pub resource: String,
    /// Whether it came from the cache.
    pub cache_hit: bool,
}

/// How a requested id maps onto the vault.
pub struct Target {
    /// The secret's metadata, if it exists.
    pub meta: Option<SecretMeta>,
    /// The resource ARN to authorise.
    pub resource: String,
}

fn internal(err: &VaultError) -> ApiError {
    eprintln!("warden secrets serve: vault error: {err}");
    ApiError::Internal
}

impl ServeState {
    /// ARN of a secret.
    pub fn secret_arn(&self, name: &str, suffix: &str) -> String {
        format!(
            "arn:aws:secretsmanager:{}:{}:secret:{name}-{suffix}",
            self.region, self.account
        )
    }

    /// ARN of a parameter.
    pub fn parameter_arn(&self, name: &str) -> String {
        let sep = if name.starts_with('/') { "" } else { "/" };
        format!(
            "arn:aws:ssm:{}:{}:parameter{sep}{name}",
            self.region, self.account
        )
    }

    /// Looks a name up, mapping "absent" to `None` and real failures to errors.
    pub fn lookup(&self, name: &str) -> Result<Option<SecretMeta>, ApiError> {
        match self.vault.describe(name) {
            Ok(meta) => Ok(Some(meta)),
            Err(VaultError::NotFound(_)) => Ok(None),
            Err(VaultError::InvalidName { reason, .. }) => {
                Err(ApiError::BadRequest(format!("invalid name: {reason}")))
            }
            Err(e) => Err(internal(&e)),
        }
    }

    /// Resolves a Secrets Manager `secretId`: a name, a full ARN, or an ARN without suffix.
    pub fn resolve_secret_id(&self, id: &str) -> Result<Target, ApiError> {
        let prefix = format!(
            "arn:aws:secretsmanager:{}:{}:secret:",
            self.region, self.account
        );
        let Some(rest) = id.strip_prefix(&prefix) else {
            if id.starts_with("arn:") {
                // Another account, region or service: nothing of ours; authorise on it as given.
                return Ok(Target {
                    meta: None,
                    resource: id.to_owned(),
                });
            }
            let meta = self.lookup(id)?;
            let resource = match &meta {
                Some(m) => self.secret_arn(&m.name, &m.arn_suffix),
                None => format!("{prefix}{id}"),
            };
            return Ok(Target { meta, resource });
        };
        if let Some(meta) = self.lookup(rest)? {
            let resource = self.secret_arn(&meta.name, &meta.arn_suffix);
            return Ok(Target {
                meta: Some(meta),
                resource,
            });
        }
        if let Some((name, suffix)) = rest.rsplit_once('-') {
            if suffix.len() == 6 {
                if let Some(meta) = self.lookup(name)?.filter(|m| m.arn_suffix == suffix) {
                    return Ok(Target {
                        meta: Some(meta),
                        resource: id.to_owned(),
                    });
                }
            }
        }
        Ok(Target {
            meta: None,
            resource: id.to_owned(),
        })
    }

    fn authorize(&self, function: &str, action: &str, resource: &str) -> Result<(), ApiError> {
        match self.authorizer.decide(&AccessRequest {
            function,
            action,
            resource,
        }) {
            Decision::Allow => Ok(()),
            Decision::ExplicitDeny | Decision::ImplicitDeny => Err(ApiError::Denied {
                resource: resource.to_owned(),
            }),
        }
    }

    /// Serves one read: cache lookup, authorisation, then vault read on a miss.
    pub fn fetch(
        &self,
        function: &str,
        action: &'static str,
        requested: &str,
        selector: &Selector,
        resolve: impl FnOnce(&Self) -> Result<Target, ApiError>,
    ) -> Result<Served, ApiError> {
        let key = (action, requested.to_owned(), selector.clone());
        if let Some(secret) = self.cache.get(&key) {
            let resource = if action == GET_PARAMETER {
                self.parameter_arn(&secret.name)
            } else {
                self.secret_arn(&secret.name, &secret.arn_suffix)
            };
            self.authorize(function, action, &resource)?;
            return Ok(Served {
                secret,
                resource,
                cache_hit: true,
            });
        }
        let target = resolve(self)?;
        self.authorize(function, action, &target.resource)?;
        let Some(meta) = target.meta else {
            return Err(ApiError::NotFound {
                message: format!("{requested} was not found"),
                resource: target.resource,
            });
        };
        let secret = match self.vault.get(&meta.name, selector) {
            Ok(s) => Arc::new(s),
            Err(VaultError::NotFound(_)) => {
                return Err(ApiError::NotFound {
                    message: format!("{requested} was not found"),
                    resource: target.resource,
                });
            }
            Err(VaultError::VersionNotFound { selector, .. }) => {
                return Err(ApiError::NotFound {
                    message: format!("{requested} has no version matching {selector}"),
                    resource: target.resource,
                });
            }
            Err(VaultError::ScheduledForDeletion { purge_after, .. }) => {
                return Err(ApiError::Deleted {
                    message: format!(
                        "{requested} is marked for deletion (purge after {purge_after})"
                    ),
                    resource: target.resource,
                });
            }
            Err(e) => return Err(internal(&e)),
        };
        self.cache.insert(key, Arc::clone(&secret));
        Ok(Served {
            secret,
            resource: target.resource,
            cache_hit: false,
        })
    }
}
