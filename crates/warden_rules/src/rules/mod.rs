//! Rules by domain; one file per rule.

pub mod auth;
pub mod events;
pub mod iam;
pub mod secrets;
