//! The phases of the pipeline, one module each, in pipeline order.

pub mod request_id;
pub mod observe;
pub mod route;
pub mod body_limit;
pub mod cors;
pub mod waf;
pub mod authn;
pub mod authz;
pub mod limits;
pub mod schema;
pub mod response_filter;
pub mod upstream;
