//! `warden iam`: not built yet (placeholder replaced by the owning work).

/// Arguments of `warden iam`.
#[derive(Debug, clap::Args)]
pub struct IamArgs {
    /// Remaining arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Runs `warden iam`.
pub fn run(_args: IamArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`warden iam` is not available in this build yet")
}
