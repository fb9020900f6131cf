//! The evaluator's inputs and outputs: the set of policies, the decision and its explanation.

use crate::policy::{Effect, Policy};

/// The policies of one organisation level (root, OU, account) for SCPs or RCPs.
#[derive(Debug, Clone, Default)]
pub struct OrgLevel {
    /// Identifier of the level (`r-…`, `ou-…`, an account ID).
    pub org_identifier: String,
    /// Every policy attached at that level (at least one must allow).
    pub policies: Vec<Policy>,
}

/// Every policy that may take part in a decision.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    /// The principal's identity policies.
    pub identity: Vec<Policy>,
    /// The resource's policy (bucket policy, trust policy, key policy, …).
    pub resource: Option<Policy>,
    /// The principal's permissions boundary (one or more policies; any may allow).
    pub boundaries: Vec<Policy>,
    /// SCPs, one entry per level from the root down to the account.
    pub scps: Vec<OrgLevel>,
    /// RCPs, one entry per level (list every policy of a level, the default allow-all included).
    pub rcps: Vec<OrgLevel>,
    /// The session policy, if the principal is a session created with one.
    pub session: Option<Policy>,
    /// VPC endpoint policies on the request's path.
    pub endpoints: Vec<Policy>,
}

/// Which kind of policy a statement or gate belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PolicyKind {
    /// Identity policy.
    Identity,
    /// Resource policy.
    Resource,
    /// Permissions boundary.
    PermissionBoundary,
    /// Service control policy.
    ServiceControl,
    /// Resource control policy.
    ResourceControl,
    /// Session policy.
    Session,
    /// VPC endpoint policy.
    Endpoint,
}

impl PolicyKind {
    /// Stable camelCase name.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Resource => "resource",
            PolicyKind::PermissionBoundary => "permissionBoundary",
            PolicyKind::ServiceControl => "serviceControl",
            PolicyKind::ResourceControl => "resourceControl",
            PolicyKind::Session => "session",
            PolicyKind::Endpoint => "endpoint",
        }
    }
}

/// One statement that took part in a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatementRef {
    /// Kind of policy.
    pub kind: PolicyKind,
    /// SCP/RCP level, if any.
    pub level: Option<usize>,
    /// Index of the policy within its kind (or level).
    pub policy_index: usize,
    /// Index of the statement in the policy.
    pub statement_index: usize,
    /// The statement's effect.
    pub effect: Effect,
}

/// The final decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Outcome {
    /// Allowed.
    Allowed,
    /// No applicable allow (or a gate did not allow).
    ImplicitlyDenied,
    /// An applicable deny.
    ExplicitlyDenied,
}

/// What stopped a request: the kind of policy (and level) that denied or did not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Gate {
    /// Kind of policy.
    pub kind: PolicyKind,
    /// SCP/RCP level, if any.
    pub level: Option<usize>,
}

/// A decision with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The outcome.
    pub outcome: Outcome,
    /// Deciding statements: the denies for `ExplicitlyDenied`; the allows that granted (gates
    /// included) for `Allowed`; the allows found so far for `ImplicitlyDenied`.
    pub matched: Vec<StatementRef>,
    /// For a denial, the policy kind that blocked it.
    pub blocked_by: Option<Gate>,
}

impl Decision {
    /// True when allowed.
    pub fn is_allowed(&self) -> bool {
        self.outcome == Outcome::Allowed
    }
}
