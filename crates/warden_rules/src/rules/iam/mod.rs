//! Identity: what function roles may do.

pub mod wildcard_action;
