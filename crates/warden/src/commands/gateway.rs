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
    /// Also serve secrets from the local vault to functions, on a loopback endpoint compatible
    /// with the AWS Parameters and Secrets Lambda Extension; this file maps function tokens to
    /// IAM policies (the format of `warden secrets serve --policies`).
    #[arg(long, value_name = "FILE")]
    pub secrets_policies: Option<PathBuf>,
    /// Address of the secrets endpoint (loopback only).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:2773")]
    pub secrets_listen: std::net::SocketAddr,
    /// The vault the secrets endpoint serves.
    #[arg(long, value_name = "DIR", default_value = ".warden/vault")]
    pub vault: PathBuf,
    /// Key-encryption key of the vault.
    #[arg(long, value_name = "FILE", env = "WARDEN_VAULT_KEY_FILE")]
    pub key_file: Option<PathBuf>,
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
    let Some(path) = args.config.clone() else {
        anyhow::bail!("--config FILE is required");
    };
    let mut config = warden_gateway::Config::load(&path)?;
    if let Some(listen) = args.listen.clone() {
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
    match &args.secrets_policies {
        None => warden_gateway::run_blocking(config, &base)?,
        Some(policies) => run_with_secrets(config, &base, &args, policies)?,
    }
    Ok(crate::exit::CLEAN)
}

/// The gateway and the vault's extension-compatible secrets endpoint in one process: functions
/// behind the gateway read their secrets from it exactly as from the AWS extension, each call
/// authorised by the function's IAM policy and written to the vault's audit log.
fn run_with_secrets(
    config: warden_gateway::Config,
    base: &std::path::Path,
    args: &GatewayArgs,
    policies: &std::path::Path,
) -> anyhow::Result<()> {
    use std::sync::Arc;
    use warden_vault::serve::{self, audit::AuditLog, config::PoliciesFile};
    if !serve::is_loopback(&args.secrets_listen) {
        anyhow::bail!(
            "--secrets-listen {} must be a loopback address",
            args.secrets_listen
        );
    }
    let Some(key_file) = &args.key_file else {
        anyhow::bail!(
            "--secrets-policies needs the vault key: --key-file FILE or WARDEN_VAULT_KEY_FILE"
        );
    };
    let vault = warden_vault::Vault::open(
        &args.vault,
        &warden_vault::KeyMaterial::Key(warden_vault::Kek::from_file(key_file)?),
    )?;
    let loaded = PoliciesFile::load(policies)?;
    let ttl = loaded
        .cache_ttl_seconds
        .unwrap_or(serve::DEFAULT_TTL_SECONDS);
    let audit_path = args.vault.join("audit.jsonl");
    let state = Arc::new(serve::ServeState::new(
        vault,
        loaded,
        std::time::Duration::from_secs(ttl),
        AuditLog::open(&audit_path)?,
    ));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.secrets_listen)
            .await
            .with_context(|| format!("binding the secrets endpoint {}", args.secrets_listen))?;
        eprintln!(
            "warden gateway secrets endpoint on http://{} (audit log {})",
            listener.local_addr()?,
            audit_path.display()
        );
        let secrets = tokio::spawn(async move {
            axum::serve(listener, serve::router(state))
                .with_graceful_shutdown(warden_gateway::shutdown_signal())
                .await
        });
        let tls = config.server.tls.is_some();
        let gateway = warden_gateway::Gateway::build(config, base).await?;
        gateway
            .run(warden_gateway::shutdown_signal(), |main, admin| {
                let scheme = if tls { "https" } else { "http" };
                eprintln!("warden gateway listening on {scheme}://{main}");
                if let Some(a) = admin {
                    eprintln!("warden gateway admin on http://{a}");
                }
            })
            .await?;
        secrets.abort();
        anyhow::Ok(())
    })
}
