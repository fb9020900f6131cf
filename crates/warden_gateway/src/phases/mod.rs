//! The phases of the pipeline, one module each, in pipeline order.

pub mod authn;
pub mod authz;
pub mod body_limit;
pub mod cors;
pub mod limits;
pub mod observe;
pub mod request_id;
pub mod response_filter;
pub mod route;
pub mod schema;
pub mod upstream;
pub mod waf;
