//! What a function's role may do that turns an entry point into an attack path: the IAM engine's
//! findings on the role, grouped per risk kind, filtered like the identity rules filter them (no
//! Lambda baseline, nothing a condition truly limits).

use crate::iam_view::RoleRisk;
use crate::rules::iam::engine_findings::{is_reportable, model_severity};
use warden_iam::FindingKind;
use warden_model::{Related, Severity};

/// The dangerous end of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskKind {
    /// Every action on every resource.
    Admin,
    /// A known privilege-escalation combination.
    Escalation,
    /// Reads of objects, secrets, parameters or tables on every resource.
    Exfiltration,
    /// Actions that create or return credentials.
    Credentials,
    /// Permissions management on every resource, resource-policy rewrites included (they can
    /// make resources public).
    Permissions,
    /// Writes on every resource of their type.
    UnconstrainedWrite,
}

impl RiskKind {
    fn of(kind: FindingKind) -> Option<RiskKind> {
        Some(match kind {
            FindingKind::AdminEquivalent => RiskKind::Admin,
            FindingKind::PrivilegeEscalation => RiskKind::Escalation,
            FindingKind::DataExfiltration => RiskKind::Exfiltration,
            FindingKind::CredentialsExposure => RiskKind::Credentials,
            FindingKind::ResourceExposure | FindingKind::UnconstrainedPermissionsManagement => {
                RiskKind::Permissions
            }
            FindingKind::UnconstrainedWrite => RiskKind::UnconstrainedWrite,
            _ => return None,
        })
    }

    /// The severity of a path ending here when nothing limits it.
    pub fn severity(self) -> Severity {
        match self {
            RiskKind::Admin | RiskKind::Escalation => Severity::Critical,
            _ => Severity::High,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RiskKind::Admin => "admin",
            RiskKind::Escalation => "escalation",
            RiskKind::Exfiltration => "exfiltration",
            RiskKind::Credentials => "credentials",
            RiskKind::Permissions => "permissions",
            RiskKind::UnconstrainedWrite => "unconstrained-write",
        }
    }
}

/// One kind of danger a role holds, with the statements that grant it.
#[derive(Debug, Clone)]
pub struct Risk {
    pub kind: RiskKind,
    /// "may read every secret in the account (secretsmanager:GetSecretValue on *)".
    pub what: String,
    /// The actions involved (documented names), in engine order.
    pub actions: Vec<String>,
    /// The granting statements, each with the engine's explanation.
    pub statements: Vec<Related>,
    /// The worst severity of a path ending here (lowered when a condition limits every grant).
    pub severity: Severity,
    /// Condition keys that limit the grants, when every grant is limited.
    pub limited_by: Vec<String>,
}

/// What the data actions read, for the story.
fn exfiltration_targets(actions: &[String]) -> String {
    let mut what: Vec<&str> = Vec::new();
    for a in actions {
        let t = match a.split(':').next().unwrap_or_default() {
            "secretsmanager" => "every secret in the account",
            "s3" => "every object in every bucket",
            "ssm" => "every SSM parameter",
            "dynamodb" => "every DynamoDB table",
            _ => "data on every resource",
        };
        if !what.contains(&t) {
            what.push(t);
        }
    }
    match what.as_slice() {
        [] => "data on every resource".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn shown(actions: &[String]) -> String {
    let mut s = actions
        .iter()
        .take(5)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if actions.len() > 5 {
        s.push_str(&format!(" and {} more", actions.len() - 5));
    }
    s
}

/// The technique of an escalation finding ("create a Lambda function with a passed role"), read
/// from the engine's message, with its actions.
fn technique(f: &warden_iam::Finding) -> String {
    let name = f
        .message
        .split_once("privileges (")
        .and_then(|(_, rest)| rest.split_once(") with"))
        .map(|(t, _)| t.to_owned());
    let actions = f.actions.join(" + ");
    match name {
        Some(t) => format!("{t}: {actions}"),
        None => actions,
    }
}

fn describe(kind: RiskKind, actions: &[String], techniques: &[String], policy: &str) -> String {
    match kind {
        RiskKind::Admin => {
            format!("has administrator access: every action on every resource{policy}")
        }
        RiskKind::Escalation => {
            let first = techniques.first().cloned().unwrap_or_default();
            let more = match techniques.len() {
                0 | 1 => String::new(),
                n => format!(" (and {} more escalation paths)", n - 1),
            };
            format!("may grant itself any permission ({first}){more}")
        }
        RiskKind::Exfiltration => format!(
            "may read {} ({} on *)",
            exfiltration_targets(actions),
            shown(actions)
        ),
        RiskKind::Credentials => {
            format!("may create or read credentials ({} on *)", shown(actions))
        }
        RiskKind::Permissions => format!(
            "may change permissions on every resource, resource policies included (which can make them public) ({} on *)",
            shown(actions)
        ),
        RiskKind::UnconstrainedWrite => format!(
            "may write to every resource of its type ({} on *)",
            shown(actions)
        ),
    }
}

/// The risks of one role, worst first. An admin-equivalent role yields only the admin risk:
/// everything else follows from it.
pub fn risks(role: &RoleRisk) -> Vec<Risk> {
    let mut out: Vec<(Risk, Vec<String>, bool)> = Vec::new();
    for f in &role.analysis.findings {
        let Some(kind) = RiskKind::of(f.kind) else {
            continue;
        };
        if !is_reportable(role, f) {
            continue;
        }
        let Some(origin) = role.statement_origin(f.policy_index, f.statement_index) else {
            continue;
        };
        let limited = !f.limited_by.is_empty();
        let severity = if limited {
            model_severity(f.severity).min(kind.severity())
        } else {
            kind.severity()
        };
        let step = Related {
            origin: origin.clone(),
            message: format!(
                "granted to role `{}` here: {}{}",
                role.role,
                f.message
                    .strip_prefix("principal ")
                    .or_else(|| f.message.strip_prefix("statement "))
                    .unwrap_or(&f.message),
                role.policy_label(f.policy_index)
            ),
        };
        let idx = match out.iter().position(|(r, _, _)| r.kind == kind) {
            Some(i) => i,
            None => {
                out.push((
                    Risk {
                        kind,
                        what: String::new(),
                        actions: Vec::new(),
                        statements: Vec::new(),
                        severity,
                        limited_by: Vec::new(),
                    },
                    Vec::new(),
                    true,
                ));
                out.len() - 1
            }
        };
        let Some((risk, techniques, all_limited)) = out.get_mut(idx) else {
            continue;
        };
        risk.severity = risk.severity.max(severity);
        *all_limited &= limited;
        for a in &f.actions {
            if !risk.actions.contains(a) {
                risk.actions.push(a.clone());
            }
        }
        for k in &f.limited_by {
            if !risk.limited_by.contains(k) {
                risk.limited_by.push(k.clone());
            }
        }
        if kind == RiskKind::Escalation {
            techniques.push(technique(f));
        }
        if !risk.statements.iter().any(|s| s.origin == step.origin) {
            risk.statements.push(step);
        }
        // Until described, `what` holds the admin grant's policy label.
        if kind == RiskKind::Admin && risk.what.is_empty() {
            risk.what = role.policy_label(f.policy_index);
        }
    }
    // Administrator access implies everything; an escalation path leads to it.
    let top = out
        .iter()
        .map(|(r, _, _)| r.kind)
        .filter(|k| matches!(k, RiskKind::Admin | RiskKind::Escalation))
        .min();
    // Actions that are steps of an escalation path are told by that path, not again on their own.
    let escalation: Vec<String> = out
        .iter()
        .filter(|(r, _, _)| r.kind == RiskKind::Escalation)
        .flat_map(|(r, _, _)| r.actions.iter().map(|a| a.to_ascii_lowercase()))
        .collect();
    for (r, _, _) in &mut out {
        if r.kind != RiskKind::Escalation {
            r.actions
                .retain(|a| !escalation.contains(&a.to_ascii_lowercase()));
        }
    }
    let mut risks: Vec<Risk> = out
        .into_iter()
        .filter(|(r, _, _)| top.is_none_or(|t| r.kind == t))
        .filter(|(r, _, _)| r.kind == RiskKind::Admin || !r.actions.is_empty())
        .map(|(mut r, techniques, all_limited)| {
            if !all_limited {
                r.severity = r.kind.severity();
                r.limited_by.clear();
            }
            let policy = std::mem::take(&mut r.what);
            r.what = describe(r.kind, &r.actions, &techniques, &policy);
            if !r.limited_by.is_empty() {
                r.what.push_str(&format!(
                    " (granted only when conditions on {} hold)",
                    r.limited_by.join(", ")
                ));
            }
            r
        })
        .collect();
    risks.sort_by_key(|r| (std::cmp::Reverse(r.severity), r.kind));
    risks
}
