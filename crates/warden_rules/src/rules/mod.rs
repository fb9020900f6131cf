//! Rules by domain; one file per rule.

pub mod api;
pub mod auth;
pub mod cloud;
pub mod code;
pub mod data;
pub mod deps;
pub mod events;
pub mod iam;
pub mod ops;
pub mod paths;
pub mod secrets;
pub mod support;
pub mod wallet;
