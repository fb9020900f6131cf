//! Event sources and invocation permissions.

pub mod cross_account_invoke_without_condition;
pub mod permission_for_any_principal;
pub mod permission_without_source;
pub mod public_event_source;
