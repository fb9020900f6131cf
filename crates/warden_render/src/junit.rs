//! `--format junit`: JUnit XML for CI dashboards. One suite per file with a failing test case per
//! finding, an `errors` suite for files that could not be scanned, and a passing `warden scan`
//! case when there is no finding, so a clean run still shows up.

use crate::context::{Context, FindingView};
use crate::emitter::Emitter;
use crate::xml;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

/// Writes JUnit XML.
pub struct Junit;

impl Emitter for Junit {
    fn emit(&self, ctx: &Context<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(document(ctx).as_bytes())
    }
}

fn document(ctx: &Context<'_>) -> String {
    let mut by_file: BTreeMap<&str, Vec<&FindingView<'_>>> = BTreeMap::new();
    for v in &ctx.findings {
        by_file.entry(v.location.file).or_default().push(v);
    }
    let placeholder = ctx.findings.is_empty();
    let failures = ctx.findings.len();
    let errors = ctx.errors.len();
    let tests = failures + errors + usize::from(placeholder);
    let ms = ctx.stats.duration_ms;
    let seconds = format!("{}.{:03}", ms / 1000, ms % 1000);

    let mut doc = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        doc,
        "<testsuites name=\"warden\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{seconds}\">"
    );
    if placeholder {
        suite_open(&mut doc, "warden", 1, 0, 0);
        doc.push_str("    <testcase classname=\"warden\" name=\"warden scan\"/>\n");
        doc.push_str("  </testsuite>\n");
    }
    for (file, findings) in &by_file {
        suite_open(&mut doc, file, findings.len(), findings.len(), 0);
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for v in findings {
            let base = case_name(v);
            let n = seen.entry(base.clone()).or_default();
            *n += 1;
            let name = if *n == 1 {
                base
            } else {
                format!("{base} #{n}")
            };
            failing_case(&mut doc, v, &name);
        }
        doc.push_str("  </testsuite>\n");
    }
    if !ctx.errors.is_empty() {
        suite_open(&mut doc, "errors", errors, 0, errors);
        for e in &ctx.errors {
            let _ = writeln!(
                doc,
                "    <testcase classname=\"warden.errors\" name=\"{}\" file=\"{}\">\n      <error message=\"{}\" type=\"scan-error\">{}</error>\n    </testcase>",
                xml::attr(&e.file),
                xml::attr(&e.file),
                xml::attr(&e.message),
                xml::text(&e.message),
            );
        }
        doc.push_str("  </testsuite>\n");
    }
    doc.push_str("</testsuites>\n");
    doc
}

fn suite_open(doc: &mut String, name: &str, tests: usize, failures: usize, errors: usize) {
    let _ = writeln!(
        doc,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">",
        xml::attr(name)
    );
}

/// `RULE resource line N` (the resource left out when the finding has none).
fn case_name(v: &FindingView<'_>) -> String {
    match &v.finding.resource {
        Some(resource) => format!(
            "{} {} line {}",
            v.finding.rule, resource, v.location.start.line
        ),
        None => format!("{} line {}", v.finding.rule, v.location.start.line),
    }
}

fn failing_case(doc: &mut String, v: &FindingView<'_>, name: &str) {
    let f = v.finding;
    let loc = &v.location;
    let mut body = format!(
        "{} {} ({}, confidence {})\n{}:{}:{}\n{}",
        f.rule,
        f.name,
        f.severity,
        f.confidence.as_str(),
        loc.file,
        loc.start.line,
        loc.start.column,
        v.message
    );
    if !v.help.is_empty() {
        body.push_str("\nhelp: ");
        body.push_str(&v.help);
    }
    for r in &v.related {
        let _ = write!(
            body,
            "\nrelated: {}:{}:{}: {}",
            r.location.file, r.location.start.line, r.location.start.column, r.message
        );
    }
    let _ = writeln!(
        doc,
        "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
        xml::attr(f.rule),
        xml::attr(name),
        xml::attr(loc.file),
        loc.start.line,
        xml::attr(&v.message),
        f.severity,
        xml::text(&body),
    );
}
