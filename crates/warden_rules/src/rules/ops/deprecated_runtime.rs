//! OPS005: a function on a Lambda runtime that AWS has deprecated or will deprecate soon.

use crate::meta::{Rule, RuleMeta};
use warden_model::{App, Category, Confidence, Finding, Node, Severity};

/// ## What it does
/// Flags a function whose `Runtime` AWS has deprecated (no more security patches), and, at low
/// severity, one whose deprecation date falls within a year of the table's date. Deprecation dates
/// come from the table AWS publishes in the Lambda developer guide ("Lambda runtimes" and "Runtime
/// deprecation policy"), as of [`TABLE_DATE`]; results depend only on that table, never on the
/// clock, so a scan is reproducible. Container-image functions (no `Runtime`) are not checked.
///
/// ## Why is this bad?
/// A deprecated runtime no longer receives security patches for the language, its standard library
/// or the operating system beneath; known vulnerabilities stay exploitable, and AWS eventually
/// blocks updates to the function, including emergency fixes (SAS-9).
///
/// ## Insecure example
/// ```yaml
/// OrdersFn:
///   Type: AWS::Serverless::Function
///   Properties: {Runtime: nodejs16.x, Handler: index.handler}
/// ```
///
/// ## Secure alternative
/// ```yaml
/// OrdersFn:
///   Type: AWS::Serverless::Function
///   Properties: {Runtime: nodejs22.x, Handler: index.handler}
/// ```
///
/// ## References
/// AWS Lambda developer guide, "Lambda runtimes" and "Runtime deprecation policy"; AWS Security
/// Hub Lambda.2; OWASP Serverless Top 10 SAS-9 (vulnerable dependencies); CWE-1104.
#[derive(Debug)]
pub struct DeprecatedRuntime;

static META: RuleMeta = RuleMeta {
    code: "OPS005",
    name: "deprecated-runtime",
    category: Category::Runtime,
    severity: Severity::Medium,
    confidence: Confidence::High,
    practice: "supply chain: no dependencies with known vulnerabilities",
    cwe: &[1104],
    owasp: &["SAS-9"],
    source: include_str!("deprecated_runtime.rs"),
};

const HELP: &str = "move the function to a supported runtime of the same language (e.g. nodejs22.x, python3.13, java21, dotnet8, ruby3.4, provided.al2023)";

/// The date of the deprecation table below (ISO 8601). Findings compare with this date only.
pub const TABLE_DATE: &str = "2025-11-01";

/// Runtime identifier and the date AWS deprecated (or plans to deprecate) it.
const DEPRECATIONS: &[(&str, &str)] = &[
    ("dotnet6", "2024-12-20"),
    ("dotnet8", "2026-11-10"),
    ("dotnetcore1.0", "2019-07-30"),
    ("dotnetcore2.0", "2019-05-30"),
    ("dotnetcore2.1", "2022-01-05"),
    ("dotnetcore3.1", "2023-04-03"),
    ("go1.x", "2024-01-08"),
    ("java11", "2026-06-30"),
    ("java17", "2026-06-30"),
    ("java8", "2024-01-08"),
    ("java8.al2", "2026-06-30"),
    ("nodejs", "2016-10-31"),
    ("nodejs10.x", "2021-07-30"),
    ("nodejs12.x", "2023-03-31"),
    ("nodejs14.x", "2023-12-04"),
    ("nodejs16.x", "2024-06-12"),
    ("nodejs18.x", "2025-09-01"),
    ("nodejs20.x", "2026-04-30"),
    ("nodejs4.3", "2020-03-06"),
    ("nodejs4.3-edge", "2019-04-30"),
    ("nodejs6.10", "2019-08-12"),
    ("nodejs8.10", "2020-03-06"),
    ("provided", "2024-01-08"),
    ("provided.al2", "2026-06-30"),
    ("python2.7", "2021-07-15"),
    ("python3.10", "2026-06-30"),
    ("python3.11", "2026-06-30"),
    ("python3.6", "2022-07-18"),
    ("python3.7", "2023-12-04"),
    ("python3.8", "2024-10-14"),
    ("python3.9", "2025-12-15"),
    ("ruby2.5", "2022-07-30"),
    ("ruby2.7", "2023-12-07"),
    ("ruby3.2", "2026-03-31"),
];

/// `TABLE_DATE` plus one year, as an ISO date (the "deprecated soon" horizon).
fn horizon() -> String {
    let year: u32 = TABLE_DATE[..4].parse().unwrap_or(0);
    format!("{}{}", year + 1, &TABLE_DATE[4..])
}

impl Rule for DeprecatedRuntime {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, app: &App, out: &mut Vec<Finding>) {
        let soon = horizon();
        for f in app.functions.iter().filter(|f| f.kind.is_lambda()) {
            let Some(runtime) = &f.runtime else { continue };
            if runtime.is_unknown() {
                out.push(META.unverified(
                    &runtime.origin,
                    Some(&f.id),
                    format!(
                        "could not verify the runtime of function `{}`: it depends on {}",
                        f.id,
                        Node::to_string(runtime)
                    ),
                    HELP,
                ));
                continue;
            }
            let Some(name) = runtime.as_str() else {
                continue;
            };
            let Some((_, date)) = DEPRECATIONS.iter().find(|(id, _)| *id == name) else {
                continue;
            };
            if *date <= TABLE_DATE {
                out.push(META.finding(
                    &runtime.origin,
                    Some(&f.id),
                    format!("function `{}` runs on `{name}`, deprecated by AWS on {date}: it no longer receives security patches", f.id),
                    HELP,
                ));
            } else if **date <= *soon.as_str() {
                let mut finding = META.finding(
                    &runtime.origin,
                    Some(&f.id),
                    format!(
                        "function `{}` runs on `{name}`, which AWS deprecates on {date}",
                        f.id
                    ),
                    HELP,
                );
                finding.severity = Severity::Low;
                out.push(finding);
            }
        }
    }
}
