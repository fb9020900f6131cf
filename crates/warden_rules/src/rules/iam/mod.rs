//! Identity: what function roles may do.

pub mod admin_equivalent_grant;
pub mod credentials_exposure;
pub mod data_exfiltration_grant;
pub(crate) mod engine_findings;
pub mod missing_permission_for_sdk_call;
pub(crate) mod missing_permission_usage;
pub mod privilege_escalation_path;
pub mod privileged_role_grant;
pub mod resource_policy_rewrite;
pub mod service_wide_wildcard;
pub mod unconstrained_write;
pub mod unused_permission_grant;
pub mod wildcard_action;
