//! IAM007: actions that return or mint credentials on unconstrained resources.

use super::engine_findings::report;
use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_iam::FindingKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags actions that return or mint credentials (`iam:CreateAccessKey`, `sts:GetFederationToken`,
/// `ecr:GetAuthorizationToken`, `redshift:GetClusterCredentials`, `cognito-
/// identity:GetCredentialsForIdentity`…) on unconstrained resources.
///
/// ## Why is this bad?
/// Credentials minted by a compromised function outlive it and act outside every function-level
/// control (SAS-4, CWE-522).
///
/// ## Insecure example
/// ```yaml
/// Statement:
///   - Effect: Allow
///     Action: iam:CreateAccessKey
///     Resource: "*"
/// ```
///
/// ## Secure alternative
/// ```yaml
/// # Functions do not create long-lived credentials: remove the action.
/// ```
///
/// ## References
/// AWS IAM "Managing access keys"; Cloudsplaining credentials exposure list; OWASP Serverless Top
/// 10 SAS-4; CWE-522.
#[derive(Debug)]
pub struct CredentialsExposure;

static META: RuleMeta = RuleMeta {
    code: "IAM007",
    name: "credentials-exposure",
    category: Category::Iam,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "identity: least privilege per function",
    cwe: &[522],
    owasp: &["SAS-4"],
    source: include_str!("credentials_exposure.rs"),
};

impl Rule for CredentialsExposure {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        report(
            facts,
            &META,
            &[FindingKind::CredentialsExposure],
            true,
            "remove credential-minting actions from function roles",
            |_, _| true,
            out,
        );
    }
}
