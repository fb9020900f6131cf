//! Abstract values of the taint engine: whether a value carries attacker-controlled data (and the
//! path it took), whether it is an event object some of whose fields are attacker-controlled, and
//! what known module member or local function it is.

use crate::ir::Function;
use std::collections::BTreeMap;
use std::sync::Arc;
use warden_source::Span;

/// At most this many steps are kept in a flow (the first ones and the last ones).
const MAX_STEPS: usize = 12;

/// One step of a data flow: a place in a file and what happens there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub file: Arc<str>,
    pub span: Span,
    pub message: String,
}

/// Attacker-controlled data and the steps it took from its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taint {
    pub steps: Vec<Step>,
}

impl Taint {
    pub fn source(step: Step) -> Arc<Taint> {
        Arc::new(Taint { steps: vec![step] })
    }

    /// This flow followed by one more step (consecutive steps on the same span are merged).
    pub fn then(self: &Arc<Taint>, step: Step) -> Arc<Taint> {
        if self
            .steps
            .last()
            .is_some_and(|s| s.span == step.span && s.file == step.file)
        {
            return self.clone();
        }
        let mut steps = self.steps.clone();
        if steps.len() >= MAX_STEPS {
            steps.remove(MAX_STEPS / 2);
        }
        steps.push(step);
        Arc::new(Taint { steps })
    }
}

/// Which fields of an event object are attacker-controlled: access paths where `*` matches any
/// index or key; an empty pattern means the whole object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaintSpec {
    pub patterns: Vec<(Vec<&'static str>, &'static str)>,
}

impl TaintSpec {
    /// The description of the tainted field matched by `path` (or a prefix of it).
    pub fn tainted(&self, path: &[Arc<str>]) -> Option<&'static str> {
        self.patterns.iter().find_map(|(p, label)| {
            (p.len() <= path.len() && p.iter().zip(path).all(|(a, b)| seg_eq(a, b)))
                .then_some(*label)
        })
    }

    /// True when some tainted field lies under `path`.
    pub fn contains_under(&self, path: &[Arc<str>]) -> bool {
        self.patterns
            .iter()
            .any(|(p, _)| p.len() > path.len() && p.iter().zip(path).all(|(a, b)| seg_eq(a, b)))
    }
}

fn seg_eq(pattern: &str, seg: &str) -> bool {
    pattern == "*" || seg == "*" || pattern.eq_ignore_ascii_case(seg)
}

/// An object (event, request) with attacker-controlled fields, seen at `path` below its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrcObj {
    pub spec: Arc<TaintSpec>,
    pub path: Vec<Arc<str>>,
    /// How the root is named in messages (`event`, `req`, `request`).
    pub root: Arc<str>,
    /// A web framework's request: its fields are parsed structures, not raw strings.
    pub framework: bool,
}

impl SrcObj {
    pub fn describe(&self) -> String {
        let mut s = self.root.to_string();
        for p in &self.path {
            if &**p == "*" {
                s.push_str("[]");
            } else {
                s.push('.');
                s.push_str(p);
            }
        }
        s
    }
}

/// A local function value and the module it was defined in.
#[derive(Debug, Clone)]
pub struct FuncRef {
    pub module: usize,
    pub func: Arc<Function>,
    /// The local variables of the enclosing function when a closure was created.
    pub captured: Option<Arc<std::collections::HashMap<String, Val>>>,
}

/// Facts about a value that specific rules read.
pub mod flags {
    /// Passed through `path.resolve`/`path.normalize`/`os.path.realpath`/`abspath`/`normpath`.
    pub const NORMALIZED: u16 = 1;
    /// A parsed structure (JSON-parsed body, Express `req.body`, `request.json`): may hold objects.
    pub const STRUCTURED: u16 = 1 << 1;
    /// A URL whose scheme and host are fixed by a constant prefix (`https://api.x/…`).
    pub const HOST_FIXED: u16 = 1 << 2;
    /// A raw error object (the parameter of a `catch`).
    pub const ERROR_OBJ: u16 = 1 << 3;
    /// Stack trace text (`err.stack`, `traceback.format_exc()`).
    pub const ERROR_TRACE: u16 = 1 << 4;
    /// The pieces of a dot-separated token (`token.split('.')`).
    pub const SPLIT_DOT: u16 = 1 << 5;
    /// The middle segment of a JWT (`token.split('.')[1]`).
    pub const JWT_PAYLOAD: u16 = 1 << 6;
    /// An XML parser configured to resolve external entities.
    pub const UNSAFE_XML: u16 = 1 << 7;
    /// A web framework application (Express, Flask, Chalice, FastAPI).
    pub const WEB_APP: u16 = 1 << 8;
    /// A pydantic model class (constructing it validates).
    pub const MODEL_CLASS: u16 = 1 << 9;
    /// The pieces of a path split on `/` (its last piece is a base name).
    pub const SPLIT_SLASH: u16 = 1 << 10;
    /// Flags that survive string building.
    pub const THROUGH_STRINGS: u16 = NORMALIZED | ERROR_TRACE | JWT_PAYLOAD;
}

/// An abstract value.
#[derive(Debug, Clone, Default)]
pub struct Val {
    pub taint: Option<Arc<Taint>>,
    pub src: Option<SrcObj>,
    /// A qualified name: a module (`child_process`), a member (`child_process.exec`), a call
    /// result (`express()`), or a builtin (`eval`).
    pub canon: Option<Arc<str>>,
    pub func: Option<FuncRef>,
    /// A local module (index in the program).
    pub module: Option<usize>,
    pub flags: u16,
    /// Known fields of an object literal.
    pub fields: Option<Arc<BTreeMap<String, Val>>>,
    /// Elements of a list literal (for `args` arrays of `spawn`).
    pub items: Option<Arc<Vec<Val>>>,
    /// Sink families (bits of [`crate::sinks::safe`]) this tainted value has been made safe for
    /// (`shlex.quote`: shell commands; `path.basename`: file paths).
    pub safe: u16,
    /// A class declared in the analysed code (calling it makes an instance with its methods).
    pub is_class: bool,
}

impl Val {
    pub fn clean() -> Val {
        Val::default()
    }

    pub fn canon(name: impl Into<Arc<str>>) -> Val {
        Val {
            canon: Some(name.into()),
            ..Val::default()
        }
    }

    pub fn tainted(t: Arc<Taint>, flags: u16) -> Val {
        Val {
            taint: Some(t),
            flags,
            ..Val::default()
        }
    }

    pub fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    /// The taint of this value used as a whole: its own, that of an event object holding
    /// attacker-controlled fields, or that of any known field or element.
    pub fn flat_taint(&self, at: impl FnOnce(&str) -> Step) -> Option<Arc<Taint>> {
        if let Some(t) = &self.taint {
            return Some(t.clone());
        }
        if let Some(src) = &self.src
            && (src.spec.contains_under(&src.path) || src.spec.tainted(&src.path).is_some())
        {
            return Some(Taint::source(at(&format!(
                "`{}` holds attacker-controlled fields",
                src.describe()
            ))));
        }
        self.fields
            .iter()
            .flat_map(|f| f.values())
            .chain(self.items.iter().flat_map(|i| i.iter()))
            .find_map(|v| v.taint.clone())
    }

    /// Joins two possible values (either may flow here).
    pub fn join(mut self, other: &Val) -> Val {
        self.safe = combine_safe(&[&self, other]);
        if self.taint.is_none() {
            self.taint = other.taint.clone();
        }
        if self.src.is_none() {
            self.src = other.src.clone();
        }
        if self.canon.is_none() {
            self.canon = other.canon.clone();
        }
        if self.func.is_none() {
            self.func = other.func.clone();
        }
        if self.module.is_none() {
            self.module = other.module;
        }
        if self.fields.is_none() {
            self.fields = other.fields.clone();
        }
        if self.items.is_none() {
            self.items = other.items.clone();
        }
        self.flags |= other.flags;
        self
    }

    /// Flags of this value and every known field, recursively (bounded).
    pub fn deep_flags(&self, depth: usize) -> u16 {
        let mut f = self.flags;
        if depth > 8 {
            return f;
        }
        for v in self.fields.iter().flat_map(|m| m.values()) {
            f |= v.deep_flags(depth + 1);
        }
        for v in self.items.iter().flat_map(|i| i.iter()) {
            f |= v.deep_flags(depth + 1);
        }
        f
    }

    /// True when the value is the root of an event object with attacker-controlled fields.
    pub fn is_whole_event(&self) -> bool {
        self.src.as_ref().is_some_and(|s| {
            s.path.is_empty()
                && (s.spec.contains_under(&s.path) || s.spec.tainted(&s.path).is_some())
        })
    }
}

/// What a value built from `parts` is safe for: what every tainted part is safe for.
pub fn combine_safe(parts: &[&Val]) -> u16 {
    parts
        .iter()
        .filter(|v| v.taint.is_some() || v.src.is_some() || v.fields.is_some() || v.items.is_some())
        .fold(u16::MAX, |acc, v| acc & v.safe)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &[&str]) -> Vec<Arc<str>> {
        p.iter().map(|s| Arc::from(*s)).collect()
    }

    #[test]
    fn spec_matches_prefixes_and_wildcards() {
        let spec = TaintSpec {
            patterns: vec![
                (vec!["body"], "body"),
                (vec!["Records", "*", "s3", "object", "key"], "key"),
            ],
        };
        assert_eq!(spec.tainted(&path(&["body", "cmd"])), Some("body"));
        assert_eq!(
            spec.tainted(&path(&["Records", "0", "s3", "object", "key"])),
            Some("key")
        );
        assert_eq!(spec.tainted(&path(&["Records", "0", "s3", "bucket"])), None);
        assert_eq!(
            spec.tainted(&path(&["Records", "*", "s3", "object", "key"])),
            Some("key")
        );
        assert!(spec.contains_under(&path(&["Records", "*", "s3"])));
        assert!(!spec.contains_under(&path(&["requestContext"])));
        assert_eq!(spec.tainted(&path(&["requestContext", "authorizer"])), None);
    }

    #[test]
    fn flows_are_bounded() {
        let step = |i: u32| Step {
            file: Arc::from("a.js"),
            span: Span::new(i, i + 1),
            message: format!("step {i}"),
        };
        let mut t = Taint::source(step(0));
        for i in 1..100 {
            t = t.then(step(i));
        }
        assert_eq!(t.steps.len(), MAX_STEPS);
        assert_eq!(t.steps[0].message, "step 0");
        assert_eq!(t.steps.last().unwrap().message, "step 99");
    }
}
