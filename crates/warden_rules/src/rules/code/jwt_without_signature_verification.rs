//! CODE011: a JWT's claims read without verifying its signature.

use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_code::IssueKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags handler code that reads a JWT's claims without verifying its signature: `jsonwebtoken`
/// `decode` (instead of `verify`), `jwt-decode`, PyJWT `jwt.decode` with
/// `options={"verify_signature": False}`, `verify=False` or the `none` algorithm, and
/// base64-decoding the token's middle segment by hand.
///
/// ## Why is this bad?
/// Anyone can write a token with any claims: identity and authorization decisions taken from
/// unverified claims are decisions taken by the caller (SAS-2, CWE-347).
///
/// ## Insecure example
/// ```js
/// const claims = jwt.decode(token);
/// if (claims.role === 'admin') { /* ... */ }
/// ```
///
/// ## Secure alternative
/// ```js
/// const claims = jwt.verify(token, publicKey, { algorithms: ['RS256'] });
/// ```
///
/// ## References
/// CWE-347 (improper verification of cryptographic signature); OWASP Serverless Top 10 SAS-2
/// (broken authentication); RFC 8725 (JWT best current practices).
#[derive(Debug)]
pub struct JwtWithoutSignatureVerification;

static META: RuleMeta = RuleMeta {
    code: "CODE011",
    name: "jwt-without-signature-verification",
    category: Category::Code,
    severity: Severity::High,
    confidence: Confidence::High,
    practice: "API perimeter: every route authenticated",
    cwe: &[347],
    owasp: &["SAS-2"],
    source: include_str!("jwt_without_signature_verification.rs"),
};

const HELP: &str = "verify the signature with a pinned algorithm (`jwt.verify`, `jwt.decode(token, key, algorithms=[...])`), or let an API Gateway JWT authorizer do it";

impl Rule for JwtWithoutSignatureVerification {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        super::report(facts, IssueKind::JwtWithoutVerification, &META, HELP, out);
    }
}
