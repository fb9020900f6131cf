//! `warden secrets`: not built yet (placeholder replaced by the owning work).

/// Arguments of `warden secrets`.
#[derive(Debug, clap::Args)]
pub struct SecretsArgs {
    /// Remaining arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Runs `warden secrets`.
pub fn run(_args: SecretsArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`warden secrets` is not available in this build yet")
}
