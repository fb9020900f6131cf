//! Operations: tracing, log retention, audit trails, runtimes, layers and code signing.

pub mod deprecated_runtime;
pub mod function_without_code_signing;
pub mod function_without_tracing;
pub mod layer_from_another_account;
pub mod log_group_without_retention;
pub mod trail_without_encryption;
pub mod trail_without_log_validation;
