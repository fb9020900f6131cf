//! CODE012: stack traces or raw error objects returned to the client.

use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_code::IssueKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags handlers that return stack traces or raw error objects to the client: `body:
/// JSON.stringify(err)`, `err.stack` in a response, `res.send(err)`,
/// `traceback.format_exc()` in the returned body.
///
/// ## Why is this bad?
/// Stack traces and upstream error payloads reveal file paths, library versions, queries, internal
/// host names and sometimes credentials: a map for the next attack (SAS-10, CWE-209).
///
/// ## Insecure example
/// ```js
/// } catch (err) {
///   return { statusCode: 500, body: JSON.stringify(err) };
/// }
/// ```
///
/// ## Secure alternative
/// ```js
/// } catch (err) {
///   console.error(err);
///   return { statusCode: 500, body: JSON.stringify({ message: 'internal error' }) };
/// }
/// ```
///
/// ## References
/// CWE-209 (generation of error message containing sensitive information); OWASP Serverless Top
/// 10 SAS-10 (improper exception handling and verbose error messages).
#[derive(Debug)]
pub struct ErrorDetailsInResponse;

static META: RuleMeta = RuleMeta {
    code: "CODE012",
    name: "error-details-in-response",
    category: Category::ErrorHandling,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "code: no verbose errors to clients",
    cwe: &[209],
    owasp: &["SAS-10"],
    source: include_str!("error_details_in_response.rs"),
};

const HELP: &str = "log the error and return a generic message with a correlation id";

impl Rule for ErrorDetailsInResponse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        super::report(facts, IssueKind::ErrorDetailsToClient, &META, HELP, out);
    }
}
