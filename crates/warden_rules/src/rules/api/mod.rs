//! API perimeter beyond authentication: throttling, WAF, TLS, CORS, validation and API logs.

pub mod api_access_logging_off;
pub mod api_without_throttling;
pub mod domain_without_tls12;
pub mod execution_log_full_data_trace;
pub mod integration_over_plain_http;
pub mod missing_request_validation;
pub mod permissive_cors;
pub mod public_api_without_waf;
