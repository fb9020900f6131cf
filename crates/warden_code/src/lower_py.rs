//! Lowers a Python syntax tree into the program form of [`crate::ir`]. Recursion is bounded like
//! the JavaScript lowering.

use crate::ir::*;
use crate::lower::{named_children, span};
use crate::lower_js::{MAX_DEPTH, unquote};
use std::sync::Arc;
use tree_sitter::Node;

struct Lower<'s> {
    src: &'s str,
}

/// Lowers a whole Python file.
pub fn lower(root: Node<'_>, src: &str) -> Module {
    let l = Lower { src };
    Module {
        body: l.block(root, 0),
        exports: Vec::new(),
    }
}

impl Lower<'_> {
    fn text(&self, n: Node<'_>) -> String {
        self.src.get(n.byte_range()).unwrap_or("").to_string()
    }

    fn block(&self, n: Node<'_>, depth: usize) -> Vec<Stmt> {
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        named_children(n)
            .into_iter()
            .filter_map(|c| self.stmt(c, depth + 1))
            .collect()
    }

    fn field_block(&self, n: Node<'_>, field: &str, depth: usize) -> Vec<Stmt> {
        n.child_by_field_name(field)
            .map(|b| self.block(b, depth))
            .unwrap_or_default()
    }

    fn stmt(&self, n: Node<'_>, depth: usize) -> Option<Stmt> {
        if depth > MAX_DEPTH {
            return None;
        }
        let sp = span(n);
        let d = depth + 1;
        Some(match n.kind() {
            "expression_statement" => {
                let parts = named_children(n);
                if parts.len() == 1 {
                    return self.stmt(parts[0], d);
                }
                Stmt::Expr(Expr::new(
                    ExprKind::Unknown(parts.into_iter().map(|p| self.expr(p, d)).collect()),
                    sp,
                ))
            }
            "assignment" => {
                let left = n.child_by_field_name("left")?;
                let value = n.child_by_field_name("right").map(|r| self.expr(r, d));
                Stmt::Let(self.pattern(left, d), value, sp)
            }
            "augmented_assignment" => {
                let left = n.child_by_field_name("left")?;
                let right = n.child_by_field_name("right")?;
                Stmt::AugAssign(self.pattern(left, d), self.expr(right, d), sp)
            }
            "function_definition" => Stmt::Func(Arc::new(self.function(n, Vec::new(), d))),
            "decorated_definition" => {
                let decorators: Vec<Expr> = named_children(n)
                    .into_iter()
                    .filter(|c| c.kind() == "decorator")
                    .filter_map(|c| c.named_child(0))
                    .map(|e| self.expr(e, d))
                    .collect();
                let def = n.child_by_field_name("definition")?;
                if def.kind() == "function_definition" {
                    Stmt::Func(Arc::new(self.function(def, decorators, d)))
                } else {
                    self.stmt(def, d)?
                }
            }
            "class_definition" => {
                let name = n
                    .child_by_field_name("name")
                    .map(|x| self.text(x))
                    .unwrap_or_default();
                let bases = n
                    .child_by_field_name("superclasses")
                    .map(|s| {
                        named_children(s)
                            .into_iter()
                            .map(|b| self.expr(b, d))
                            .collect()
                    })
                    .unwrap_or_default();
                Stmt::Class {
                    name,
                    bases,
                    body: self.field_block(n, "body", d),
                }
            }
            "return_statement" => Stmt::Return(n.named_child(0).map(|e| self.expr(e, d)), sp),
            "raise_statement" => Stmt::Throw(n.named_child(0).map(|e| self.expr(e, d)), sp),
            "break_statement" | "continue_statement" => Stmt::Jump,
            "if_statement" => self.if_chain(n, d),
            "for_statement" => {
                let var = n.child_by_field_name("left").map(|l| self.pattern(l, d));
                let iter = n.child_by_field_name("right").map(|r| self.expr(r, d));
                let mut body = self.field_block(n, "body", d);
                if let Some(alt) = n.child_by_field_name("alternative") {
                    body.extend(self.field_block(alt, "body", d));
                }
                Stmt::Loop(var, iter, body)
            }
            "while_statement" => {
                let mut body = Vec::new();
                if let Some(c) = n.child_by_field_name("condition") {
                    body.push(Stmt::Expr(self.expr(c, d)));
                }
                body.extend(self.field_block(n, "body", d));
                Stmt::Loop(None, None, body)
            }
            "try_statement" => {
                let body = self.field_block(n, "body", d);
                let mut handler = Vec::new();
                let mut catch_param = None;
                let mut finally = Vec::new();
                for c in named_children(n) {
                    match c.kind() {
                        "except_clause" | "except_group_clause" => {
                            for part in named_children(c) {
                                match part.kind() {
                                    "block" => handler.extend(self.block(part, d)),
                                    "as_pattern" => {
                                        if let Some(alias) = part.child_by_field_name("alias") {
                                            catch_param = Some(self.pattern(alias, d));
                                        }
                                    }
                                    _ => {}
                                }
                            }
                        }
                        "finally_clause" => {
                            for part in named_children(c) {
                                if part.kind() == "block" {
                                    finally.extend(self.block(part, d));
                                }
                            }
                        }
                        "else_clause" => handler.extend(self.field_block(c, "body", d)),
                        _ => {}
                    }
                }
                Stmt::Try {
                    body,
                    catch_param,
                    handler,
                    finally,
                }
            }
            "with_statement" => {
                let mut out = Vec::new();
                for c in named_children(n) {
                    if c.kind() == "with_clause" {
                        for item in named_children(c) {
                            let Some(value) = item.child_by_field_name("value") else {
                                continue;
                            };
                            if value.kind() == "as_pattern" {
                                let target = value.child_by_field_name("alias");
                                let inner = value.named_child(0);
                                if let (Some(t), Some(i)) = (target, inner) {
                                    out.push(Stmt::Let(
                                        self.pattern(t, d),
                                        Some(self.expr(i, d)),
                                        span(item),
                                    ));
                                }
                            } else {
                                out.push(Stmt::Expr(self.expr(value, d)));
                            }
                        }
                    }
                }
                out.extend(self.field_block(n, "body", d));
                Stmt::Block(out)
            }
            "import_statement" => {
                let mut bindings = Vec::new();
                for c in named_children(n) {
                    match c.kind() {
                        "dotted_name" => {
                            let full = self.text(c);
                            let first = full.split('.').next().unwrap_or("").to_string();
                            bindings.push(ImportBinding {
                                local: first.clone(),
                                module: first,
                                name: None,
                                span: span(c),
                            });
                        }
                        "aliased_import" => {
                            let name = c.child_by_field_name("name").map(|x| self.text(x));
                            let alias = c.child_by_field_name("alias").map(|x| self.text(x));
                            if let (Some(name), Some(alias)) = (name, alias) {
                                bindings.push(ImportBinding {
                                    local: alias,
                                    module: name,
                                    name: None,
                                    span: span(c),
                                });
                            }
                        }
                        _ => {}
                    }
                }
                Stmt::Import(bindings)
            }
            "import_from_statement" => {
                let module = n
                    .child_by_field_name("module_name")
                    .map(|m| self.text(m))
                    .unwrap_or_default();
                let mut bindings = Vec::new();
                let mut c = n.walk();
                for name in n.children_by_field_name("name", &mut c) {
                    let (imported, local) = match name.kind() {
                        "aliased_import" => (
                            name.child_by_field_name("name").map(|x| self.text(x)),
                            name.child_by_field_name("alias").map(|x| self.text(x)),
                        ),
                        _ => (Some(self.text(name)), Some(self.text(name))),
                    };
                    if let (Some(imported), Some(local)) = (imported, local) {
                        bindings.push(ImportBinding {
                            local,
                            module: module.clone(),
                            name: Some(imported),
                            span: span(name),
                        });
                    }
                }
                Stmt::Import(bindings)
            }
            "block" => Stmt::Block(self.block(n, d)),
            "pass_statement"
            | "comment"
            | "global_statement"
            | "nonlocal_statement"
            | "future_import_statement" => return None,
            _ => Stmt::Expr(self.expr(n, d)),
        })
    }

    fn if_chain(&self, n: Node<'_>, d: usize) -> Stmt {
        let cond = n
            .child_by_field_name("condition")
            .map(|c| self.expr(c, d))
            .unwrap_or_else(|| Expr::new(ExprKind::Const(None), span(n)));
        let then = self.field_block(n, "consequence", d);
        // Build the else chain from the end: `elif` clauses nest as ifs.
        let mut c = n.walk();
        let alts: Vec<Node<'_>> = n.children_by_field_name("alternative", &mut c).collect();
        let mut els: Vec<Stmt> = Vec::new();
        for alt in alts.iter().rev() {
            match alt.kind() {
                "else_clause" => els = self.field_block(*alt, "body", d),
                "elif_clause" => {
                    let cond = alt
                        .child_by_field_name("condition")
                        .map(|c| self.expr(c, d))
                        .unwrap_or_else(|| Expr::new(ExprKind::Const(None), span(*alt)));
                    let body = self.field_block(*alt, "consequence", d);
                    els = vec![Stmt::If(cond, body, std::mem::take(&mut els))];
                }
                _ => {}
            }
        }
        Stmt::If(cond, then, els)
    }

    fn function(&self, n: Node<'_>, decorators: Vec<Expr>, d: usize) -> Function {
        let name = n.child_by_field_name("name").map(|x| self.text(x));
        let mut params = Vec::new();
        if let Some(ps) = n.child_by_field_name("parameters") {
            for p in named_children(ps) {
                params.push(self.param(p, d));
            }
        }
        let body = match n.child_by_field_name("body") {
            Some(b) if b.kind() == "block" => self.block(b, d),
            Some(b) => vec![Stmt::Return(Some(self.expr(b, d)), span(b))],
            None => Vec::new(),
        };
        Function {
            name,
            params,
            body,
            span: span(n),
            decorators,
        }
    }

    fn param(&self, p: Node<'_>, d: usize) -> Param {
        match p.kind() {
            "identifier" => Param {
                pattern: Pattern::Name(self.text(p), span(p)),
                default: None,
            },
            "typed_parameter" => Param {
                pattern: named_children(p)
                    .into_iter()
                    .find(|c| c.kind() == "identifier")
                    .map(|c| Pattern::Name(self.text(c), span(c)))
                    .unwrap_or(Pattern::Ignore),
                default: None,
            },
            "default_parameter" | "typed_default_parameter" => Param {
                pattern: p
                    .child_by_field_name("name")
                    .map(|c| Pattern::Name(self.text(c), span(c)))
                    .unwrap_or(Pattern::Ignore),
                default: p.child_by_field_name("value").map(|v| self.expr(v, d)),
            },
            "list_splat_pattern" | "dictionary_splat_pattern" => Param {
                pattern: p
                    .named_child(0)
                    .map(|c| Pattern::Name(self.text(c), span(c)))
                    .unwrap_or(Pattern::Ignore),
                default: None,
            },
            _ => Param {
                pattern: Pattern::Ignore,
                default: None,
            },
        }
    }

    fn pattern(&self, n: Node<'_>, d: usize) -> Pattern {
        if d > MAX_DEPTH {
            return Pattern::Ignore;
        }
        match n.kind() {
            "identifier" => Pattern::Name(self.text(n), span(n)),
            "attribute" | "subscript" => Pattern::Member(self.expr(n, d + 1)),
            "pattern_list" | "tuple_pattern" | "list_pattern" | "expression_list" | "tuple"
            | "list" => Pattern::Array(
                named_children(n)
                    .into_iter()
                    .map(|c| self.pattern(c, d + 1))
                    .collect(),
            ),
            "list_splat_pattern" | "parenthesized_expression" => n
                .named_child(0)
                .map(|c| self.pattern(c, d + 1))
                .unwrap_or(Pattern::Ignore),
            _ => Pattern::Ignore,
        }
    }

    fn expr(&self, n: Node<'_>, depth: usize) -> Expr {
        let sp = span(n);
        if depth > MAX_DEPTH {
            return Expr::new(ExprKind::Unknown(Vec::new()), sp);
        }
        let d = depth + 1;
        let kind = match n.kind() {
            "identifier" => ExprKind::Name(self.text(n)),
            "attribute" => {
                let obj = n.child_by_field_name("object");
                let attr = n.child_by_field_name("attribute");
                match (obj, attr) {
                    (Some(o), Some(a)) => ExprKind::Member(Box::new(self.expr(o, d)), self.text(a)),
                    _ => ExprKind::Unknown(Vec::new()),
                }
            }
            "subscript" => {
                let value = n.child_by_field_name("value");
                let mut c = n.walk();
                let index = n.children_by_field_name("subscript", &mut c).next();
                match (value, index) {
                    (Some(v), Some(i)) => ExprKind::subscript(self.expr(v, d), self.expr(i, d)),
                    _ => ExprKind::Unknown(Vec::new()),
                }
            }
            "call" => {
                let callee = n
                    .child_by_field_name("function")
                    .map(|f| self.expr(f, d))
                    .unwrap_or_else(|| Expr::new(ExprKind::Unknown(Vec::new()), sp));
                let mut args = Vec::new();
                if let Some(a) = n.child_by_field_name("arguments") {
                    if a.kind() == "argument_list" {
                        for arg in named_children(a) {
                            args.push(match arg.kind() {
                                "keyword_argument" => Arg {
                                    name: arg.child_by_field_name("name").map(|x| self.text(x)),
                                    value: arg
                                        .child_by_field_name("value")
                                        .map(|v| self.expr(v, d))
                                        .unwrap_or_else(|| {
                                            Expr::new(ExprKind::Const(None), span(arg))
                                        }),
                                    spread: false,
                                },
                                "list_splat" | "dictionary_splat" => Arg {
                                    name: None,
                                    value: arg
                                        .named_child(0)
                                        .map(|v| self.expr(v, d))
                                        .unwrap_or_else(|| {
                                            Expr::new(ExprKind::Const(None), span(arg))
                                        }),
                                    spread: true,
                                },
                                _ => Arg {
                                    name: None,
                                    value: self.expr(arg, d),
                                    spread: false,
                                },
                            });
                        }
                    } else {
                        args.push(Arg {
                            name: None,
                            value: self.expr(a, d),
                            spread: false,
                        });
                    }
                }
                ExprKind::Call(Box::new(Call {
                    callee,
                    args,
                    is_new: false,
                    tagged: false,
                }))
            }
            "string" => self.string(n, d),
            "concatenated_string" => {
                let parts: Vec<Expr> = named_children(n)
                    .into_iter()
                    .map(|c| self.expr(c, d))
                    .collect();
                Expr::joined(parts)
            }
            "integer" => ExprKind::Const(self.text(n).parse().ok()),
            "true" => ExprKind::Bool(true),
            "false" => ExprKind::Bool(false),
            "float" | "none" | "ellipsis" => ExprKind::Const(None),
            "binary_operator" => {
                let op = n
                    .child_by_field_name("operator")
                    .map(|o| self.text(o))
                    .unwrap_or_default();
                let l = n.child_by_field_name("left").map(|x| self.expr(x, d));
                let r = n.child_by_field_name("right").map(|x| self.expr(x, d));
                let op = match op.as_str() {
                    "+" => BinOp::Add,
                    "%" => BinOp::Mod,
                    _ => BinOp::Other,
                };
                match (l, r) {
                    (Some(l), Some(r)) => ExprKind::Binary(op, Box::new(l), Box::new(r)),
                    _ => ExprKind::Unknown(Vec::new()),
                }
            }
            "boolean_operator" => {
                let op = n
                    .child_by_field_name("operator")
                    .map(|o| self.text(o))
                    .unwrap_or_default();
                let l = n.child_by_field_name("left").map(|x| self.expr(x, d));
                let r = n.child_by_field_name("right").map(|x| self.expr(x, d));
                let op = if op == "and" { BinOp::And } else { BinOp::Or };
                match (l, r) {
                    (Some(l), Some(r)) => ExprKind::Binary(op, Box::new(l), Box::new(r)),
                    _ => ExprKind::Unknown(Vec::new()),
                }
            }
            "comparison_operator" => self.comparison(n, d),
            "not_operator" => match n.child_by_field_name("argument") {
                Some(a) => ExprKind::Not(Box::new(self.expr(a, d))),
                None => ExprKind::Const(None),
            },
            // `-1` keeps its value (for `parts[-1]`).
            "unary_operator" => ExprKind::Const(self.text(n).replace(' ', "").parse().ok()),
            "dictionary" => {
                let mut props = Vec::new();
                for c in named_children(n) {
                    match c.kind() {
                        "pair" => {
                            let key = c.child_by_field_name("key").map(|k| self.expr(k, d));
                            if let Some(v) = c.child_by_field_name("value") {
                                props.push(Prop {
                                    key: key.and_then(|k| k.as_str().map(str::to_string)),
                                    value: self.expr(v, d),
                                });
                            }
                        }
                        "dictionary_splat" => {
                            if let Some(i) = c.named_child(0) {
                                props.push(Prop {
                                    key: None,
                                    value: self.expr(i, d),
                                });
                            }
                        }
                        _ => {}
                    }
                }
                ExprKind::Object(props)
            }
            "list" | "tuple" | "set" | "expression_list" => ExprKind::Array(
                named_children(n)
                    .into_iter()
                    .map(|c| self.expr(c, d))
                    .collect(),
            ),
            "lambda" => {
                let mut params = Vec::new();
                if let Some(ps) = n.child_by_field_name("parameters") {
                    for p in named_children(ps) {
                        params.push(self.param(p, d));
                    }
                }
                let body = n
                    .child_by_field_name("body")
                    .map(|b| vec![Stmt::Return(Some(self.expr(b, d)), span(b))])
                    .unwrap_or_default();
                ExprKind::Func(Arc::new(Function {
                    name: None,
                    params,
                    body,
                    span: sp,
                    decorators: Vec::new(),
                }))
            }
            "conditional_expression" => {
                let parts = named_children(n);
                if parts.len() == 3 {
                    ExprKind::Cond(
                        Box::new(self.expr(parts[1], d)),
                        Box::new(self.expr(parts[0], d)),
                        Box::new(self.expr(parts[2], d)),
                    )
                } else {
                    ExprKind::Unknown(parts.into_iter().map(|p| self.expr(p, d)).collect())
                }
            }
            "named_expression" => {
                let name = n.child_by_field_name("name");
                let value = n.child_by_field_name("value");
                match (name, value) {
                    (Some(nm), Some(v)) => ExprKind::Assign(
                        Box::new(Pattern::Name(self.text(nm), span(nm))),
                        Box::new(self.expr(v, d)),
                    ),
                    _ => ExprKind::Unknown(Vec::new()),
                }
            }
            "parenthesized_expression" | "await" => match n.named_child(0) {
                Some(inner) => return self.expr(inner, d),
                None => ExprKind::Unknown(Vec::new()),
            },
            "list_comprehension"
            | "generator_expression"
            | "set_comprehension"
            | "dictionary_comprehension" => self.comprehension(n, d),
            "assignment" => {
                // Only reached inside expressions by error recovery.
                ExprKind::Unknown(
                    named_children(n)
                        .into_iter()
                        .map(|c| self.expr(c, d))
                        .collect(),
                )
            }
            _ => ExprKind::Unknown(
                named_children(n)
                    .into_iter()
                    .filter(|c| c.kind() != "type")
                    .map(|c| self.expr(c, d))
                    .collect(),
            ),
        };
        Expr::new(kind, sp)
    }

    /// `[f(x) for x in xs if c]`: the element expression over the iterated values.
    fn comprehension(&self, n: Node<'_>, d: usize) -> ExprKind {
        let body = n.child_by_field_name("body");
        let mut params = Vec::new();
        let mut iters = Vec::new();
        for c in named_children(n) {
            if c.kind() == "for_in_clause" {
                if let Some(l) = c.child_by_field_name("left") {
                    params.push(Param {
                        pattern: self.pattern(l, d),
                        default: None,
                    });
                }
                if let Some(r) = c.child_by_field_name("right") {
                    iters.push(self.expr(r, d));
                }
            }
        }
        let Some(body) = body else {
            return ExprKind::Unknown(iters);
        };
        // Lowered as a loop inside an immediately called function returning the element.
        let (pat, iter) = match (params.into_iter().next(), iters.into_iter().next()) {
            (Some(p), Some(i)) => (Some(p.pattern), Some(i)),
            _ => (None, None),
        };
        let element = if body.kind() == "pair" {
            body.child_by_field_name("value")
                .map(|v| self.expr(v, d))
                .unwrap_or_else(|| Expr::new(ExprKind::Const(None), span(body)))
        } else {
            self.expr(body, d)
        };
        let f = Function {
            name: None,
            params: Vec::new(),
            body: vec![Stmt::Loop(
                pat,
                iter,
                vec![Stmt::Return(Some(element), span(body))],
            )],
            span: span(n),
            decorators: Vec::new(),
        };
        ExprKind::Array(vec![Expr::new(
            ExprKind::Call(Box::new(Call {
                callee: Expr::new(ExprKind::Func(Arc::new(f)), span(n)),
                args: Vec::new(),
                is_new: false,
                tagged: false,
            })),
            span(n),
        )])
    }

    fn comparison(&self, n: Node<'_>, d: usize) -> ExprKind {
        let operands: Vec<Node<'_>> = named_children(n);
        let mut ops = Vec::new();
        let mut c = n.walk();
        for child in n.children(&mut c) {
            if !child.is_named() {
                ops.push(self.text(child));
            }
        }
        if operands.len() != 2 {
            return ExprKind::Unknown(operands.into_iter().map(|o| self.expr(o, d)).collect());
        }
        let op = match ops.join(" ").as_str() {
            "==" | "is" => BinOp::Eq,
            "!=" | "is not" => BinOp::NotEq,
            "in" => BinOp::In,
            "not in" => BinOp::NotIn,
            _ => BinOp::Other,
        };
        ExprKind::Binary(
            op,
            Box::new(self.expr(operands[0], d)),
            Box::new(self.expr(operands[1], d)),
        )
    }

    fn string(&self, n: Node<'_>, d: usize) -> ExprKind {
        let mut parts = Vec::new();
        let mut has_interp = false;
        for c in named_children(n) {
            match c.kind() {
                "string_content" | "escape_sequence" => {
                    parts.push(Expr::new(ExprKind::Str(self.text(c)), span(c)))
                }
                "interpolation" => {
                    has_interp = true;
                    if let Some(e) = c
                        .child_by_field_name("expression")
                        .or_else(|| c.named_child(0))
                    {
                        parts.push(self.expr(e, d));
                    }
                }
                _ => {}
            }
        }
        if has_interp {
            ExprKind::Template(parts)
        } else if parts.is_empty() {
            ExprKind::Str(unquote_py(&self.text(n)))
        } else {
            ExprKind::Str(parts.iter().filter_map(|p| p.as_str()).collect())
        }
    }
}

fn unquote_py(s: &str) -> String {
    let t = s.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let t = t
        .strip_prefix("\"\"\"")
        .and_then(|x| x.strip_suffix("\"\"\""))
        .or_else(|| t.strip_prefix("'''").and_then(|x| x.strip_suffix("'''")))
        .map(str::to_string);
    t.unwrap_or_else(|| unquote(s.trim_start_matches(|c: char| c.is_ascii_alphabetic())))
}
