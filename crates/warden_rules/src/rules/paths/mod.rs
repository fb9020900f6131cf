//! Attack paths: entry points anyone can reach chained to what the invoked function's role may do.

pub mod public_path_to_dangerous_permission;
pub mod public_path_to_privilege_escalation;
mod report;
