//! Which top-level functions of a handler file its entry point can reach, so that SDK calls in
//! sibling handlers of a shared file (`orders.create` next to `orders.get`) are not charged to a
//! function that never runs them.
//!
//! Reachability is by name, over-approximated: a top-level function is reachable when the entry,
//! module-level code (other than export assignments) or a reachable function mentions its name.
//! When the entry cannot be found, nothing is excluded.

use crate::ir::{Export, Expr, ExprKind, Function, Module, Pattern, Stmt};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use warden_source::Span;

/// Deep enough for real code; deeper trees are only walked this far (more names = more reachable).
const MAX_DEPTH: usize = 256;

/// Spans of the top-level functions of `module` that `entry` cannot reach.
pub fn unreachable_spans(module: &Module, entry: &str) -> Vec<Span> {
    unreachable_functions(module, entry)
        .into_iter()
        .map(|(_, span)| span)
        .collect()
}

/// Names and spans of the top-level functions that `entry` cannot reach, in file order.
fn unreachable_functions(module: &Module, entry: &str) -> Vec<(String, Span)> {
    let tops = top_level_functions(module);
    let mut roots: Vec<String> = Vec::new();
    if tops.contains_key(entry) {
        roots.push(entry.to_owned());
    } else if let Some((_, export)) = module.exports.iter().find(|(name, _)| name == entry) {
        match export {
            Export::Local(name) => roots.push(name.clone()),
            Export::Value(expr) => {
                let mut names = HashSet::new();
                expr_names(expr, &mut names, 0);
                roots.extend(names);
            }
        }
    } else {
        return Vec::new();
    }
    let mut module_level = HashSet::new();
    for stmt in &module.body {
        if is_definition(stmt) || is_export_assignment(stmt) {
            continue;
        }
        stmt_names(stmt, &mut module_level, 0);
    }
    roots.extend(module_level);
    let mut reached: HashSet<String> = HashSet::new();
    while let Some(name) = roots.pop() {
        let Some(f) = tops.get(name.as_str()) else {
            continue;
        };
        if !reached.insert(name) {
            continue;
        }
        let mut names = HashSet::new();
        for stmt in &f.body {
            stmt_names(stmt, &mut names, 0);
        }
        roots.extend(names.into_iter().filter(|n| !reached.contains(n)));
    }
    let mut out: Vec<(String, Span)> = tops
        .iter()
        .filter(|(name, _)| !reached.contains(**name))
        .map(|(name, f)| ((*name).to_owned(), f.span))
        .collect();
    out.sort_by_key(|(_, s)| s.start);
    out
}

/// Named functions declared at the top of the module (`def f`, `function f`, `const f = () =>`).
fn top_level_functions(module: &Module) -> HashMap<&str, &Arc<Function>> {
    let mut out = HashMap::new();
    for stmt in &module.body {
        match stmt {
            Stmt::Func(f) => {
                if let Some(name) = &f.name {
                    out.insert(name.as_str(), f);
                }
            }
            Stmt::Let(Pattern::Name(name, _), Some(expr), _) => {
                if let ExprKind::Func(f) = &expr.kind {
                    out.insert(name.as_str(), f);
                }
            }
            _ => {}
        }
    }
    out
}

fn is_definition(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Func(f) => f.name.is_some(),
        Stmt::Let(Pattern::Name(..), Some(expr), _) => matches!(expr.kind, ExprKind::Func(_)),
        _ => false,
    }
}

/// `module.exports = …`, `exports.x = …`, `module.exports.x = …`: they publish, they do not call.
fn is_export_assignment(stmt: &Stmt) -> bool {
    let target = match stmt {
        Stmt::Let(Pattern::Member(target), ..) => target,
        Stmt::Expr(Expr {
            kind: ExprKind::Assign(pattern, _),
            ..
        }) => match pattern.as_ref() {
            Pattern::Member(target) => target,
            _ => return false,
        },
        _ => return false,
    };
    target.access_path().is_some_and(|p| {
        p == "module.exports" || p.starts_with("module.exports.") || p.starts_with("exports.")
    })
}

fn stmt_names(stmt: &Stmt, out: &mut HashSet<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let d = depth + 1;
    let block = |body: &[Stmt], out: &mut HashSet<String>| {
        for s in body {
            stmt_names(s, out, d);
        }
    };
    match stmt {
        Stmt::Let(pattern, value, _) => {
            pattern_names(pattern, out, d);
            if let Some(e) = value {
                expr_names(e, out, d);
            }
        }
        Stmt::AugAssign(pattern, e, _) => {
            pattern_names(pattern, out, d);
            expr_names(e, out, d);
        }
        Stmt::Expr(e) => expr_names(e, out, d),
        Stmt::Return(e, _) | Stmt::Throw(e, _) => {
            if let Some(e) = e {
                expr_names(e, out, d);
            }
        }
        Stmt::Jump | Stmt::Import(_) => {}
        Stmt::If(cond, then, otherwise) => {
            expr_names(cond, out, d);
            block(then, out);
            block(otherwise, out);
        }
        Stmt::Loop(pattern, iter, body) => {
            if let Some(p) = pattern {
                pattern_names(p, out, d);
            }
            if let Some(e) = iter {
                expr_names(e, out, d);
            }
            block(body, out);
        }
        Stmt::Try {
            body,
            handler,
            finally,
            ..
        } => {
            block(body, out);
            block(handler, out);
            block(finally, out);
        }
        Stmt::Func(f) => function_names(f, out, d),
        Stmt::Class { bases, body, .. } => {
            for b in bases {
                expr_names(b, out, d);
            }
            block(body, out);
        }
        Stmt::Block(body) => block(body, out),
    }
}

fn function_names(f: &Function, out: &mut HashSet<String>, depth: usize) {
    for p in &f.params {
        if let Some(e) = &p.default {
            expr_names(e, out, depth);
        }
    }
    for d in &f.decorators {
        expr_names(d, out, depth);
    }
    for s in &f.body {
        stmt_names(s, out, depth);
    }
}

fn pattern_names(pattern: &Pattern, out: &mut HashSet<String>, depth: usize) {
    match pattern {
        Pattern::Member(e) => expr_names(e, out, depth),
        Pattern::Object(items) => {
            for (_, p, default) in items {
                pattern_names(p, out, depth);
                if let Some(e) = default {
                    expr_names(e, out, depth);
                }
            }
        }
        Pattern::Array(items) => {
            for p in items {
                pattern_names(p, out, depth);
            }
        }
        Pattern::Name(..) | Pattern::Ignore => {}
    }
}

fn expr_names(e: &Expr, out: &mut HashSet<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let d = depth + 1;
    match &e.kind {
        ExprKind::Name(n) => {
            out.insert(n.clone());
        }
        ExprKind::Member(obj, _) | ExprKind::Not(obj) => expr_names(obj, out, d),
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
            expr_names(a, out, d);
            expr_names(b, out, d);
        }
        ExprKind::Call(c) => {
            expr_names(&c.callee, out, d);
            for a in &c.args {
                expr_names(&a.value, out, d);
            }
        }
        ExprKind::Str(_) | ExprKind::Const(_) | ExprKind::Bool(_) => {}
        ExprKind::Template(parts) | ExprKind::Array(parts) | ExprKind::Unknown(parts) => {
            for p in parts {
                expr_names(p, out, d);
            }
        }
        ExprKind::Object(props) => {
            for p in props {
                expr_names(&p.value, out, d);
            }
        }
        ExprKind::Func(f) => function_names(f, out, d),
        ExprKind::Cond(a, b, c) => {
            expr_names(a, out, d);
            expr_names(b, out, d);
            expr_names(c, out, d);
        }
        ExprKind::Assign(p, v) => {
            pattern_names(p, out, d);
            expr_names(v, out, d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{Lang, parse};

    fn unreachable(lang: Lang, text: &str, entry: &str) -> Vec<String> {
        let parsed = parse(lang, text).unwrap();
        let module = crate::lower::lower(&parsed);
        unreachable_functions(&module, entry)
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    #[test]
    fn sibling_python_handlers_are_unreachable() {
        let text = "import boto3\nT = boto3.resource('dynamodb').Table('t')\n\ndef helper(x):\n    return T.get_item(Key=x)\n\ndef create(event, ctx):\n    T.put_item(Item={})\n\ndef get(event, ctx):\n    return helper(event)\n";
        assert_eq!(
            unreachable(Lang::Python, text, "create"),
            vec!["helper", "get"]
        );
        assert_eq!(unreachable(Lang::Python, text, "get"), vec!["create"]);
        assert!(unreachable(Lang::Python, text, "missing").is_empty());
    }

    #[test]
    fn javascript_exports_and_module_level_use() {
        let text = "const a = async (e) => b(e);\nfunction b(e) { return 1; }\nfunction c(e) { return 2; }\nfunction d() {}\nd();\nmodule.exports = { a, c };\n";
        assert_eq!(unreachable(Lang::JavaScript, text, "a"), vec!["c"]);
        let text = "function create() {}\nfunction get() {}\nexports.handler = wrap(create);\n";
        assert_eq!(unreachable(Lang::JavaScript, text, "handler"), vec!["get"]);
    }
}
