//! `warden gateway`: runs the runtime security gateway from a TOML configuration, or checks the
//! configuration (`--check`), or prints its JSON Schema (`--print-schema`).

use anyhow::Context;
use std::path::PathBuf;

/// Arguments of `warden gateway`.
#[derive(Debug, clap::Args)]
pub struct GatewayArgs {
    /// Gateway configuration file (TOML; unknown keys are errors).
    #[arg(long, value_name = "FILE", required_unless_present = "print_schema")]
    pub config: Option<PathBuf>,
    /// Compile the configuration (routes, keys, schemas, WAF, TLS files) and exit.
    #[arg(long)]
    pub check: bool,
    /// Listen address, overriding `server.listen` (`HOST:PORT`; port 0 picks a free port).
    #[arg(long, value_name = "HOST:PORT")]
    pub listen: Option<String>,
    /// Print the JSON Schema of the configuration file and exit.
    #[arg(long)]
    pub print_schema: bool,
}

/// Runs `warden gateway`.
pub fn run(args: GatewayArgs) -> anyhow::Result<u8> {
    if args.print_schema {
        println!(
            "{}",
            serde_json::to_string_pretty(&warden_gateway::Config::json_schema())?
        );
        return Ok(crate::exit::CLEAN);
    }
    let Some(path) = args.config else {
        anyhow::bail!("--config FILE is required");
    };
    let mut config = warden_gateway::Config::load(&path)?;
    if let Some(listen) = args.listen {
        config.server.listen = listen;
    }
    let base = path.parent().map(PathBuf::from).unwrap_or_default();
    if args.check {
        let s = warden_gateway::check_blocking(config, &base)
            .with_context(|| format!("configuration {} is invalid", path.display()))?;
        println!(
            "{}: ok ({} routes, {} upstreams, {} authorizers, {} WAF rules)",
            path.display(),
            s.routes,
            s.upstreams,
            s.authorizers,
            s.waf_rules
        );
        return Ok(crate::exit::CLEAN);
    }
    warden_gateway::run_blocking(config, &base)?;
    Ok(crate::exit::CLEAN)
}
