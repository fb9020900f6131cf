//! Event sources and invocation permissions.

pub mod permission_without_source;
