//! CODE001: attacker-controlled event data reaches a shell command.

use crate::facts::ProjectFacts;
use crate::meta::{Rule, RuleMeta};
use warden_code::IssueKind;
use warden_model::{Category, Confidence, Finding, Severity};

/// ## What it does
/// Flags a handler where data an attacker controls (the fields of the event that the function's
/// triggers fill from outside: HTTP body, query, path and headers; S3 object keys; queue and topic
/// messages; stream records) reaches a shell: `child_process.exec`/`execSync`, `spawn`/`execFile`
/// with `shell: true`, `os.system`, `os.popen`, `subprocess.*` with `shell=True`. The finding
/// carries the path from the source to the sink; its severity follows the trigger's exposure
/// (public route: critical, authenticated route: high, internal queue or stream: medium).
///
/// ## Why is this bad?
/// Shell metacharacters in the event run arbitrary commands with the function's role and
/// environment (its credentials included): event-data injection, the first risk of the OWASP
/// Serverless Top 10 (SAS-1, CWE-78).
///
/// ## Insecure example
/// ```js
/// exports.handler = async (event) => {
///   execSync(`convert ${event.queryStringParameters.file} out.png`);
/// };
/// ```
///
/// ## Secure alternative
/// ```js
/// exports.handler = async (event) => {
///   execFileSync('convert', [path.basename(event.queryStringParameters.file), 'out.png']);
/// };
/// ```
///
/// ## References
/// OWASP Serverless Top 10 SAS-1 (function event-data injection); CWE-78 (OS command injection);
/// Node.js `child_process` and Python `subprocess` security considerations.
#[derive(Debug)]
pub struct CommandInjection;

static META: RuleMeta = RuleMeta {
    code: "CODE001",
    name: "command-injection",
    category: Category::Injection,
    severity: Severity::Critical,
    confidence: Confidence::High,
    practice: "code: no untrusted event data reaching a shell",
    cwe: &[78],
    owasp: &["SAS-1"],
    source: include_str!("command_injection.rs"),
};

const HELP: &str = "pass arguments as a list without a shell (`execFile`/`spawn` without `shell`, `subprocess.run([...])`), quote with `shlex.quote`, or check the value against an allow-list";

impl Rule for CommandInjection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_project(&self, facts: &ProjectFacts<'_>, out: &mut Vec<Finding>) {
        super::report(facts, IssueKind::CommandInjection, &META, HELP, out);
    }
}
