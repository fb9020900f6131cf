//! Serverless Framework variables: `${self:…}`, `${opt:…}`, `${sls:stage}`, `${file(…)}`,
//! `${param:…}`, `${env:…}`, `${strToBool(…)}`, and the external stores that stay unknown.
//!
//! [`Resolver::resolve_config`] returns the configuration with every variable replaced:
//!
//! * a string that is exactly one variable takes the referenced value with its type and its
//!   origin (a map from `${file(…)}` keeps its lines in that file); a variable inside a longer
//!   string is concatenated (scalars only) and the string keeps its own origin;
//! * fallbacks apply when a source has no value (`${opt:stage, 'dev'}` without `--opt stage=…`);
//!   a source that exists but is unknown offline makes the whole variable unknown;
//! * `${ssm:}`, `${param:}` (outside the `params`/`stages` blocks), `${cf:}`, `${s3:}`, `${aws:}`,
//!   `${secretsmanager:}` and other stores become [`Unknown`] values marked `external_secret`
//!   (never plaintext); `${env:}` is read only with `allow_env`;
//! * cycles (`a: ${self:b}`, `b: ${self:a}`), nesting deeper than [`MAX_DEPTH`], expansion beyond
//!   the node budget and invalid syntax become unknown values and [`Problem`]s, never a panic.

use super::files::{Confinement, FileCache, FileFailure};
use super::syntax::{self, Literal, Part, Source, Template, Variable};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use warden_model::{Key, Node, Unknown, Val};
use warden_source::Origin;

/// Deepest chain of variables resolved through one another.
pub const MAX_DEPTH: usize = 48;
/// Most nodes the resolved configuration may hold (alias-style expansion bombs stop here).
pub const MAX_NODES: usize = 500_000;

/// How variables that depend on the environment of a deployment are resolved.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Read `${env:…}` (from [`Options::env`], then the process environment).
    pub allow_env: bool,
    /// Environment values given explicitly (tests, `--env NAME=VALUE`).
    pub env: BTreeMap<String, String>,
    /// CLI options for `${opt:…}` (`stage`, `region`, …).
    pub cli: BTreeMap<String, String>,
}

/// Something wrong in the variables of a file, with where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub origin: Origin,
    pub message: String,
}

/// The outcome of one source.
enum Got {
    Found(Node),
    /// No value: the next fallback applies.
    Missing(String),
    Unknown(Unknown),
}

pub struct Resolver<'a> {
    root: Arc<Node>,
    opts: &'a Options,
    conf: &'a Confinement,
    pub files: FileCache,
    memo: HashMap<(Arc<str>, Arc<str>), Node>,
    in_progress: HashSet<(Arc<str>, Arc<str>)>,
    nodes: usize,
    budget_exceeded: bool,
    pub problems: Vec<Problem>,
}

impl<'a> Resolver<'a> {
    pub fn new(root: Arc<Node>, opts: &'a Options, conf: &'a Confinement) -> Self {
        Self {
            root,
            opts,
            conf,
            files: FileCache::default(),
            memo: HashMap::new(),
            in_progress: HashSet::new(),
            nodes: 0,
            budget_exceeded: false,
            problems: Vec::new(),
        }
    }

    /// The whole configuration with every variable resolved.
    pub fn resolve_config(&mut self) -> Node {
        let root = self.root.clone();
        self.resolve_node(&root, 0)
    }

    fn problem(&mut self, origin: &Origin, message: impl Into<String>) {
        let message = message.into();
        if !self
            .problems
            .iter()
            .any(|p| p.origin == *origin && p.message == message)
        {
            self.problems.push(Problem {
                origin: origin.clone(),
                message,
            });
        }
    }

    /// Charges `n` nodes to the budget; false (and one problem) once it is exhausted.
    fn charge(&mut self, n: usize, origin: &Origin) -> bool {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            if !self.budget_exceeded {
                self.budget_exceeded = true;
                self.problem(
                    origin,
                    format!("variables expand to more than {MAX_NODES} values; the rest is left unresolved"),
                );
            }
            return false;
        }
        true
    }

    fn resolve_node(&mut self, raw: &Node, depth: usize) -> Node {
        match &raw.val {
            Val::Str(s) if syntax::may_have_variables(s) => self.resolve_string_memo(raw, s, depth),
            Val::List(items) => Node::new(
                Val::List(items.iter().map(|i| self.resolve_node(i, depth)).collect()),
                raw.origin.clone(),
            ),
            Val::Map(entries) => Node::new(
                Val::Map(
                    entries
                        .iter()
                        .map(|(k, v)| (k.clone(), self.resolve_node(v, depth)))
                        .collect(),
                ),
                raw.origin.clone(),
            ),
            _ => raw.clone(),
        }
    }

    fn resolve_string_memo(&mut self, raw: &Node, s: &str, depth: usize) -> Node {
        let key = (raw.origin.file.clone(), raw.origin.path.clone());
        if let Some(hit) = self.memo.get(&key).cloned() {
            return self.substitute(hit, raw);
        }
        if self.in_progress.contains(&key) {
            self.problem(&raw.origin, format!("cyclic variable reference in `{s}`"));
            return Node::unknown(
                Unknown::new(s, "cyclic variable reference"),
                raw.origin.clone(),
            );
        }
        if depth > MAX_DEPTH {
            self.problem(
                &raw.origin,
                format!("variables nested deeper than {MAX_DEPTH} levels in `{s}`"),
            );
            return Node::unknown(
                Unknown::new(s, "variables nested too deep"),
                raw.origin.clone(),
            );
        }
        self.in_progress.insert(key.clone());
        let resolved = self.resolve_string(raw, s, depth);
        self.in_progress.remove(&key);
        self.memo.insert(key, resolved.clone());
        self.substitute(resolved, raw)
    }

    /// Charges a variable's value to the budget each time it is substituted (a value referenced
    /// twice per level doubles per level: the budget stops that, not the walk of the document).
    fn substitute(&mut self, value: Node, raw: &Node) -> Node {
        if self.charge(count(&value), &raw.origin) {
            value
        } else {
            budget_unknown(raw)
        }
    }

    fn resolve_string(&mut self, raw: &Node, s: &str, depth: usize) -> Node {
        let parts = match syntax::parse(s) {
            Ok(parts) => parts,
            Err(e) => {
                self.problem(
                    &raw.origin,
                    format!("invalid variable syntax in `{s}`: {e}"),
                );
                return Node::unknown(
                    Unknown::new(s, format!("invalid variable syntax: {}", e.message)),
                    raw.origin.clone(),
                );
            }
        };
        if let [Part::Var(var)] = parts.as_slice() {
            return match self.variable(var, &raw.origin, depth) {
                Got::Found(node) => node,
                Got::Unknown(u) => Node::unknown(u, raw.origin.clone()),
                Got::Missing(why) => Node::unknown(
                    Unknown::new(var_expr(var), format!("no value for {}: {why}", var.text)),
                    raw.origin.clone(),
                ),
            };
        }
        match self.render(&parts, &raw.origin, depth) {
            Ok(text) => Node::new(Val::Str(text), raw.origin.clone()),
            Err((partial, reason)) => Node::unknown(
                Unknown::new(s, reason).with_partial(partial),
                raw.origin.clone(),
            ),
        }
    }

    /// A template as a string; on failure the partial string (unknown parts as placeholders) and
    /// the first reason.
    fn render(
        &mut self,
        parts: &Template,
        origin: &Origin,
        depth: usize,
    ) -> Result<String, (String, String)> {
        let mut out = String::new();
        let mut failure: Option<String> = None;
        for part in parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Var(var) => {
                    let got = self.variable(var, origin, depth);
                    let unknown = match got {
                        Got::Found(node) => match scalar_text(&node) {
                            Some(text) => {
                                out.push_str(&text);
                                continue;
                            }
                            None => match node.as_unknown() {
                                Some(u) => u.clone(),
                                None => Unknown::new(
                                    var_expr(var),
                                    format!("{} is a map or list inside a string", var.text),
                                ),
                            },
                        },
                        Got::Unknown(u) => u,
                        Got::Missing(why) => {
                            Unknown::new(var_expr(var), format!("no value for {}: {why}", var.text))
                        }
                    };
                    out.push_str(&unknown.placeholder());
                    failure.get_or_insert(unknown.reason);
                }
            }
            if out.len() > self.conf.limits.max_scalar_bytes {
                self.problem(
                    origin,
                    "a variable expands to a string larger than the scalar limit",
                );
                return Err((String::new(), "string too large".into()));
            }
        }
        match failure {
            None => Ok(out),
            Some(reason) => Err((out, reason)),
        }
    }

    /// A template that must be a plain string (an address, a parameter).
    fn text(&mut self, t: &Template, origin: &Origin, depth: usize) -> Result<String, Unknown> {
        self.render(t, origin, depth).map_err(|(partial, reason)| {
            Unknown::new(partial.clone(), reason).with_partial(partial)
        })
    }

    fn variable(&mut self, var: &Variable, origin: &Origin, depth: usize) -> Got {
        let mut missing = Vec::new();
        let mut file_missing = false;
        for source in &var.sources {
            match self.source(source, origin, depth + 1) {
                Got::Found(node) if !matches!(node.val, Val::Null) => return Got::Found(node),
                Got::Found(_) => missing.push("null value".to_string()),
                Got::Missing(why) => {
                    file_missing |= matches!(source, Source::Ref { kind, .. } if kind == "file");
                    missing.push(why);
                }
                Got::Unknown(u) => return Got::Unknown(u),
            }
        }
        let why = missing.join("; ");
        if file_missing {
            self.problem(origin, format!("{}: {why}", var.text));
        }
        Got::Missing(why)
    }

    fn source(&mut self, source: &Source, origin: &Origin, depth: usize) -> Got {
        match source {
            Source::Literal(lit) => Got::Found(Node::new(
                match lit {
                    Literal::Str(s) => Val::Str(s.clone()),
                    Literal::Num(n) => Val::Num(n.clone()),
                    Literal::Bool(b) => Val::Bool(*b),
                    Literal::Null => Val::Null,
                },
                origin.clone(),
            )),
            Source::Nested(var) => self.variable(var, origin, depth),
            Source::Ref {
                kind,
                params,
                address,
            } => {
                let mut args = Vec::new();
                for p in params {
                    match self.text(p, origin, depth) {
                        Ok(s) => args.push(s),
                        Err(u) => return Got::Unknown(u),
                    }
                }
                let address = match address {
                    Some(a) => match self.text(a, origin, depth) {
                        Ok(s) => Some(s),
                        Err(u) => return Got::Unknown(u),
                    },
                    None => None,
                };
                self.reference(kind, &args, address.as_deref(), origin, depth)
            }
        }
    }

    fn reference(
        &mut self,
        kind: &str,
        args: &[String],
        address: Option<&str>,
        origin: &Origin,
        depth: usize,
    ) -> Got {
        let addr = address.unwrap_or("");
        let expr = match (args.is_empty(), address) {
            (true, _) => format!("{kind}:{addr}"),
            (false, None) => format!("{kind}({})", args.join(", ")),
            (false, Some(a)) => format!("{kind}({}):{a}", args.join(", ")),
        };
        match kind {
            "self" => self.lookup_self(addr, depth),
            "opt" => match self.opts.cli.get(addr) {
                Some(v) => Got::Found(Node::new(Val::Str(v.clone()), origin.clone())),
                None => Got::Missing(format!("option --{addr} not given")),
            },
            "sls" => match addr {
                "stage" => Got::Found(Node::new(Val::Str(self.stage(depth)), origin.clone())),
                "instanceId" => Got::Unknown(Unknown::new(expr, "known only at deploy time")),
                other => Got::Missing(format!("`sls:{other}` is not a framework variable")),
            },
            "env" => {
                if !self.opts.allow_env {
                    return Got::Unknown(Unknown::new(
                        expr,
                        "environment variables are read only with --allow-env",
                    ));
                }
                let value = self
                    .opts
                    .env
                    .get(addr)
                    .cloned()
                    .or_else(|| std::env::var(addr).ok());
                match value {
                    Some(v) => Got::Found(Node::new(Val::Str(v), origin.clone())),
                    None => Got::Missing(format!("environment variable {addr} not set")),
                }
            }
            "file" => self.file(
                args.first().map_or("", String::as_str),
                address,
                origin,
                depth,
            ),
            "param" => self.param(addr, &expr, depth),
            "strToBool" => match args.first().map(|s| s.trim()) {
                Some("true" | "1") => Got::Found(Node::new(Val::Bool(true), origin.clone())),
                Some("false" | "0" | "null") => {
                    Got::Found(Node::new(Val::Bool(false), origin.clone()))
                }
                _ => Got::Unknown(Unknown::new(
                    expr,
                    "strToBool of a value that is not a boolean",
                )),
            },
            "ssm" | "s3" | "cf" | "aws" | "secretsmanager" | "vault" | "terraform" => Got::Unknown(
                Unknown::new(
                    expr,
                    format!("`{kind}` values are read from an external store at deploy time"),
                )
                .secret_reference(),
            ),
            _ => Got::Unknown(Unknown::new(
                expr,
                format!(
                    "variable source `{kind}` (a plugin or unsupported source) is not resolved offline"
                ),
            )),
        }
    }

    /// `${sls:stage}`: `--opt stage=…`, else `provider.stage`, else `dev`.
    pub fn stage(&mut self, depth: usize) -> String {
        if let Some(s) = self.opts.cli.get("stage") {
            return s.clone();
        }
        match self.lookup_self("provider.stage", depth + 1) {
            Got::Found(n) => scalar_text(&n).unwrap_or_else(|| "dev".into()),
            _ => "dev".into(),
        }
    }

    /// `${param:name}`: the `params` block (v3) or `stages.<stage>.params` (v4) for the stage, then
    /// their `default`; otherwise a Dashboard parameter, unknown.
    fn param(&mut self, name: &str, expr: &str, depth: usize) -> Got {
        let stage = self.stage(depth);
        for path in [
            format!("params.{stage}.{name}"),
            format!("stages.{stage}.params.{name}"),
            format!("params.default.{name}"),
            format!("stages.default.params.{name}"),
        ] {
            if let Got::Found(n) = self.lookup_self(&path, depth + 1) {
                return Got::Found(n);
            }
        }
        Got::Unknown(
            Unknown::new(
                expr,
                "a Serverless Dashboard parameter, read at deploy time",
            )
            .secret_reference(),
        )
    }

    fn file(&mut self, path: &str, address: Option<&str>, origin: &Origin, depth: usize) -> Got {
        let expr = format!("file({path})");
        match self.files.load(self.conf, path) {
            Ok(root) => {
                let resolved = self.resolve_node(&root, depth + 1);
                match address {
                    None | Some("") => Got::Found(resolved),
                    Some(a) => navigate(resolved, &segments(a))
                        .unwrap_or_else(|| Got::Missing(format!("no `{a}` in {path}"))),
                }
            }
            Err(FileFailure::Missing(why)) => Got::Missing(why),
            Err(FileFailure::Script(why)) => {
                self.problem(origin, why.clone());
                Got::Unknown(Unknown::new(expr, why))
            }
            Err(FileFailure::Refused(why)) => {
                self.problem(origin, why.clone());
                Got::Unknown(Unknown::new(expr, why))
            }
        }
    }

    /// `${self:a.b.c}`: walks the raw configuration, resolving only what lies on the way.
    fn lookup_self(&mut self, address: &str, depth: usize) -> Got {
        let segs = segments(address);
        let root = self.root.clone();
        let mut raw: &Node = &root;
        for (i, seg) in segs.iter().enumerate() {
            if matches!(&raw.val, Val::Str(s) if syntax::may_have_variables(s)) {
                let resolved = self.resolve_node(raw, depth);
                return navigate(resolved, &segs[i..])
                    .unwrap_or_else(|| Got::Missing(format!("no `{address}` in serverless.yml")));
            }
            match child(raw, seg) {
                Some(next) => raw = next,
                None => return Got::Missing(format!("no `{address}` in serverless.yml")),
            }
        }
        Got::Found(self.resolve_node(raw, depth))
    }
}

fn segments(address: &str) -> Vec<&str> {
    address.split('.').filter(|s| !s.is_empty()).collect()
}

fn child<'n>(node: &'n Node, seg: &str) -> Option<&'n Node> {
    match &node.val {
        Val::Map(_) => node.get(seg),
        Val::List(items) => seg.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    }
}

/// Walks a resolved node; `None` when a key is missing.
fn navigate(node: Node, segs: &[&str]) -> Option<Got> {
    let mut cur = &node;
    for seg in segs {
        if let Some(u) = cur.as_unknown() {
            let mut u = u.clone();
            u.expr = format!("{}.{}", u.expr, segs.join("."));
            u.partial = None;
            return Some(Got::Unknown(u));
        }
        cur = child(cur, seg)?;
    }
    Some(Got::Found(cur.clone()))
}

/// A scalar as text when a variable is embedded in a string.
fn scalar_text(node: &Node) -> Option<String> {
    match &node.val {
        Val::Str(s) | Val::Num(s) => Some(s.clone()),
        Val::Bool(b) => Some(b.to_string()),
        Val::Null => Some("null".into()),
        _ => None,
    }
}

fn var_expr(var: &Variable) -> String {
    var.text
        .strip_prefix("${")
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(&var.text)
        .to_string()
}

fn count(node: &Node) -> usize {
    1 + match &node.val {
        Val::List(items) => items.iter().map(count).sum(),
        Val::Map(entries) => entries.iter().map(|(_, v)| count(v)).sum(),
        _ => 0,
    }
}

fn budget_unknown(raw: &Node) -> Node {
    Node::unknown(
        Unknown::new("…", "variable expansion budget exceeded"),
        raw.origin.clone(),
    )
}

/// A map node from entries (keys take the value's origin).
pub fn map_of(entries: Vec<(&str, Node)>, origin: &Origin) -> Node {
    Node::new(
        Val::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    (
                        Key {
                            name: k.to_string(),
                            origin: v.origin.clone(),
                        },
                        v,
                    )
                })
                .collect(),
        ),
        origin.clone(),
    )
}
