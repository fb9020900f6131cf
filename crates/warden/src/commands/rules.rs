//! `warden rules`: the catalog, one line a rule.

use anyhow::Result;
use clap::Args;

/// Arguments of `warden rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Print the catalog as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `warden rules`.
pub fn run(args: RulesArgs) -> Result<u8> {
    let infos = warden_rules::rule_infos();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&infos)?);
        return Ok(crate::exit::CLEAN);
    }
    for r in &infos {
        println!(
            "{:<8} {:<10} {:<34} {:<12} {}",
            r.code,
            r.severity.as_str(),
            r.name,
            r.category.as_str(),
            r.summary
        );
    }
    Ok(crate::exit::CLEAN)
}
