//! Serverless Framework (`serverless.yml`/`.yaml`/`.json`, v3 and v4, AWS provider) into the model.
//!
//! [`lower`] runs the steps in order, each in its own module:
//!
//! 1. [`variables`] resolves `${…}` ([`syntax`] parses it; [`files`] reads `${file(…)}` inside
//!    the scanned root only);
//! 2. [`resources`] builds a CloudFormation template from `resources` plus the logical ids the
//!    framework generates, lowered by [`crate::cfn`]; its intrinsic resolver then resolves the
//!    intrinsics written in `provider` and `functions`;
//! 3. [`iam`] plans the execution roles, [`events`] turns events into triggers and API routes,
//!    [`functions`] builds each function;
//! 4. what `resources` declared is merged in.
//!
//! Function ids are the keys of `functions` (what the user writes); generated ids follow the
//! framework's naming ([`naming`]). `serverless.ts`/`.js` are never executed: [`is_script_config`]
//! lets the loader report them as unsupported.

pub mod events;
pub mod files;
pub mod functions;
pub mod iam;
pub mod naming;
pub mod resources;
pub mod service;
pub mod syntax;
pub mod variables;

use crate::cfn::{self, context::Context, context::ParamOverrides, intrinsics::Resolver};
use crate::document::Limits;
use files::Confinement;
use resources::Placeholder;
use service::Service;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use warden_model::{App, Format, Key, Node, ScanError, Val};
use warden_source::SourceFile;

pub use variables::Options;

/// True for a Serverless Framework configuration written as code (`serverless.ts`, `.js`, …),
/// which Warden never executes.
pub fn is_script_config(file_name: &str) -> bool {
    matches!(
        file_name,
        "serverless.ts" | "serverless.js" | "serverless.cjs" | "serverless.mjs" | "serverless.mts"
    )
}

/// The message reported for a configuration written as code.
pub const SCRIPT_CONFIG_ERROR: &str = "not executed: unsupported (a Serverless Framework configuration written as code is never run; write it as serverless.yml to scan it)";

/// One `serverless.yml` to lower.
pub struct Input<'a> {
    /// Path relative to the scanned root.
    pub file: Arc<str>,
    pub source: &'a Arc<SourceFile>,
    pub root: &'a Node,
    /// The canonical scanned root directory.
    pub scan_root: &'a Path,
    /// The file's path on disk (its directory is the service directory).
    pub path: &'a Path,
    pub options: &'a Options,
    pub params: &'a ParamOverrides,
    pub limits: &'a Limits,
    pub max_file_size: u64,
}

/// The app, the texts of the files `${file(…)}` read, and the problems found.
#[derive(Debug, Default)]
pub struct Lowered {
    pub app: Option<App>,
    pub sources: Vec<Arc<SourceFile>>,
    pub errors: Vec<ScanError>,
}

pub fn lower(input: &Input<'_>) -> Lowered {
    let mut out = Lowered::default();
    let rel = input.file.to_string();
    if !input.root.is_map() {
        out.errors.push(ScanError::new(
            &rel,
            "not a Serverless Framework configuration: the document is not a mapping",
        ));
        return out;
    }
    let service_dir = input
        .path
        .parent()
        .map_or_else(|| input.scan_root.to_path_buf(), Path::to_path_buf);
    let conf = Confinement {
        root: input.scan_root.to_path_buf(),
        service_dir: service_dir.canonicalize().unwrap_or(service_dir),
        max_file_size: input.max_file_size,
        limits: input.limits.clone(),
    };
    let mut vars = variables::Resolver::new(Arc::new(input.root.clone()), input.options, &conf);
    let config = vars.resolve_config();
    let stage = vars.stage(0);
    let problems = std::mem::take(&mut vars.problems);
    out.sources = std::mem::take(&mut vars.files.sources);
    for p in problems {
        let line = std::iter::once(input.source)
            .chain(out.sources.iter())
            .find(|s| *s.path == *p.origin.file)
            .map(|s| s.position(p.origin.span.start).line);
        let file = p.origin.file.to_string();
        out.errors.push(ScanError::new(
            file,
            match line {
                Some(l) => format!("line {l}: {}", p.message),
                None => p.message,
            },
        ));
    }

    let provider_name = config.at(&["provider", "name"]).and_then(Node::as_str);
    if let Some(name) = provider_name
        && name != "aws"
    {
        out.errors.push(ScanError::new(
            &rel,
            format!(
                "Serverless Framework provider `{name}` is not supported (only `aws`); not scanned"
            ),
        ));
        return out;
    }
    out.app = Some(build(input, &config, stage));
    out
}

/// `functions` entries (a map, or a list of maps merged in order).
fn function_entries(config: &Node) -> Vec<(Key, Node)> {
    let mut out: Vec<(Key, Node)> = Vec::new();
    let blocks: Vec<&Node> = match config.get("functions") {
        Some(f) if matches!(f.val, Val::List(_)) => f.items().iter().collect(),
        Some(f) => vec![f],
        None => Vec::new(),
    };
    for block in blocks {
        for (k, v) in block.entries() {
            let def = if v.is_map() {
                v.clone()
            } else {
                Node::new(Val::Map(Vec::new()), k.origin.clone())
            };
            match out.iter_mut().find(|(ek, _)| ek.name == k.name) {
                Some(existing) => existing.1 = def,
                None => out.push((k.clone(), def)),
            }
        }
    }
    out
}

fn build(input: &Input<'_>, config: &Node, stage: String) -> App {
    let origin = config
        .entry("service")
        .map_or_else(|| config.origin.clone(), |(k, _)| k.origin.clone());
    let raw_functions = function_entries(config);
    let keys: Vec<String> = raw_functions.iter().map(|(k, _)| k.name.clone()).collect();
    let synthetic = resources::synthetic(
        config.get("resources"),
        &resources::generated_ids(&keys),
        &origin,
    );
    let lowered = cfn::lower(input.file.clone(), &synthetic.template, input.params);

    // Intrinsics written in `provider` and `functions` (`!GetAtt Table.Arn`, `!Ref Bucket`).
    let ctx = Context::new(input.file.clone(), &synthetic.template, input.params);
    let resolver = Resolver::new(&ctx, input.params);
    let empty = Node::new(Val::Map(Vec::new()), origin.clone());
    let provider = config
        .get("provider")
        .map_or_else(|| empty.clone(), |p| resolver.resolve_or_null(p));
    let provider = if provider.is_map() { provider } else { empty };
    let functions: Vec<(Key, Node)> = raw_functions
        .into_iter()
        .map(|(k, v)| {
            let r = resolver.resolve_or_null(&v);
            let r = if r.is_map() {
                r
            } else {
                Node::new(Val::Map(Vec::new()), k.origin.clone())
            };
            (k, r)
        })
        .collect();

    let svc = Service {
        config,
        provider: &provider,
        functions: functions.iter().map(|(k, v)| (k, v)).collect(),
        service: config
            .get("service")
            .cloned()
            .unwrap_or_else(|| service::str_node("service", &origin)),
        stage,
        types: synthetic.types.clone(),
        origin: origin.clone(),
    };

    let mut app = App::new(input.file.to_string(), Format::ServerlessFramework);
    let managed_docs: iam::ManagedDocs = lowered
        .as_ref()
        .map(|a| {
            a.resources
                .iter()
                .filter(|r| r.kind == "AWS::IAM::ManagedPolicy")
                .filter_map(|r| Some((r.id.clone(), r.properties.get("PolicyDocument")?.clone())))
                .collect()
        })
        .unwrap_or_default();
    let plan = iam::plan(&svc, &managed_docs);
    let mut generated = events::Generated::default();
    for (key, def) in &svc.functions {
        let triggers = events::lower(&svc, &key.name, def, &mut generated);
        let role = plan
            .links
            .get(&key.name)
            .cloned()
            .unwrap_or(warden_model::RoleLink::Missing);
        app.functions
            .push(functions::lower(&svc, key, def, role, triggers));
    }
    app.roles = plan.roles;
    app.apis.extend(generated.rest);
    app.apis.extend(generated.http);
    app.resources.extend(generated.resources);
    if let Ok(lowered) = lowered {
        resources::merge(&mut app, lowered, &synthetic.placeholders);
    }
    // Roles the framework generates for functions that name their own role are not deployed.
    app.roles.retain(|r| {
        !matches!(synthetic.placeholders.get(&r.id), Some(Placeholder::Role))
            || app
                .functions
                .iter()
                .any(|f| matches!(&f.role, warden_model::RoleLink::Resource(id) if *id == r.id))
    });
    app
}

/// The canonical directory `${file(…)}` is confined to, for a scan of `root` (a directory or a
/// single file).
pub fn confinement_root(root: &Path) -> Option<PathBuf> {
    let canonical = root.canonicalize().ok()?;
    if canonical.is_file() {
        canonical.parent().map(Path::to_path_buf)
    } else {
        Some(canonical)
    }
}
