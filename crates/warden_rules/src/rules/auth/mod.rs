//! API perimeter: authentication of routes and function URLs, Cognito user and identity pools.

pub mod api_key_only_authentication;
pub mod cognito_client_writable_privilege_attribute;
pub mod cognito_unauthenticated_identities;
pub mod cognito_weak_password_policy;
pub mod function_url_auth_none;
pub mod unauthenticated_route;
