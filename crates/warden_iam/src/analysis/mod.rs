//! Analysis of a principal: its effective permissions (per service and access level) and risk
//! findings, each pointing at the (policy index, statement index) that caused it.
//!
//! Everything is computed per principal (all identity policies together, then the boundary and
//! SCPs), so a privilege-escalation combination split across two policies is found. Conditions are
//! three-valued: a statement limited by a condition that truly restricts its use (source ARN or
//! account, organisation, passed-to service, resource tags, …) yields lower-severity findings; a
//! condition that does not restrict who can use it (`aws:SecureTransport`, `aws:CurrentTime`) does
//! not silence anything.

mod actions;
mod effective;
mod escalation;
pub mod expand;
mod index;
mod limits;
mod resource_policy;

pub use actions::{EffectiveAction, EffectiveActions, Grant};
pub use expand::ActionSet;
pub use limits::{
    ConditionEffect, classify_conditions, pattern_covers_format, pattern_unconstrained,
};
pub use resource_policy::analyze_resource_policy;

use crate::catalog::AccessLevel;
use crate::eval::OrgLevel;
use crate::policy::Policy;
use std::collections::BTreeMap;

/// Finding severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Severity {
    /// Two steps lower (used when a limiting condition restricts a grant).
    pub fn lowered(self) -> Severity {
        match self {
            Severity::Critical => Severity::Medium,
            Severity::High => Severity::Low,
            _ => Severity::Info,
        }
    }

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// Stable kinds of findings (the rule catalog maps them to rule codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// Every action on every resource (`*`, or `NotAction` on `*`).
    AdminEquivalent,
    /// `service:*`.
    ServiceWildcard,
    /// Write actions on every resource of their type.
    UnconstrainedWrite,
    /// Permissions-management actions on every resource of their type.
    UnconstrainedPermissionsManagement,
    /// A combination of actions known to allow privilege escalation.
    PrivilegeEscalation,
    /// Actions that return or create credentials.
    CredentialsExposure,
    /// Object, secret or parameter reads on every resource.
    DataExfiltration,
    /// Actions that rewrite resource policies (can make resources public).
    ResourceExposure,
    /// A resource policy open to everyone.
    PublicResourcePolicy,
    /// A resource policy granting another account.
    CrossAccountResourcePolicy,
    /// A resource policy granting a service without `aws:SourceArn`/`aws:SourceAccount`.
    ServicePrincipalWithoutSource,
}

impl FindingKind {
    /// Stable kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::AdminEquivalent => "admin-equivalent",
            FindingKind::ServiceWildcard => "service-wildcard",
            FindingKind::UnconstrainedWrite => "unconstrained-write",
            FindingKind::UnconstrainedPermissionsManagement => {
                "unconstrained-permissions-management"
            }
            FindingKind::PrivilegeEscalation => "privilege-escalation",
            FindingKind::CredentialsExposure => "credentials-exposure",
            FindingKind::DataExfiltration => "data-exfiltration",
            FindingKind::ResourceExposure => "resource-exposure",
            FindingKind::PublicResourcePolicy => "public-resource-policy",
            FindingKind::CrossAccountResourcePolicy => "cross-account-resource-policy",
            FindingKind::ServicePrincipalWithoutSource => "service-principal-without-source",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// Stable kind.
    pub kind: FindingKind,
    /// Severity (already lowered when a limiting condition applies).
    pub severity: Severity,
    /// Human-readable explanation.
    pub message: String,
    /// Index of the policy (in the order given) that caused it.
    pub policy_index: usize,
    /// Index of the statement within that policy.
    pub statement_index: usize,
    /// Actions involved (documented names).
    pub actions: Vec<String>,
    /// Condition keys that limit the grant, if any.
    pub limited_by: Vec<String>,
}

/// The policies that apply to a principal.
#[derive(Debug, Clone, Default)]
pub struct PrincipalPolicies {
    /// Identity policies (inline and managed), in a stable order: findings index into it.
    pub identity: Vec<Policy>,
    /// Permissions boundary, if any.
    pub boundary: Option<Policy>,
    /// SCP levels, if known.
    pub scps: Vec<OrgLevel>,
}

/// The analysis of a principal.
#[derive(Debug, Clone, Default)]
pub struct PrincipalAnalysis {
    /// Effective allowed actions (documented name → details), sorted.
    pub actions: EffectiveActions,
    /// Findings, sorted by severity (highest first), then position.
    pub findings: Vec<Finding>,
}

impl PrincipalAnalysis {
    /// Effective actions grouped per service and access level.
    pub fn by_service(&self) -> BTreeMap<String, BTreeMap<AccessLevel, Vec<String>>> {
        let mut out: BTreeMap<String, BTreeMap<AccessLevel, Vec<String>>> = BTreeMap::new();
        for (info, a) in self.actions.iter() {
            out.entry(info.service().prefix.clone())
                .or_default()
                .entry(a.level)
                .or_default()
                .push(info.full_name());
        }
        out
    }

    /// The highest severity among findings.
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// Analyses a principal's policies.
pub fn analyze_principal(p: &PrincipalPolicies) -> PrincipalAnalysis {
    let eff = effective::compute(p);
    let mut findings = Vec::new();
    effective::statement_findings(p, &mut findings);
    effective::action_findings(&eff, &mut findings);
    escalation::findings(&eff, &mut findings);
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.policy_index.cmp(&b.policy_index))
            .then(a.statement_index.cmp(&b.statement_index))
            .then(a.kind.cmp(&b.kind))
            .then(a.message.cmp(&b.message))
    });
    PrincipalAnalysis {
        actions: eff,
        findings,
    }
}
