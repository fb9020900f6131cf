//! `warden rule CODE`: one rule's documentation.

use anyhow::{Result, bail};
use clap::Args;

/// Arguments of `warden rule`.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// The rule code, e.g. SEC001.
    pub code: String,
}

/// Runs `warden rule`.
pub fn run(args: RuleArgs) -> Result<u8> {
    let Some(info) = warden_rules::rule_infos()
        .into_iter()
        .find(|r| r.code.eq_ignore_ascii_case(&args.code))
    else {
        bail!("no rule `{}` (see `warden rules`)", args.code);
    };
    println!("# {} {}", info.code, info.name);
    println!();
    println!(
        "Category: {} · Default severity: {} · CWE: {} · OWASP Serverless: {}",
        info.category.as_str(),
        info.severity.as_str(),
        info.cwe
            .iter()
            .map(|c| format!("CWE-{c}"))
            .collect::<Vec<_>>()
            .join(", "),
        info.owasp.join(", ")
    );
    println!();
    println!("{}", info.doc);
    Ok(crate::exit::CLEAN)
}
