//! CODE004: attacker-controlled event data is built into a SQL query's text.

use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_code::IssueKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a handler where attacker-controlled event data is built into the text of a SQL query
/// (template literal, concatenation, f-string, `%`, `.format`) passed to `query`/`execute`/
/// `raw`/`$queryRawUnsafe`, or into the statement of an AWS query API (DynamoDB PartiQL
/// `ExecuteStatement`, the RDS Data API, Athena `StartQueryExecution`). Parameterised queries
/// (placeholders with a separate values array) are not flagged. Severity follows the trigger's
/// exposure.
///
/// ## Why is this bad?
/// The attacker rewrites the query: reads other tenants' rows, bypasses login checks, or drops
/// tables, with the database user's rights (SAS-1, CWE-89).
///
/// ## Insecure example
/// ```js
/// await pool.query(`SELECT * FROM users WHERE id = '${event.pathParameters.id}'`);
/// ```
///
/// ## Secure alternative
/// ```js
/// await pool.query('SELECT * FROM users WHERE id = $1', [event.pathParameters.id]);
/// ```
///
/// ## References
/// OWASP Serverless Top 10 SAS-1; CWE-89 (SQL injection); OWASP SQL injection prevention cheat
/// sheet.
#[derive(Debug)]
pub struct SqlInjection;

static META: RuleMeta = RuleMeta {
    code: "CODE004",
    name: "sql-injection",
    category: Category::Injection,
    severity: Severity::Critical,
    confidence: Confidence::High,
    practice: "code: no untrusted event data reaching a SQL string",
    cwe: &[89],
    owasp: &["SAS-1"],
    source: include_str!("sql_injection.rs"),
};

const HELP: &str = "use placeholders and pass the values separately (`query(text, [values])`, `execute(sql, params)`)";

impl Rule for SqlInjection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        super::report(facts, IssueKind::SqlInjection, &META, HELP, out);
    }
}
