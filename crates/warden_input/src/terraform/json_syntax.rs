//! Terraform's JSON syntax (`*.tf.json`, e.g. CDK for Terraform output) read as HCL: the JSON
//! document is transcribed into the equivalent HCL text (strings are templates, as Terraform reads
//! them; `variable` defaults are literals), which the evaluator reads like any `.tf` file. Nested
//! blocks become object and list values, which the lowerings read like blocks. Origins are then
//! moved from the transcription back onto the JSON file: each value's path
//! (`resource.aws_lambda_function.api.environment.variables.TOKEN`) is looked up in the JSON
//! document parsed with spans, so findings point at the JSON lines.

use crate::document::{self, Limits};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use warden_model::{Node, ScanError, Val};
use warden_source::Span;

/// Top-level keys that hold `TYPE → NAME → body`.
const TYPED: &[&str] = &["resource", "data"];
/// Top-level keys that hold `NAME → body`.
const NAMED: &[&str] = &["variable", "output", "module"];
/// Keys never transcribed (meta blocks the evaluator skips anyway, and JSON comments).
const SKIPPED: &[&str] = &[
    "//",
    "lifecycle",
    "provisioner",
    "connection",
    "depends_on",
    "provider",
    "dynamic",
];

/// The HCL text of a JSON variables file (`terraform.tfvars.json`, `*.auto.tfvars.json`):
/// `name = value` with every value literal, and the document with spans.
pub fn transcribe_vars(
    rel: &Arc<str>,
    text: &str,
    limits: &Limits,
) -> Result<(String, Node), ScanError> {
    let doc = document::parse(rel.clone(), text, limits)
        .map_err(|e| ScanError::new(&**rel, format!("Terraform JSON: {e}")))?;
    let json: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ScanError::new(&**rel, format!("Terraform JSON: {e}")))?;
    let mut out = String::new();
    for b in one_or_many(&json) {
        body_text(b, true, &mut out);
    }
    Ok((out, doc.root))
}

/// The HCL text equivalent to a Terraform JSON document, and the document with spans.
pub fn transcribe(
    rel: &Arc<str>,
    text: &str,
    limits: &Limits,
) -> Result<(String, Node), ScanError> {
    let doc = document::parse(rel.clone(), text, limits)
        .map_err(|e| ScanError::new(&**rel, format!("Terraform JSON: {e}")))?;
    let json: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| ScanError::new(&**rel, format!("Terraform JSON: {e}")))?;
    let serde_json::Value::Object(top) = &json else {
        return Err(ScanError::new(
            &**rel,
            "Terraform JSON: the document is not an object",
        ));
    };
    let mut out = String::new();
    for (section, value) in top {
        let s = section.as_str();
        if TYPED.contains(&s) {
            for (kind, named) in entries(value) {
                for (name, body) in entries(named) {
                    for b in one_or_many(body) {
                        let _ = writeln!(out, "{s} {} {} {{", quote_key(kind), quote_key(name));
                        body_text(b, false, &mut out);
                        out.push_str("}\n");
                    }
                }
            }
        } else if NAMED.contains(&s) {
            for (name, body) in entries(value) {
                for b in one_or_many(body) {
                    let _ = writeln!(out, "{s} {} {{", quote_key(name));
                    body_text(b, s == "variable", &mut out);
                    out.push_str("}\n");
                }
            }
        } else if s == "locals" {
            for b in one_or_many(value) {
                out.push_str("locals {\n");
                body_text(b, false, &mut out);
                out.push_str("}\n");
            }
        }
    }
    Ok((out, doc.root))
}

fn entries(v: &serde_json::Value) -> Vec<(&str, &serde_json::Value)> {
    match v {
        serde_json::Value::Object(m) => m.iter().map(|(k, v)| (k.as_str(), v)).collect(),
        serde_json::Value::Array(items) => items.iter().flat_map(entries).collect(),
        _ => Vec::new(),
    }
}

fn one_or_many(v: &serde_json::Value) -> Vec<&serde_json::Value> {
    match v {
        serde_json::Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

/// Body attributes as `name = expression` lines. In a `variable` block every value is literal.
fn body_text(body: &serde_json::Value, literal: bool, out: &mut String) {
    let serde_json::Value::Object(m) = body else {
        return;
    };
    for (k, v) in m {
        if SKIPPED.contains(&k.as_str()) || !is_identifier(k) {
            continue;
        }
        let literal = literal || k == "default" || k == "type" || k == "description";
        let _ = write!(out, "  {k} = ");
        value_text(v, literal, 0, out);
        out.push('\n');
    }
}

fn is_identifier(k: &str) -> bool {
    let mut chars = k.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn value_text(v: &serde_json::Value, literal: bool, depth: usize, out: &mut String) {
    use serde_json::Value as J;
    if depth > super::parse::MAX_NESTING / 2 {
        out.push_str("null");
        return;
    }
    match v {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Number(n) => out.push_str(&n.to_string()),
        J::String(s) => out.push_str(&quote(s, literal)),
        J::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                value_text(item, literal, depth + 1, out);
            }
            out.push(']');
        }
        J::Object(m) => {
            out.push_str("{\n");
            for (k, item) in m {
                if k == "//" {
                    continue;
                }
                let _ = write!(out, "{} = ", quote_key(k));
                value_text(item, literal, depth + 1, out);
                out.push('\n');
            }
            out.push('}');
        }
    }
}

/// A JSON string as an HCL string: a template, or a literal (`${` and `%{` escaped).
fn quote(s: &str, literal: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    if literal {
        out = out.replace("${", "$${").replace("%{", "%%{");
    }
    out
}

fn quote_key(k: &str) -> String {
    quote(k, true)
}

/// Moves `origin` back onto its JSON document when it points into a transcribed file.
pub fn fix_origin(origin: &mut warden_source::Origin, docs: &HashMap<Arc<str>, Node>) {
    if let Some(doc) = docs.get(&origin.file) {
        origin.span = lookup(doc, &origin.path);
    }
}

/// Moves origins in `node` that point into a transcribed JSON file back onto the JSON document.
pub fn fix_origins(node: &mut Node, docs: &HashMap<Arc<str>, Node>) {
    fix_origin(&mut node.origin, docs);
    match &mut node.val {
        Val::List(items) => items.iter_mut().for_each(|i| fix_origins(i, docs)),
        Val::Map(entries) => {
            for (k, v) in entries {
                if let Some(doc) = docs.get(&k.origin.file) {
                    k.origin.span = lookup_key(doc, &k.origin.path);
                }
                fix_origins(v, docs);
            }
        }
        _ => {}
    }
}

/// The span of the key of the entry a Terraform path ends at (the value's when not found).
fn lookup_key(doc: &Node, path: &str) -> Span {
    let tokens = split_path(path);
    if let Some((last, parent)) = tokens.split_last()
        && !last.contains('[')
    {
        let mut cur = walk(doc, parent);
        if let Val::List(items) = &cur.val
            && let Some(first) = items.first()
        {
            cur = first;
        }
        if let Some((k, _)) = cur.entry(last) {
            return k.origin.span;
        }
    }
    lookup(doc, path)
}

/// The span of the deepest node of `doc` along a Terraform path (`a.b[0].c`).
fn lookup(doc: &Node, path: &str) -> Span {
    walk(doc, &split_path(path)).origin.span
}

/// The deepest node of `doc` along path tokens.
fn walk<'d>(doc: &'d Node, tokens: &[&str]) -> &'d Node {
    let mut cur = doc;
    // A variables file holds `var.NAME` at its top level.
    let tokens = match tokens.split_first() {
        Some((&"var", rest)) if doc.get("var").is_none() => rest,
        _ => tokens,
    };
    // A path like `resource.t.n.x` names the JSON pointer /resource/t/n/x; `[i]` suffixes index.
    for token in tokens.iter().copied() {
        let (name, index) = match token.find('[') {
            Some(i) => (
                &token[..i],
                token[i + 1..].trim_end_matches(']').parse::<usize>().ok(),
            ),
            None => (token, None),
        };
        if let Val::List(items) = &cur.val
            && let Some(first) = items.first()
        {
            cur = first; // a block given as an array of objects
        }
        if !name.is_empty() {
            match cur.get(name) {
                Some(next) => cur = next,
                None => break,
            }
        }
        if let (Some(i), Val::List(items)) = (index, &cur.val)
            && let Some(item) = items.get(i)
        {
            cur = item;
        }
    }
    cur
}

/// Path tokens separated by `.` outside brackets and quotes.
fn split_path(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut in_quote = false;
    let mut start = 0;
    for (i, c) in path.char_indices() {
        match c {
            '"' => in_quote = !in_quote,
            '[' if !in_quote => depth += 1,
            ']' if !in_quote => depth -= 1,
            '.' if !in_quote && depth == 0 => {
                out.push(&path[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&path[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcribes_blocks_templates_and_literal_defaults() {
        let rel: Arc<str> = Arc::from("main.tf.json");
        let text = r#"{
  "variable": {"x": {"default": "${not-a-ref}"}},
  "locals": {"name": "app-${var.x}"},
  "resource": {"aws_sqs_queue": {"q": {"name": "${local.name}", "//": "comment"}}}
}"#;
        let (hcl, doc) = transcribe(&rel, text, &Limits::default()).unwrap();
        assert!(
            hcl.contains("variable \"x\" {\n  default = \"$${not-a-ref}\""),
            "{hcl}"
        );
        assert!(
            hcl.contains("resource \"aws_sqs_queue\" \"q\" {\n  name = \"${local.name}\""),
            "{hcl}"
        );
        assert!(!hcl.contains("comment"));
        let span = lookup(&doc, "resource.aws_sqs_queue.q.name");
        assert_eq!(
            &text[span.start as usize..span.end as usize],
            "\"${local.name}\""
        );
    }
}
