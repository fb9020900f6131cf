//! Lowers a JavaScript or TypeScript syntax tree into the program form of [`crate::ir`].
//! Recursion is bounded: nesting deeper than [`MAX_DEPTH`] becomes an opaque value.

use crate::ir::*;
use crate::lower::{named_children, span};
use std::sync::Arc;
use tree_sitter::Node;

/// Deepest nesting lowered; deeper expressions and statements are opaque.
pub const MAX_DEPTH: usize = 120;

pub struct Lower<'s> {
    src: &'s str,
    exports: Vec<(String, Export)>,
}

/// Lowers a whole JavaScript/TypeScript file.
pub fn lower(root: Node<'_>, src: &str) -> Module {
    let mut l = Lower {
        src,
        exports: Vec::new(),
    };
    let mut body = Vec::new();
    let mut cursor = root.walk();
    for child in root.named_children(&mut cursor) {
        l.top_level(child, &mut body);
    }
    Module {
        body,
        exports: l.exports,
    }
}

impl Lower<'_> {
    fn text(&self, n: Node<'_>) -> String {
        self.src.get(n.byte_range()).unwrap_or("").to_string()
    }

    fn top_level(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) {
        match n.kind() {
            "export_statement" => self.export(n, out),
            _ => {
                if let Some(s) = self.stmt(n, 0) {
                    self.note_cjs_export(&s);
                    out.push(s);
                }
            }
        }
    }

    /// `exports.x = …`, `module.exports.x = …`, `module.exports = …`.
    fn note_cjs_export(&mut self, s: &Stmt) {
        let Stmt::Let(Pattern::Member(target), Some(value), _) = s else {
            return;
        };
        let Some(path) = target.access_path() else {
            return;
        };
        if path == "module.exports" {
            if let ExprKind::Object(props) = &value.kind {
                for p in props {
                    if let Some(k) = &p.key {
                        self.exports
                            .push((k.clone(), Export::Value(p.value.clone())));
                    }
                }
            }
            self.exports
                .push(("default".into(), Export::Value(value.clone())));
        } else if let Some(name) = path
            .strip_prefix("module.exports.")
            .or_else(|| path.strip_prefix("exports."))
        {
            self.exports
                .push((name.to_string(), Export::Value(value.clone())));
        }
    }

    fn export(&mut self, n: Node<'_>, out: &mut Vec<Stmt>) {
        if let Some(decl) = n.child_by_field_name("declaration") {
            if let Some(s) = self.stmt(decl, 0) {
                for name in declared_names(&s) {
                    self.exports.push((name.clone(), Export::Local(name)));
                }
                out.push(s);
            }
            return;
        }
        if let Some(value) = n.child_by_field_name("value") {
            let e = self.expr(value, 0);
            self.exports.push(("default".into(), Export::Value(e)));
            return;
        }
        // `export { a as b }` and `export default function () {}` forms.
        for child in named_children(n) {
            match child.kind() {
                "export_clause" => {
                    for spec in named_children(child) {
                        let Some(name) = spec.child_by_field_name("name") else {
                            continue;
                        };
                        let local = self.text(name);
                        let exported = spec
                            .child_by_field_name("alias")
                            .map(|a| self.text(a))
                            .unwrap_or_else(|| local.clone());
                        self.exports.push((exported, Export::Local(local)));
                    }
                }
                "function_declaration"
                | "function_expression"
                | "arrow_function"
                | "class_declaration"
                | "generator_function_declaration" => {
                    let e = self.expr(child, 0);
                    self.exports.push(("default".into(), Export::Value(e)));
                }
                _ => {}
            }
        }
    }

    fn block(&mut self, n: Node<'_>, depth: usize) -> Vec<Stmt> {
        if n.kind() == "statement_block" {
            named_children(n)
                .into_iter()
                .filter_map(|c| self.stmt(c, depth + 1))
                .collect()
        } else {
            self.stmt(n, depth + 1).into_iter().collect()
        }
    }

    fn stmt(&mut self, n: Node<'_>, depth: usize) -> Option<Stmt> {
        if depth > MAX_DEPTH {
            return None;
        }
        let sp = span(n);
        Some(match n.kind() {
            "expression_statement" => {
                let e = n.named_child(0)?;
                match e.kind() {
                    "assignment_expression" => {
                        let left = e.child_by_field_name("left")?;
                        let right = e.child_by_field_name("right")?;
                        Stmt::Let(
                            self.pattern(left, depth),
                            Some(self.expr(right, depth + 1)),
                            sp,
                        )
                    }
                    "augmented_assignment_expression" => {
                        let left = e.child_by_field_name("left")?;
                        let right = e.child_by_field_name("right")?;
                        Stmt::AugAssign(self.pattern(left, depth), self.expr(right, depth + 1), sp)
                    }
                    _ => Stmt::Expr(self.expr(e, depth + 1)),
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                let mut out = Vec::new();
                for d in named_children(n) {
                    if d.kind() != "variable_declarator" {
                        continue;
                    }
                    let Some(name) = d.child_by_field_name("name") else {
                        continue;
                    };
                    let value = d
                        .child_by_field_name("value")
                        .map(|v| self.expr(v, depth + 1));
                    out.push(Stmt::Let(self.pattern(name, depth), value, span(d)));
                }
                if out.len() == 1 {
                    out.pop()?
                } else {
                    Stmt::Block(out)
                }
            }
            "function_declaration" | "generator_function_declaration" => {
                Stmt::Func(Arc::new(self.function(n, depth)))
            }
            "class_declaration" | "class" | "abstract_class_declaration" => {
                let name = n
                    .child_by_field_name("name")
                    .map(|x| self.text(x))
                    .unwrap_or_default();
                let mut body = Vec::new();
                if let Some(b) = n.child_by_field_name("body") {
                    for m in named_children(b) {
                        if m.kind() == "method_definition" {
                            body.push(Stmt::Func(Arc::new(self.function(m, depth))));
                        }
                    }
                }
                Stmt::Class {
                    name,
                    bases: Vec::new(),
                    body,
                }
            }
            "return_statement" => {
                Stmt::Return(n.named_child(0).map(|e| self.expr(e, depth + 1)), sp)
            }
            "throw_statement" => Stmt::Throw(n.named_child(0).map(|e| self.expr(e, depth + 1)), sp),
            "break_statement" | "continue_statement" => Stmt::Jump,
            "statement_block" => Stmt::Block(self.block(n, depth)),
            "if_statement" => {
                let cond = n
                    .child_by_field_name("condition")
                    .map(|c| self.expr(c, depth + 1))
                    .unwrap_or_else(|| Expr::new(ExprKind::Const(None), sp));
                let then = n
                    .child_by_field_name("consequence")
                    .map(|c| self.block(c, depth))
                    .unwrap_or_default();
                let els = n
                    .child_by_field_name("alternative")
                    .map(|c| {
                        named_children(c)
                            .into_iter()
                            .flat_map(|s| self.block(s, depth))
                            .collect()
                    })
                    .unwrap_or_default();
                Stmt::If(cond, then, els)
            }
            "for_in_statement" => {
                let var = n
                    .child_by_field_name("left")
                    .map(|l| self.pattern(l, depth));
                let iter = n
                    .child_by_field_name("right")
                    .map(|r| self.expr(r, depth + 1));
                let body = n
                    .child_by_field_name("body")
                    .map(|b| self.block(b, depth))
                    .unwrap_or_default();
                Stmt::Loop(var, iter, body)
            }
            "for_statement" | "while_statement" | "do_statement" => {
                let mut body = Vec::new();
                for field in ["initializer", "condition", "increment"] {
                    if let Some(c) = n.child_by_field_name(field)
                        && let Some(s) = self.stmt_or_expr(c, depth)
                    {
                        body.push(s);
                    }
                }
                if let Some(b) = n.child_by_field_name("body") {
                    body.extend(self.block(b, depth));
                }
                Stmt::Loop(None, None, body)
            }
            "try_statement" => {
                let body = n
                    .child_by_field_name("body")
                    .map(|b| self.block(b, depth))
                    .unwrap_or_default();
                let (catch_param, handler) = match n.child_by_field_name("handler") {
                    Some(h) => (
                        h.child_by_field_name("parameter")
                            .map(|p| self.pattern(p, depth)),
                        h.child_by_field_name("body")
                            .map(|b| self.block(b, depth))
                            .unwrap_or_default(),
                    ),
                    None => (None, Vec::new()),
                };
                let finally = n
                    .child_by_field_name("finalizer")
                    .and_then(|f| f.child_by_field_name("body"))
                    .map(|b| self.block(b, depth))
                    .unwrap_or_default();
                Stmt::Try {
                    body,
                    catch_param,
                    handler,
                    finally,
                }
            }
            "switch_statement" => {
                let mut body = Vec::new();
                if let Some(v) = n.child_by_field_name("value") {
                    body.push(Stmt::Expr(self.expr(v, depth + 1)));
                }
                // Each case is a branch that may or may not run.
                if let Some(b) = n.child_by_field_name("body") {
                    for case in named_children(b) {
                        let stmts: Vec<Stmt> = named_children(case)
                            .into_iter()
                            .filter(|c| {
                                c.kind().ends_with("statement") || c.kind().ends_with("declaration")
                            })
                            .filter_map(|c| self.stmt(c, depth + 1))
                            .collect();
                        body.push(Stmt::If(
                            Expr::new(ExprKind::Const(None), span(case)),
                            stmts,
                            Vec::new(),
                        ));
                    }
                }
                Stmt::Block(body)
            }
            "import_statement" => self.import(n)?,
            "labeled_statement" => Stmt::Block(
                n.child_by_field_name("body")
                    .map(|b| self.block(b, depth))
                    .unwrap_or_default(),
            ),
            "empty_statement" | "comment" | "debugger_statement" => return None,
            "export_statement" => {
                let mut out = Vec::new();
                self.export(n, &mut out);
                Stmt::Block(out)
            }
            _ => Stmt::Expr(self.expr(n, depth + 1)),
        })
    }

    fn stmt_or_expr(&mut self, n: Node<'_>, depth: usize) -> Option<Stmt> {
        if n.kind().ends_with("statement") || n.kind().ends_with("declaration") {
            self.stmt(n, depth + 1)
        } else {
            Some(Stmt::Expr(self.expr(n, depth + 1)))
        }
    }

    fn import(&mut self, n: Node<'_>) -> Option<Stmt> {
        let source = n.child_by_field_name("source")?;
        let module = unquote(&self.text(source));
        let mut bindings = Vec::new();
        for clause in named_children(n) {
            if clause.kind() != "import_clause" {
                continue;
            }
            for part in named_children(clause) {
                match part.kind() {
                    "identifier" => bindings.push(ImportBinding {
                        local: self.text(part),
                        module: module.clone(),
                        name: None,
                        span: span(part),
                    }),
                    "namespace_import" => {
                        if let Some(id) = named_children(part).into_iter().next() {
                            bindings.push(ImportBinding {
                                local: self.text(id),
                                module: module.clone(),
                                name: None,
                                span: span(part),
                            });
                        }
                    }
                    "named_imports" => {
                        for spec in named_children(part) {
                            let Some(name) = spec.child_by_field_name("name") else {
                                continue;
                            };
                            let imported = self.text(name);
                            let local = spec
                                .child_by_field_name("alias")
                                .map(|a| self.text(a))
                                .unwrap_or_else(|| imported.clone());
                            bindings.push(ImportBinding {
                                local,
                                module: module.clone(),
                                name: Some(imported),
                                span: span(spec),
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
        Some(Stmt::Import(bindings))
    }

    fn function(&mut self, n: Node<'_>, depth: usize) -> Function {
        let name = n.child_by_field_name("name").map(|x| self.text(x));
        let mut params = Vec::new();
        if let Some(ps) = n.child_by_field_name("parameters") {
            for p in named_children(ps) {
                params.push(self.param(p, depth));
            }
        } else if let Some(p) = n.child_by_field_name("parameter") {
            params.push(self.param(p, depth));
        }
        let body = match n.child_by_field_name("body") {
            Some(b) if b.kind() == "statement_block" => self.block(b, depth),
            Some(b) => vec![Stmt::Return(Some(self.expr(b, depth + 1)), span(b))],
            None => Vec::new(),
        };
        Function {
            name,
            params,
            body,
            span: span(n),
            decorators: Vec::new(),
        }
    }

    fn param(&mut self, p: Node<'_>, depth: usize) -> Param {
        match p.kind() {
            "required_parameter" | "optional_parameter" => {
                let pattern = p
                    .child_by_field_name("pattern")
                    .map(|x| self.pattern(x, depth))
                    .unwrap_or(Pattern::Ignore);
                let default = p
                    .child_by_field_name("value")
                    .map(|v| self.expr(v, depth + 1));
                Param { pattern, default }
            }
            "assignment_pattern" => Param {
                pattern: p
                    .child_by_field_name("left")
                    .map(|x| self.pattern(x, depth))
                    .unwrap_or(Pattern::Ignore),
                default: p
                    .child_by_field_name("right")
                    .map(|v| self.expr(v, depth + 1)),
            },
            _ => Param {
                pattern: self.pattern(p, depth),
                default: None,
            },
        }
    }

    fn pattern(&mut self, n: Node<'_>, depth: usize) -> Pattern {
        if depth > MAX_DEPTH {
            return Pattern::Ignore;
        }
        match n.kind() {
            "identifier" | "shorthand_property_identifier_pattern" => {
                Pattern::Name(self.text(n), span(n))
            }
            "object_pattern" => {
                let mut items = Vec::new();
                for c in named_children(n) {
                    match c.kind() {
                        "shorthand_property_identifier_pattern" => {
                            let name = self.text(c);
                            items.push((Some(name.clone()), Pattern::Name(name, span(c)), None));
                        }
                        "pair_pattern" => {
                            let key = c.child_by_field_name("key").map(|k| unquote(&self.text(k)));
                            let value = c
                                .child_by_field_name("value")
                                .map(|v| self.pattern(v, depth + 1))
                                .unwrap_or(Pattern::Ignore);
                            items.push((key, value, None));
                        }
                        "object_assignment_pattern" => {
                            let left = c.child_by_field_name("left");
                            let key = left.map(|l| self.text(l));
                            let pat = left
                                .map(|l| self.pattern(l, depth + 1))
                                .unwrap_or(Pattern::Ignore);
                            let default = c
                                .child_by_field_name("right")
                                .map(|r| self.expr(r, depth + 1));
                            items.push((key, pat, default));
                        }
                        "rest_pattern" => {
                            let inner = c
                                .named_child(0)
                                .map(|i| self.pattern(i, depth + 1))
                                .unwrap_or(Pattern::Ignore);
                            items.push((None, inner, None));
                        }
                        _ => {}
                    }
                }
                Pattern::Object(items)
            }
            "array_pattern" => Pattern::Array(
                named_children(n)
                    .into_iter()
                    .map(|c| self.pattern(c, depth + 1))
                    .collect(),
            ),
            "assignment_pattern" => n
                .child_by_field_name("left")
                .map(|l| self.pattern(l, depth + 1))
                .unwrap_or(Pattern::Ignore),
            "rest_pattern" => n
                .named_child(0)
                .map(|i| self.pattern(i, depth + 1))
                .unwrap_or(Pattern::Ignore),
            "member_expression" | "subscript_expression" => {
                Pattern::Member(self.expr(n, depth + 1))
            }
            "parenthesized_expression" => n
                .named_child(0)
                .map(|i| self.pattern(i, depth + 1))
                .unwrap_or(Pattern::Ignore),
            _ => Pattern::Ignore,
        }
    }

    fn args(&mut self, n: Node<'_>, depth: usize) -> Vec<Arg> {
        named_children(n)
            .into_iter()
            .map(|a| {
                if a.kind() == "spread_element" {
                    Arg {
                        name: None,
                        value: a
                            .named_child(0)
                            .map(|i| self.expr(i, depth + 1))
                            .unwrap_or_else(|| Expr::new(ExprKind::Const(None), span(a))),
                        spread: true,
                    }
                } else {
                    Arg {
                        name: None,
                        value: self.expr(a, depth + 1),
                        spread: false,
                    }
                }
            })
            .collect()
    }

    pub fn expr(&mut self, n: Node<'_>, depth: usize) -> Expr {
        let sp = span(n);
        if depth > MAX_DEPTH {
            return Expr::new(ExprKind::Unknown(Vec::new()), sp);
        }
        let d = depth + 1;
        let kind = match n.kind() {
            "identifier" | "shorthand_property_identifier" | "this" | "super" => {
                ExprKind::Name(self.text(n))
            }
            "member_expression" => {
                let obj = n.child_by_field_name("object");
                let prop = n.child_by_field_name("property");
                match (obj, prop) {
                    (Some(o), Some(p)) => ExprKind::Member(Box::new(self.expr(o, d)), self.text(p)),
                    _ => ExprKind::Unknown(Vec::new()),
                }
            }
            "subscript_expression" => {
                let obj = n.child_by_field_name("object");
                let idx = n.child_by_field_name("index");
                match (obj, idx) {
                    (Some(o), Some(i)) => ExprKind::subscript(self.expr(o, d), self.expr(i, d)),
                    _ => ExprKind::Unknown(Vec::new()),
                }
            }
            "call_expression" => {
                let callee = n
                    .child_by_field_name("function")
                    .map(|f| self.expr(f, d))
                    .unwrap_or_else(|| Expr::new(ExprKind::Unknown(Vec::new()), sp));
                let arguments = n.child_by_field_name("arguments");
                let tagged = arguments.is_some_and(|a| a.kind() == "template_string");
                let args = match arguments {
                    Some(a) if a.kind() == "arguments" => self.args(a, d),
                    Some(t) => vec![Arg {
                        name: None,
                        value: self.expr(t, d),
                        spread: false,
                    }],
                    None => Vec::new(),
                };
                ExprKind::Call(Box::new(Call {
                    callee,
                    args,
                    is_new: false,
                    tagged,
                }))
            }
            "new_expression" => {
                let callee = n
                    .child_by_field_name("constructor")
                    .map(|f| self.expr(f, d))
                    .unwrap_or_else(|| Expr::new(ExprKind::Unknown(Vec::new()), sp));
                let args = n
                    .child_by_field_name("arguments")
                    .map(|a| self.args(a, d))
                    .unwrap_or_default();
                ExprKind::Call(Box::new(Call {
                    callee,
                    args,
                    is_new: true,
                    tagged: false,
                }))
            }
            "string" => ExprKind::Str(string_value(&self.text(n))),
            "template_string" => {
                let mut parts = Vec::new();
                for c in named_children(n) {
                    match c.kind() {
                        "template_substitution" => {
                            if let Some(e) = c.named_child(0) {
                                parts.push(self.expr(e, d));
                            }
                        }
                        "string_fragment" | "escape_sequence" => {
                            parts.push(Expr::new(ExprKind::Str(self.text(c)), span(c)))
                        }
                        _ => {}
                    }
                }
                Expr::joined(parts)
            }
            "number" => ExprKind::Const(self.text(n).parse().ok()),
            "true" => ExprKind::Bool(true),
            "false" => ExprKind::Bool(false),
            "null" | "undefined" | "regex" => ExprKind::Const(None),
            "binary_expression" => {
                let op = n
                    .child_by_field_name("operator")
                    .map(|o| self.text(o))
                    .unwrap_or_default();
                let l = n.child_by_field_name("left").map(|x| self.expr(x, d));
                let r = n.child_by_field_name("right").map(|x| self.expr(x, d));
                let op = match op.as_str() {
                    "+" => BinOp::Add,
                    "&&" => BinOp::And,
                    "||" => BinOp::Or,
                    "??" => BinOp::Coalesce,
                    "==" | "===" => BinOp::Eq,
                    "!=" | "!==" => BinOp::NotEq,
                    "in" => BinOp::In,
                    _ => BinOp::Other,
                };
                match (l, r) {
                    (Some(l), Some(r)) => ExprKind::Binary(op, Box::new(l), Box::new(r)),
                    _ => ExprKind::Unknown(Vec::new()),
                }
            }
            "unary_expression" => {
                let op = n
                    .child_by_field_name("operator")
                    .map(|o| self.text(o))
                    .unwrap_or_default();
                let arg = n
                    .child_by_field_name("argument")
                    .map(|a| self.expr(a, d))
                    .unwrap_or_else(|| Expr::new(ExprKind::Const(None), sp));
                match op.as_str() {
                    "!" => ExprKind::Not(Box::new(arg)),
                    "-" => ExprKind::Const(self.text(n).replace(' ', "").parse().ok()),
                    "typeof" | "void" | "delete" | "+" | "~" => ExprKind::Const(None),
                    _ => ExprKind::Unknown(vec![arg]),
                }
            }
            "assignment_expression" => {
                let left = n.child_by_field_name("left");
                let right = n.child_by_field_name("right");
                match (left, right) {
                    (Some(l), Some(r)) => {
                        let pat = self.pattern(l, d);
                        ExprKind::Assign(Box::new(pat), Box::new(self.expr(r, d)))
                    }
                    _ => ExprKind::Unknown(Vec::new()),
                }
            }
            "object" => {
                let mut props = Vec::new();
                for c in named_children(n) {
                    match c.kind() {
                        "pair" => {
                            let key = c.child_by_field_name("key").and_then(|k| {
                                (k.kind() != "computed_property_name")
                                    .then(|| unquote(&self.text(k)))
                            });
                            if let Some(v) = c.child_by_field_name("value") {
                                props.push(Prop {
                                    key,
                                    value: self.expr(v, d),
                                });
                            }
                        }
                        "shorthand_property_identifier" => props.push(Prop {
                            key: Some(self.text(c)),
                            value: Expr::new(ExprKind::Name(self.text(c)), span(c)),
                        }),
                        "spread_element" => {
                            if let Some(i) = c.named_child(0) {
                                props.push(Prop {
                                    key: None,
                                    value: self.expr(i, d),
                                });
                            }
                        }
                        "method_definition" => {
                            let f = self.function(c, d);
                            props.push(Prop {
                                key: f.name.clone(),
                                value: Expr::new(ExprKind::Func(Arc::new(f)), span(c)),
                            });
                        }
                        _ => {}
                    }
                }
                ExprKind::Object(props)
            }
            "array" => ExprKind::Array(
                named_children(n)
                    .into_iter()
                    .map(|c| {
                        if c.kind() == "spread_element" {
                            c.named_child(0)
                                .map(|i| self.expr(i, d))
                                .unwrap_or_else(|| Expr::new(ExprKind::Const(None), span(c)))
                        } else {
                            self.expr(c, d)
                        }
                    })
                    .collect(),
            ),
            "arrow_function"
            | "function_expression"
            | "function"
            | "generator_function"
            | "function_declaration"
            | "generator_function_declaration" => ExprKind::Func(Arc::new(self.function(n, d))),
            "ternary_expression" => {
                let c = n.child_by_field_name("condition").map(|x| self.expr(x, d));
                let a = n
                    .child_by_field_name("consequence")
                    .map(|x| self.expr(x, d));
                let b = n
                    .child_by_field_name("alternative")
                    .map(|x| self.expr(x, d));
                match (c, a, b) {
                    (Some(c), Some(a), Some(b)) => {
                        ExprKind::Cond(Box::new(c), Box::new(a), Box::new(b))
                    }
                    _ => ExprKind::Unknown(Vec::new()),
                }
            }
            "parenthesized_expression"
            | "await_expression"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression"
            | "type_assertion"
            | "spread_element"
            | "yield_expression" => match named_children(n)
                .into_iter()
                .find(|c| !c.kind().contains("type"))
            {
                Some(inner) => return self.expr(inner, d),
                None => ExprKind::Unknown(Vec::new()),
            },
            "sequence_expression" => ExprKind::Unknown(
                named_children(n)
                    .into_iter()
                    .map(|c| self.expr(c, d))
                    .collect(),
            ),
            _ => ExprKind::Unknown(
                named_children(n)
                    .into_iter()
                    .filter(|c| !c.kind().contains("type"))
                    .map(|c| self.expr(c, d))
                    .collect(),
            ),
        };
        Expr::new(kind, sp)
    }
}

/// The names a declaration statement binds.
fn declared_names(s: &Stmt) -> Vec<String> {
    match s {
        Stmt::Let(p, _, _) => pattern_names(p),
        Stmt::Func(f) => f.name.clone().into_iter().collect(),
        Stmt::Class { name, .. } => vec![name.clone()],
        Stmt::Block(items) => items.iter().flat_map(declared_names).collect(),
        _ => Vec::new(),
    }
}

/// Every name a pattern binds.
pub fn pattern_names(p: &Pattern) -> Vec<String> {
    match p {
        Pattern::Name(n, _) => vec![n.clone()],
        Pattern::Object(items) => items
            .iter()
            .flat_map(|(_, p, _)| pattern_names(p))
            .collect(),
        Pattern::Array(items) => items.iter().flat_map(pattern_names).collect(),
        Pattern::Member(_) | Pattern::Ignore => Vec::new(),
    }
}

/// The value of a quoted string literal (quotes removed, simple escapes kept as written).
pub fn unquote(s: &str) -> String {
    let t = s.trim();
    for q in ['"', '\'', '`'] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return t[1..t.len() - 1].to_string();
        }
    }
    t.to_string()
}

fn string_value(s: &str) -> String {
    unquote(s)
}
