//! What a rule is: metadata and a check over one app.

use warden_model::{App, Category, Confidence, Finding, Related, Severity};
use warden_source::Origin;

/// A rule's fixed metadata. `source` is the rule file's own text, from which the documentation (the
/// doc comment above the rule's struct) is extracted.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub confidence: Confidence,
    /// The practice of DESIGN.md the rule enforces.
    pub practice: &'static str,
    pub cwe: &'static [u32],
    /// OWASP Serverless Top 10 items (`SAS-1` … `SAS-10`).
    pub owasp: &'static [&'static str],
    pub source: &'static str,
}

/// A check over the model. Most rules look at one app at a time (`check`); rules over
/// project-wide analyses (the dependency audit) implement `check_project`.
pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, _app: &App, _out: &mut Vec<Finding>) {}
    fn check_project(&self, _facts: &crate::facts::ProjectFacts<'_>, _out: &mut Vec<Finding>) {}
}

impl RuleMeta {
    /// A finding of this rule at its default severity and confidence.
    pub fn finding(
        &'static self,
        origin: &Origin,
        resource: Option<&str>,
        message: String,
        help: &str,
    ) -> Finding {
        Finding {
            rule: self.code,
            name: self.name,
            category: self.category,
            severity: self.severity,
            confidence: self.confidence,
            message,
            origin: origin.clone(),
            resource: resource.map(str::to_string),
            help: help.to_string(),
            related: Vec::new(),
            flow: Vec::new(),
            fingerprint: String::new(),
        }
    }

    /// A finding for a value the rule could not verify (it depends on deploy-time values).
    pub fn unverified(
        &'static self,
        origin: &Origin,
        resource: Option<&str>,
        message: String,
        help: &str,
    ) -> Finding {
        let mut f = self.finding(origin, resource, message, help);
        f.severity = Severity::Info;
        f.confidence = Confidence::Low;
        f
    }
}

/// Adds a related location to a finding.
pub fn with_related(mut finding: Finding, origin: &Origin, message: impl Into<String>) -> Finding {
    finding.related.push(Related {
        origin: origin.clone(),
        message: message.into(),
    });
    finding
}
