//! The expression evaluator: literals, collections, string templates (with `%{if}`/`%{for}`
//! directives), conditionals, operators, `for` expressions, splats, index and attribute access, and
//! function calls. Every result carries the origin of the expression it came from; anything that
//! cannot be known statically is `Unknown` with a reason (a partial string when a template mixes
//! known and unknown parts), never a guess. Nesting is bounded.

use super::functions;
use super::module::Env;
use super::scope::{Scope, Src, lookup};
use super::values::{
    self, bool_node, equal, first_resource, key, list, map, null, num, str_node, to_text, unknown,
};
use hcl_edit::Span;
use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Template};
use warden_model::{Node, Unknown, Val};
use warden_source::Origin;

/// Deepest expression nesting evaluated (also bounds recursion through references).
pub const MAX_DEPTH: u32 = 200;
/// Longest string a template or function builds (longer ones are unknown).
pub const MAX_STRING: usize = 1 << 20;
/// Most bytes of values one `for` expression produces.
pub const MAX_PRODUCED: usize = 16 << 20;

impl Env<'_> {
    /// Evaluates `e` written in `src` at document path `path`.
    pub fn expr(&self, e: &Expression, src: Src<'_>, path: &str, sc: Option<&Scope<'_>>) -> Node {
        let o = src.origin(e.span(), path);
        if !self.enter() {
            return unknown(src.snippet(e.span()), "expression nested too deeply", &o);
        }
        let out = self.expr_inner(e, src, path, sc, &o);
        self.leave();
        out
    }

    fn expr_inner(
        &self,
        e: &Expression,
        src: Src<'_>,
        path: &str,
        sc: Option<&Scope<'_>>,
        o: &Origin,
    ) -> Node {
        match e {
            Expression::Null(_) => null(o),
            Expression::Bool(b) => bool_node(*b.value(), o),
            Expression::Number(n) => Node::new(Val::Num(n.value().to_string()), o.clone()),
            Expression::String(s) => str_node(s.value().clone(), o),
            Expression::Array(items) => list(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.expr(item, src, &format!("{path}[{i}]"), sc))
                    .collect(),
                o,
            ),
            Expression::Object(obj) => {
                let mut entries = Vec::new();
                for (k, v) in obj.iter() {
                    let name = match k {
                        ObjectKey::Ident(id) => Some(id.value().as_str().to_string()),
                        ObjectKey::Expression(ke) => to_text(&self.expr(ke, src, path, sc)),
                    };
                    let Some(name) = name else {
                        return unknown(src.snippet(e.span()), "object key is not known", o);
                    };
                    let ko = src.origin(k.span(), &format!("{path}.{name}"));
                    let value = self.expr(v.expr(), src, &format!("{path}.{name}"), sc);
                    entries.retain(|(ek, _): &(warden_model::Key, Node)| ek.name != name);
                    entries.push((key(name, &ko), value));
                }
                map(entries, o)
            }
            Expression::StringTemplate(t) => {
                named(self.template(t, src, path, sc, o), src.snippet(e.span()))
            }
            Expression::HeredocTemplate(h) => named(
                self.template(&h.template, src, path, sc, o),
                src.snippet(e.span()),
            ),
            Expression::Parenthesis(p) => self.expr(p.inner(), src, path, sc),
            Expression::Variable(v) => self.variable(v.value().as_str(), &[], src, path, sc, o),
            Expression::Conditional(c) => {
                let cond = self.expr(&c.cond_expr, src, path, sc);
                match cond.as_bool() {
                    Some(true) => self.expr(&c.true_expr, src, path, sc),
                    Some(false) => self.expr(&c.false_expr, src, path, sc),
                    None => {
                        let a = self.expr(&c.true_expr, src, path, sc);
                        let b = self.expr(&c.false_expr, src, path, sc);
                        if equal(&a, &b) == Some(true) {
                            return a;
                        }
                        unknown(
                            src.snippet(e.span()),
                            "condition depends on values not known statically",
                            o,
                        )
                    }
                }
            }
            Expression::FuncCall(call) => self.call(call, src, path, sc, o),
            Expression::Traversal(t) => {
                if let Expression::Variable(v) = &t.expr {
                    let ops: Vec<&TraversalOperator> =
                        t.operators.iter().map(|op| op.value()).collect();
                    return self.variable(v.value().as_str(), &ops, src, path, sc, o);
                }
                let base = self.expr(&t.expr, src, path, sc);
                let ops: Vec<&TraversalOperator> =
                    t.operators.iter().map(|op| op.value()).collect();
                self.apply_ops(base, &ops, src, path, sc, o)
            }
            Expression::UnaryOp(u) => {
                let v = self.expr(&u.expr, src, path, sc);
                if v.is_unknown() {
                    return unknown(src.snippet(e.span()), "operand not known statically", o);
                }
                match u.operator.value() {
                    UnaryOperator::Not => match v.as_bool() {
                        Some(b) => bool_node(!b, o),
                        None => unknown(src.snippet(e.span()), "`!` needs a boolean", o),
                    },
                    UnaryOperator::Neg => match values::as_f64(&v) {
                        Some(n) => num(-n, o),
                        None => unknown(src.snippet(e.span()), "`-` needs a number", o),
                    },
                }
            }
            Expression::BinaryOp(b) => {
                let l = self.expr(&b.lhs_expr, src, path, sc);
                // Short-circuit the logical operators like Terraform does with known sides.
                match (b.operator.value(), l.as_bool()) {
                    (BinaryOperator::And, Some(false)) => return bool_node(false, o),
                    (BinaryOperator::Or, Some(true)) => return bool_node(true, o),
                    _ => {}
                }
                let r = self.expr(&b.rhs_expr, src, path, sc);
                binary(*b.operator.value(), &l, &r, o).unwrap_or_else(|| {
                    unknown(src.snippet(e.span()), "operands not known statically", o)
                })
            }
            Expression::ForExpr(f) => self.for_expr(f, src, path, sc, o),
        }
    }

    /// A string template: known parts concatenated; unknown parts become placeholders in a
    /// partial string.
    pub fn template(
        &self,
        t: &Template,
        src: Src<'_>,
        path: &str,
        sc: Option<&Scope<'_>>,
        o: &Origin,
    ) -> Node {
        // `"${x}"` alone keeps x's value and type.
        if let Some(Element::Interpolation(i)) = t.as_single_element() {
            return self.expr(&i.expr, src, path, sc);
        }
        let mut parts: Vec<Node> = Vec::new();
        self.template_parts(t, src, path, sc, o, &mut parts);
        join_parts(parts, src.snippet(None), o)
    }

    fn template_parts(
        &self,
        t: &Template,
        src: Src<'_>,
        path: &str,
        sc: Option<&Scope<'_>>,
        o: &Origin,
        out: &mut Vec<Node>,
    ) {
        for el in t.iter() {
            match el {
                Element::Literal(s) => out.push(str_node(s.value().clone(), o)),
                Element::Interpolation(i) => out.push(self.expr(&i.expr, src, path, sc)),
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        let cond = self.expr(&d.if_expr.cond_expr, src, path, sc);
                        match cond.as_bool() {
                            Some(true) => {
                                self.template_parts(&d.if_expr.template, src, path, sc, o, out)
                            }
                            Some(false) => {
                                if let Some(e) = &d.else_expr {
                                    self.template_parts(&e.template, src, path, sc, o, out);
                                }
                            }
                            None => out.push(unknown(
                                "%{if}",
                                "template condition not known statically",
                                o,
                            )),
                        }
                    }
                    Directive::For(d) => {
                        let f = &d.for_expr;
                        let coll = self.expr(&f.collection_expr, src, path, sc);
                        let Some(pairs) = iter_pairs(&coll) else {
                            out.push(unknown(
                                "%{for}",
                                "template loop over a collection not known statically",
                                o,
                            ));
                            continue;
                        };
                        for (k, v) in pairs.into_iter().take(functions::MAX_ITEMS) {
                            let s1 = Scope::bind(sc, f.value_var.value().as_str(), v);
                            let s2;
                            let inner = match &f.key_var {
                                Some(kv) => {
                                    s2 = Scope::bind(Some(&s1), kv.value().as_str(), k);
                                    &s2
                                }
                                None => &s1,
                            };
                            self.template_parts(&f.template, src, path, Some(inner), o, out);
                            if out.iter().map(values::size).sum::<usize>() > MAX_STRING {
                                out.push(unknown(
                                    "%{for}",
                                    "template longer than the evaluation limit",
                                    o,
                                ));
                                break;
                            }
                        }
                    }
                },
            }
        }
    }

    fn for_expr(
        &self,
        f: &ForExpr,
        src: Src<'_>,
        path: &str,
        sc: Option<&Scope<'_>>,
        o: &Origin,
    ) -> Node {
        let coll = self.expr(&f.intro.collection_expr, src, path, sc);
        let Some(pairs) = iter_pairs(&coll) else {
            return unknown("for", "`for` over a collection not known statically", o);
        };
        let mut items = Vec::new();
        let mut entries: Vec<(warden_model::Key, Node)> = Vec::new();
        let mut produced = 0usize;
        for (k, v) in pairs.into_iter().take(functions::MAX_ITEMS) {
            let s1 = Scope::bind(sc, f.intro.value_var.value().as_str(), v);
            let s2;
            let inner = match &f.intro.key_var {
                Some(kv) => {
                    s2 = Scope::bind(Some(&s1), kv.value().as_str(), k);
                    &s2
                }
                None => &s1,
            };
            if let Some(cond) = &f.cond {
                match self.expr(&cond.expr, src, path, Some(inner)).as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return unknown("for", "`for` condition not known statically", o),
                }
            }
            let value = self.expr(&f.value_expr, src, path, Some(inner));
            produced += values::size(&value);
            if produced > MAX_PRODUCED {
                return unknown("for", "`for` result larger than the evaluation limit", o);
            }
            match &f.key_expr {
                None => items.push(value),
                Some(ke) => {
                    let Some(name) = to_text(&self.expr(ke, src, path, Some(inner))) else {
                        return unknown("for", "`for` key not known statically", o);
                    };
                    if f.grouping {
                        match entries.iter_mut().find(|(k, _)| k.name == name) {
                            Some((
                                _,
                                Node {
                                    val: Val::List(l), ..
                                },
                            )) => l.push(value),
                            _ => entries.push((key(name, o), list(vec![value], o))),
                        }
                    } else {
                        entries.retain(|(k, _)| k.name != name);
                        entries.push((key(name, o), value));
                    }
                }
            }
        }
        if f.key_expr.is_some() {
            map(entries, o)
        } else {
            list(items, o)
        }
    }

    fn call(
        &self,
        call: &FuncCall,
        src: Src<'_>,
        path: &str,
        sc: Option<&Scope<'_>>,
        o: &Origin,
    ) -> Node {
        let name = call.name.name.value().as_str();
        let text = src.snippet(call.span());
        if call.name.is_namespaced() {
            return unknown(
                text,
                format!("provider function {name} is not evaluated"),
                o,
            );
        }
        match name {
            // A value known only at apply time is a value, not an error: `try` returns it and
            // `can` is true; only a failed lookup moves on.
            "try" => {
                let mut last = None;
                for a in call.args.iter() {
                    let v = self.expr(a, src, path, sc);
                    if !is_eval_error(&v) {
                        return v;
                    }
                    last = Some(v);
                }
                return last.unwrap_or_else(|| unknown(text, "try() needs arguments", o));
            }
            "can" => {
                let v = call.args.iter().next().map(|a| self.expr(a, src, path, sc));
                return match v {
                    Some(v) if is_eval_error(&v) => bool_node(false, o),
                    Some(_) => bool_node(true, o),
                    None => unknown(text, "can() needs an argument", o),
                };
            }
            _ => {}
        }
        let mut args: Vec<Node> = call
            .args
            .iter()
            .map(|a| self.expr(a, src, path, sc))
            .collect();
        if call.args.expand_final()
            && let Some(last) = args.pop()
        {
            match &last.val {
                Val::List(items) => args.extend(items.iter().cloned()),
                _ => return unknown(text, "expanded argument is not a known list", o),
            }
        }
        match name {
            "file" | "templatefile" | "fileexists" | "filebase64" => {
                self.file_function(name, &args, text, o)
            }
            _ => functions::call(name, &args, &text, o),
        }
    }

    /// Applies traversal operators (`.attr`, `[index]`, splats) to a value.
    pub fn apply_ops(
        &self,
        base: Node,
        ops: &[&TraversalOperator],
        src: Src<'_>,
        path: &str,
        sc: Option<&Scope<'_>>,
        o: &Origin,
    ) -> Node {
        let mut cur = base;
        for (i, op) in ops.iter().enumerate() {
            if let Val::Unknown(u) = &cur.val {
                let mut u = (**u).clone();
                u.expr = format!("{}{}", u.expr, ops_text(&ops[i..], self, src, path, sc));
                u.partial = None;
                return Node::unknown(u, o.clone());
            }
            cur = match op {
                TraversalOperator::GetAttr(name) => match cur.get(name.value().as_str()) {
                    Some(v) => v.clone(),
                    None => unknown(
                        format!(".{}", name.value().as_str()),
                        format!("no attribute `{}` in the value", name.value().as_str()),
                        o,
                    ),
                },
                TraversalOperator::Index(ie) => {
                    let idx = self.expr(ie, src, path, sc);
                    index(&cur, &idx, o)
                }
                TraversalOperator::LegacyIndex(n) => {
                    let idx = num(*n.value() as f64, o);
                    index(&cur, &idx, o)
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let items: Vec<Node> = match &cur.val {
                        Val::List(items) => items.clone(),
                        Val::Null => Vec::new(),
                        _ => vec![cur.clone()],
                    };
                    let rest = &ops[i + 1..];
                    return list(
                        items
                            .into_iter()
                            .map(|item| self.apply_ops(item, rest, src, path, sc, o))
                            .collect(),
                        o,
                    );
                }
            };
        }
        cur
    }

    /// A root name (`var`, `local`, a resource type, a bound name) with its traversal operators.
    fn variable(
        &self,
        name: &str,
        ops: &[&TraversalOperator],
        src: Src<'_>,
        path: &str,
        sc: Option<&Scope<'_>>,
        o: &Origin,
    ) -> Node {
        if let Some(v) = lookup(sc, name) {
            let v = v.clone();
            return self.apply_ops(v, ops, src, path, sc, o);
        }
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.value().as_str()),
            _ => None,
        };
        match name {
            "var" => {
                let Some(v) = attr(0) else {
                    return unknown("var", "`var` needs an attribute", o);
                };
                let value = self.var(v, o);
                self.apply_ops(value, &ops[1..], src, path, sc, o)
            }
            "local" => {
                let Some(l) = attr(0) else {
                    return unknown("local", "`local` needs an attribute", o);
                };
                let value = self.local(l, o);
                self.apply_ops(value, &ops[1..], src, path, sc, o)
            }
            "path" => {
                let value = match attr(0) {
                    Some("module") => str_node(self.path_module.clone(), o),
                    Some("root" | "cwd") => str_node(".", o),
                    _ => unknown("path", "unknown `path` attribute", o),
                };
                self.apply_ops(value, &ops[1..], src, path, sc, o)
            }
            "terraform" => match attr(0) {
                Some("workspace") => str_node("default", o),
                _ => unknown("terraform", "`terraform` attribute not known statically", o),
            },
            "count" | "each" | "self" => unknown(
                format!("{name}{}", ops_text(ops, self, src, path, sc)),
                format!("`{name}` is not available here or not known statically"),
                o,
            ),
            "module" => {
                let Some(m) = attr(0) else {
                    return unknown("module", "`module` needs a module name", o);
                };
                let rest = &ops[1..];
                let value = self.module_value(m, single_output(rest), o);
                self.apply_ops(value, rest, src, path, sc, o)
            }
            "data" => {
                let (Some(kind), Some(label)) = (attr(0), attr(1)) else {
                    return unknown("data", "`data` needs a type and a name", o);
                };
                self.data_ref(kind, label, &ops[2..], src, path, sc, o)
            }
            kind => {
                let Some(label) = attr(0) else {
                    return unknown(name, format!("`{name}` is not defined"), o);
                };
                self.resource_ref(kind, label, &ops[1..], src, path, sc, o)
            }
        }
    }

    /// A reference to a managed resource: unknown (its attributes exist at apply time), naming
    /// the resource; an attribute literal in the referenced block is kept as the partial value.
    #[allow(clippy::too_many_arguments)]
    fn resource_ref(
        &self,
        kind: &str,
        label: &str,
        ops: &[&TraversalOperator],
        src: Src<'_>,
        path: &str,
        sc: Option<&Scope<'_>>,
        o: &Origin,
    ) -> Node {
        let decl = self.decl.find(super::Mode::Managed, kind, label);
        let mut address = format!("{}{kind}.{label}", self.prefix);
        let mut rest = ops;
        let mut index_text = String::new();
        if let Some(TraversalOperator::Index(ie)) = ops.first() {
            let idx = self.expr(ie, src, path, sc);
            if let Some(k) = instance_key(&idx) {
                index_text = k;
                if decl.is_some_and(|d| d.repeats()) {
                    address.push_str(&index_text);
                }
            }
            rest = &ops[1..];
        }
        let attr = match rest.first() {
            Some(TraversalOperator::GetAttr(a)) => Some(a.value().as_str()),
            _ => None,
        };
        let expr = format!(
            "{kind}.{label}{index_text}{}",
            ops_text(rest, self, src, path, sc)
        );
        let mut u = Unknown::new(
            expr,
            format!("attribute of {kind}.{label}, known only after apply"),
        )
        .resource(address);
        if rest.len() == 1
            && let (Some(d), Some(attr)) = (decl, attr)
            && let Some(lit) = self.literal_attr(d, attr)
        {
            u = u.with_partial(lit);
        }
        Node::unknown(u, o.clone())
    }

    /// A `data` source reference: policy documents and archives are evaluated, the rest unknown.
    #[allow(clippy::too_many_arguments)]
    fn data_ref(
        &self,
        kind: &str,
        label: &str,
        ops: &[&TraversalOperator],
        src: Src<'_>,
        path: &str,
        sc: Option<&Scope<'_>>,
        o: &Origin,
    ) -> Node {
        if kind == "aws_partition"
            && matches!(ops.first(), Some(TraversalOperator::GetAttr(a)) if a.value().as_str() == "partition")
        {
            return str_node("aws", o);
        }
        if let Some(decl) = self.decl.find(super::Mode::Data, kind, label)
            && let Some(value) = self.data_value(decl, o)
        {
            return self.apply_ops(value, ops, src, path, sc, o);
        }
        let address = format!("{}data.{kind}.{label}", self.prefix);
        Node::unknown(
            Unknown::new(
                format!("data.{kind}.{label}{}", ops_text(ops, self, src, path, sc)),
                format!("data source data.{kind}.{label} is read only at plan time"),
            )
            .resource(address),
            o.clone(),
        )
    }
}

/// An unknown template result described by its source text (`"arn:${var.x}"`), unless it is a
/// single interpolation that kept its own description.
fn named(mut node: Node, text: String) -> Node {
    if let Val::Unknown(u) = &mut node.val
        && u.partial.is_some()
    {
        u.expr = text;
    }
    node
}

/// The one module output a reference reads, from the operators after `module.NAME`: `.out`,
/// `[i].out`, `[*].out`, `.*.out`; `None` when it may read several (`module.x` as a whole).
fn single_output<'o>(ops: &[&'o TraversalOperator]) -> Option<&'o str> {
    let name = |op: Option<&&'o TraversalOperator>| match op {
        Some(TraversalOperator::GetAttr(a)) => Some(a.value().as_str()),
        _ => None,
    };
    match ops.first()? {
        TraversalOperator::GetAttr(a) => Some(a.value().as_str()),
        TraversalOperator::Index(_)
        | TraversalOperator::LegacyIndex(_)
        | TraversalOperator::AttrSplat(_)
        | TraversalOperator::FullSplat(_) => name(ops.get(1)),
    }
}

/// The `[key]` suffix of an instance address for a known index value.
pub fn instance_key(idx: &Node) -> Option<String> {
    match &idx.val {
        Val::Num(n) => Some(format!("[{n}]")),
        Val::Str(s) => Some(format!("[\"{s}\"]")),
        _ => None,
    }
}

fn op_text(
    op: &TraversalOperator,
    env: &Env<'_>,
    src: Src<'_>,
    path: &str,
    sc: Option<&Scope<'_>>,
) -> String {
    match op {
        TraversalOperator::GetAttr(a) => format!(".{}", a.value().as_str()),
        TraversalOperator::Index(ie) => {
            let v = env.expr(ie, src, path, sc);
            match &v.val {
                Val::Num(n) => format!("[{n}]"),
                Val::Str(s) => format!("[\"{s}\"]"),
                _ => format!("[{}]", src.snippet(ie.span())),
            }
        }
        TraversalOperator::LegacyIndex(n) => format!(".{}", n.value()),
        TraversalOperator::AttrSplat(_) => ".*".into(),
        TraversalOperator::FullSplat(_) => "[*]".into(),
    }
}

fn ops_text(
    ops: &[&TraversalOperator],
    env: &Env<'_>,
    src: Src<'_>,
    path: &str,
    sc: Option<&Scope<'_>>,
) -> String {
    ops.iter()
        .map(|op| op_text(op, env, src, path, sc))
        .collect()
}

/// Reasons of unknowns that stand for a failed evaluation (Terraform would raise an error), as
/// opposed to values known only at apply time.
const ERROR_REASONS: &[&str] = &[
    "no attribute `",
    "index out of range",
    "no such key in the map",
    "index into a value that is not a collection",
];

/// True when `n` is the result of a failed lookup (a missing attribute, key or index).
fn is_eval_error(n: &Node) -> bool {
    n.as_unknown()
        .is_some_and(|u| ERROR_REASONS.iter().any(|r| u.reason.starts_with(r)))
}

/// Element `idx` of a list or map.
fn index(coll: &Node, idx: &Node, o: &Origin) -> Node {
    if idx.is_unknown() {
        return unknown("[...]", "index not known statically", o);
    }
    match &coll.val {
        Val::List(items) => {
            let i = values::as_f64(idx).filter(|n| *n >= 0.0 && n.fract() == 0.0);
            match i.and_then(|i| items.get(i as usize)) {
                Some(v) => v.clone(),
                None => unknown("[...]", "index out of range", o),
            }
        }
        Val::Map(_) => match to_text(idx).and_then(|k| coll.get(&k).cloned()) {
            Some(v) => v,
            None => unknown("[...]", "no such key in the map", o),
        },
        _ => unknown("[...]", "index into a value that is not a collection", o),
    }
}

/// (key, value) pairs of a known list (index, item) or map (key, value).
pub fn iter_pairs(coll: &Node) -> Option<Vec<(Node, Node)>> {
    match &coll.val {
        Val::List(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (num(i as f64, &v.origin), v.clone()))
                .collect(),
        ),
        Val::Map(entries) => Some(
            entries
                .iter()
                .map(|(k, v)| (str_node(k.name.clone(), &k.origin), v.clone()))
                .collect(),
        ),
        Val::Null => Some(Vec::new()),
        _ => None,
    }
}

/// Concatenates template parts: a string when all are known, else an unknown with the partial
/// string (unknown parts as placeholders) and the first resource referred to.
pub fn join_parts(parts: Vec<Node>, expr: String, o: &Origin) -> Node {
    let mut text = String::new();
    let mut unknown_part: Option<Unknown> = None;
    let mut external = false;
    for p in &parts {
        match to_text(p) {
            Some(s) => text.push_str(&s),
            None => {
                text.push_str(&values::placeholder(p));
                if let Some(u) = p.as_unknown() {
                    external |= u.external_secret;
                    if unknown_part.is_none() {
                        unknown_part = Some(u.clone());
                    }
                }
                if unknown_part.is_none() {
                    unknown_part = Some(Unknown::new("null", "null in a string template"));
                }
            }
        }
    }
    if text.len() > MAX_STRING {
        return unknown(expr, "string longer than the evaluation limit", o);
    }
    let Some(first) = unknown_part else {
        return str_node(text, o);
    };
    let resource = parts.iter().find_map(first_resource);
    let expr = if expr == "<expression>" {
        first.expr.clone()
    } else {
        expr
    };
    let mut u = Unknown::new(expr, first.reason).with_partial(text);
    u.resource = resource;
    u.external_secret = external;
    Node::unknown(u, o.clone())
}

fn binary(op: BinaryOperator, l: &Node, r: &Node, o: &Origin) -> Option<Node> {
    use BinaryOperator as B;
    match op {
        B::Eq => equal(l, r).map(|b| bool_node(b, o)),
        B::NotEq => equal(l, r).map(|b| bool_node(!b, o)),
        B::And => Some(bool_node(l.as_bool()? && r.as_bool()?, o)),
        B::Or => Some(bool_node(l.as_bool()? || r.as_bool()?, o)),
        _ => {
            let (a, b) = (values::as_f64(l)?, values::as_f64(r)?);
            Some(match op {
                B::Plus => num(a + b, o),
                B::Minus => num(a - b, o),
                B::Mul => num(a * b, o),
                B::Div if b != 0.0 => num(a / b, o),
                B::Mod if b != 0.0 => num(a % b, o),
                B::Less => bool_node(a < b, o),
                B::LessEq => bool_node(a <= b, o),
                B::Greater => bool_node(a > b, o),
                B::GreaterEq => bool_node(a >= b, o),
                _ => return None,
            })
        }
    }
}
