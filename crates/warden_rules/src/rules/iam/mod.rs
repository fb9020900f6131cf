//! Identity: what function roles may do.

pub mod admin_equivalent_grant;
pub mod credentials_exposure;
pub mod data_exfiltration_grant;
mod engine_findings;
pub mod privilege_escalation_path;
pub mod resource_policy_rewrite;
pub mod service_wide_wildcard;
pub mod unconstrained_write;
pub mod wildcard_action;
