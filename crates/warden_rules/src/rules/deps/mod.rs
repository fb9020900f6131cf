//! Supply chain: dependencies of function packages.

pub mod unpinned_dependencies;
pub mod vulnerable_dependency;
