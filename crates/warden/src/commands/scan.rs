//! `warden scan PATH`: static analysis of a serverless project.

mod tf_vars;

use crate::exit;
use crate::{config, params, pipeline, progress::Progress};
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use warden_input::discover::DiscoverOptions;
use warden_input::project::{DEFAULT_MAX_FILE_SIZE, LoadOptions};
use warden_input::terraform::{CliInput, VarFile};
use warden_model::Severity;
use warden_render::{Format, RenderOptions};
use warden_rules::Selection;
use warden_rules::baseline::Baseline;

/// When to colour the pretty output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Arguments of `warden scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The project directory (or one template file) to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format: pretty, json, sarif, github, junit.
    #[arg(long, short = 'f', default_value = "pretty")]
    pub format: String,
    /// Write the report to this file instead of stdout.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Exit with 1 when a finding is at or above this severity (critical, high, medium, low, info, none).
    #[arg(long)]
    pub fail_on: Option<String>,
    /// Run only these rules (codes or prefixes, comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not run these rules (codes or prefixes).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Colour: auto (a terminal without NO_COLOR), always, never.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// No progress indicator and no summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Template parameter value, `Name=Value` (repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Parameter values in the AWS CLI JSON format.
    #[arg(long)]
    pub params_file: Option<PathBuf>,
    /// Serverless Framework CLI option for `${opt:…}`, `Name=Value` (repeatable; e.g. stage=prod).
    #[arg(long = "opt", value_name = "NAME=VALUE")]
    pub opts: Vec<String>,
    /// Terraform `--var NAME=VALUE` and `--var-file FILE`, in command-line order.
    #[command(flatten)]
    pub tf_vars: tf_vars::TfVarArgs,
    /// Resolve Serverless Framework `${env:…}` from the environment (off by default: a scan must not
    /// depend on, or expose, the scanning machine's environment).
    #[arg(long)]
    pub allow_env: bool,
    /// Largest template parsed, in bytes (default 5 MB).
    #[arg(long)]
    pub max_file_size: Option<u64>,
    /// Glob of paths not to scan, relative to PATH (repeatable).
    #[arg(long)]
    pub exclude: Vec<String>,
    /// Also scan vendored and generated trees (node_modules, site-packages, .aws-sam, cdk.out assets).
    #[arg(long)]
    pub include_vendored: bool,
    /// Configuration file (default: PATH/warden.toml when present).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// OSV advisory data for the dependency audit: a directory of OSV JSON/YAML records or an
    /// osv.dev `all.zip` export (repeatable; default `WARDEN_VULN_DB`, then `warden db fetch` data).
    #[arg(long)]
    pub vuln_db: Vec<PathBuf>,
    /// Move plaintext secrets found in CloudFormation/SAM environment variables into
    /// `{{resolve:secretsmanager:…}}` references (editing only the values) and print the
    /// `warden secrets put` commands that store them.
    #[arg(long)]
    pub fix_secrets: bool,
    /// With --fix-secrets: store the values in this local vault (see `warden secrets`).
    #[arg(long, requires = "fix_secrets")]
    pub vault: Option<PathBuf>,
    /// Key-encryption key of --vault.
    #[arg(long, env = "WARDEN_VAULT_KEY_FILE", requires = "vault")]
    pub key_file: Option<PathBuf>,
    /// Report only findings not in this baseline file.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Write the fingerprints of the current findings to this baseline file.
    #[arg(long)]
    pub write_baseline: Option<PathBuf>,
}

/// Runs `warden scan`.
pub fn run(args: ScanArgs) -> Result<u8> {
    let format: Format = args.format.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    if !args.path.exists() {
        bail!("{} does not exist", args.path.display());
    }
    let root_dir = if args.path.is_dir() {
        args.path.clone()
    } else {
        args.path.parent().map(PathBuf::from).unwrap_or_default()
    };
    let config = config::load(args.config.as_deref(), &root_dir)?;
    let cfg = config.as_ref().map(|(_, c)| c);

    let fail_on = match args
        .fail_on
        .as_deref()
        .or(cfg.and_then(|c| c.fail_on.as_deref()))
    {
        None => Some(Severity::High),
        Some("none" | "never") => None,
        Some(s) => Some(s.parse::<Severity>().map_err(anyhow::Error::msg)?),
    };
    let mut selection = Selection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        ..Selection::default()
    };
    if let Some(c) = cfg {
        if selection.select.is_empty() {
            selection.select = c.select.clone();
        }
        selection.ignore.extend(c.ignore.iter().cloned());
        for (code, sev) in &c.severity {
            let sev = sev
                .parse::<Severity>()
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("severity of {code} in warden.toml"))?;
            selection.severity.insert(code.to_ascii_uppercase(), sev);
        }
    }
    for code in selection.select.iter().chain(&selection.ignore) {
        let known = code == "ALL"
            || warden_rules::all_rules()
                .iter()
                .any(|r| r.meta().code.starts_with(&code.to_ascii_uppercase()));
        if !known {
            bail!("`{code}` matches no rule code (see `warden rules`)");
        }
    }

    if let Some(jobs) = args.jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build_global()
            .context("cannot start the worker pool")?;
    }
    let mut exclude = args.exclude.clone();
    if let Some(c) = cfg {
        exclude.extend(c.exclude.iter().cloned());
    }
    let load = LoadOptions {
        discover: DiscoverOptions {
            exclude,
            include_vendored: args.include_vendored,
            threads: args.jobs.unwrap_or(0),
        },
        max_file_size: args
            .max_file_size
            .or(cfg.and_then(|c| c.max_file_size))
            .unwrap_or(DEFAULT_MAX_FILE_SIZE),
        params: params::collect(&args.params, args.params_file.as_deref())?,
        ..LoadOptions::default()
    };
    let mut load = load;
    load.serverless.allow_env = args.allow_env;
    load.serverless.cli = params::collect(&args.opts, None)?;
    for input in &args.tf_vars.inputs {
        let input = match input {
            tf_vars::TfInput::Var(pair) => match pair.split_once('=') {
                Some((name, value)) if !name.is_empty() => CliInput::Var {
                    name: name.to_string(),
                    value: value.to_string(),
                },
                _ => bail!("--var expects NAME=VALUE, got `{pair}`"),
            },
            tf_vars::TfInput::File(path) => {
                let shown = shown_name(path, &root_dir);
                let file = VarFile::read(path, &shown, load.max_file_size, &load.limits)
                    .map_err(|e| anyhow::anyhow!("--var-file {}: {}", path.display(), e.message))?;
                CliInput::File(Arc::new(file))
            }
        };
        load.terraform.inputs.push(input);
    }
    let baseline = match &args.baseline {
        Some(path) => Some(Baseline::read(path)?),
        None => None,
    };

    let progress = Progress::start(!args.quiet, &format!("scanning {}", args.path.display()));
    let deps = pipeline::DepsOptions {
        vuln_db: args.vuln_db.clone(),
    };
    let outcome = pipeline::scan(&args.path, &load, &selection, baseline.as_ref(), &deps);
    progress.finish();
    let outcome = outcome?;

    if args.fix_secrets {
        let root = if args.path.is_dir() {
            args.path.clone()
        } else {
            root_dir.clone()
        };
        let fixes = crate::fix_secrets::plan(&outcome.report.findings, &outcome.sources);
        let vault = match (&args.vault, &args.key_file) {
            (Some(dir), Some(key)) => Some(warden_vault::Vault::open(
                dir,
                &warden_vault::KeyMaterial::Key(warden_vault::Kek::from_file(key)?),
            )?),
            (Some(_), None) => bail!("--vault needs --key-file (or WARDEN_VAULT_KEY_FILE)"),
            _ => None,
        };
        let commands = crate::fix_secrets::apply(&root, &fixes, &outcome.sources, vault.as_ref())?;
        eprintln!(
            "moved {} plaintext secret(s) to Secrets Manager references:",
            commands.len()
        );
        for c in &commands {
            eprintln!("  {c}");
        }
    }
    if let Some(path) = &args.write_baseline {
        Baseline::from_findings(&outcome.report.findings).write(path)?;
    }

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let options = RenderOptions::new(env!("CARGO_PKG_VERSION")).with_color(color);
    let rules = warden_rules::rule_infos();
    let rendered = warden_render::render_to_string(
        format,
        &outcome.report,
        &outcome.sources,
        &rules,
        &options,
    )?;
    match &args.output {
        Some(path) => std::fs::write(path, rendered)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(rendered.as_bytes())?;
            stdout.flush()?;
        }
    }
    if let Some(note) = &outcome.deps_note
        && !args.quiet
    {
        eprintln!("note: {note}");
    }
    if !args.quiet && (outcome.suppressed > 0 || outcome.baselined > 0) {
        eprintln!(
            "{} finding(s) suppressed inline or in Metadata, {} in the baseline",
            outcome.suppressed, outcome.baselined
        );
    }
    let failing = fail_on.is_some_and(|threshold| {
        outcome
            .report
            .findings
            .iter()
            .any(|f| f.severity >= threshold)
    });
    Ok(if failing { exit::FINDINGS } else { exit::CLEAN })
}

/// How a `--var-file` is named in findings: relative to the scanned directory when inside it (as
/// every scanned file is), else as given on the command line.
fn shown_name(path: &Path, root: &Path) -> String {
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let inside = std::fs::canonicalize(path)
        .ok()
        .zip(std::fs::canonicalize(root).ok())
        .and_then(|(p, r)| p.strip_prefix(r).ok().map(Path::to_path_buf));
    match inside {
        Some(rel) if !rel.as_os_str().is_empty() => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        _ => path.display().to_string(),
    }
}
