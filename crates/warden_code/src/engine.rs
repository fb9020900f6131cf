//! The taint engine: an abstract interpreter over [`crate::ir`] that runs a handler with its event
//! parameter bound to a source object, follows values through assignments, destructuring, string
//! building, containers, local functions and local modules (depth- and budget-limited), applies
//! sanitisers and guards (allow-lists, validation, prefix checks), and records an issue when a
//! tainted value reaches a sink. It also notes sensitive logging, unverified JWT decoding and
//! error details returned to clients.

use crate::ir::*;
use crate::loader::{LoadedFile, Loader};
use crate::report::{Issue, IssueKind};
use crate::sinks::{self, CallSite};
use crate::value::{FuncRef, SrcObj, Step, Taint, TaintSpec, Val, combine_safe, flags};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use warden_model::Related;
use warden_source::{Origin, Span};

/// Nested calls into local functions followed at most this deep.
const MAX_CALL_DEPTH: usize = 6;
/// Evaluation steps allowed per analysed entry point.
const BUDGET: usize = 200_000;
/// Nested evaluations (expressions, statements, calls) at most: bounds the native stack.
const MAX_NESTING: usize = 300;

type Env = HashMap<String, Val>;

struct Frame {
    locals: Env,
    module: usize,
    ret: Val,
    /// The handler (or a route function): what it returns goes to the client.
    entry: bool,
}

/// One analysis of one entry point (a handler), with the modules it reaches.
pub struct Engine<'a> {
    loader: &'a Loader,
    modules: Vec<Arc<LoadedFile>>,
    module_envs: Vec<Option<Arc<Env>>>,
    issues: Vec<Issue>,
    seen: HashSet<(IssueKind, usize, Span)>,
    budget: usize,
    stack: Vec<usize>,
    /// Analyse web framework routes (Express callbacks, Flask/Chalice/FastAPI decorated functions).
    routes: bool,
    /// A web application object was handed to an adapter by the handler.
    wants_routes: bool,
    framework: Arc<TaintSpec>,
    /// Route functions found while running module top levels, run once the modules are loaded.
    pending_routes: Vec<(FuncRef, Vec<Val>, Span)>,
    /// An Azure function registered inline under this name, and its event.
    registration: Option<(String, Val)>,
    /// The handler answers HTTP requests: what it returns goes to a client.
    pub http: bool,
    /// Current depth of nested `eval`/`exec` calls.
    nesting: usize,
}

fn is_sensitive_name(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "authorization",
        "apikey",
        "cardnumber",
        "creditcard",
        "cvv",
        "cvc",
        "ssn",
        "socialsecurity",
        "privatekey",
        "cookie",
    ]
    .iter()
    .any(|k| n.contains(k))
        && ![
            "length",
            "count",
            "arn",
            "name",
            "id",
            "ids",
            "url",
            "uri",
            "type",
            "expiry",
            "expires",
            "expiresin",
            "endpoint",
            "policy",
            "field",
            "header",
            "required",
            "enabled",
            "valid",
            "iterations",
            "rounds",
            "strength",
            "pattern",
            "regex",
            "prompt",
            "label",
            "hint",
            "placeholder",
            "version",
            "ttl",
            "timeout",
        ]
        .iter()
        .any(|suffix| n.ends_with(suffix))
}

/// True for `https://host/…`: scheme and host fixed by the constant.
fn fixes_host(prefix: &str) -> bool {
    let Some((scheme, rest)) = prefix.split_once("://") else {
        return false;
    };
    !scheme.is_empty()
        && scheme.chars().all(|c| c.is_ascii_alphabetic())
        && rest.find('/').is_some_and(|i| i > 0)
}

fn normalize_module(spec: &str) -> String {
    let s = spec.strip_prefix("node:").unwrap_or(spec);
    s.replace("fs/promises", "fs.promises")
}

impl<'a> Engine<'a> {
    pub fn new(loader: &'a Loader) -> Self {
        Self {
            loader,
            modules: Vec::new(),
            module_envs: Vec::new(),
            issues: Vec::new(),
            seen: HashSet::new(),
            budget: BUDGET,
            stack: Vec::new(),
            routes: false,
            wants_routes: false,
            framework: Arc::new(crate::sources::framework_request()),
            pending_routes: Vec::new(),
            registration: None,
            http: true,
            nesting: 0,
        }
    }

    pub fn into_issues(mut self) -> Vec<Issue> {
        self.issues.sort_by(|a, b| {
            (&a.origin.file, a.origin.span, a.kind).cmp(&(&b.origin.file, b.origin.span, b.kind))
        });
        self.issues
    }

    /// Registers a loaded file as a module of this analysis.
    pub fn add_module(&mut self, file: Arc<LoadedFile>) -> usize {
        if let Some(i) = self.modules.iter().position(|m| m.abs == file.abs) {
            return i;
        }
        self.modules.push(file);
        self.module_envs.push(None);
        self.modules.len() - 1
    }

    fn python(&self, module: usize) -> bool {
        self.modules.get(module).is_some_and(|m| !m.lang.is_js())
    }

    fn file(&self, module: usize) -> Arc<str> {
        self.modules
            .get(module)
            .map(|m| m.rel.clone())
            .unwrap_or_else(|| Arc::from(""))
    }

    fn step(&self, module: usize, span: Span, message: impl Into<String>) -> Step {
        Step {
            file: self.file(module),
            span,
            message: message.into(),
        }
    }

    fn snippet(&self, module: usize, span: Span) -> String {
        let text = self
            .modules
            .get(module)
            .and_then(|m| m.source.text.get(span.start as usize..span.end as usize))
            .unwrap_or("");
        let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if one_line.chars().count() > 60 {
            let cut: String = one_line.chars().take(57).collect();
            format!("{cut}...")
        } else {
            one_line
        }
    }

    fn record(
        &mut self,
        kind: IssueKind,
        module: usize,
        span: Span,
        message: String,
        flow: Vec<Step>,
    ) {
        if !self.seen.insert((kind, module, span)) {
            return;
        }
        let file = self.file(module);
        let flow = flow
            .into_iter()
            .map(|s| Related {
                origin: Origin::new(s.file, s.span, ""),
                message: s.message,
            })
            .collect();
        self.issues.push(Issue {
            kind,
            origin: Origin::new(file, span, ""),
            message,
            flow,
        });
    }

    // ---------------------------------------------------------------- entry points

    /// Runs the exported `name` of `module` as a handler whose event (first parameter, or the
    /// second after an Azure `context`) is `event`. Returns false when `name` is not found.
    pub fn run_handler(&mut self, module: usize, name: &str, event: Val) -> bool {
        self.run_entry(module, name, event, None)
    }

    /// [`Engine::run_handler`], also finding a function registered inline under `registered_as`
    /// (`app.http('name', { handler })` of Azure Functions' Node v4 model).
    pub fn run_entry(
        &mut self,
        module: usize,
        name: &str,
        event: Val,
        registered_as: Option<&str>,
    ) -> bool {
        let env = self.module_env(module);
        let target = self.export(name, &env);
        let found = match target.func.clone() {
            Some(f) => {
                let mut params = f.func.params.iter().map(|p| &p.pattern);
                let first = params.next();
                let azure_context = matches!(first, Some(Pattern::Name(n, _)) if n == "context" || n == "ctx")
                    && f.func.params.len() >= 2;
                let event_param = if azure_context { params.next() } else { first };
                let event = named_event(event, event_param);
                let mut args = vec![event, Val::clean()];
                if azure_context {
                    args.swap(0, 1);
                }
                self.call_function(&f, args, Span::default(), true);
                true
            }
            None if registered_as.is_some() => {
                let reg = registered_as.unwrap_or_default().to_string();
                self.registration = Some((reg, event));
                self.wants_routes = true;
                true
            }
            None => {
                // `serverless(app)`, `Mangum(app)`, a Chalice app: the routes are the handlers.
                let known = env.contains_key(name) || self.python(module) || target.canon.is_some();
                self.wants_routes = known;
                known
            }
        };
        if self.wants_routes && !self.routes {
            self.routes = true;
            // Web framework routes answer HTTP requests.
            self.http = true;
            for i in 0..self.modules.len() {
                self.module_envs[i] = None;
            }
            let mut i = 0;
            while i < self.modules.len() {
                self.module_env(i);
                i += 1;
            }
            while let Some((func, mut args, span)) = self.pending_routes.pop() {
                if let Some(first) = args.first_mut() {
                    let param = func.func.params.first().map(|p| &p.pattern);
                    *first = named_event(std::mem::take(first), param);
                }
                self.call_function(&func, args, span, true);
            }
        }
        found
    }

    fn export(&self, name: &str, env: &Env) -> Val {
        if let Some(v) = env.get(&format!("\0export:{name}")) {
            return v.clone();
        }
        env.get(name).cloned().unwrap_or_default()
    }

    /// The top-level bindings of a module (computed once; cycles see an empty environment).
    fn module_env(&mut self, module: usize) -> Arc<Env> {
        if let Some(Some(env)) = self.module_envs.get(module) {
            return env.clone();
        }
        let Some(file) = self.modules.get(module).cloned() else {
            return Arc::new(Env::new());
        };
        self.module_envs[module] = Some(Arc::new(Env::new()));
        let mut frame = Frame {
            locals: Env::new(),
            module,
            ret: Val::clean(),
            entry: false,
        };
        self.exec_block(&mut frame, &file.module.body);
        for (name, export) in &file.module.exports {
            let v = match export {
                Export::Local(local) => frame.locals.get(local).cloned().unwrap_or_default(),
                Export::Value(e) => self.eval(&mut frame, e),
            };
            frame.locals.insert(format!("\0export:{name}"), v);
        }
        let env = Arc::new(frame.locals);
        self.module_envs[module] = Some(env.clone());
        env
    }

    // ---------------------------------------------------------------- statements

    fn exec_block(&mut self, f: &mut Frame, stmts: &[Stmt]) {
        for s in stmts {
            if self.budget == 0 {
                return;
            }
            self.exec(f, s);
        }
    }

    fn exec(&mut self, f: &mut Frame, s: &Stmt) {
        if self.nesting >= MAX_NESTING {
            return;
        }
        self.nesting += 1;
        self.exec_inner(f, s);
        self.nesting -= 1;
    }

    fn exec_inner(&mut self, f: &mut Frame, s: &Stmt) {
        self.budget = self.budget.saturating_sub(1);
        match s {
            Stmt::Let(p, value, span) => {
                let v = match value {
                    Some(e) => self.eval(f, e),
                    None => Val::clean(),
                };
                self.bind(f, p, v, *span);
            }
            Stmt::AugAssign(p, value, span) => {
                let v = self.eval(f, value);
                let old = match p {
                    Pattern::Name(n, _) => self.lookup(f, n),
                    Pattern::Member(e) => self.eval(f, e),
                    _ => Val::clean(),
                };
                let mut joined = old.join(&v);
                joined.flags &= flags::THROUGH_STRINGS | flags::HOST_FIXED;
                self.bind(f, p, joined, *span);
            }
            Stmt::Expr(e) => {
                self.eval(f, e);
            }
            Stmt::Return(value, span) => {
                let v = match value {
                    Some(e) => self.eval(f, e),
                    None => Val::clean(),
                };
                if f.entry && self.http {
                    self.check_error_leak(f.module, *span, &v);
                }
                let ret = std::mem::take(&mut f.ret);
                f.ret = ret.join(&v);
            }
            Stmt::Throw(value, _) => {
                if let Some(e) = value {
                    self.eval(f, e);
                }
            }
            Stmt::Jump => {}
            Stmt::If(cond, then, els) => self.exec_if(f, cond, then, els),
            Stmt::Loop(var, iter, body) => {
                if let (Some(p), Some(it)) = (var, iter) {
                    let v = self.eval(f, it);
                    let elem = self.element(f.module, &v, it.span);
                    self.bind(f, p, elem, it.span);
                }
                let before = f.locals.clone();
                self.exec_block(f, body);
                let after = std::mem::take(&mut f.locals);
                f.locals = join_env(before, &after);
            }
            Stmt::Try {
                body,
                catch_param,
                handler,
                finally,
            } => {
                self.exec_block(f, body);
                if !handler.is_empty() || catch_param.is_some() {
                    let before = f.locals.clone();
                    if let Some(p) = catch_param {
                        let err = Val {
                            flags: if self.python(f.module) {
                                0
                            } else {
                                flags::ERROR_OBJ
                            },
                            ..Val::default()
                        };
                        self.bind(f, p, err, Span::default());
                    }
                    self.exec_block(f, handler);
                    if terminates(handler) {
                        f.locals = before;
                    } else {
                        let after = std::mem::take(&mut f.locals);
                        f.locals = join_env(before, &after);
                    }
                }
                self.exec_block(f, finally);
            }
            Stmt::Func(func) => {
                let v = self.func_val(f, func);
                if let Some(name) = &func.name {
                    f.locals.insert(name.clone(), v.clone());
                }
                if self.routes && !func.decorators.is_empty() {
                    self.python_route(f, func, &v);
                }
            }
            Stmt::Class { name, bases, body } => {
                let mut v = Val::canon(name.as_str());
                for b in bases {
                    let bv = self.eval(f, b);
                    let base_name = b.last_name().unwrap_or("");
                    if bv.has(flags::MODEL_CLASS)
                        || base_name == "BaseModel"
                        || bv
                            .canon
                            .as_deref()
                            .is_some_and(|c| c.starts_with("pydantic"))
                    {
                        v.flags |= flags::MODEL_CLASS;
                    }
                }
                // Methods are analysed only when called.
                let mut fields = BTreeMap::new();
                for s in body {
                    if let Stmt::Func(func) = s
                        && let Some(n) = &func.name
                    {
                        fields.insert(n.clone(), self.func_val(f, func));
                    }
                }
                v.fields = Some(Arc::new(fields));
                v.is_class = true;
                f.locals.insert(name.clone(), v);
            }
            Stmt::Import(bindings) => {
                for b in bindings {
                    let v = self.import(f.module, b);
                    f.locals.insert(b.local.clone(), v);
                }
            }
            Stmt::Block(items) => self.exec_block(f, items),
        }
    }

    /// A function value; inside a function it captures the enclosing locals (a closure).
    fn func_val(&mut self, f: &Frame, func: &Arc<Function>) -> Val {
        let captured = (!self.stack.is_empty()).then(|| Arc::new(f.locals.clone()));
        Val {
            func: Some(FuncRef {
                module: f.module,
                func: func.clone(),
                captured,
            }),
            ..Val::default()
        }
    }

    fn import(&mut self, module: usize, b: &ImportBinding) -> Val {
        let local = self
            .modules
            .get(module)
            .cloned()
            .and_then(|m| self.loader.resolve_import(&m, &b.module));
        if let Some(path) = local
            && let Ok(file) = self.loader.load(&path)
        {
            let idx = self.add_module(file);
            let mod_val = Val {
                module: Some(idx),
                ..Val::default()
            };
            return match &b.name {
                None => mod_val,
                Some(name) => self.member_of_module(idx, name),
            };
        }
        let base = normalize_module(&b.module);
        let canon = match &b.name {
            None => base,
            Some(n) => format!("{base}.{n}"),
        };
        self.canon_val(&canon)
    }

    /// A value for a known qualified name: web framework requests are sources.
    fn canon_val(&mut self, canon: &str) -> Val {
        let mut v = Val::canon(canon);
        if canon == "flask.request" || canon == "quart.request" {
            v.src = Some(SrcObj {
                spec: self.framework.clone(),
                path: Vec::new(),
                root: Arc::from("request"),
                framework: true,
            });
        }
        v
    }

    fn member_of_module(&mut self, idx: usize, name: &str) -> Val {
        let env = self.module_env(idx);
        self.export(name, &env)
    }

    fn exec_if(&mut self, f: &mut Frame, cond: &Expr, then: &[Stmt], els: &[Stmt]) {
        self.eval(f, cond);
        let (when_true, when_false) = self.refine(f, cond, 0);
        let before = f.locals.clone();
        for p in &when_true {
            self.sanitize(f, p);
        }
        self.exec_block(f, then);
        let then_env = std::mem::replace(&mut f.locals, before);
        for p in &when_false {
            self.sanitize(f, p);
        }
        self.exec_block(f, els);
        let then_ends = terminates(then);
        let else_ends = terminates(els);
        match (then_ends, else_ends) {
            (true, false) => {}
            (false, true) => f.locals = then_env,
            _ => {
                let else_env = std::mem::take(&mut f.locals);
                f.locals = join_env(then_env, &else_env);
            }
        }
    }

    /// Marks an access path clean from here on (after a guard).
    fn sanitize(&mut self, f: &mut Frame, path: &str) {
        let mut v = f.locals.get(path).cloned().unwrap_or_default();
        v.taint = None;
        v.src = None;
        v.fields = None;
        v.items = None;
        f.locals.insert(path.to_string(), v);
    }

    /// Access paths a condition proves safe when it is true, and when it is false.
    fn refine(&mut self, f: &mut Frame, cond: &Expr, depth: usize) -> (Vec<String>, Vec<String>) {
        if depth > 16 {
            return (Vec::new(), Vec::new());
        }
        match &cond.kind {
            ExprKind::Not(inner) => {
                let (t, fl) = self.refine(f, inner, depth + 1);
                (fl, t)
            }
            ExprKind::Binary(BinOp::And, a, b) => {
                let (mut ta, _) = self.refine(f, a, depth + 1);
                let (tb, _) = self.refine(f, b, depth + 1);
                ta.extend(tb);
                (ta, Vec::new())
            }
            ExprKind::Binary(BinOp::Or, a, b) => {
                let (_, mut fa) = self.refine(f, a, depth + 1);
                let (_, fb) = self.refine(f, b, depth + 1);
                fa.extend(fb);
                (Vec::new(), fa)
            }
            ExprKind::Binary(op @ (BinOp::Eq | BinOp::NotEq), a, b) => {
                let path = match (a.access_path(), b.access_path()) {
                    (Some(p), _) if is_literal(b) => p,
                    (_, Some(p)) if is_literal(a) => p,
                    _ => return (Vec::new(), Vec::new()),
                };
                if *op == BinOp::Eq {
                    (vec![path], Vec::new())
                } else {
                    (Vec::new(), vec![path])
                }
            }
            ExprKind::Binary(op @ (BinOp::In | BinOp::NotIn), a, b) => {
                // `x in ALLOWED`: an allow-list of constants (a name or a literal collection).
                let Some(p) = a.access_path() else {
                    return (Vec::new(), Vec::new());
                };
                if is_literal(a) || !self.is_constant_collection(f, b) {
                    return (Vec::new(), Vec::new());
                }
                if *op == BinOp::In {
                    (vec![p], Vec::new())
                } else {
                    (Vec::new(), vec![p])
                }
            }
            ExprKind::Call(call) => {
                let method = call.callee.last_name().unwrap_or("");
                let recv = match &call.callee.kind {
                    ExprKind::Member(obj, _) => Some(obj.as_ref()),
                    _ => None,
                };
                let arg_paths = || -> Vec<String> {
                    call.args
                        .iter()
                        .filter_map(|a| a.value.access_path())
                        .collect()
                };
                match method {
                    "includes" | "has" | "hasOwnProperty" | "__contains__" => {
                        if recv.is_some_and(|r| self.is_constant_collection(f, r)) {
                            (arg_paths(), Vec::new())
                        } else {
                            (Vec::new(), Vec::new())
                        }
                    }
                    "startsWith" | "startswith" => {
                        let Some(p) = recv.and_then(Expr::access_path) else {
                            return (Vec::new(), Vec::new());
                        };
                        let normalized = self.lookup_path(f, recv).has(flags::NORMALIZED);
                        if normalized {
                            (vec![p], Vec::new())
                        } else {
                            (Vec::new(), Vec::new())
                        }
                    }
                    "test" => {
                        // `/^[a-z]+$/.test(x)`: an anchored pattern.
                        if recv.is_some_and(|r| self.snippet(f.module, r.span).starts_with("/^")) {
                            (arg_paths(), Vec::new())
                        } else {
                            (Vec::new(), Vec::new())
                        }
                    }
                    "fullmatch" | "match" => {
                        let anchored = call.positional(0).and_then(Expr::as_str).is_some_and(|p| {
                            method == "fullmatch" || (p.starts_with('^') && p.ends_with('$'))
                        });
                        if anchored {
                            let p: Vec<String> = call
                                .positional(1)
                                .and_then(Expr::access_path)
                                .into_iter()
                                .collect();
                            (p, Vec::new())
                        } else {
                            (Vec::new(), Vec::new())
                        }
                    }
                    "validate" | "is_valid" | "isValid" | "check" | "validator" => {
                        (arg_paths(), Vec::new())
                    }
                    "isinstance" => (Vec::new(), Vec::new()),
                    _ => {
                        // A local validation function (`isAllowed(x)`, `validate_request(body)`).
                        let callee = self.eval_quiet(f, &call.callee);
                        let lname = method.to_ascii_lowercase();
                        if callee.func.is_some()
                            && (lname.starts_with("is")
                                || lname.contains("valid")
                                || lname.contains("allowed"))
                        {
                            (arg_paths(), Vec::new())
                        } else {
                            (Vec::new(), Vec::new())
                        }
                    }
                }
            }
            _ => (Vec::new(), Vec::new()),
        }
    }

    fn lookup_path(&mut self, f: &mut Frame, e: Option<&Expr>) -> Val {
        match e {
            Some(e) => self.eval_quiet(f, e),
            None => Val::clean(),
        }
    }

    /// Evaluates without recording issues (for guards re-reading a value).
    fn eval_quiet(&mut self, f: &mut Frame, e: &Expr) -> Val {
        match &e.kind {
            ExprKind::Name(n) => self.lookup(f, n),
            ExprKind::Member(obj, name) => {
                if let Some(p) = e.access_path()
                    && let Some(v) = f.locals.get(&p)
                {
                    return v.clone();
                }
                let o = self.eval_quiet(f, obj);
                self.member(f.module, &o, name, e.span)
            }
            _ => Val::clean(),
        }
    }

    /// True for a constant list/set/tuple/object, or a name bound to one at module level.
    fn is_constant_collection(&mut self, f: &mut Frame, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Array(items) => items.iter().all(is_literal),
            ExprKind::Object(props) => props.iter().all(|p| p.key.is_some()),
            ExprKind::Name(_) | ExprKind::Member(..) => {
                let v = self.eval_quiet(f, e);
                v.taint.is_none() && v.src.is_none()
            }
            ExprKind::Call(c) => {
                // `new Set([...])`, `set([...])`, `frozenset(...)`, `Object.keys(MAP)`.
                c.args
                    .iter()
                    .all(|a| self.is_constant_collection(f, &a.value))
            }
            _ => false,
        }
    }

    fn lookup(&mut self, f: &Frame, name: &str) -> Val {
        if let Some(v) = f.locals.get(name) {
            return v.clone();
        }
        let env = self.module_env(f.module);
        if let Some(v) = env.get(name) {
            return v.clone();
        }
        self.canon_val(name)
    }

    /// Binds a pattern to a value, noting the assignment in the value's flow.
    fn bind(&mut self, f: &mut Frame, p: &Pattern, v: Val, span: Span) {
        match p {
            Pattern::Name(n, nspan) => {
                let mut v = v;
                if let Some(t) = &v.taint {
                    v.taint =
                        Some(t.then(self.step(f.module, *nspan, format!("assigned to `{n}`"))));
                }
                f.locals.insert(n.clone(), v);
            }
            Pattern::Member(target) => {
                // `obj.x = v`: remember the field on the access path, and taint the object.
                if let Some(path) = target.access_path() {
                    f.locals.insert(path.clone(), v.clone());
                    if let ExprKind::Member(obj, field) = &target.kind
                        && let Some(root) = obj.access_path()
                    {
                        let mut o = self.eval_quiet(f, obj);
                        let mut fields = o.fields.as_deref().cloned().unwrap_or_default();
                        fields.insert(field.clone(), v.clone());
                        o.fields = Some(Arc::new(fields));
                        if o.taint.is_none() {
                            o.taint = v.taint.clone();
                        }
                        f.locals.insert(root, o);
                    }
                }
            }
            Pattern::Object(items) => {
                for (key, pat, default) in items {
                    let mut fv = match key {
                        Some(k) => self.member(f.module, &v, k, span),
                        None => v.clone(),
                    };
                    if let Some(d) = default {
                        let dv = self.eval(f, d);
                        fv = fv.join(&dv);
                    }
                    self.bind(f, pat, fv, span);
                }
            }
            Pattern::Array(items) => {
                for (i, pat) in items.iter().enumerate() {
                    let ev = match &v.items {
                        Some(list) => list.get(i).cloned().unwrap_or_default(),
                        None => self.element(f.module, &v, span),
                    };
                    self.bind(f, pat, ev, span);
                }
            }
            Pattern::Ignore => {}
        }
    }

    /// A value taken out of a collection (loop variable, `[0]`, `.map` parameter).
    fn element(&self, module: usize, v: &Val, span: Span) -> Val {
        let mut out = Val {
            taint: v.taint.clone(),
            flags: v.flags & (flags::STRUCTURED | flags::THROUGH_STRINGS),
            safe: v.safe,
            ..Val::default()
        };
        if let Some(items) = &v.items {
            for i in items.iter() {
                out = out.join(i);
            }
        }
        if let Some(src) = &v.src {
            let mut path = src.path.clone();
            path.push(Arc::from("*"));
            let child = SrcObj {
                path,
                ..src.clone()
            };
            if out.taint.is_none()
                && let Some(label) = child.spec.tainted(&child.path)
            {
                out.taint = Some(Taint::source(self.step(
                    module,
                    span,
                    format!("`{}`: {label} (attacker-controlled)", child.describe()),
                )));
            }
            out.src = Some(child);
        }
        out
    }

    // ---------------------------------------------------------------- expressions

    fn member(&mut self, module: usize, v: &Val, name: &str, span: Span) -> Val {
        if let Some(fields) = &v.fields
            && let Some(fv) = fields.get(name)
        {
            return fv.clone();
        }
        if let Some(m) = v.module {
            return self.member_of_module(m, name);
        }
        let mut out = Val::default();
        if let Some(c) = &v.canon {
            let canon = format!("{c}.{name}");
            out = self.canon_val(&canon);
            if v.has(flags::WEB_APP) && matches!(name, "current_request" | "current_event") {
                out.src = Some(SrcObj {
                    spec: self.framework.clone(),
                    path: Vec::new(),
                    root: Arc::from(format!("app.{name}")),
                    framework: true,
                });
            }
        }
        // The length of a string or array carries no text; a parsed object's `size` field might.
        if matches!(name, "length" | "size") && !v.has(flags::STRUCTURED) && v.src.is_none() {
            return out;
        }
        if let Some(src) = &v.src {
            let mut path = src.path.clone();
            path.push(Arc::from(name));
            let child = SrcObj {
                path,
                ..src.clone()
            };
            if let Some(label) = child.spec.tainted(&child.path) {
                if v.taint.is_none() || src.spec.tainted(&src.path).is_none() {
                    out.taint = Some(Taint::source(self.step(
                        module,
                        span,
                        format!("`{}`: {label} (attacker-controlled)", child.describe()),
                    )));
                }
                if src.framework {
                    out.flags |= flags::STRUCTURED;
                }
                out.src = Some(child);
            } else if child.spec.contains_under(&child.path) {
                out.src = Some(child);
            }
        }
        if out.taint.is_none()
            && let Some(t) = &v.taint
        {
            out.taint = Some(t.clone());
            out.safe = v.safe;
        }
        if v.taint.is_some() || out.taint.is_some() {
            out.flags |= v.flags & (flags::STRUCTURED | flags::THROUGH_STRINGS);
        }
        if v.has(flags::ERROR_OBJ) {
            match name {
                "stack" | "stacktrace" | "stackTrace" => out.flags |= flags::ERROR_TRACE,
                // Upstream payloads carried by errors (axios `response`, AWS SDK `$response`).
                "response" | "$response" | "data" | "body" | "config" | "request" | "cause"
                | "errors" | "originalError" | "raw" => out.flags |= flags::ERROR_OBJ,
                _ => {}
            }
        }
        out
    }

    fn eval(&mut self, f: &mut Frame, e: &Expr) -> Val {
        if self.budget == 0 || self.nesting >= MAX_NESTING {
            return Val::clean();
        }
        self.budget -= 1;
        self.nesting += 1;
        let v = self.eval_inner(f, e);
        self.nesting -= 1;
        v
    }

    fn eval_inner(&mut self, f: &mut Frame, e: &Expr) -> Val {
        match &e.kind {
            ExprKind::Name(n) => self.lookup(f, n),
            ExprKind::Member(obj, name) => {
                if let Some(p) = e.access_path()
                    && let Some(v) = f.locals.get(&p)
                {
                    return v.clone();
                }
                let o = self.eval(f, obj);
                self.member(f.module, &o, name, e.span)
            }
            ExprKind::Index(obj, idx) => {
                let o = self.eval(f, obj);
                self.eval(f, idx);
                let mut v = match &idx.kind {
                    ExprKind::Const(Some(n)) => match &o.items {
                        Some(items) => items
                            .get(usize::try_from(*n).unwrap_or(usize::MAX))
                            .cloned()
                            .unwrap_or_default(),
                        None => self.element(f.module, &o, e.span),
                    },
                    _ => self.element(f.module, &o, e.span),
                };
                if o.has(flags::SPLIT_DOT) && matches!(idx.kind, ExprKind::Const(Some(1))) {
                    v.flags |= flags::JWT_PAYLOAD;
                }
                // `key.split('/')[-1]`: a base name.
                if o.has(flags::SPLIT_SLASH) && matches!(idx.kind, ExprKind::Const(Some(-1))) {
                    return Val::clean();
                }
                if v.src.is_none() && v.taint.is_none() {
                    v.taint = o.taint.clone();
                }
                v
            }
            ExprKind::Call(call) => self.eval_call(f, call, e.span),
            ExprKind::Str(_) | ExprKind::Const(_) | ExprKind::Bool(_) => Val::clean(),
            ExprKind::Template(parts) => {
                let mut out = Val::clean();
                let mut safe = u16::MAX;
                for p in parts {
                    let v = self.eval(f, p);
                    if out.taint.is_none() {
                        out.taint = v.flat_taint(|m| self.step(f.module, p.span, m));
                    }
                    safe &= combine_safe(&[&v]);
                    out.flags |= v.flags & flags::THROUGH_STRINGS;
                }
                out.safe = safe;
                if parts.first().and_then(Expr::as_str).is_some_and(fixes_host) {
                    out.flags |= flags::HOST_FIXED;
                } else {
                    out.flags &= !flags::HOST_FIXED;
                }
                out
            }
            ExprKind::Binary(op, a, b) => {
                let va = self.eval(f, a);
                let vb = self.eval(f, b);
                match op {
                    BinOp::Add | BinOp::Mod => {
                        let mut out = Val::clean();
                        out.taint = va
                            .flat_taint(|m| self.step(f.module, a.span, m))
                            .or_else(|| vb.flat_taint(|m| self.step(f.module, b.span, m)));
                        out.flags = (va.flags | vb.flags) & flags::THROUGH_STRINGS;
                        out.safe = combine_safe(&[&va, &vb]);
                        if a.as_str().is_some_and(fixes_host) || va.has(flags::HOST_FIXED) {
                            out.flags |= flags::HOST_FIXED;
                        }
                        out
                    }
                    BinOp::And | BinOp::Or | BinOp::Coalesce => va.join(&vb),
                    _ => Val::clean(),
                }
            }
            ExprKind::Not(inner) => {
                self.eval(f, inner);
                Val::clean()
            }
            ExprKind::Object(props) => {
                let mut fields = BTreeMap::new();
                let mut out = Val::clean();
                for p in props {
                    let v = self.eval(f, &p.value);
                    match &p.key {
                        Some(k) => {
                            fields.insert(k.clone(), v);
                        }
                        None => {
                            // A spread: its known fields, or its taint.
                            if let Some(fs) = &v.fields {
                                for (k, fv) in fs.iter() {
                                    fields.insert(k.clone(), fv.clone());
                                }
                            }
                            if out.taint.is_none() {
                                out.taint = v.flat_taint(|m| self.step(f.module, p.value.span, m));
                            }
                            out.flags |= v.flags & flags::STRUCTURED;
                        }
                    }
                }
                out.fields = Some(Arc::new(fields));
                out
            }
            ExprKind::Array(items) => {
                let vals: Vec<Val> = items.iter().map(|i| self.eval(f, i)).collect();
                Val {
                    items: Some(Arc::new(vals)),
                    ..Val::default()
                }
            }
            ExprKind::Func(func) => self.func_val(f, func),
            ExprKind::Cond(c, a, b) => {
                self.eval(f, c);
                let va = self.eval(f, a);
                let vb = self.eval(f, b);
                va.join(&vb)
            }
            ExprKind::Assign(p, value) => {
                let v = self.eval(f, value);
                self.bind(f, p, v.clone(), e.span);
                v
            }
            ExprKind::Unknown(children) => {
                let mut out = Val::clean();
                for c in children {
                    let v = self.eval(f, c);
                    if out.taint.is_none() {
                        out.taint = v.flat_taint(|m| self.step(f.module, c.span, m));
                    }
                    out.flags |= v.flags & flags::THROUGH_STRINGS;
                }
                out
            }
        }
    }

    // ---------------------------------------------------------------- calls

    fn eval_call(&mut self, f: &mut Frame, call: &Call, span: Span) -> Val {
        let (recv, callee) = match &call.callee.kind {
            ExprKind::Member(obj, name) => {
                let r = self.eval(f, obj);
                let c = match call
                    .callee
                    .access_path()
                    .and_then(|p| f.locals.get(&p).cloned())
                {
                    Some(v) => v,
                    None => self.member(f.module, &r, name, call.callee.span),
                };
                (Some(r), c)
            }
            _ => (None, self.eval(f, &call.callee)),
        };
        let args: Vec<Val> = call.args.iter().map(|a| self.eval(f, &a.value)).collect();
        let method = call.callee.last_name();
        let canon = callee.canon.clone();
        let canon_s = canon.as_deref();
        let python = self.python(f.module);

        // `require('x')`.
        if canon_s == Some("require")
            && let Some(spec) = call.positional(0).and_then(Expr::as_str)
        {
            let b = ImportBinding {
                local: String::new(),
                module: spec.to_string(),
                name: None,
                span,
            };
            return self.import(f.module, &b);
        }

        self.check_logging(f, call, canon_s, method, recv.as_ref(), &args);
        self.check_jwt(f, call, canon_s, &args, span);
        self.check_response(f, call, method, &args, span);

        // Sinks.
        let site = CallSite {
            python,
            canon: canon_s,
            method,
            call,
            args: &args,
            receiver: recv.as_ref(),
        };
        let candidates = sinks::candidates(&site);
        let mut hits = Vec::new();
        for c in &candidates {
            if c.needs_structured && !c.value.has(flags::STRUCTURED) {
                continue;
            }
            if c.value.safe & sinks::family(c.kind) != 0 {
                continue;
            }
            if c.kind == IssueKind::Ssrf && c.value.has(flags::HOST_FIXED) {
                continue;
            }
            let taint = c.value.flat_taint(|m| self.step(f.module, c.span, m));
            match taint {
                Some(t) => hits.push((c.kind, c.sink.clone(), t)),
                None => {
                    if c.kind == IssueKind::CodeInjection
                        && let Some(a) = call.args.first()
                        && !is_literal(&a.value)
                        && !matches!(a.value.kind, ExprKind::Func(_))
                    {
                        let text = self.snippet(f.module, span);
                        self.record(
                            IssueKind::DynamicCodeEvaluation,
                            f.module,
                            span,
                            format!("`{text}` evaluates code built at run time"),
                            Vec::new(),
                        );
                    }
                }
            }
        }
        for (kind, sink, t) in hits {
            let text = self.snippet(f.module, span);
            let source = t
                .steps
                .first()
                .map(|s| s.message.clone())
                .unwrap_or_default();
            let t = t.then(self.step(f.module, span, format!("reaches `{sink}`")));
            let source_short = source
                .split(" (attacker-controlled)")
                .next()
                .unwrap_or(&source)
                .to_string();
            self.record(
                kind,
                f.module,
                span,
                format!("attacker-controlled data ({source_short}) reaches `{text}`"),
                t.steps.clone(),
            );
        }

        self.call_result(f, call, span, recv, callee, args)
    }

    fn call_result(
        &mut self,
        f: &mut Frame,
        call: &Call,
        span: Span,
        recv: Option<Val>,
        callee: Val,
        args: Vec<Val>,
    ) -> Val {
        let method = call.callee.last_name();
        let canon = callee.canon.as_deref();
        let python = self.python(f.module);
        let arg0 = args.first().cloned().unwrap_or_default();
        let arg_taint = |engine: &Self, i: usize| -> Option<Arc<Taint>> {
            let v = args.get(i)?;
            let sp = call.args.get(i).map(|a| a.value.span).unwrap_or(span);
            v.flat_taint(|m| engine.step(f.module, sp, m))
        };

        // Local functions; a Python method called on an instance gets it as `self`.
        if let Some(func) = &callee.func {
            let mut args = args;
            let takes_self = matches!(
                func.func.params.first().map(|p| &p.pattern),
                Some(Pattern::Name(n, _)) if n == "self" || n == "cls"
            );
            if python
                && takes_self
                && let Some(r) = &recv
            {
                args.insert(0, r.clone());
            }
            return self.call_function(func, args, span, false);
        }
        if callee.has(flags::MODEL_CLASS) {
            return Val::clean();
        }
        // A local class: the instance knows its methods.
        if callee.is_class {
            let mut instance = Val {
                fields: callee.fields.clone(),
                canon: callee.canon.as_ref().map(|c| Arc::from(format!("{c}()"))),
                ..Val::default()
            };
            let init = callee
                .fields
                .as_ref()
                .and_then(|f| f.get("__init__").or_else(|| f.get("constructor")))
                .and_then(|v| v.func.clone());
            if let Some(init) = init {
                let mut init_args = args.clone();
                if python {
                    init_args.insert(0, instance.clone());
                }
                self.call_function(&init, init_args, span, false);
            }
            instance.taint = None;
            return instance;
        }
        if callee.module.is_some() {
            return Val::clean();
        }
        let sanitised = sinks::sanitizer(canon, method, python);
        if sanitised == Some(sinks::safe::ALL) {
            return Val::clean();
        }
        // Azure Functions v4: `app.http('name', { handler })` registering the analysed function.
        if let Some(c) = canon
            && c.starts_with("@azure/functions.app.")
            && let Some((reg, event)) = self.registration.clone()
            && call.positional(0).and_then(Expr::as_str) == Some(reg.as_str())
        {
            let handler = args
                .get(1)
                .and_then(|o| o.fields.as_ref())
                .and_then(|f| f.get("handler"))
                .and_then(|h| h.func.clone());
            if let Some(func) = handler {
                self.registration = None;
                self.pending_routes
                    .push((func, vec![event, Val::clean()], span));
            }
            return Val::clean();
        }
        // Web apps.
        if let Some(c) = canon {
            let app = matches!(
                c,
                "express"
                    | "express.Router"
                    | "express.default"
                    | "flask.Flask"
                    | "chalice.Chalice"
                    | "fastapi.FastAPI"
                    | "fastapi.APIRouter"
                    | "koa"
                    | "fastify"
                    | "hono.Hono"
            ) || c.ends_with(".Router")
                || (c.starts_with("aws_lambda_powertools.event_handler")
                    && c.ends_with("Resolver"));
            if app {
                return Val {
                    canon: Some(Arc::from(format!("{c}()"))),
                    flags: flags::WEB_APP,
                    ..Val::default()
                };
            }
        }
        if args.iter().any(|a| a.has(flags::WEB_APP))
            || recv.as_ref().is_some_and(|r| {
                r.has(flags::WEB_APP) && matches!(method, Some("listen" | "resolve"))
            })
        {
            self.wants_routes = true;
        }
        if let Some(r) = &recv
            && r.has(flags::WEB_APP)
        {
            if self.routes
                && matches!(
                    method,
                    Some(
                        "get"
                            | "post"
                            | "put"
                            | "patch"
                            | "delete"
                            | "all"
                            | "use"
                            | "head"
                            | "options"
                            | "route"
                    )
                )
            {
                for a in &args {
                    if let Some(func) = &a.func {
                        let req = Val {
                            src: Some(SrcObj {
                                spec: self.framework.clone(),
                                path: Vec::new(),
                                root: Arc::from("req"),
                                framework: true,
                            }),
                            ..Val::default()
                        };
                        // Express error handlers take `(err, req, res, next)`.
                        let args = if func.func.params.len() == 4 {
                            let err = Val {
                                flags: flags::ERROR_OBJ,
                                ..Val::default()
                            };
                            vec![err, req, Val::clean(), Val::clean()]
                        } else {
                            vec![req, Val::clean(), Val::clean()]
                        };
                        self.pending_routes.push((func.clone(), args, span));
                    }
                }
            }
            return Val {
                flags: flags::WEB_APP,
                canon: r.canon.clone(),
                ..Val::default()
            };
        }
        // A method or function read from a source object: `req.get('x')`, `request.get_json()`.
        if let Some(r) = &recv
            && r.src.is_some()
            && method == Some("get")
            && let Some(key) = call.positional(0).and_then(Expr::as_str)
        {
            let mut v = self.member(f.module, r, key, span);
            if let Some(d) = args.get(1) {
                v = v.join(d);
            }
            return v;
        }
        let field_method = recv
            .as_ref()
            .and_then(|r| r.src.as_ref())
            .is_some_and(|rs| rs.spec.tainted(&rs.path).is_none());
        if field_method && callee.src.is_some() {
            let mut v = callee.clone();
            if matches!(method, Some("get_json" | "json" | "get_data" | "formData")) {
                v.flags |= flags::STRUCTURED;
            }
            return v;
        }
        match canon.unwrap_or("") {
            "JSON.parse" | "json.loads" | "json.load" | "yaml.safe_load" | "querystring.parse"
            | "qs.parse" | "ujson.loads" | "orjson.loads" | "simplejson.loads" => {
                let mut v = Val::clean();
                v.taint = arg_taint(self, 0)
                    .map(|t| t.then(self.step(f.module, span, "parsed into an object")));
                if v.taint.is_some() {
                    v.flags |= flags::STRUCTURED;
                }
                return v;
            }
            "JSON.stringify" | "json.dumps" => {
                let mut v = Val::clean();
                v.taint = arg_taint(self, 0);
                v.flags = arg0.deep_flags(0) & (flags::ERROR_OBJ | flags::ERROR_TRACE);
                return v;
            }
            "String" | "str" | "repr" => {
                let mut v = Val::clean();
                v.taint = arg_taint(self, 0);
                v.flags = arg0.flags & flags::THROUGH_STRINGS;
                v.safe = arg0.safe;
                return v;
            }
            "path.resolve" | "path.normalize" | "path.join" | "os.path.realpath"
            | "os.path.abspath" | "os.path.normpath" | "path.posix.resolve" | "path.posix.join" => {
                let mut v = Val::clean();
                for i in 0..args.len() {
                    if v.taint.is_none() {
                        v.taint = arg_taint(self, i);
                    }
                }
                // Node's `path.join` normalises `..` segments too.
                v.flags |= flags::NORMALIZED;
                v.safe = combine_safe(&args.iter().collect::<Vec<_>>());
                return v;
            }
            "traceback.format_exc"
            | "traceback.format_exception"
            | "traceback.format_tb"
            | "traceback.format_stack" => {
                return Val {
                    flags: flags::ERROR_TRACE,
                    ..Val::default()
                };
            }
            "lxml.etree.XMLParser" | "etree.XMLParser" => {
                let unsafe_parser = call
                    .keyword("resolve_entities")
                    .is_some_and(|e| matches!(e.kind, ExprKind::Bool(true)))
                    || call
                        .keyword("no_network")
                        .is_some_and(|e| matches!(e.kind, ExprKind::Bool(false)));
                return Val {
                    canon: Some(Arc::from("lxml.etree.XMLParser()")),
                    flags: if unsafe_parser { flags::UNSAFE_XML } else { 0 },
                    ..Val::default()
                };
            }
            "util.promisify" => return arg0,
            _ => {}
        }
        if matches!(method, Some("split" | "rsplit"))
            && call.positional(0).and_then(Expr::as_str) == Some("/")
        {
            let mut v = recv.clone().unwrap_or_default();
            v.src = None;
            v.fields = None;
            v.flags |= flags::SPLIT_SLASH;
            return v;
        }
        if matches!(method, Some("pop" | "at"))
            && recv.as_ref().is_some_and(|r| r.has(flags::SPLIT_SLASH))
            && (method == Some("pop")
                || matches!(
                    call.positional(0).map(|e| &e.kind),
                    Some(ExprKind::Const(Some(-1)))
                ))
        {
            return Val::clean();
        }
        if method == Some("split") && call.positional(0).and_then(Expr::as_str) == Some(".") {
            let mut v = recv.clone().unwrap_or_default();
            v.src = None;
            v.fields = None;
            v.flags |= flags::SPLIT_DOT;
            return v;
        }
        // Callbacks: `.map(x => …)`, `.forEach`, `.then`, and any function handed to a library.
        let mut result = Val::clean();
        let mut called_back = false;
        for a in &args {
            if let Some(func) = &a.func {
                called_back = true;
                let elem = match (&recv, method) {
                    (
                        Some(r),
                        Some(
                            "map" | "forEach" | "filter" | "flatMap" | "some" | "every" | "find"
                            | "reduce",
                        ),
                    ) => self.element(f.module, r, span),
                    (Some(r), Some("then")) => r.clone(),
                    _ => Val::clean(),
                };
                let params = if method == Some("reduce") {
                    vec![Val::clean(), elem]
                } else {
                    vec![elem]
                };
                let r = self.call_function(func, params, span, false);
                result = result.join(&r);
            }
        }
        if called_back && matches!(method, Some("map" | "flatMap" | "then")) {
            return Val {
                items: Some(Arc::new(vec![result.clone()])),
                ..result
            };
        }
        // Anything else: the result is made of the receiver and the arguments.
        let mut out = Val::clean();
        // `middy(handler).use(...)`, `Sentry.wrapHandler(handler)`: a wrapper stands for the
        // function it wraps, so that exporting it still exports the handler.
        if recv.is_none()
            || call
                .callee
                .access_path()
                .is_some_and(|p| !p.contains("then"))
        {
            out.func = args.iter().find_map(|a| a.func.clone());
        }
        if out.func.is_none()
            && let Some(r) = &recv
        {
            out.func = r.func.clone();
        }
        if let Some(c) = canon {
            out.canon = Some(Arc::from(format!("{c}()")));
        }
        if let Some(r) = &recv
            && !matches!(
                method,
                Some("toString" | "keys" | "length" | "digest" | "hexdigest")
            )
        {
            out.taint = r.flat_taint(|m| self.step(f.module, call.callee.span, m));
            out.flags |= r.flags & (flags::THROUGH_STRINGS | flags::STRUCTURED | flags::SPLIT_DOT);
            if r.has(flags::WEB_APP) {
                out.flags |= flags::WEB_APP;
            }
        }
        for i in 0..args.len() {
            if out.taint.is_none() {
                out.taint = arg_taint(self, i);
            }
            if let Some(a) = args.get(i) {
                out.flags |= a.flags & flags::THROUGH_STRINGS;
            }
        }
        // Safe for a sink family when every tainted input is, or when this call sanitises it.
        let mut parts: Vec<&Val> = args.iter().collect();
        if let Some(r) = &recv
            && !r.has(flags::WEB_APP)
        {
            parts.push(r);
        }
        out.safe = combine_safe(&parts) | sanitised.unwrap_or(0);
        // Tagged templates (`` sql`… ${id}` ``, `` Prisma.sql`…` ``) pass values as parameters.
        if call.tagged {
            out.safe |= sinks::safe::SQL | sinks::safe::NOSQL;
        }
        if let ExprKind::Member(obj, m) = &call.callee.kind
            && m == "format"
            && obj.as_str().is_some_and(fixes_host)
        {
            out.flags |= flags::HOST_FIXED;
        }
        if out.taint.is_some() && recv.as_ref().is_some_and(|r| r.has(flags::STRUCTURED)) {
            out.flags |= flags::STRUCTURED;
        }
        // `urllib.request.Request(url, data=…, headers=…)`: a request to a constant URL keeps its
        // host whatever the body and headers hold, so sending it is no SSRF.
        if matches!(canon, Some("urllib.request.Request" | "urllib2.Request")) {
            let url = call
                .args
                .iter()
                .zip(&args)
                .find(|(a, _)| a.name.is_none() || a.name.as_deref() == Some("url"));
            if let Some((a, v)) = url
                && (a.value.as_str().is_some()
                    || v.has(flags::HOST_FIXED)
                    || v.flat_taint(|m| self.step(f.module, span, m)).is_none())
            {
                out.flags |= flags::HOST_FIXED;
            }
        }
        out
    }

    /// Runs a local function with argument values; returns what it returns.
    fn call_function(&mut self, func: &FuncRef, args: Vec<Val>, span: Span, entry: bool) -> Val {
        let id = Arc::as_ptr(&func.func) as usize;
        if self.stack.len() >= MAX_CALL_DEPTH || self.stack.contains(&id) || self.budget == 0 {
            // Too deep or recursive: assume the result carries the arguments' taint.
            let mut out = Val::clean();
            for a in &args {
                if out.taint.is_none() {
                    out.taint = a.taint.clone();
                }
            }
            return out;
        }
        self.module_env(func.module);
        self.stack.push(id);
        let mut frame = Frame {
            locals: func.captured.as_deref().cloned().unwrap_or_default(),
            module: func.module,
            ret: Val::clean(),
            entry,
        };
        let fname = func.func.name.clone().unwrap_or_else(|| "callback".into());
        let mut args = args.into_iter();
        for p in &func.func.params {
            let mut v = args.next().unwrap_or_default();
            if v.taint.is_none()
                && v.src.is_none()
                && let Some(d) = &p.default
            {
                v = self.eval(&mut frame, d);
            }
            if let Some(t) = &v.taint
                && span != Span::default()
                && let Pattern::Name(n, pspan) = &p.pattern
            {
                v.taint = Some(t.then(self.step(
                    func.module,
                    *pspan,
                    format!("passed to `{fname}` as `{n}`"),
                )));
            }
            if let Pattern::Name(n, _) = &p.pattern {
                frame.locals.insert(n.clone(), v);
            } else {
                self.bind(&mut frame, &p.pattern, v, p_span(&p.pattern));
            }
        }
        self.exec_block(&mut frame, &func.func.body);
        self.stack.pop();
        let mut ret = frame.ret;
        if let Some(t) = &ret.taint
            && span != Span::default()
        {
            ret.taint = Some(t.then(self.step(
                func.module,
                func.func.span,
                format!("returned from `{fname}`"),
            )));
        }
        ret
    }

    /// Python route functions: `@app.route(...)`, `@app.get(...)`, `@router.post(...)`.
    fn python_route(&mut self, f: &mut Frame, func: &Arc<Function>, v: &Val) {
        let is_route = func.decorators.iter().any(|d| {
            let ExprKind::Call(c) = &d.kind else {
                return false;
            };
            let ExprKind::Member(obj, m) = &c.callee.kind else {
                return false;
            };
            if !matches!(
                m.as_str(),
                "route" | "get" | "post" | "put" | "patch" | "delete" | "api_route"
            ) {
                return false;
            }
            self.eval_quiet(f, obj).has(flags::WEB_APP)
        });
        let Some(fref) = &v.func else { return };
        if !is_route {
            return;
        }
        // Route functions receive path (and, for FastAPI, query and body) parameters.
        let args: Vec<Val> = func
            .params
            .iter()
            .map(|p| match &p.pattern {
                Pattern::Name(n, span) if n == "request" || n == "req" => Val {
                    src: Some(SrcObj {
                        spec: self.framework.clone(),
                        path: Vec::new(),
                        root: Arc::from(n.as_str()),
                        framework: true,
                    }),
                    ..Val::default()
                }
                .join(&Val {
                    canon: Some(Arc::from(format!("param:{}", span.start))),
                    ..Val::default()
                }),
                Pattern::Name(n, span) => Val::tainted(
                    Taint::source(self.step(
                        f.module,
                        *span,
                        format!("route parameter `{n}`: HTTP request data (attacker-controlled)"),
                    )),
                    0,
                ),
                _ => Val::clean(),
            })
            .collect();
        self.pending_routes.push((fref.clone(), args, func.span));
    }

    // ---------------------------------------------------------------- other checks

    fn check_logging(
        &mut self,
        f: &mut Frame,
        call: &Call,
        canon: Option<&str>,
        method: Option<&str>,
        recv: Option<&Val>,
        args: &[Val],
    ) {
        const LEVELS: &[&str] = &[
            "log",
            "info",
            "debug",
            "warn",
            "warning",
            "error",
            "exception",
            "critical",
            "trace",
            "fatal",
        ];
        let python = self.python(f.module);
        let is_log = match (canon, method) {
            (Some(c), _) if c.starts_with("console.") => true,
            (Some("print"), _) if python => true,
            (Some(c), Some(m)) if c.starts_with("logging.") && LEVELS.contains(&m) => true,
            (_, Some(m)) if LEVELS.contains(&m) => {
                let recv_name = match &call.callee.kind {
                    ExprKind::Member(obj, _) => obj.last_name().unwrap_or("").to_ascii_lowercase(),
                    _ => String::new(),
                };
                recv_name.contains("log") && recv.is_none_or(|r| r.src.is_none())
            }
            _ => false,
        };
        if !is_log {
            return;
        }
        for (a, v) in call.args.iter().zip(args) {
            // `JSON.stringify(event)`: look at what is serialised.
            let (e, v) = match &a.value.kind {
                ExprKind::Call(c)
                    if matches!(
                        c.callee.access_path().as_deref(),
                        Some("JSON.stringify" | "json.dumps" | "str" | "repr" | "String")
                    ) && c.positional(0).is_some() =>
                {
                    let inner = c.positional(0).unwrap_or(&a.value);
                    (inner, self.eval_quiet(f, inner))
                }
                _ => (&a.value, v.clone()),
            };
            if let Some(what) = self.sensitive(e, &v, 0) {
                let text = self.snippet(f.module, call.callee.span);
                self.record(
                    IssueKind::SensitiveLogging,
                    f.module,
                    a.value.span,
                    format!("`{text}` writes {what} to the logs"),
                    Vec::new(),
                );
            }
        }
    }

    /// What sensitive data an expression holds, if any.
    fn sensitive(&self, e: &Expr, v: &Val, depth: usize) -> Option<String> {
        if depth > 6 {
            return None;
        }
        if v.is_whole_event() {
            return Some(format!(
                "the whole event `{}` (with its attacker-supplied and credential fields)",
                v.src.as_ref().map(SrcObj::describe).unwrap_or_default()
            ));
        }
        match &e.kind {
            ExprKind::Name(n) | ExprKind::Member(_, n) if is_sensitive_name(n) => Some(format!(
                "`{}`",
                e.access_path().unwrap_or_else(|| n.clone())
            )),
            ExprKind::Member(_, n)
                if (n == "headers" || n == "multiValueHeaders") && v.src.is_some() =>
            {
                Some(format!(
                    "the request headers `{}` (with the Authorization header)",
                    e.access_path().unwrap_or_else(|| n.clone())
                ))
            }
            ExprKind::Template(parts) => parts
                .iter()
                .find_map(|p| self.sensitive(p, &Val::clean(), depth + 1)),
            ExprKind::Binary(_, a, b) => self
                .sensitive(a, &Val::clean(), depth + 1)
                .or_else(|| self.sensitive(b, &Val::clean(), depth + 1)),
            ExprKind::Object(props) => props.iter().find_map(|p| {
                if p.key.as_deref().is_some_and(is_sensitive_name) && !is_literal(&p.value) {
                    Some(format!("the field `{}`", p.key.as_deref().unwrap_or("")))
                } else {
                    let inner = v
                        .fields
                        .as_ref()
                        .and_then(|f| p.key.as_ref().and_then(|k| f.get(k)))
                        .cloned()
                        .unwrap_or_default();
                    self.sensitive(&p.value, &inner, depth + 1)
                }
            }),
            ExprKind::Call(c) => {
                let serialises = matches!(
                    c.callee.access_path().as_deref(),
                    Some("JSON.stringify" | "json.dumps" | "str" | "repr" | "String")
                );
                if serialises {
                    c.positional(0).and_then(|a| {
                        let av = if v.src.is_some() {
                            v.clone()
                        } else {
                            Val::clean()
                        };
                        self.sensitive(a, &av, depth + 1)
                    })
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    fn check_jwt(
        &mut self,
        f: &mut Frame,
        call: &Call,
        canon: Option<&str>,
        args: &[Val],
        span: Span,
    ) {
        let python = self.python(f.module);
        let text = self.snippet(f.module, span);
        let unverified = match canon {
            Some(
                "jsonwebtoken.decode"
                | "jwt-decode"
                | "jwt-decode.jwtDecode"
                | "jwt-decode.default",
            ) if !python => {
                Some("decodes the token without verifying its signature (use `jwt.verify`)")
            }
            Some("jwt.decode" | "jose.jwt.decode" | "jwt.api_jwt.decode") if python => {
                let verify_off = call
                    .keyword("verify")
                    .is_some_and(|e| matches!(e.kind, ExprKind::Bool(false)))
                    || call.keyword("options").is_some_and(|o| match &o.kind {
                        ExprKind::Object(props) => props.iter().any(|p| {
                            p.key.as_deref() == Some("verify_signature")
                                && matches!(p.value.kind, ExprKind::Bool(false))
                        }),
                        _ => false,
                    })
                    || call.keyword("algorithms").is_some_and(|a| match &a.kind {
                        ExprKind::Array(items) => items
                            .iter()
                            .any(|i| i.as_str().is_some_and(|s| s.eq_ignore_ascii_case("none"))),
                        _ => false,
                    });
                verify_off.then_some("decodes the token with signature verification turned off")
            }
            Some(
                "Buffer.from"
                | "atob"
                | "base64.b64decode"
                | "base64.urlsafe_b64decode"
                | "base64.decodebytes"
                | "base64url.decode",
            ) if args.first().is_some_and(|a| a.has(flags::JWT_PAYLOAD)) => Some(
                "reads the JWT payload by base64-decoding its middle segment, without verifying the signature",
            ),
            _ => None,
        };
        if let Some(why) = unverified {
            self.record(
                IssueKind::JwtWithoutVerification,
                f.module,
                span,
                format!("`{text}` {why}"),
                Vec::new(),
            );
        }
    }

    /// `res.send(err)`, `res.status(500).json({error: err.stack})`, `callback(null, {body: …})`.
    fn check_response(
        &mut self,
        f: &mut Frame,
        call: &Call,
        method: Option<&str>,
        args: &[Val],
        span: Span,
    ) {
        let root = call
            .callee
            .access_path()
            .or_else(|| {
                // `res.status(500).json(...)`
                let ExprKind::Member(obj, _) = &call.callee.kind else {
                    return None;
                };
                let ExprKind::Call(inner) = &obj.kind else {
                    return None;
                };
                inner.callee.access_path()
            })
            .unwrap_or_default();
        let first = root.split('.').next().unwrap_or("");
        let is_response = (matches!(first, "res" | "response" | "reply" | "ctx")
            && matches!(
                method,
                Some("send" | "json" | "end" | "write" | "jsonp" | "body")
            ))
            || matches!(root.as_str(), "callback" | "cb" | "done");
        if !is_response {
            return;
        }
        for v in args {
            self.check_error_leak(f.module, span, v);
        }
    }

    fn check_error_leak(&mut self, module: usize, span: Span, v: &Val) {
        let deep = v.deep_flags(0);
        if deep & (flags::ERROR_OBJ | flags::ERROR_TRACE) == 0 {
            return;
        }
        // A bare error object returned from a catch is rethrown by Lambda, not serialised.
        if v.fields.is_none()
            && deep & flags::ERROR_TRACE == 0
            && v.flags & flags::ERROR_OBJ != 0
            && !self.python(module)
        {
            let text = self.snippet(module, span);
            if text.starts_with("return") {
                return;
            }
        }
        let what = if deep & flags::ERROR_TRACE != 0 {
            "a stack trace"
        } else {
            "a raw error object"
        };
        let text = self.snippet(module, span);
        self.record(
            IssueKind::ErrorDetailsToClient,
            module,
            span,
            format!("`{text}` sends {what} to the client"),
            Vec::new(),
        );
    }
}

/// The event object named after the handler's parameter (`req`, `event`, `request`) in messages.
fn named_event(mut event: Val, param: Option<&Pattern>) -> Val {
    if let (Some(src), Some(Pattern::Name(n, _))) = (event.src.as_mut(), param) {
        src.root = Arc::from(n.as_str());
    }
    event
}

fn p_span(p: &Pattern) -> Span {
    match p {
        Pattern::Name(_, s) => *s,
        Pattern::Member(e) => e.span,
        _ => Span::default(),
    }
}

fn is_literal(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Str(_) | ExprKind::Const(_) | ExprKind::Bool(_)
    )
}

fn join_env(mut a: Env, b: &Env) -> Env {
    for (k, v) in b {
        match a.get_mut(k) {
            Some(existing) => {
                let joined = std::mem::take(existing).join(v);
                *existing = joined;
            }
            None => {
                a.insert(k.clone(), v.clone());
            }
        }
    }
    a
}
