//! `warden gateway`: runs the runtime security gateway from a TOML configuration (`--config`) or
//! from a serverless template (`--from`, see [`derive`]), or checks the configuration
//! (`--check`), or prints its JSON Schema (`--print-schema`).

mod derive;

use anyhow::Context;
use std::path::{Path, PathBuf};
use warden_gateway::config::WafMode;

/// Arguments of `warden gateway`.
#[derive(Debug, clap::Args)]
pub struct GatewayArgs {
    /// Gateway configuration file (TOML; unknown keys are errors). With `--from`, it is laid over
    /// the derived configuration (the file wins; routes with the same id are replaced).
    #[arg(long, value_name = "FILE", required_unless_present_any = ["print_schema", "from"])]
    pub config: Option<PathBuf>,
    /// Derive routes, authorizers, API keys, throttling and CORS from a SAM, CloudFormation or
    /// Serverless Framework template; each route invokes its function through the Lambda
    /// Invoke API at `--lambda-endpoint`.
    #[arg(long, value_name = "TEMPLATE")]
    pub from: Option<PathBuf>,
    /// Template parameter value for `--from`, `Name=Value` (repeatable; wins over
    /// `--params-file` and the template's defaults).
    #[arg(long = "param", value_name = "NAME=VALUE", requires = "from")]
    pub params: Vec<String>,
    /// Parameter values for `--from` in the AWS CLI JSON format
    /// (`[{"ParameterKey": "Env", "ParameterValue": "prod"}]`).
    #[arg(long, value_name = "FILE", requires = "from")]
    pub params_file: Option<PathBuf>,
    /// Lambda Invoke API of `--from` routes (`sam local start-lambda`, the Lambda Runtime
    /// Interface Emulator): `URL/2015-03-31/functions/<logical id>/invocations`.
    #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:3001")]
    pub lambda_endpoint: String,
    /// An API key accepted on `--from` routes that require one (`NAME=VALUE`; NAME is logged,
    /// VALUE never). Repeatable.
    #[arg(long = "api-key", value_name = "NAME=VALUE")]
    pub api_keys: Vec<String>,
    /// A file of API keys for `--from` routes, one `NAME=VALUE` per line (`#` comments).
    #[arg(long, value_name = "FILE")]
    pub api_keys_file: Option<PathBuf>,
    /// JWKS file for every JWT and Cognito authorizer of `--from` routes, instead of fetching
    /// `{issuer}/.well-known/jwks.json`.
    #[arg(long, value_name = "FILE")]
    pub jwks_file: Option<PathBuf>,
    /// Serve `--from` routes whose authorizer cannot be enforced outside AWS (IAM, Lambda
    /// authorizers) without authentication, instead of refusing them with 401.
    #[arg(long)]
    pub allow_unenforceable: bool,
    /// WAF mode of `--from` routes.
    #[arg(long, value_enum, default_value = "block")]
    pub waf: WafArg,
    /// Extra CA certificate (PEM) trusted for https:// upstreams, Lambda endpoints, JWKS URLs and
    /// webhooks, besides the public roots. Repeatable.
    #[arg(long = "ca-cert", value_name = "FILE")]
    pub ca_certs: Vec<PathBuf>,
    /// Compile the configuration (routes, keys, schemas, WAF, TLS files) and exit; with
    /// `--from`, print the derived configuration first.
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

/// WAF mode on the command line.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum WafArg {
    /// Refuse requests at or above the anomaly threshold.
    Block,
    /// Log and audit, let the request through.
    Detect,
    /// No inspection.
    Off,
}

impl From<WafArg> for WafMode {
    fn from(w: WafArg) -> Self {
        match w {
            WafArg::Block => WafMode::Block,
            WafArg::Detect => WafMode::DetectOnly,
            WafArg::Off => WafMode::Off,
        }
    }
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
    let (mut config, base, label) = match (&args.from, &args.config) {
        (Some(template), _) => from_template(template, &args)?,
        (None, Some(path)) => (
            warden_gateway::Config::load(path)?,
            path.parent().map(PathBuf::from).unwrap_or_default(),
            path.display().to_string(),
        ),
        (None, None) => anyhow::bail!("--config FILE or --from TEMPLATE is required"),
    };
    if let Some(listen) = args.listen.clone() {
        config.server.listen = listen;
    }
    for ca in &args.ca_certs {
        config.outbound.ca_certs.push(std::path::absolute(ca)?);
    }
    if args.check {
        if args.from.is_some() {
            println!("{}", toml::to_string_pretty(&config)?);
        }
        let s = warden_gateway::check_blocking(config, &base)
            .with_context(|| format!("configuration {label} is invalid"))?;
        let line = format!(
            "{label}: ok ({} routes, {} upstreams, {} authorizers, {} WAF rules)",
            s.routes, s.upstreams, s.authorizers, s.waf_rules
        );
        if args.from.is_some() {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
        return Ok(crate::exit::CLEAN);
    }
    match &args.secrets_policies {
        None => warden_gateway::run_blocking(config, &base)?,
        Some(policies) => run_with_secrets(config, &base, &args, policies)?,
    }
    Ok(crate::exit::CLEAN)
}

/// `--from TEMPLATE`: loads the template through the scanner's loader, derives the gateway
/// configuration, lays `--config` over it, and prints the warnings and the route table.
fn from_template(
    template: &Path,
    args: &GatewayArgs,
) -> anyhow::Result<(warden_gateway::Config, PathBuf, String)> {
    let load = warden_input::project::LoadOptions {
        params: crate::params::collect(&args.params, args.params_file.as_deref())?,
        ..warden_input::project::LoadOptions::default()
    };
    let project = warden_input::project::load(template, &load)
        .with_context(|| format!("loading {}", template.display()))?;
    for e in &project.errors {
        eprintln!("warden gateway: {}: {}", e.file, e.message);
    }
    if project.apps.is_empty() {
        anyhow::bail!("{}: no serverless application found", template.display());
    }
    let mut api_keys = Vec::new();
    for k in &args.api_keys {
        api_keys.push(parse_key(k).context("--api-key")?);
    }
    if let Some(file) = &args.api_keys_file {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            api_keys
                .push(parse_key(line).with_context(|| format!("{}:{}", file.display(), n + 1))?);
        }
    }
    let opts = derive::Options {
        lambda_endpoint: args.lambda_endpoint.trim_end_matches('/').to_string(),
        api_keys,
        jwks_file: args
            .jwks_file
            .as_deref()
            .map(std::path::absolute)
            .transpose()?,
        allow_unenforceable: args.allow_unenforceable,
        waf: args.waf.into(),
    };
    let derived = derive::derive(&project.apps, &opts)
        .map_err(|e| anyhow::anyhow!("{}: {e}", template.display()))?;
    let (config, base) = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            (
                derive::overlay(&derived.config, &text, path).map_err(anyhow::Error::msg)?,
                path.parent().map(PathBuf::from).unwrap_or_default(),
            )
        }
        None => (
            derived.config,
            template.parent().map(PathBuf::from).unwrap_or_default(),
        ),
    };
    for w in &derived.warnings {
        eprintln!("warden gateway: warning: {w}");
    }
    eprint!(
        "warden gateway: routes from {} (functions at {}):\n{}",
        template.display(),
        opts.lambda_endpoint,
        derive::render_table(&derived.table)
    );
    Ok((config, base, template.display().to_string()))
}

/// `NAME=VALUE` → (NAME, VALUE); the value never appears in errors.
fn parse_key(s: &str) -> anyhow::Result<(String, String)> {
    let Some((name, value)) = s.split_once('=') else {
        anyhow::bail!("expected NAME=VALUE");
    };
    let name = name.trim();
    if name.is_empty() || name.contains(char::is_whitespace) {
        anyhow::bail!("the key name must be a non-empty word");
    }
    if value.is_empty() {
        anyhow::bail!("the key `{name}` has an empty value");
    }
    Ok((name.to_string(), value.to_string()))
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
