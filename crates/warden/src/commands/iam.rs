//! `warden iam`: evaluate requests against AWS IAM policies (`eval`, batch JSONL or one request
//! from flags), analyse a principal's policies (`analyze`), and run offline custom policy checks
//! (`check no-new-access|access-not-granted|no-public-access`), and generate a least-privilege
//! policy for a function from its code (`generate`).

use crate::exit::{CLEAN, FINDINGS};
use anyhow::{Context as _, bail};
use serde_json::{Value, json};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use warden_iam::batch::{Case, decision_json};
use warden_iam::{PolicySet, Request};

mod analyze;
mod generate;

/// Arguments of `warden iam`.
#[derive(Debug, clap::Args)]
pub struct IamArgs {
    #[command(subcommand)]
    command: IamCommand,
}

#[derive(Debug, clap::Subcommand)]
enum IamCommand {
    /// Evaluate requests: `--batch cases.jsonl` (one JSON case a line, `-` for stdin) or one request from flags.
    Eval(EvalArgs),
    /// Analyse the identity policies of one principal (with its boundary and SCPs), in the scan's formats.
    Analyze(analyze::AnalyzeArgs),
    /// Offline custom policy checks.
    #[command(subcommand)]
    Check(CheckCommand),
    /// Print a least-privilege policy for a function from its code's AWS SDK calls and its template.
    Generate(generate::GenerateArgs),
}

#[derive(Debug, clap::Args)]
struct EvalArgs {
    /// JSONL file of cases (`-` reads stdin); prints one JSON result a line.
    #[arg(long, conflicts_with_all = ["action"])]
    batch: Option<PathBuf>,
    /// Action of a single request (`s3:GetObject`).
    #[arg(long)]
    action: Option<String>,
    /// Resource ARN of a single request.
    #[arg(long, default_value = "*")]
    resource: String,
    /// Principal ARN or service principal; omit for an anonymous request.
    #[arg(long)]
    principal: Option<String>,
    /// Principal account, when the principal is not an ARN.
    #[arg(long)]
    principal_account: Option<String>,
    /// Resource account, when the resource ARN does not carry it.
    #[arg(long)]
    resource_account: Option<String>,
    /// Context key, `key=value` (repeat a key for a multi-valued key).
    #[arg(long = "context", value_name = "KEY=VALUE")]
    context: Vec<String>,
    /// Identity policy file (repeatable).
    #[arg(long = "identity-policy", value_name = "FILE")]
    identity: Vec<PathBuf>,
    /// Resource policy file.
    #[arg(long = "resource-policy", value_name = "FILE")]
    resource_policy: Option<PathBuf>,
    /// Permissions boundary file.
    #[arg(long = "boundary", value_name = "FILE")]
    boundary: Vec<PathBuf>,
    /// Session policy file.
    #[arg(long = "session-policy", value_name = "FILE")]
    session: Option<PathBuf>,
    /// SCP file; each file is one level, root first (repeatable).
    #[arg(long = "scp", value_name = "FILE")]
    scp: Vec<PathBuf>,
    /// RCP file; each file is one level (repeatable).
    #[arg(long = "rcp", value_name = "FILE")]
    rcp: Vec<PathBuf>,
    /// VPC endpoint policy file (repeatable).
    #[arg(long = "endpoint-policy", value_name = "FILE")]
    endpoint: Vec<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
enum CheckCommand {
    /// Fail when POLICY grants anything REFERENCE does not.
    NoNewAccess {
        /// Candidate policy.
        policy: PathBuf,
        /// Reference policy.
        reference: PathBuf,
    },
    /// Fail when POLICY grants one of the actions (on one of the resources).
    AccessNotGranted {
        /// Policy file.
        policy: PathBuf,
        /// Action patterns (repeatable).
        #[arg(long = "action", required = true)]
        actions: Vec<String>,
        /// Resource ARNs (repeatable; any resource when omitted).
        #[arg(long = "resource")]
        resources: Vec<String>,
    },
    /// Fail when a resource policy grants anything to everyone.
    NoPublicAccess {
        /// Resource policy file.
        policy: PathBuf,
    },
}

fn read_json(path: &Path) -> anyhow::Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

fn read_policy(path: &Path) -> anyhow::Result<warden_iam::Policy> {
    warden_iam::Policy::parse(&read_json(path)?)
        .with_context(|| format!("invalid policy {}", path.display()))
}

/// Runs `warden iam`.
pub fn run(args: IamArgs) -> anyhow::Result<u8> {
    match args.command {
        IamCommand::Eval(a) => eval(a),
        IamCommand::Analyze(a) => analyze::run(a),
        IamCommand::Check(c) => check(c),
        IamCommand::Generate(a) => generate::run(a),
    }
}

fn eval(a: EvalArgs) -> anyhow::Result<u8> {
    if let Some(path) = &a.batch {
        return batch(path);
    }
    let Some(action) = &a.action else {
        bail!("give `--batch FILE` or `--action ACTION`")
    };
    let mut ctx = warden_iam::Context::default();
    let mut pairs: Vec<(String, Vec<String>)> = Vec::new();
    for kv in &a.context {
        let (k, v) = kv
            .split_once('=')
            .with_context(|| format!("--context `{kv}` is not KEY=VALUE"))?;
        match pairs.iter_mut().find(|(pk, _)| pk.eq_ignore_ascii_case(k)) {
            Some((_, vs)) => vs.push(v.to_owned()),
            None => pairs.push((k.to_owned(), vec![v.to_owned()])),
        }
    }
    for (k, mut vs) in pairs {
        if vs.len() == 1 {
            ctx.insert(&k, &vs.remove(0));
        } else {
            ctx.insert_multi(&k, vs);
        }
    }
    let req = Request::new(action, &a.resource, a.principal.as_deref(), ctx)
        .with_principal_account(a.principal_account.as_deref())
        .with_resource_account(a.resource_account.as_deref())
        .with_derived_context();
    let level = |p: &PathBuf, i: usize| -> anyhow::Result<warden_iam::OrgLevel> {
        Ok(warden_iam::OrgLevel {
            org_identifier: format!("level-{i}"),
            policies: vec![read_policy(p)?],
        })
    };
    let set = PolicySet {
        identity: a
            .identity
            .iter()
            .map(|p| read_policy(p))
            .collect::<anyhow::Result<_>>()?,
        resource: a.resource_policy.as_deref().map(read_policy).transpose()?,
        boundaries: a
            .boundary
            .iter()
            .map(|p| read_policy(p))
            .collect::<anyhow::Result<_>>()?,
        scps: a
            .scp
            .iter()
            .enumerate()
            .map(|(i, p)| level(p, i))
            .collect::<anyhow::Result<_>>()?,
        rcps: a
            .rcp
            .iter()
            .enumerate()
            .map(|(i, p)| level(p, i))
            .collect::<anyhow::Result<_>>()?,
        session: a.session.as_deref().map(read_policy).transpose()?,
        endpoints: a
            .endpoint
            .iter()
            .map(|p| read_policy(p))
            .collect::<anyhow::Result<_>>()?,
    };
    let d = warden_iam::evaluate(&req, &set);
    println!(
        "{}",
        serde_json::to_string_pretty(&decision_json(&d, &set))?
    );
    Ok(if d.is_allowed() { CLEAN } else { FINDINGS })
}

fn batch(path: &Path) -> anyhow::Result<u8> {
    let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
        Box::new(std::io::BufReader::new(f))
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (n, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("reading line {}", n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let result = match Case::from_json_str(&line) {
            Ok(case) => case.result_json(),
            Err(e) => json!({"error": format!("line {}: {e}", n + 1)}),
        };
        writeln!(out, "{result}")?;
    }
    out.flush()?;
    Ok(CLEAN)
}

fn check(c: CheckCommand) -> anyhow::Result<u8> {
    let (name, result) = match c {
        CheckCommand::NoNewAccess { policy, reference } => (
            "no-new-access",
            warden_iam::checks::no_new_access(&read_policy(&policy)?, &read_policy(&reference)?),
        ),
        CheckCommand::AccessNotGranted {
            policy,
            actions,
            resources,
        } => (
            "access-not-granted",
            warden_iam::checks::access_not_granted(&read_policy(&policy)?, &actions, &resources),
        ),
        CheckCommand::NoPublicAccess { policy } => (
            "no-public-access",
            warden_iam::checks::no_public_access(&read_policy(&policy)?),
        ),
    };
    let out = json!({"check": name, "result": if result.pass { "PASS" } else { "FAIL" }, "reasons": result.reasons});
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(if result.pass { CLEAN } else { FINDINGS })
}
