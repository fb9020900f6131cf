//! The Warden rule catalog: one file per rule over the model, a registry table, and the passes that
//! run after rules (fingerprints, suppressions, baseline).
//!
//! Adding a rule is one file under `rules/<domain>/` (doc comment with the fixed headings, a
//! [`RuleMeta`] constant, a `check`) and one row in [`registry`].

pub mod attack_paths;
pub mod baseline;
pub mod construct_paths;
pub mod doc;
pub mod facts;
pub mod fingerprint;
pub mod iam_view;
pub mod meta;
pub mod registry;
pub mod rules;
pub mod runner;
pub mod security_hub;
pub mod selection;
pub mod suppress;

pub use facts::{FileSecrets, ProjectFacts};
pub use meta::{Rule, RuleMeta};
pub use registry::{all_rules, find_rule, rule_infos};
pub use runner::{run_app, run_project_rules, run_rules};
pub use selection::Selection;
