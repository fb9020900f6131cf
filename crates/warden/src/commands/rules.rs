//! `warden rules`: not built yet (placeholder replaced by the owning work).

/// Arguments of `warden rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Remaining arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Runs `warden rules`.
pub fn run(_args: RulesArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`warden rules` is not available in this build yet")
}
