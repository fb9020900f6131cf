//! Denial of wallet: concurrency caps and timeouts of publicly reachable functions.

pub mod long_timeout_on_sync_api_function;
pub mod public_function_without_reserved_concurrency;
