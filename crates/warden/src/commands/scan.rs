//! `warden scan`: not built yet (placeholder replaced by the owning work).

/// Arguments of `warden scan`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Remaining arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Runs `warden scan`.
pub fn run(_args: ScanArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`warden scan` is not available in this build yet")
}
