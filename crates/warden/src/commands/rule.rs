//! `warden rule`: not built yet (placeholder replaced by the owning work).

/// Arguments of `warden rule`.
#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// Remaining arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Runs `warden rule`.
pub fn run(_args: RuleArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`warden rule` is not available in this build yet")
}
