//! `warden db`: not built yet (placeholder replaced by the owning work).

/// Arguments of `warden db`.
#[derive(Debug, clap::Args)]
pub struct DbArgs {
    /// Remaining arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Runs `warden db`.
pub fn run(_args: DbArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`warden db` is not available in this build yet")
}
