//! `warden audit`: not built yet (placeholder replaced by the owning work).

/// Arguments of `warden audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Remaining arguments.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

/// Runs `warden audit`.
pub fn run(_args: AuditArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`warden audit` is not available in this build yet")
}
