//! Helpers shared by the document tests: parse shortcuts and a line-per-node rendering of a tree.
#![allow(clippy::unwrap_used, dead_code)]

use std::fmt::Write;
use std::sync::Arc;
use warden_input::document::{self, Document, DocumentError, Limits};
use warden_model::{Node, Val};
use warden_source::{LineIndex, Span};

pub fn parse(name: &str, text: &str) -> Result<Document, DocumentError> {
    document::parse(Arc::from(name), text, &Limits::default())
}

pub fn yaml(text: &str) -> Document {
    parse("t.yaml", text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

pub fn json(text: &str) -> Document {
    parse("t.json", text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// `line:col-line:col` of a span (1-based, columns in characters).
pub fn pos(text: &str, span: Span) -> String {
    let idx = LineIndex::new(text);
    let a = idx.position(text, span.start);
    let b = idx.position(text, span.end);
    format!("{}:{}-{}:{}", a.line, a.column, b.line, b.column)
}

/// One line per node and per key: `path kind value line:col-line:col`.
pub fn render(text: &str, root: &Node) -> String {
    let mut out = String::new();
    walk(text, root, &mut out);
    out
}

fn walk(text: &str, node: &Node, out: &mut String) {
    let o = &node.origin;
    let what = match &node.val {
        Val::Null => "null".to_string(),
        Val::Bool(b) => format!("bool {b}"),
        Val::Num(n) => format!("num {n}"),
        Val::Str(s) => format!("str {s:?}"),
        Val::List(_) => "list".to_string(),
        Val::Map(_) => "map".to_string(),
        Val::Unknown(u) => format!("unknown {}", u.expr),
    };
    writeln!(out, "{:?} {what} {}", &*o.path, pos(text, o.span)).unwrap();
    match &node.val {
        Val::List(items) => items.iter().for_each(|n| walk(text, n, out)),
        Val::Map(entries) => {
            for (k, v) in entries {
                writeln!(
                    out,
                    "{:?} key {:?} {}",
                    &*k.origin.path,
                    k.name,
                    pos(text, k.origin.span)
                )
                .unwrap();
                walk(text, v, out);
            }
        }
        _ => {}
    }
}

/// The tree's shape without positions: values as JSON, and every node's path, for comparing the
/// YAML and JSON forms of one document.
pub fn shape(node: &Node) -> (serde_json::Value, Vec<String>) {
    fn paths(node: &Node, out: &mut Vec<String>) {
        out.push(node.origin.path.to_string());
        match &node.val {
            Val::List(items) => items.iter().for_each(|n| paths(n, out)),
            Val::Map(entries) => entries.iter().for_each(|(k, v)| {
                out.push(format!("key {}", k.origin.path));
                paths(v, out);
            }),
            _ => {}
        }
    }
    let mut out = Vec::new();
    paths(node, &mut out);
    (node.to_json(), out)
}

/// The text a span covers.
pub fn slice(text: &str, span: Span) -> &str {
    &text[span.start as usize..span.end as usize]
}

/// Every node and key: spans inside the text and on character boundaries.
pub fn check_spans(text: &str, node: &Node) {
    let s = node.origin.span;
    assert!(
        s.start <= s.end && s.end as usize <= text.len(),
        "{s:?} out of bounds"
    );
    assert!(text.is_char_boundary(s.start as usize) && text.is_char_boundary(s.end as usize));
    let children: Vec<(Option<Span>, &Node)> = match &node.val {
        Val::List(items) => items.iter().map(|n| (None, n)).collect(),
        Val::Map(entries) => entries
            .iter()
            .map(|(k, v)| (Some(k.origin.span), v))
            .collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        if let Some(k) = key {
            assert!(k.end as usize <= text.len() && text.is_char_boundary(k.start as usize));
        }
        check_spans(text, child);
    }
}
