//! `--format sarif`: SARIF 2.1.0 with one run, rule metadata from the catalog, GitHub code-scanning
//! properties (`security-severity`, `precision`, tags) and stable `partialFingerprints`.

use crate::context::{Context, FindingView};
use crate::emitter::Emitter;
use crate::location::Location;
use crate::uri;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::io;
use warden_model::{Confidence, RuleInfo, Severity};

/// Writes SARIF 2.1.0, pretty-printed with two spaces and a trailing newline.
pub struct Sarif;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/warden-sec/warden";
const SRCROOT: &str = "%SRCROOT%";
/// Snippets longer than this are left out of regions.
const MAX_SNIPPET: usize = 1024;

/// The SARIF `level` of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` (a CVSS-like score as a string) of a severity.
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn precision(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

impl Emitter for Sarif {
    fn emit(&self, ctx: &Context<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        let (rules, index) = descriptors(ctx);
        let results: Vec<Value> = ctx
            .findings
            .iter()
            .map(|v| result(v, index.get(v.finding.rule).copied()))
            .collect();
        let notifications: Vec<Value> = ctx
            .errors
            .iter()
            .map(|e| {
                let mut n = json!({"level": "warning", "message": {"text": e.message}});
                if !e.file.is_empty() {
                    n["locations"] =
                        json!([{"physicalLocation": {"artifactLocation": artifact(&e.file)}}]);
                }
                n
            })
            .collect();
        let root = match &ctx.options.source_root {
            Some(root) => json!({"uri": uri::directory(root)}),
            None => {
                json!({"description": {"text": "The scanned directory; result paths are relative to it."}})
            }
        };
        let doc = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "warden",
                    "version": ctx.options.tool_version,
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }},
                "invocations": [{
                    "executionSuccessful": true,
                    "toolExecutionNotifications": notifications,
                }],
                "originalUriBaseIds": {SRCROOT: root},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }],
        });
        crate::write_json(&doc, out)
    }
}

/// Every rule of the catalog (sorted by code), then a bare descriptor for any rule a finding
/// names that the catalog lacks, so that every `ruleIndex` is valid.
fn descriptors<'a>(ctx: &'a Context<'_>) -> (Vec<Value>, BTreeMap<&'a str, usize>) {
    let mut rules: Vec<Value> = ctx.rules.iter().map(|r| descriptor(r)).collect();
    let mut index: BTreeMap<&str, usize> = ctx
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code, i))
        .collect();
    for v in &ctx.findings {
        let f = v.finding;
        if !index.contains_key(f.rule) {
            index.insert(f.rule, rules.len());
            rules.push(json!({"id": f.rule, "name": f.name}));
        }
    }
    (rules, index)
}

fn descriptor(rule: &RuleInfo) -> Value {
    let mut tags = vec!["security".to_owned(), rule.category.as_str().to_owned()];
    tags.extend(rule.cwe.iter().map(|n| format!("CWE-{n}")));
    tags.extend(rule.owasp.iter().map(|&o| o.to_owned()));
    let full = what_it_does(&rule.doc).unwrap_or_else(|| rule.summary.clone());
    let help_text = if rule.doc.trim().is_empty() {
        rule.summary.clone()
    } else {
        rule.doc.clone()
    };
    let mut d = json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": rule.doc},
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {
            "tags": tags,
            "security-severity": security_severity(rule.severity),
            "precision": precision(rule.confidence),
        },
    });
    if !rule.security_hub.is_empty() {
        d["properties"]["security-hub"] = json!(rule.security_hub);
    }
    d
}

/// The body of the doc's "What it does" section, one paragraph.
fn what_it_does(doc: &str) -> Option<String> {
    let mut lines = doc.lines().skip_while(|l| {
        !l.trim_start_matches('#')
            .trim()
            .eq_ignore_ascii_case("what it does")
    });
    lines.next()?;
    let body: Vec<&str> = lines
        .take_while(|l| !l.trim_start().starts_with('#'))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    (!body.is_empty()).then(|| body.join(" "))
}

fn result(v: &FindingView<'_>, rule_index: Option<usize>) -> Value {
    let f = v.finding;
    let mut location = json!({"physicalLocation": physical(&v.location, v.shown_text())});
    if let Some(resource) = &f.resource {
        location["logicalLocations"] = json!([{"name": resource, "kind": "resource"}]);
    }
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(f.rule));
    if let Some(i) = rule_index {
        result.insert("ruleIndex".into(), json!(i));
    }
    result.insert("level".into(), json!(level(f.severity)));
    result.insert("message".into(), json!({"text": v.message}));
    result.insert("locations".into(), json!([location]));
    if !v.related.is_empty() {
        let related: Vec<Value> = v
            .related
            .iter()
            .enumerate()
            .map(|(id, r)| {
                json!({
                    "id": id,
                    "physicalLocation": physical(&r.location, None),
                    "message": {"text": r.message},
                })
            })
            .collect();
        result.insert("relatedLocations".into(), json!(related));
    }
    if !v.flow.is_empty() {
        result.insert("codeFlows".into(), code_flows(v));
    }
    if !f.fingerprint.is_empty() {
        result.insert(
            "partialFingerprints".into(),
            json!({"warden/v1": f.fingerprint}),
        );
    }
    let mut properties = json!({
        "severity": f.severity.as_str(),
        "confidence": f.confidence.as_str(),
    });
    if let Some(resource) = &f.resource {
        properties["resource"] = json!(resource);
    }
    result.insert("properties".into(), properties);
    Value::Object(result)
}

/// One code flow with one thread flow: the steps from the source to the sink, in order.
fn code_flows(v: &FindingView<'_>) -> Value {
    let locations: Vec<Value> = v
        .flow
        .iter()
        .enumerate()
        .map(|(i, step)| {
            json!({
                "location": {
                    "physicalLocation": physical(&step.location, None),
                    "message": {"text": step.message},
                },
                "executionOrder": i,
            })
        })
        .collect();
    json!([{
        "message": {"text": v.message},
        "threadFlows": [{"locations": locations}],
    }])
}

fn artifact(file: &str) -> Value {
    json!({"uri": uri::relative(file), "uriBaseId": SRCROOT})
}

/// A physical location; `snippet` is the text shown for the region (masked for secrets).
fn physical(loc: &Location<'_>, snippet: Option<String>) -> Value {
    let region = if loc.source.is_some() {
        let mut region = json!({
            "startLine": loc.start.line,
            "startColumn": loc.start.column,
            "endLine": loc.end.line,
            "endColumn": loc.end.column,
        });
        if let Some(text) = snippet.filter(|s| !s.is_empty() && s.len() <= MAX_SNIPPET) {
            region["snippet"] = json!({"text": text});
        }
        region
    } else {
        json!({"startLine": loc.start.line, "startColumn": loc.start.column})
    };
    json!({"artifactLocation": artifact(loc.file), "region": region})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_scores_follow_severity() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(level(Severity::Info), "note");
        let scores: Vec<f64> = Severity::ALL
            .iter()
            .map(|&s| security_severity(s).parse().unwrap())
            .collect();
        assert!(scores.windows(2).all(|w| w[0] > w[1]));
    }

    #[test]
    fn full_description_is_the_what_it_does_section() {
        let doc =
            "## What it does\nFlags a role\nthat allows `*`.\n\n## Why is this bad?\nBlast radius.";
        assert_eq!(
            what_it_does(doc).as_deref(),
            Some("Flags a role that allows `*`.")
        );
        assert_eq!(what_it_does("no headings"), None);
    }
}
