//! One module's declarations (collected from every file of its directory) and the environment
//! that evaluates them: input variables, locals (lazily, with cycle detection), `data` sources that
//! are evaluated offline, and the collection of resource instances of this module and of the local
//! modules it calls (addresses prefixed `module.NAME[KEY].`, depth-limited). `repeat` expands
//! `count`/`for_each`; `calls` gives the value of a module call (its outputs, per instance).

mod calls;
mod repeat;

use super::eval::{MAX_DEPTH, iter_pairs};
use super::files::FileAccess;
use super::parse::ParsedFile;
use super::policy_document;
use super::scope::{Scope, Src};
use super::values::{key, list, map, str_node, to_text, unknown};
use super::{Mode, TfResource};
use hcl_edit::Span;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block, BlockLabel, Body, Structure};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use warden_model::{Key, Node, Val};
use warden_source::Origin;

/// Deepest chain of local module calls followed.
pub const MAX_MODULE_DEPTH: u32 = 8;
/// Most instances one `count`/`for_each` expands to.
pub const MAX_INSTANCES: usize = 256;
/// Most expression evaluations for one root module (hostile fan-out through modules, `for`
/// expressions and references ends in unknowns, not in a hang).
pub const MAX_STEPS: u64 = 5_000_000;
/// Most resource instances collected for one root module.
pub const MAX_RESOURCES: usize = 50_000;

/// A `resource` or `data` block.
#[derive(Debug)]
pub struct BlockDecl<'a> {
    pub mode: Mode,
    pub kind: String,
    pub name: String,
    pub file: &'a ParsedFile,
    pub block: &'a Block,
}

impl BlockDecl<'_> {
    /// True when the block has `count` or `for_each` (its instances have index keys).
    pub fn repeats(&self) -> bool {
        self.block.body.has_attribute("count") || self.block.body.has_attribute("for_each")
    }
}

/// Everything one module directory declares.
#[derive(Debug, Default)]
pub struct ModuleDecl<'a> {
    /// The directory relative to the scanned root (`""` for the root itself).
    pub dir: String,
    pub variables: Vec<(String, &'a ParsedFile, &'a Block)>,
    pub locals: HashMap<String, (&'a ParsedFile, &'a Attribute)>,
    pub outputs: HashMap<String, (&'a ParsedFile, &'a Block)>,
    pub blocks: Vec<BlockDecl<'a>>,
    /// `module` calls: name, file, block.
    pub calls: Vec<(String, &'a ParsedFile, &'a Block)>,
}

fn label(l: &BlockLabel) -> String {
    match l {
        BlockLabel::Ident(i) => i.value().as_str().to_string(),
        BlockLabel::String(s) => s.value().clone(),
    }
}

impl<'a> ModuleDecl<'a> {
    pub fn collect(dir: String, files: &[&'a ParsedFile]) -> Self {
        let mut m = ModuleDecl {
            dir,
            ..Self::default()
        };
        for file in files {
            for block in file.body.blocks() {
                let labels: Vec<String> = block.labels.iter().map(label).collect();
                match (block.ident.value().as_str(), labels.as_slice()) {
                    ("variable", [name]) => m.variables.push((name.clone(), file, block)),
                    ("output", [name]) => {
                        m.outputs.insert(name.clone(), (file, block));
                    }
                    ("locals", []) => {
                        for attr in block.body.attributes() {
                            m.locals
                                .insert(attr.key.value().as_str().to_string(), (file, attr));
                        }
                    }
                    ("resource", [kind, name]) | ("data", [kind, name]) => {
                        m.blocks.push(BlockDecl {
                            mode: if block.ident.value().as_str() == "data" {
                                Mode::Data
                            } else {
                                Mode::Managed
                            },
                            kind: kind.clone(),
                            name: name.clone(),
                            file,
                            block,
                        })
                    }
                    ("module", [name]) => m.calls.push((name.clone(), file, block)),
                    _ => {}
                }
            }
        }
        m
    }

    pub fn find(&self, mode: Mode, kind: &str, name: &str) -> Option<&BlockDecl<'a>> {
        self.blocks
            .iter()
            .find(|b| b.mode == mode && b.kind == kind && b.name == name)
    }

    /// The directories (relative to the scanned root) of the local modules this module calls.
    pub fn local_calls(&self) -> Vec<(String, Option<String>)> {
        self.calls
            .iter()
            .map(|(name, _, block)| {
                let source = block
                    .body
                    .get_attribute("source")
                    .and_then(|a| a.value.as_str().map(str::to_string));
                (name.clone(), source.and_then(|s| local_dir(&self.dir, &s)))
            })
            .collect()
    }
}

/// The directory a local module source (`./mod`, `../shared`) names, relative to the scanned root;
/// `None` for registry, git, or URL sources, and for paths that leave the root.
pub fn local_dir(from: &str, source: &str) -> Option<String> {
    if !(source.starts_with("./") || source.starts_with("../")) {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    for seg in source.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// `path.module` for `dir` seen from the root module's directory `root`.
fn relative_path(root: &str, dir: &str) -> String {
    if root == dir {
        return ".".into();
    }
    let r: Vec<&str> = root.split('/').filter(|p| !p.is_empty()).collect();
    let d: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let common = r.iter().zip(&d).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; r.len() - common];
    out.extend(&d[common..]);
    out.join("/")
}

/// The module declarations of a scan and the file access of one root module.
pub struct World<'a> {
    pub modules: &'a HashMap<String, ModuleDecl<'a>>,
    pub files: RefCell<FileAccess>,
    /// The root module's directory, relative to the scanned root.
    pub root_dir: String,
    /// Expression evaluations so far (see [`MAX_STEPS`]).
    pub steps: Cell<u64>,
}

#[derive(Debug, Clone)]
enum Slot {
    InProgress,
    Done(Node),
}

/// The evaluation environment of one module instance.
pub struct Env<'a> {
    pub world: &'a World<'a>,
    pub decl: &'a ModuleDecl<'a>,
    /// Address prefix of this module instance (`""`, `module.auth.`).
    pub prefix: String,
    pub vars: HashMap<String, Node>,
    pub path_module: String,
    pub level: u32,
    locals: RefCell<HashMap<String, Slot>>,
    data: RefCell<HashMap<String, Slot>>,
    /// Outputs of called modules, by `call[instance].output`.
    outputs: RefCell<HashMap<String, Node>>,
    /// Module calls whose `count`/`for_each` is being evaluated (cycle guard).
    expanding: RefCell<HashSet<String>>,
    /// Literal attributes of referenced blocks, by `address.attribute` (`None`: not literal or
    /// being computed).
    literals: RefCell<HashMap<String, Option<String>>>,
    depth: Cell<u32>,
}

impl<'a> Env<'a> {
    /// An environment for `decl` with variables bound: `inputs` win over declared defaults.
    pub fn new(
        world: &'a World<'a>,
        decl: &'a ModuleDecl<'a>,
        prefix: String,
        inputs: HashMap<String, Node>,
        level: u32,
    ) -> Self {
        let mut env = Env {
            world,
            decl,
            prefix,
            vars: HashMap::new(),
            path_module: relative_path(&world.root_dir, &decl.dir),
            level,
            locals: RefCell::new(HashMap::new()),
            data: RefCell::new(HashMap::new()),
            outputs: RefCell::new(HashMap::new()),
            expanding: RefCell::new(HashSet::new()),
            literals: RefCell::new(HashMap::new()),
            depth: Cell::new(0),
        };
        let mut vars = HashMap::new();
        for (name, file, block) in &decl.variables {
            if let Some(v) = inputs.get(name) {
                vars.insert(name.clone(), v.clone());
            } else if let Some(default) = block.body.get_attribute("default") {
                let path = format!("variable.{name}.default");
                vars.insert(
                    name.clone(),
                    env.expr(&default.value, src(file), &path, None),
                );
            }
        }
        env.vars = vars;
        env
    }

    /// Enters one level of nesting; false when too deep.
    pub fn enter(&self) -> bool {
        let d = self.depth.get();
        let steps = self.world.steps.get();
        if d >= MAX_DEPTH || steps >= MAX_STEPS {
            return false;
        }
        self.world.steps.set(steps + 1);
        self.depth.set(d + 1);
        true
    }

    pub fn leave(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }

    pub fn var(&self, name: &str, o: &Origin) -> Node {
        if let Some(v) = self.vars.get(name) {
            return v.clone();
        }
        let declared = self.decl.variables.iter().any(|(n, _, _)| n == name);
        let reason = if declared {
            "variable without default"
        } else {
            "undefined variable"
        };
        unknown(format!("var.{name}"), reason, o)
    }

    pub fn local(&self, name: &str, o: &Origin) -> Node {
        match self.locals.borrow().get(name) {
            Some(Slot::Done(v)) => return v.clone(),
            Some(Slot::InProgress) => {
                return unknown(
                    format!("local.{name}"),
                    "local value depends on itself (cycle)",
                    o,
                );
            }
            None => {}
        }
        let Some((file, attr)) = self.decl.locals.get(name) else {
            return unknown(format!("local.{name}"), "undefined local value", o);
        };
        self.locals
            .borrow_mut()
            .insert(name.to_string(), Slot::InProgress);
        let v = self.expr(&attr.value, src(file), &format!("locals.{name}"), None);
        self.locals
            .borrow_mut()
            .insert(name.to_string(), Slot::Done(v.clone()));
        v
    }

    fn child_decl(&self, block: &Block) -> Option<&'a ModuleDecl<'a>> {
        let source = block.body.get_attribute("source")?.value.as_str()?;
        let dir = local_dir(&self.decl.dir, source)?;
        self.world.modules.get(&dir)
    }

    /// The input variables of a module call, evaluated in this module.
    fn module_inputs(
        &self,
        file: &ParsedFile,
        block: &Block,
        call: &str,
        sc: Option<&Scope<'_>>,
    ) -> HashMap<String, Node> {
        let mut inputs = HashMap::new();
        for attr in block.body.attributes() {
            let k = attr.key.value().as_str();
            if matches!(
                k,
                "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
            ) {
                continue;
            }
            let path = format!("module.{call}.{k}");
            inputs.insert(k.to_string(), self.expr(&attr.value, src(file), &path, sc));
        }
        inputs
    }

    /// The evaluated value of a `data` source that can be read offline, `None` for the others.
    pub fn data_value(&self, decl: &BlockDecl<'_>, o: &Origin) -> Option<Node> {
        if !matches!(
            decl.kind.as_str(),
            "aws_iam_policy_document" | "archive_file"
        ) {
            return None;
        }
        let addr = format!("data.{}.{}", decl.kind, decl.name);
        match self.data.borrow().get(&addr) {
            Some(Slot::Done(v)) => return Some(v.clone()),
            Some(Slot::InProgress) => {
                return Some(unknown(addr, "data source depends on itself (cycle)", o));
            }
            None => {}
        }
        self.data
            .borrow_mut()
            .insert(addr.clone(), Slot::InProgress);
        let instances = self.instances(decl);
        let mut values = Vec::new();
        for (suffix, scope) in &instances {
            let path = format!("data.{}.{}{suffix}", decl.kind, decl.name);
            let body = self.body(
                &decl.block.body,
                src(decl.file),
                &path,
                scope.as_ref(),
                true,
            );
            values.push((suffix.clone(), self.data_object(decl, &body)));
        }
        let value = if decl.repeats() {
            let bo = src(decl.file).origin(decl.block.span(), &addr);
            if decl.block.body.has_attribute("count") {
                list(values.into_iter().map(|(_, v)| v).collect(), &bo)
            } else {
                map(
                    values
                        .into_iter()
                        .map(|(s, v)| {
                            let k = s.trim_start_matches("[\"").trim_end_matches("\"]");
                            (key(k, &bo), v)
                        })
                        .collect(),
                    &bo,
                )
            }
        } else {
            values.pop().map(|(_, v)| v)?
        };
        self.data
            .borrow_mut()
            .insert(addr, Slot::Done(value.clone()));
        Some(value)
    }

    fn data_object(&self, decl: &BlockDecl<'_>, body: &Node) -> Node {
        let o = &body.origin;
        match decl.kind.as_str() {
            "aws_iam_policy_document" => {
                let doc = policy_document::document(body);
                map(
                    vec![
                        (key("json", o), doc.clone()),
                        (key("minified_json", o), doc),
                    ],
                    o,
                )
            }
            _ => {
                // archive_file: the archive stands for the directory or file it packs, so a
                // function's `filename` leads to its code.
                let source = body
                    .get("source_dir")
                    .or_else(|| body.get("source_file"))
                    .cloned()
                    .unwrap_or_else(|| unknown("archive_file", "archive without a source", o));
                map(
                    vec![
                        (key("output_path", o), source.clone()),
                        (key("source_dir", o), source),
                    ],
                    o,
                )
            }
        }
    }

    /// The value of attribute `attr` of a block when it is known without apply (a literal name).
    pub fn literal_attr(&self, decl: &BlockDecl<'_>, attr: &str) -> Option<String> {
        let a = decl.block.body.get_attribute(attr)?;
        if let Some(s) = a.value.as_str() {
            return Some(s.to_string());
        }
        if decl.repeats() {
            return None;
        }
        let cache_key = format!("{}.{}.{attr}", decl.kind, decl.name);
        if let Some(hit) = self.literals.borrow().get(&cache_key) {
            return hit.clone();
        }
        self.literals.borrow_mut().insert(cache_key.clone(), None);
        let v = self.expr(&a.value, src(decl.file), attr, None);
        let known = match &v.val {
            Val::Str(s) | Val::Num(s) => Some(s.clone()),
            _ => None,
        };
        self.literals.borrow_mut().insert(cache_key, known.clone());
        known
    }

    /// `file`, `fileexists`, `filebase64`, `templatefile`, confined to the scanned root.
    pub fn file_function(&self, name: &str, args: &[Node], text: String, o: &Origin) -> Node {
        let Some(path) = args.first().and_then(to_text) else {
            return unknown(text, format!("{name}() of a path not known statically"), o);
        };
        let mut files = self.world.files.borrow_mut();
        if name == "fileexists" {
            return super::values::bool_node(files.exists(&path), o);
        }
        let read = files.read(&path, &o.file);
        drop(files);
        let source = match read {
            Ok(s) => s,
            Err(reason) => return unknown(text, reason, o),
        };
        match name {
            "file" => str_node(source.text.to_string(), o),
            "templatefile" => {
                let vars = args.get(1).cloned();
                match hcl_edit::parser::parse_template(&source.text) {
                    Ok(t) => {
                        let vars = vars
                            .filter(Node::is_map)
                            .unwrap_or_else(|| map(Vec::new(), o));
                        let scope = Scope::bind(None, super::scope::ALL_NAMES, vars);
                        let tsrc = Src {
                            rel: &source.path,
                            text: &source.text,
                        };
                        let mut out = self.template(&t, tsrc, "", Some(&scope), o);
                        out.origin = o.clone();
                        out
                    }
                    Err(e) => unknown(text, format!("templatefile(): {}", e.message()), o),
                }
            }
            _ => unknown(text, format!("{name}() is not evaluated"), o),
        }
    }

    /// Evaluates a block body into a map: attributes, nested blocks as lists of maps, `dynamic`
    /// blocks expanded. `top` skips the meta-arguments of a resource.
    pub fn body(
        &self,
        body: &Body,
        s: Src<'_>,
        path: &str,
        sc: Option<&Scope<'_>>,
        top: bool,
    ) -> Node {
        let o = s.origin(body.span(), path);
        let mut entries: Vec<(Key, Node)> = Vec::new();
        let push_block =
            |entries: &mut Vec<(Key, Node)>, name: &str, ko: Origin, v: Node| match entries
                .iter_mut()
                .find(|(k, _)| k.name == name)
            {
                Some((
                    _,
                    Node {
                        val: Val::List(l), ..
                    },
                )) => l.push(v),
                _ => {
                    let lo = v.origin.clone();
                    entries.push((
                        Key {
                            name: name.to_string(),
                            origin: ko,
                        },
                        list(vec![v], &lo),
                    ))
                }
            };
        for st in body.iter() {
            match st {
                Structure::Attribute(a) => {
                    let k = a.key.value().as_str();
                    if top && matches!(k, "count" | "for_each" | "depends_on" | "provider") {
                        continue;
                    }
                    let p = format!("{path}.{k}");
                    let v = self.expr(&a.value, s, &p, sc);
                    entries.push((
                        Key {
                            name: k.to_string(),
                            origin: s.origin(a.key.span(), &p),
                        },
                        v,
                    ));
                }
                Structure::Block(b) => {
                    let ident = b.ident.value().as_str();
                    if top && matches!(ident, "lifecycle" | "provisioner" | "connection") {
                        continue;
                    }
                    if ident == "dynamic" {
                        let Some(name) = b.labels.first().map(label) else {
                            continue;
                        };
                        let p = format!("{path}.{name}");
                        let ko = s.origin(b.ident.span(), &p);
                        for item in self.dynamic(b, &name, s, &p, sc) {
                            push_block(&mut entries, &name, ko.clone(), item);
                        }
                        continue;
                    }
                    let p = format!("{path}.{ident}");
                    let v = self.body(&b.body, s, &p, sc, false);
                    let v = Node::new(v.val, s.origin(b.span(), &p));
                    push_block(&mut entries, ident, s.origin(b.ident.span(), &p), v);
                }
            }
        }
        map(entries, &o)
    }

    fn dynamic(
        &self,
        b: &Block,
        name: &str,
        s: Src<'_>,
        path: &str,
        sc: Option<&Scope<'_>>,
    ) -> Vec<Node> {
        let o = s.origin(b.span(), path);
        let Some(content) = b.body.get_blocks("content").next() else {
            return Vec::new();
        };
        let iterator = b
            .body
            .get_attribute("iterator")
            .and_then(|a| a.value.as_variable().map(|v| v.as_str().to_string()))
            .unwrap_or_else(|| name.to_string());
        let coll = match b.body.get_attribute("for_each") {
            Some(a) => self.expr(&a.value, s, path, sc),
            None => return Vec::new(),
        };
        let Some(pairs) = iter_pairs(&coll) else {
            let it = map(
                vec![
                    (
                        key("key", &o),
                        unknown(
                            format!("{iterator}.key"),
                            "dynamic block over values not known statically",
                            &o,
                        ),
                    ),
                    (
                        key("value", &o),
                        unknown(
                            format!("{iterator}.value"),
                            "dynamic block over values not known statically",
                            &o,
                        ),
                    ),
                ],
                &o,
            );
            let inner = Scope::bind(sc, iterator, it);
            return vec![self.body(&content.body, s, path, Some(&inner), false)];
        };
        let list_like = matches!(coll.val, Val::List(_));
        pairs
            .into_iter()
            .take(MAX_INSTANCES)
            .map(|(k, v)| {
                let k = if list_like { v.clone() } else { k };
                let it = map(vec![(key("key", &o), k), (key("value", &o), v)], &o);
                let inner = Scope::bind(sc, iterator.clone(), it);
                let body = self.body(&content.body, s, path, Some(&inner), false);
                Node::new(body.val, o.clone())
            })
            .collect()
    }

    /// The instances of a block: address suffix and the `count`/`each` binding.
    pub fn instances(&self, decl: &BlockDecl<'_>) -> Vec<(String, Option<Scope<'static>>)> {
        self.expand(
            &decl.block.body,
            decl.file,
            &format!("{}.{}", decl.kind, decl.name),
        )
    }

    /// Every resource and data instance of this module and of the local modules it calls.
    pub fn resources(&self, out: &mut Vec<TfResource>) {
        for decl in &self.decl.blocks {
            for (suffix, scope) in self.instances(decl) {
                if out.len() >= MAX_RESOURCES {
                    return;
                }
                let (head, path) = match decl.mode {
                    Mode::Managed => (
                        format!("{}.{}", decl.kind, decl.name),
                        format!("resource.{}.{}", decl.kind, decl.name),
                    ),
                    Mode::Data => (
                        format!("data.{}.{}", decl.kind, decl.name),
                        format!("data.{}.{}", decl.kind, decl.name),
                    ),
                };
                let s = src(decl.file);
                let body = self.body(&decl.block.body, s, &path, scope.as_ref(), true);
                out.push(TfResource {
                    address: format!("{}{head}{suffix}", self.prefix),
                    mode: decl.mode,
                    kind: decl.kind.clone(),
                    name: decl.name.clone(),
                    origin: s.origin(decl.block.span(), &path),
                    body,
                });
            }
        }
        if self.level >= MAX_MODULE_DEPTH {
            return;
        }
        for (call, file, block) in &self.decl.calls {
            let Some(child) = self.child_decl(block) else {
                continue; // remote module: never fetched
            };
            for (suffix, scope) in self.expand(&block.body, file, &format!("module.{call}")) {
                let inputs = self.module_inputs(file, block, call, scope.as_ref());
                let env = Env::new(
                    self.world,
                    child,
                    format!("{}module.{call}{suffix}.", self.prefix),
                    inputs,
                    self.level + 1,
                );
                env.resources(out);
            }
        }
    }

    /// Evaluates a standalone expression text (a `--var` value or a `.tfvars` entry).
    pub fn literal(&self, e: &Expression, s: Src<'_>, path: &str) -> Node {
        self.expr(e, s, path, None)
    }
}

pub fn src(file: &ParsedFile) -> Src<'_> {
    Src {
        rel: &file.rel,
        text: &file.source.text,
    }
}
