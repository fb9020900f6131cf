//! `warden iam generate FUNCTION [PATH]`: a least-privilege policy for one function, from the AWS
//! SDK calls of its handler code (and the local modules it imports) and the template that links
//! its environment variables to resources. Prints the policy document as JSON on stdout; what the
//! analysis could not see goes to stderr.

use crate::exit::CLEAN;
use anyhow::{Context as _, bail};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use warden_code::sdk::policy::{PolicyResource, PolicyStatement, statements};
use warden_code::sdk::{LoaderFiles, collect};
use warden_input::project::{self, LoadOptions};
use warden_model::{App, Function};

/// Arguments of `warden iam generate`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// The function's logical id (or name in `serverless.yml`); `TEMPLATE:ID` when several
    /// templates define it.
    function: String,
    /// The project directory (or one template file).
    #[arg(default_value = ".")]
    path: PathBuf,
}

fn resource_json(r: &PolicyResource) -> Value {
    match r {
        PolicyResource::Any => json!("*"),
        PolicyResource::Arn(s) => json!(s),
        PolicyResource::Sub(s) => json!({"Fn::Sub": s}),
    }
}

fn one_or_many(items: Vec<Value>) -> Value {
    match <[Value; 1]>::try_from(items) {
        Ok([one]) => one,
        Err(items) => Value::Array(items),
    }
}

fn sid(st: &PolicyStatement, used: &mut Vec<String>) -> String {
    let mut services: Vec<String> = st
        .actions
        .iter()
        .filter_map(|a| a.split(':').next())
        .map(|s| {
            s.split('-')
                .map(|p| {
                    let mut c = p.chars();
                    c.next()
                        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                        .unwrap_or_default()
                })
                .collect::<String>()
        })
        .collect();
    services.dedup();
    let base = services.join("");
    let mut name = base.clone();
    let mut n = 2;
    while used.contains(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    used.push(name.clone());
    name
}

/// The policy document for `statements`.
pub fn document(statements: &[PolicyStatement]) -> Value {
    let mut used = Vec::new();
    let list: Vec<Value> = statements
        .iter()
        .map(|st| {
            json!({
                "Sid": sid(st, &mut used),
                "Effect": "Allow",
                "Action": one_or_many(st.actions.iter().map(|a| json!(a)).collect()),
                "Resource": one_or_many(st.resources.iter().map(resource_json).collect()),
            })
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": list})
}

fn find<'a>(apps: &'a [App], wanted: &str) -> anyhow::Result<(&'a App, &'a Function)> {
    let (file, id) = match wanted.rsplit_once(':') {
        Some((f, id)) if !f.is_empty() => (Some(f), id),
        _ => (None, wanted),
    };
    let hits: Vec<(&App, &Function)> = apps
        .iter()
        .filter(|a| file.is_none_or(|f| a.file == f))
        .flat_map(|a| a.functions.iter().map(move |f| (a, f)))
        .filter(|(_, f)| f.id == id)
        .collect();
    match hits.as_slice() {
        [one] => Ok(*one),
        [] => {
            let known: Vec<&str> = apps
                .iter()
                .flat_map(|a| a.functions.iter().map(|f| f.id.as_str()))
                .collect();
            bail!(
                "no function `{wanted}` (functions: {})",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            )
        }
        many => bail!(
            "`{id}` is defined in several templates ({}): give TEMPLATE:{id}",
            many.iter()
                .map(|(a, _)| a.file.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Runs `warden iam generate`.
pub fn run(a: GenerateArgs) -> anyhow::Result<u8> {
    if !a.path.exists() {
        bail!("{} does not exist", a.path.display());
    }
    let project = project::load(&a.path, &LoadOptions::default())
        .with_context(|| format!("loading {}", a.path.display()))?;
    let (app, f) = find(&project.apps, &a.function)?;
    let root: &Path = if a.path.is_dir() {
        &a.path
    } else {
        a.path.parent().unwrap_or(Path::new("."))
    };
    let loader = warden_code::loader::Loader::new(root)?;
    let handler = warden_code::handler::resolve_with(&loader, app, f)
        .map_err(|e| anyhow::anyhow!("handler of `{}`: {e}", f.id))?
        .with_context(|| format!("`{}` has no local handler code to read", f.id))?;
    let rel = loader
        .confine(&handler.path)?
        .strip_prefix(loader.root())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let usage = collect(&LoaderFiles(&loader), &rel, Some(&handler.export));
    let stmts = statements(&usage, app, f);
    println!("{}", serde_json::to_string_pretty(&document(&stmts))?);
    eprintln!(
        "{}: {} SDK call(s), {} action(s), from {}",
        f.id,
        usage.calls.len(),
        usage.actions().len(),
        usage.files.join(", ")
    );
    let unscoped: Vec<&str> = stmts
        .iter()
        .filter(|s| s.resources == [PolicyResource::Any])
        .flat_map(|s| s.actions.iter().map(String::as_str))
        .collect();
    if !unscoped.is_empty() {
        eprintln!(
            "note: no resource could be resolved for {} (left as `*`)",
            unscoped.join(", ")
        );
    }
    if !usage.unknown_operations.is_empty() {
        eprintln!(
            "note: {} operation(s) match no IAM action and were dropped: {}",
            usage.unknown_operations.len(),
            usage.unknown_operations.join(", ")
        );
    }
    for reason in &usage.incomplete {
        eprintln!("warning: {reason}");
    }
    for (origin, why) in &usage.dynamic {
        eprintln!("warning: {}: {why}", origin.file);
    }
    Ok(CLEAN)
}
