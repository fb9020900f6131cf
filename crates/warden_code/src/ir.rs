//! A small language-neutral program form that JavaScript, TypeScript and Python are lowered into,
//! so that one taint engine serves every language. Only what the analysis needs is kept: names,
//! member access, calls, string building, containers, functions, branches, loops and returns.

use std::sync::Arc;
use warden_source::Span;

/// An expression with its byte span in the file.
#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Name(String),
    /// `a.b`, and `a["b"]` with a constant key.
    Member(Box<Expr>, String),
    /// `a[i]` with a computed key.
    Index(Box<Expr>, Box<Expr>),
    Call(Box<Call>),
    /// A string literal without interpolation.
    Str(String),
    /// A number, `null`/`None`/`undefined`; integers keep their value.
    Const(Option<i64>),
    Bool(bool),
    /// Template literal or f-string: constant parts as `Str`, interpolations as expressions.
    Template(Vec<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Object(Vec<Prop>),
    Array(Vec<Expr>),
    Func(Arc<Function>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// An assignment used as an expression (`x = y` in JavaScript, `:=` in Python).
    Assign(Box<Pattern>, Box<Expr>),
    /// Anything else: its value is made of its children.
    Unknown(Vec<Expr>),
}

/// Binary operators the analysis tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+` (string concatenation or addition).
    Add,
    /// Python `%` (string formatting or modulo).
    Mod,
    And,
    Or,
    /// `??` and other value-choosing operators.
    Coalesce,
    Eq,
    NotEq,
    In,
    NotIn,
    /// Arithmetic and comparisons whose result carries no text of the operands.
    Other,
}

/// A call (or `new`).
#[derive(Debug, Clone)]
pub struct Call {
    pub callee: Expr,
    pub args: Vec<Arg>,
    pub is_new: bool,
    /// A tagged template (`` sql`SELECT … ${id}` ``): the tag receives the parts separately.
    pub tagged: bool,
}

/// A call argument; `name` for Python keyword arguments.
#[derive(Debug, Clone)]
pub struct Arg {
    pub name: Option<String>,
    pub value: Expr,
    pub spread: bool,
}

/// A property of an object or dict literal; `key: None` for spreads and computed keys.
#[derive(Debug, Clone)]
pub struct Prop {
    pub key: Option<String>,
    pub value: Expr,
}

/// An assignment target.
#[derive(Debug, Clone)]
pub enum Pattern {
    Name(String, Span),
    /// `obj.field = …`, `obj[k] = …`: the target expression.
    Member(Expr),
    /// `{a, b: c, d = 1}` / `{...rest}`: (key, target, default); key `None` for a rest element.
    Object(Vec<(Option<String>, Pattern, Option<Expr>)>),
    /// `[a, b]`, `a, b = …`.
    Array(Vec<Pattern>),
    Ignore,
}

/// A parameter of a function.
#[derive(Debug, Clone)]
pub struct Param {
    pub pattern: Pattern,
    pub default: Option<Expr>,
}

/// A function, method, arrow function or lambda.
#[derive(Debug, Clone)]
pub struct Function {
    pub name: Option<String>,
    pub params: Vec<Param>,
    pub body: Vec<Stmt>,
    pub span: Span,
    /// Python decorators (`@app.route("/x")`).
    pub decorators: Vec<Expr>,
}

/// An import: `local` bound to `module` (whole module when `name` is `None`) or to its member.
#[derive(Debug, Clone)]
pub struct ImportBinding {
    pub local: String,
    pub module: String,
    pub name: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Stmt {
    /// A declaration or assignment.
    Let(Pattern, Option<Expr>, Span),
    /// `x += y`.
    AugAssign(Pattern, Expr, Span),
    Expr(Expr),
    Return(Option<Expr>, Span),
    Throw(Option<Expr>, Span),
    /// `break` / `continue`: ends the path through the block.
    Jump,
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `for (x of it)`, `for x in it`, `while c`: `var` bound to an element of `iter`.
    Loop(Option<Pattern>, Option<Expr>, Vec<Stmt>),
    Try {
        body: Vec<Stmt>,
        catch_param: Option<Pattern>,
        handler: Vec<Stmt>,
        finally: Vec<Stmt>,
    },
    Func(Arc<Function>),
    Class {
        name: String,
        bases: Vec<Expr>,
        body: Vec<Stmt>,
    },
    Import(Vec<ImportBinding>),
    Block(Vec<Stmt>),
}

/// What a JavaScript module exports under a name.
#[derive(Debug, Clone)]
pub enum Export {
    /// A top-level binding of the module.
    Local(String),
    /// An expression assigned to `exports.x` / `module.exports`.
    Value(Expr),
}

/// A lowered file.
#[derive(Debug, Clone, Default)]
pub struct Module {
    pub body: Vec<Stmt>,
    /// JavaScript exports by name (`default` for `module.exports = …` / `export default`).
    /// Python modules export their top-level bindings and leave this empty.
    pub exports: Vec<(String, Export)>,
}

impl ExprKind {
    /// `obj[key]`: a member access when the key is a string constant, an index otherwise.
    pub fn subscript(obj: Expr, key: Expr) -> Self {
        match key.kind {
            ExprKind::Str(s) => ExprKind::Member(Box::new(obj), s),
            _ => ExprKind::Index(Box::new(obj), Box::new(key)),
        }
    }
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Self { kind, span }
    }

    /// A string built from parts: a plain string when every part is constant, else a template.
    pub fn joined(parts: Vec<Expr>) -> ExprKind {
        if parts.iter().all(|p| matches!(p.kind, ExprKind::Str(_))) {
            ExprKind::Str(parts.iter().filter_map(|p| p.as_str()).collect())
        } else {
            ExprKind::Template(parts)
        }
    }

    /// The dotted access path of a name or member chain (`event.body.cmd`), if it is one.
    pub fn access_path(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Name(n) => Some(n.clone()),
            ExprKind::Member(obj, prop) => Some(format!("{}.{prop}", obj.access_path()?)),
            _ => None,
        }
    }

    /// The literal text of a string constant.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The last name of a name or member chain (`b` of `a.b`).
    pub fn last_name(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Name(n) | ExprKind::Member(_, n) => Some(n),
            _ => None,
        }
    }
}

impl Call {
    /// The argument at `index` among positional arguments.
    pub fn positional(&self, index: usize) -> Option<&Expr> {
        self.args
            .iter()
            .filter(|a| a.name.is_none())
            .nth(index)
            .map(|a| &a.value)
    }

    /// The keyword argument `name` (Python).
    pub fn keyword(&self, name: &str) -> Option<&Expr> {
        self.args
            .iter()
            .find(|a| a.name.as_deref() == Some(name))
            .map(|a| &a.value)
    }
}

/// True when a block always leaves (ends with `return`, `throw`, `raise`, `break`, `continue`).
pub fn terminates(block: &[Stmt]) -> bool {
    match block.last() {
        Some(Stmt::Return(..) | Stmt::Throw(..) | Stmt::Jump) => true,
        Some(Stmt::Block(inner)) => terminates(inner),
        Some(Stmt::If(_, a, b)) => terminates(a) && terminates(b),
        Some(Stmt::Expr(e)) => is_abort_call(e),
        _ => false,
    }
}

/// `abort(400)`, `sys.exit()`, `process.exit()`: calls that never return.
fn is_abort_call(e: &Expr) -> bool {
    let ExprKind::Call(call) = &e.kind else {
        return false;
    };
    matches!(
        call.callee.access_path().as_deref(),
        Some("abort" | "flask.abort" | "sys.exit" | "process.exit" | "exit")
    )
}
