//! `warden rule CODE`: one rule's documentation.

use anyhow::{Result, bail};
use clap::Args;
use std::io::Write;

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
    let hub = if info.security_hub.is_empty() {
        String::new()
    } else {
        format!(" · AWS Security Hub: {}", info.security_hub.join(", "))
    };
    let text = format!(
        "# {} {}\n\nCategory: {} · Default severity: {} · CWE: {} · OWASP Serverless: {}{hub}\n\n{}\n",
        info.code,
        info.name,
        info.category.as_str(),
        info.severity.as_str(),
        info.cwe
            .iter()
            .map(|c| format!("CWE-{c}"))
            .collect::<Vec<_>>()
            .join(", "),
        info.owasp.join(", "),
        info.doc
    );
    // A closed pipe (`| head`) is the reader's choice, not a failure.
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(e.into());
    }
    Ok(crate::exit::CLEAN)
}
