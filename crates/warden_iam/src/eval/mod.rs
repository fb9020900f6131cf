//! The evaluator: AWS's documented decision logic over a [`PolicySet`], with an explanation.
//!
//! 1. An explicit deny in any applicable policy wins.
//! 2. Every gate that is present must allow: each RCP level (for services RCPs govern, not for
//!    service principals), each SCP level (IAM principals only), the VPC endpoint policies.
//! 3. A grant must allow. Same account: the identity policies (then the permissions boundary and
//!    the session policy must allow too), or the resource policy, whose grant bypasses implicit
//!    denies according to the principal it names (user ARN: identity and boundary; role ARN for a
//!    session: identity only; session ARN, federated user or `*`: identity, boundary and session
//!    policy). Cross account: both the resource policy and the identity side must allow. Role
//!    trust policies and KMS key policies must allow in every case; naming the account delegates
//!    to the identity side. Service principals and anonymous callers need the resource policy.

mod types;

pub use types::{Decision, Gate, OrgLevel, Outcome, PolicyKind, PolicySet, StatementRef};

use crate::policy::{Effect, Policy, PrincipalElement, PrincipalMatch};
use crate::request::{PrincipalKind, Request};

/// How a policy kind treats the `Principal` element.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PrincipalMode {
    /// Identity-side policies: the element is not used.
    Ignore,
    /// Resource policies: a statement without one matches nobody.
    Required,
    /// RCPs and endpoint policies: a statement without one matches everyone.
    Optional,
}

/// Allow and deny statements of one group of policies that apply to the request.
#[derive(Default)]
struct Scan {
    allows: Vec<StatementRef>,
    denies: Vec<StatementRef>,
    /// Strongest principal match among applying allow statements.
    best: Option<PrincipalMatch>,
}

fn scan_policy(
    policy: &Policy,
    kind: PolicyKind,
    level: Option<usize>,
    policy_index: usize,
    req: &Request,
    mode: PrincipalMode,
    out: &mut Scan,
) {
    for st in &policy.statements {
        if !st.action.matches(req.action_lower()) {
            continue;
        }
        if let Some(r) = &st.resource
            && !r.matches(req)
        {
            continue;
        }
        let pm = match (mode, &st.principal) {
            (PrincipalMode::Ignore, _) => PrincipalMatch::Exact,
            (PrincipalMode::Required, None) => PrincipalMatch::No,
            (PrincipalMode::Optional, None) => PrincipalMatch::Public,
            (_, Some(PrincipalElement::Principal(spec))) => spec.matches(&req.principal),
            (_, Some(PrincipalElement::NotPrincipal(spec))) => match spec.matches(&req.principal) {
                PrincipalMatch::Public | PrincipalMatch::Exact | PrincipalMatch::Role => {
                    PrincipalMatch::No
                }
                _ => PrincipalMatch::Public,
            },
        };
        if pm == PrincipalMatch::No || !st.conditions_hold(&req.context) {
            continue;
        }
        let r = StatementRef {
            kind,
            level,
            policy_index,
            statement_index: st.index,
            effect: st.effect,
        };
        match st.effect {
            Effect::Deny => out.denies.push(r),
            Effect::Allow => {
                out.allows.push(r);
                out.best = Some(out.best.map_or(pm, |b| b.max(pm)));
            }
        }
    }
}

fn scan_all(
    policies: &[Policy],
    kind: PolicyKind,
    level: Option<usize>,
    req: &Request,
    mode: PrincipalMode,
) -> Scan {
    let mut s = Scan::default();
    for (i, p) in policies.iter().enumerate() {
        scan_policy(p, kind, level, i, req, mode, &mut s);
    }
    s
}

/// Evaluates `req` against `set`.
pub fn evaluate(req: &Request, set: &PolicySet) -> Decision {
    let p = &req.principal;
    let iam = p.is_iam();
    let mut denies: Vec<StatementRef> = Vec::new();
    let mut gates: Vec<StatementRef> = Vec::new();
    let mut blocked: Option<Gate> = None;

    // Gates, level by level.
    let mut check_levels =
        |levels: &[OrgLevel], kind: PolicyKind, mode, denies: &mut Vec<StatementRef>| {
            for (li, level) in levels.iter().enumerate() {
                let s = scan_all(&level.policies, kind, Some(li), req, mode);
                denies.extend(s.denies);
                if s.allows.is_empty() {
                    blocked.get_or_insert(Gate {
                        kind,
                        level: Some(li),
                    });
                }
                gates.extend(s.allows);
            }
        };
    if req.rcp_applies() && p.kind != PrincipalKind::Service {
        check_levels(
            &set.rcps,
            PolicyKind::ResourceControl,
            PrincipalMode::Optional,
            &mut denies,
        );
    }
    if iam {
        check_levels(
            &set.scps,
            PolicyKind::ServiceControl,
            PrincipalMode::Ignore,
            &mut denies,
        );
    }
    if !set.endpoints.is_empty() {
        let s = scan_all(
            &set.endpoints,
            PolicyKind::Endpoint,
            None,
            req,
            PrincipalMode::Optional,
        );
        denies.extend(s.denies);
        if s.allows.is_empty() {
            blocked.get_or_insert(Gate {
                kind: PolicyKind::Endpoint,
                level: None,
            });
        }
        gates.extend(s.allows);
    }

    // Grants and principal-side limits.
    let identity = if iam {
        scan_all(
            &set.identity,
            PolicyKind::Identity,
            None,
            req,
            PrincipalMode::Ignore,
        )
    } else {
        Scan::default()
    };
    let boundary = if iam && !set.boundaries.is_empty() {
        Some(scan_all(
            &set.boundaries,
            PolicyKind::PermissionBoundary,
            None,
            req,
            PrincipalMode::Ignore,
        ))
    } else {
        None
    };
    let session = match (&set.session, iam) {
        (Some(sp), true) => Some(scan_all(
            std::slice::from_ref(sp),
            PolicyKind::Session,
            None,
            req,
            PrincipalMode::Ignore,
        )),
        _ => None,
    };
    let resource = match &set.resource {
        Some(rp) => scan_all(
            std::slice::from_ref(rp),
            PolicyKind::Resource,
            None,
            req,
            PrincipalMode::Required,
        ),
        None => Scan::default(),
    };
    denies.extend(identity.denies.iter().copied());
    denies.extend(resource.denies.iter().copied());
    if let Some(b) = &boundary {
        denies.extend(b.denies.iter().copied());
    }
    if let Some(s) = &session {
        denies.extend(s.denies.iter().copied());
    }

    if let Some(first) = denies.first() {
        let gate = Gate {
            kind: first.kind,
            level: first.level,
        };
        return Decision {
            outcome: Outcome::ExplicitlyDenied,
            matched: denies,
            blocked_by: Some(gate),
        };
    }

    let mut matched = gates;
    if let Some(gate) = blocked {
        matched.extend(identity.allows);
        matched.extend(resource.allows);
        return Decision {
            outcome: Outcome::ImplicitlyDenied,
            matched,
            blocked_by: Some(gate),
        };
    }

    let res = resource.best.unwrap_or(PrincipalMatch::No);
    let id_ok = !identity.allows.is_empty();
    let boundary_ok = boundary.as_ref().is_none_or(|b| !b.allows.is_empty());
    let session_ok = session.as_ref().is_none_or(|s| !s.allows.is_empty());
    let required = req.resource_policy_required();

    let (resource_path, identity_path) = if !iam {
        (res != PrincipalMatch::No, false)
    } else if req.same_account() {
        let resource_path = match res {
            PrincipalMatch::No | PrincipalMatch::Account => false,
            PrincipalMatch::Role => boundary_ok && session_ok,
            // The session's (or federated user's) own ARN: added after the session was created,
            // so neither the boundary nor the session policy limits it.
            PrincipalMatch::Exact => match p.kind {
                PrincipalKind::User => session_ok,
                PrincipalKind::RoleSession
                | PrincipalKind::FederatedUser
                | PrincipalKind::AccountRoot => true,
                _ => boundary_ok && session_ok,
            },
            // `*` names the user or session too, but not as the session's own ARN: the session
            // policy still limits it.
            PrincipalMatch::Public => match p.kind {
                PrincipalKind::User
                | PrincipalKind::RoleSession
                | PrincipalKind::FederatedUser
                | PrincipalKind::Role => session_ok,
                PrincipalKind::AccountRoot => true,
                _ => boundary_ok && session_ok,
            },
        };
        let identity_path =
            id_ok && boundary_ok && session_ok && (!required || res != PrincipalMatch::No);
        (resource_path, identity_path)
    } else {
        (
            false,
            res != PrincipalMatch::No && id_ok && boundary_ok && session_ok,
        )
    };

    let push_identity = |m: &mut Vec<StatementRef>| {
        m.extend(identity.allows.iter().copied());
        if let Some(b) = &boundary {
            m.extend(b.allows.iter().copied());
        }
        if let Some(s) = &session {
            m.extend(s.allows.iter().copied());
        }
    };
    if resource_path || identity_path {
        if identity_path {
            push_identity(&mut matched);
        }
        if resource_path || (identity_path && (required || !req.same_account())) {
            matched.extend(resource.allows.iter().copied());
        }
        return Decision {
            outcome: Outcome::Allowed,
            matched,
            blocked_by: None,
        };
    }

    push_identity(&mut matched);
    matched.extend(resource.allows.iter().copied());
    let kind = if !iam || (res == PrincipalMatch::No && (required || !req.same_account())) {
        PolicyKind::Resource
    } else if !id_ok {
        PolicyKind::Identity
    } else if !boundary_ok {
        PolicyKind::PermissionBoundary
    } else if !session_ok {
        PolicyKind::Session
    } else {
        PolicyKind::Identity
    };
    Decision {
        outcome: Outcome::ImplicitlyDenied,
        matched,
        blocked_by: Some(Gate { kind, level: None }),
    }
}
