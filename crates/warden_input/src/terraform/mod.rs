//! Terraform: module directories parsed with `hcl-edit` (spans kept), evaluated (variables,
//! locals, functions, `count`/`for_each`, local modules) and lowered into the model. AWS resources
//! become CloudFormation-shaped resources so every rule applies unchanged ([`aws`]); Azure
//! ([`azure`]) and GCP ([`gcp`]) resources lower into functions, HTTP triggers and identity grants.
//!
//! [`load`] groups the discovered `.tf` files by directory. A directory is a root module unless
//! another scanned directory calls it as a local module (`source = "./..."`); each root module is
//! one [`App`] with [`Format::Terraform`]. Root variables come from defaults, `terraform.tfvars`
//! (then `terraform.tfvars.json`), `*.auto.tfvars` and `*.auto.tfvars.json` (by name), then
//! `--var` and `--var-file` in command-line order (later wins, as in Terraform); a variable without
//! a value is unknown.
//! Terraform's JSON syntax (`.tf.json`) is transcribed to HCL and evaluated the same way
//! ([`json_syntax`]).

pub mod aws;
pub mod azure;
mod eval;
mod files;
mod functions;
pub mod gcp;
mod json_syntax;
mod module;
mod parse;
mod policy_document;
mod scope;
mod suppress;
mod values;
mod var_file;

use crate::classify::FileKind;
use crate::discover::DiscoveredFile;
use crate::grouped::GroupLoad;
use crate::project::LoadOptions;
use module::{Env, ModuleDecl, World};
use parse::ParsedFile;
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use warden_model::{App, Format, Node};
use warden_source::Origin;

pub use var_file::VarFile;

/// Terraform input variables given on the command line.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--var` and `--var-file`, in command-line order (later wins).
    pub inputs: Vec<CliInput>,
}

/// One command-line source of variable values.
#[derive(Debug, Clone)]
pub enum CliInput {
    /// `--var NAME=VALUE`.
    Var { name: String, value: String },
    /// `--var-file FILE`, read and parsed before the scan ([`VarFile::read`]).
    File(Arc<VarFile>),
}

impl Options {
    /// Adds `--var NAME=VALUE`.
    pub fn var(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.inputs.push(CliInput::Var {
            name: name.into(),
            value: value.into(),
        });
    }

    /// The `--var-file` files, in order.
    fn files(&self) -> impl Iterator<Item = &VarFile> {
        self.inputs.iter().filter_map(|i| match i {
            CliInput::File(f) => Some(&**f),
            CliInput::Var { .. } => None,
        })
    }
}

/// Whether a block is a managed `resource` or a `data` source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Managed,
    Data,
}

/// One evaluated instance of a `resource` or `data` block.
#[derive(Debug, Clone)]
pub struct TfResource {
    /// Full address: `aws_lambda_function.api`, `module.auth.aws_iam_role.fn[0]`,
    /// `data.aws_iam_policy_document.read["logs"]`.
    pub address: String,
    pub mode: Mode,
    /// The resource type, e.g. `azurerm_linux_function_app`.
    pub kind: String,
    /// The block label after the type, e.g. `api`.
    pub name: String,
    /// The block header's origin (file, span, path `resource.aws_lambda_function.api`).
    pub origin: Origin,
    /// Evaluated attributes and nested blocks as a map. A nested block type that may repeat is a
    /// list of maps. A reference to another resource's attribute is `Unknown` with `resource` set
    /// to that resource's address (without the attribute), so lowerings can link resources.
    pub body: Node,
}

/// One directory's Terraform files.
#[derive(Default)]
struct Dir {
    /// Canonical path of the directory (from its files).
    abs: PathBuf,
    tf: Vec<ParsedFile>,
    /// `terraform.tfvars` then `*.auto.tfvars`, sorted.
    tfvars: Vec<ParsedFile>,
}

fn dir_of(rel: &str) -> String {
    rel.rsplit_once('/')
        .map_or(String::new(), |(d, _)| d.to_string())
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// An evaluated root module.
pub struct RootModule {
    /// The module's main file (`main.tf`, else the first `.tf` in sorted order).
    pub main: String,
    pub resources: Vec<TfResource>,
}

/// Loads every Terraform root module among the discovered files.
pub fn load(root: &Path, files: &[(DiscoveredFile, FileKind)], opts: &LoadOptions) -> GroupLoad {
    let mut out = GroupLoad::default();
    for module in evaluate(root, files, opts, &mut out) {
        let mut app = App::new(module.main, Format::Terraform);
        aws::lower(&mut app, &module.resources);
        azure::lower(&module.resources, &mut app);
        gcp::lower(&module.resources, &mut app);
        app.suppressions
            .extend(suppress::comments(&module.resources, &out.sources));
        if has_content(&app) {
            out.apps.push(app);
        }
    }
    out
}

/// Parses and evaluates every root module; sources and errors go to `out`.
pub fn evaluate(
    root: &Path,
    files: &[(DiscoveredFile, FileKind)],
    opts: &LoadOptions,
    out: &mut GroupLoad,
) -> Vec<RootModule> {
    let mut roots = Vec::new();
    let mut dirs: BTreeMap<String, Dir> = BTreeMap::new();
    // (file, is a .tfvars file); parsed in parallel, distributed in file order.
    let mut wanted: Vec<(&DiscoveredFile, bool)> = Vec::new();
    for (f, kind) in files {
        let name = file_name(&f.rel);
        if matches!(name, "terraform.tfvars" | "terraform.tfvars.json")
            || name.ends_with(".auto.tfvars")
            || name.ends_with(".auto.tfvars.json")
        {
            wanted.push((f, true));
            continue;
        }
        if *kind != FileKind::Terraform {
            continue;
        }
        let dir = dirs.entry(dir_of(&f.rel)).or_default();
        if let Some(parent) = f.path.parent() {
            dir.abs = parent.to_path_buf();
        }
        wanted.push((f, false));
    }
    // Variable files of directories without modules are not read.
    wanted.retain(|(f, vars)| !vars || dirs.contains_key(&dir_of(&f.rel)));
    // `terraform.tfvars` first, then `*.auto.tfvars` in name order.
    wanted.sort_by_key(|(f, vars)| {
        (
            *vars,
            !file_name(&f.rel).starts_with("terraform.tfvars"),
            f.rel.clone(),
        )
    });
    let parsed: Vec<_> = wanted
        .par_iter()
        .map(|(f, vars)| {
            (
                *vars,
                dir_of(&f.rel),
                parse::load_file(&f.path, &f.rel, f.size, opts.max_file_size, &opts.limits),
            )
        })
        .collect();
    let mut json_docs: HashMap<Arc<str>, Node> = HashMap::new();
    for (vars, d, result) in parsed {
        let loaded = match result {
            Ok(p) => p,
            Err(e) => {
                out.errors.push(e);
                continue;
            }
        };
        let Some(dir) = dirs.get_mut(&d) else {
            continue;
        };
        out.sources.push(loaded.shown);
        if let Some(doc) = loaded.json {
            json_docs.insert(loaded.file.rel.clone(), doc);
        }
        let p = loaded.file;
        if vars {
            dir.tfvars.push(p);
        } else {
            dir.tf.push(p);
        }
    }
    // Command-line variable files: shown once (unless the scan already read the same file).
    for vf in opts.terraform.files() {
        if let Some(doc) = &vf.json {
            json_docs.insert(vf.file.rel.clone(), doc.clone());
        }
        if !out.sources.iter().any(|s| s.path == vf.file.rel) {
            out.sources.push(vf.shown.clone());
        }
    }
    let decls: HashMap<String, ModuleDecl<'_>> = dirs
        .iter()
        .map(|(d, dir)| {
            let refs: Vec<&ParsedFile> = dir.tf.iter().collect();
            (d.clone(), ModuleDecl::collect(d.clone(), &refs))
        })
        .collect();
    let called: BTreeSet<String> = decls
        .values()
        .flat_map(|m| {
            m.local_calls()
                .into_iter()
                .filter_map(|(_, d)| d.filter(|d| *d != m.dir))
        })
        .collect();
    let scan_root = crate::serverless::confinement_root(root);
    let root_dirs: Vec<(&String, &Dir)> = dirs
        .iter()
        .filter(|(d, dir)| !called.contains(*d) && !dir.tf.is_empty())
        .collect();
    // Root modules evaluate independently (each with its own file access), in parallel.
    let evaluated: Vec<_> = root_dirs
        .par_iter()
        .filter_map(|(d, dir)| {
            let decl = decls.get(*d)?;
            let world = World {
                modules: &decls,
                files: RefCell::new(files::FileAccess::new(
                    scan_root.clone(),
                    dir.abs.clone(),
                    opts.max_file_size,
                )),
                root_dir: (*d).clone(),
                steps: std::cell::Cell::new(0),
            };
            let mut resources = evaluate_root(&world, decl, dir, &opts.terraform);
            if !json_docs.is_empty() {
                for r in &mut resources {
                    json_syntax::fix_origin(&mut r.origin, &json_docs);
                    json_syntax::fix_origins(&mut r.body, &json_docs);
                }
            }
            let access = world.files.into_inner();
            Some((
                RootModule {
                    main: main_file(dir),
                    resources,
                },
                access,
            ))
        })
        .collect();
    for (module, access) in evaluated {
        out.sources.extend(access.sources);
        out.errors.extend(access.errors);
        roots.push(module);
    }
    roots
}

/// The module's main file: `main.tf`, else the first `.tf` in sorted order.
fn main_file(dir: &Dir) -> String {
    let mut names: Vec<String> = dir.tf.iter().map(|f| f.rel.to_string()).collect();
    names.sort();
    names
        .iter()
        .find(|r| file_name(r) == "main.tf")
        .or_else(|| names.first())
        .cloned()
        .unwrap_or_default()
}

/// True when the app declares anything (a module of only variables or providers is no app).
fn has_content(app: &App) -> bool {
    !(app.functions.is_empty()
        && app.roles.is_empty()
        && app.apis.is_empty()
        && app.permissions.is_empty()
        && app.resources.is_empty()
        && app.identity_grants.is_empty())
}

/// Evaluates a root module with its variable values and returns every resource instance.
fn evaluate_root(
    world: &World<'_>,
    decl: &ModuleDecl<'_>,
    dir: &Dir,
    opts: &Options,
) -> Vec<TfResource> {
    let bare = Env::new(world, decl, String::new(), HashMap::new(), 0);
    let mut inputs: HashMap<String, Node> = HashMap::new();
    let assign = |f: &ParsedFile, inputs: &mut HashMap<String, Node>| {
        for attr in f.body.attributes() {
            let name = attr.key.value().as_str();
            let v = bare.literal(&attr.value, module::src(f), &format!("var.{name}"));
            inputs.insert(name.to_string(), v);
        }
    };
    for f in &dir.tfvars {
        assign(f, &mut inputs);
    }
    for input in &opts.inputs {
        match input {
            CliInput::Var { name, value } => {
                inputs.insert(name.clone(), cli_value(&bare, name, value));
            }
            CliInput::File(vf) => assign(&vf.file, &mut inputs),
        }
    }
    let env = Env::new(world, decl, String::new(), inputs, 0);
    let mut out = Vec::new();
    env.resources(&mut out);
    out
}

/// A `--var` value: a list or map literal when it looks like one, else the string as given.
fn cli_value(env: &Env<'_>, name: &str, value: &str) -> Node {
    // The value points at the variable's declaration (there is no file for the command line).
    let at = env
        .decl
        .variables
        .iter()
        .find(|(n, _, _)| n == name)
        .map(|(_, file, block)| {
            module::src(file).origin(hcl_edit::Span::span(*block), &format!("var.{name}"))
        })
        .unwrap_or_else(|| {
            Origin::new(
                std::sync::Arc::from("<--var>"),
                warden_source::Span::new(0, 0),
                format!("var.{name}"),
            )
        });
    let trimmed = value.trim_start();
    if (trimmed.starts_with('[') || trimmed.starts_with('{'))
        && let Ok(e) = hcl_edit::parser::parse_expr(value)
    {
        let s = scope::Src {
            rel: &at.file,
            text: value,
        };
        let mut node = env.literal(&e, s, &format!("var.{name}"));
        reorigin(&mut node, &at);
        return node;
    }
    values::str_node(value, &at)
}

/// Points every value and key of `node` at `at`.
fn reorigin(node: &mut Node, at: &Origin) {
    node.origin = at.clone();
    match &mut node.val {
        warden_model::Val::List(items) => items.iter_mut().for_each(|i| reorigin(i, at)),
        warden_model::Val::Map(entries) => {
            for (k, v) in entries {
                k.origin = at.clone();
                reorigin(v, at);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
