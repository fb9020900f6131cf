//! Rules by domain; one file per rule.

pub mod api;
pub mod auth;
pub mod data;
pub mod deps;
pub mod events;
pub mod iam;
pub mod ops;
pub mod secrets;
pub mod support;
pub mod wallet;
