//! `warden gateway`: not built yet (placeholder replaced by the owning work).

/// Arguments of `warden gateway`.
#[derive(Debug, clap::Args)]
pub struct GatewayArgs {
    /// Remaining arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Runs `warden gateway`.
pub fn run(_args: GatewayArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`warden gateway` is not available in this build yet")
}
