//! API perimeter: authentication of routes and function URLs.

pub mod function_url_auth_none;
pub mod unauthenticated_route;
