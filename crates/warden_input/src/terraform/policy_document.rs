//! `data "aws_iam_policy_document"` evaluated into the IAM policy JSON it renders: `statement`
//! blocks become the `Statement` list (`sid`, `effect`, `actions`/`not_actions`,
//! `resources`/`not_resources`, `principals`/`not_principals {type identifiers}`,
//! `condition {test variable values}`), after the statements of `source_policy_documents` (or `source_json`),
//! with `override_policy_documents` (or `override_json`) replacing statements of the same `Sid`. Every value keeps the origin
//! of the Terraform attribute it was written in.

use super::values::{key, list, map, str_node};
use warden_model::{Key, Node, Val};

/// The policy document of an evaluated `aws_iam_policy_document` body.
pub fn document(body: &Node) -> Node {
    let o = &body.origin;
    let mut statements: Vec<Node> = Vec::new();
    let docs = |list: &str, single: &str| -> Vec<Node> {
        let mut out: Vec<Node> = body.get(list).map(Node::items).unwrap_or_default().to_vec();
        // The deprecated single-document forms (`source_json`, `override_json`).
        out.extend(body.get(single).cloned());
        out.iter().map(super::aws::policy_text).collect()
    };
    for doc in docs("source_policy_documents", "source_json") {
        statements.extend(doc_statements(&doc));
    }
    for st in body
        .get("statement")
        .map(Node::one_or_many)
        .unwrap_or_default()
    {
        statements.push(statement(st));
    }
    for doc in docs("override_policy_documents", "override_json") {
        for st in doc_statements(&doc) {
            let sid = st.get("Sid").and_then(Node::as_str).map(str::to_string);
            match sid.and_then(|sid| {
                statements
                    .iter()
                    .position(|s| s.get("Sid").and_then(Node::as_str) == Some(&sid))
            }) {
                Some(i) => statements[i] = st,
                None => statements.push(st),
            }
        }
    }
    let version = body
        .get("version")
        .cloned()
        .unwrap_or_else(|| str_node("2012-10-17", o));
    let mut entries = vec![(key("Version", &version.origin), version)];
    if let Some(id) = body.get("policy_id") {
        entries.push((key("Id", &id.origin), id.clone()));
    }
    entries.push((key("Statement", o), list(statements, o)));
    map(entries, o)
}

fn doc_statements(doc: &Node) -> Vec<Node> {
    doc.get("Statement")
        .map(|s| s.one_or_many().into_iter().cloned().collect())
        .unwrap_or_default()
}

fn statement(st: &Node) -> Node {
    let o = &st.origin;
    let mut entries: Vec<(Key, Node)> = Vec::new();
    let copy = |from: &str, to: &str, entries: &mut Vec<(Key, Node)>| {
        if let Some((k, v)) = st.entry(from)
            && !matches!(v.val, Val::Null)
        {
            entries.push((key(to, &k.origin), v.clone()));
        }
    };
    copy("sid", "Sid", &mut entries);
    match st.entry("effect") {
        Some((k, v)) => entries.push((key("Effect", &k.origin), v.clone())),
        None => entries.push((key("Effect", o), str_node("Allow", o))),
    }
    for (tf, cfn) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        if let Some((k, blocks)) = st.entry(tf) {
            entries.push((key(cfn, &k.origin), principals(blocks)));
        }
    }
    copy("actions", "Action", &mut entries);
    copy("not_actions", "NotAction", &mut entries);
    copy("resources", "Resource", &mut entries);
    copy("not_resources", "NotResource", &mut entries);
    if let Some((k, conds)) = st.entry("condition") {
        entries.push((key("Condition", &k.origin), conditions(conds)));
    }
    map(entries, o)
}

/// `principals { type = "AWS" identifiers = ["*"] }` blocks as `{"AWS": [...]}`; `type = "*"`
/// with `identifiers = ["*"]` is the bare `"*"`.
fn principals(blocks: &Node) -> Node {
    let o = &blocks.origin;
    let mut by_type: Vec<(Key, Node)> = Vec::new();
    for b in blocks.one_or_many() {
        let Some(kind) = b.get("type").and_then(Node::as_str) else {
            continue;
        };
        let ids = b
            .get("identifiers")
            .cloned()
            .unwrap_or_else(|| list(Vec::new(), o));
        if kind == "*" {
            return str_node("*", &ids.origin);
        }
        match by_type.iter_mut().find(|(k, _)| k.name == kind) {
            Some((
                _,
                Node {
                    val: Val::List(l), ..
                },
            )) => l.extend(ids.items().iter().cloned()),
            _ => {
                let ids = match ids.val {
                    Val::List(_) => ids,
                    _ => list(vec![ids.clone()], &ids.origin),
                };
                by_type.push((key(kind, &b.origin), ids));
            }
        }
    }
    map(by_type, o)
}

/// `condition { test variable values }` blocks as `{Test: {variable: values}}`.
fn conditions(blocks: &Node) -> Node {
    let o = &blocks.origin;
    let mut by_test: Vec<(Key, Node)> = Vec::new();
    for b in blocks.one_or_many() {
        let (Some(test), Some(variable)) = (
            b.get("test").and_then(Node::as_str),
            b.get("variable").and_then(Node::as_str),
        ) else {
            continue;
        };
        let values = b
            .get("values")
            .cloned()
            .unwrap_or_else(|| list(Vec::new(), o));
        let entry = (key(variable, &b.origin), values);
        match by_test.iter_mut().find(|(k, _)| k.name == test) {
            Some((
                _,
                Node {
                    val: Val::Map(m), ..
                },
            )) => m.push(entry),
            _ => by_test.push((key(test, &b.origin), map(vec![entry], &b.origin))),
        }
    }
    map(by_test, o)
}
