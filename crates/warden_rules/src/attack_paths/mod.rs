//! Attack paths: an entry point anyone can reach → the function it invokes → a dangerous permission
//! of that function's role. Computed once over the model and the IAM engine's role analysis; the
//! PATH rules report them and `warden explain` lists those that end at one function.
//!
//! Only AWS Lambda functions whose role is declared in the app are followed: Azure and GCP
//! identities have no policy analysis yet, and an external role cannot be read offline.

mod entries;
mod risks;

pub use entries::{Entry, EntryKind, entries};
pub use risks::{Risk, RiskKind, risks};

use crate::iam_view::RoleRisk;
use warden_model::{App, Confidence, Related, RoleLink, Severity};
use warden_source::Origin;

/// One path from an entry point to a dangerous permission.
#[derive(Debug, Clone)]
pub struct AttackPath {
    /// Index of the app in the scan.
    pub app: usize,
    pub entry: Entry,
    pub function: String,
    pub function_origin: Origin,
    pub role: String,
    pub role_origin: Origin,
    pub risk: Risk,
}

impl AttackPath {
    /// The story, with names: entry, function, role, what the role may do.
    pub fn message(&self) -> String {
        let mut m = format!(
            "{}, whose role `{}` {}",
            self.entry.story, self.role, self.risk.what
        );
        if let Some(why) = &self.entry.unverified {
            m.push_str(&format!(" (could not verify the entry: {why})"));
        }
        m
    }

    /// The worst end decides; an entry that could not be verified is only information.
    pub fn severity(&self) -> Severity {
        if self.entry.unverified.is_some() {
            Severity::Info
        } else {
            self.risk.severity
        }
    }

    /// High for an entry anyone can use; medium when it needs an AWS account and a service
    /// resource, or when a condition limits the grant; low when a step could not be verified.
    pub fn confidence(&self) -> Confidence {
        if self.entry.unverified.is_some() {
            Confidence::Low
        } else if self.entry.kind == EntryKind::ServiceWithoutSource
            || !self.risk.limited_by.is_empty()
        {
            Confidence::Medium
        } else {
            Confidence::High
        }
    }

    /// Every step in order: the entry's own, the function, its role, the granting statements.
    pub fn steps(&self) -> Vec<Related> {
        let mut out = self.entry.steps.clone();
        out.push(Related {
            origin: self.function_origin.clone(),
            message: format!("function `{}` runs as role `{}`", self.function, self.role),
        });
        // A generated role sits where its function is declared: one step tells both.
        let same_place = self.role_origin.file == self.function_origin.file
            && self.role_origin.span == self.function_origin.span;
        if !same_place {
            out.push(Related {
                origin: self.role_origin.clone(),
                message: format!("role `{}`", self.role),
            });
        }
        out.extend(self.risk.statements.iter().cloned());
        out
    }
}

/// Every attack path of every app, in app, entry and risk order.
pub fn compute(apps: &[App], roles: &[RoleRisk]) -> Vec<AttackPath> {
    let mut out = Vec::new();
    for (i, app) in apps.iter().enumerate() {
        // Several entries often reach one function: each role's risks are read once.
        let mut by_role: std::collections::HashMap<&str, Vec<Risk>> =
            std::collections::HashMap::new();
        for entry in entries(app) {
            let Some(f) = app.function(&entry.function) else {
                continue;
            };
            let RoleLink::Resource(role_id) = &f.role else {
                continue;
            };
            let Some(role) = roles.iter().find(|r| r.app == i && &r.role == role_id) else {
                continue;
            };
            let role_origin = app
                .role(role_id)
                .map_or_else(|| f.origin.clone(), |r| r.origin.clone());
            let role_risks = by_role
                .entry(role.role.as_str())
                .or_insert_with(|| risks(role));
            for risk in role_risks.iter().cloned() {
                out.push(AttackPath {
                    app: i,
                    entry: entry.clone(),
                    function: f.id.clone(),
                    function_origin: f.origin.clone(),
                    role: role_id.clone(),
                    role_origin: role_origin.clone(),
                    risk,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
