//! `warden explain FUNCTION [PATH]`: one function's triggers, routes, role, effective permissions,
//! environment variable names and the attack paths that end at it.

mod text;
mod view;

use crate::exit;
use anyhow::{Result, bail};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use warden_input::project::{self, LoadOptions};

/// Arguments of `warden explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The function's logical id (or `FILE:ID` when several templates declare it).
    pub function: String,
    /// The project directory (or one template file).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format: text or json.
    #[arg(long, short = 'f', default_value = "text")]
    pub format: String,
    /// Template parameter value, `Name=Value` (repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
}

/// The functions named by `wanted`: `ID` in any app, or `FILE:ID`.
fn matches<'a>(
    apps: &'a [warden_model::App],
    wanted: &str,
) -> Vec<(usize, &'a warden_model::Function)> {
    let mut out = Vec::new();
    for (i, app) in apps.iter().enumerate() {
        for f in &app.functions {
            let qualified = wanted
                .rsplit_once(':')
                .is_some_and(|(file, id)| id == f.id && file == app.file);
            if f.id == wanted || qualified {
                out.push((i, f));
            }
        }
    }
    out
}

fn all_functions(apps: &[warden_model::App]) -> String {
    let names: Vec<String> = apps
        .iter()
        .flat_map(|a| {
            a.functions
                .iter()
                .map(move |f| format!("{}:{}", a.file, f.id))
        })
        .collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

/// Runs `warden explain`.
pub fn run(args: ExplainArgs) -> Result<u8> {
    let json = match args.format.as_str() {
        "json" => true,
        "text" | "pretty" => false,
        other => bail!("unknown format `{other}` (text, json)"),
    };
    let load = LoadOptions {
        params: crate::params::collect(&args.params, None)?,
        ..LoadOptions::default()
    };
    let project = project::load(&args.path, &load)?;
    let found = matches(&project.apps, &args.function);
    let (index, function) = match found.as_slice() {
        [one] => *one,
        [] => {
            eprintln!(
                "error: no function `{}` in {} (functions: {})",
                args.function,
                args.path.display(),
                all_functions(&project.apps)
            );
            return Ok(exit::TOOL_ERROR);
        }
        many => {
            let names: Vec<String> = many
                .iter()
                .map(|(i, f)| {
                    let file = project.apps.get(*i).map_or("", |a| a.file.as_str());
                    format!("{file}:{}", f.id)
                })
                .collect();
            eprintln!(
                "error: `{}` is ambiguous; name one of: {}",
                args.function,
                names.join(", ")
            );
            return Ok(exit::TOOL_ERROR);
        }
    };
    let Some(app) = project.apps.get(index) else {
        return Ok(exit::TOOL_ERROR);
    };
    let apps = std::slice::from_ref(app);
    let roles = warden_rules::iam_view::analyze(apps);
    let paths = warden_rules::attack_paths::compute(apps, &roles);
    let explanation = view::explain(app, function, &roles, &paths, &project.sources);
    let text = if json {
        format!("{}\n", serde_json::to_string_pretty(&explanation)?)
    } else {
        text::render(&explanation)
    };
    // A closed pipe (`| head`) is the reader's choice, not a failure.
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(e.into());
    }
    Ok(exit::CLEAN)
}
