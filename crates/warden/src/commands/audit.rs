//! `warden audit verify FILE`: checks the hash chain of a gateway audit log and names the first
//! record that was edited, deleted, inserted or reordered.

use std::path::PathBuf;

/// Arguments of `warden audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: AuditCommand,
}

/// `warden audit` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// Verify the hash chain of an audit log (exit 0 intact, 1 broken, 2 unreadable).
    Verify {
        /// Audit log (JSON lines written by `warden gateway`).
        file: PathBuf,
    },
}

/// Runs `warden audit`.
pub fn run(args: AuditArgs) -> anyhow::Result<u8> {
    match args.command {
        AuditCommand::Verify { file } => {
            let result = warden_gateway::observe::audit::verify_file(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            match result {
                Ok(v) => {
                    println!(
                        "{}: intact, {} records, head {}",
                        file.display(),
                        v.records,
                        v.head
                    );
                    if v.torn_tail {
                        println!(
                            "note: the last line is incomplete (crash during a write); it was ignored"
                        );
                    }
                    Ok(crate::exit::CLEAN)
                }
                Err(broken) => {
                    println!("{}: BROKEN at {broken}", file.display());
                    Ok(crate::exit::FINDINGS)
                }
            }
        }
    }
}
