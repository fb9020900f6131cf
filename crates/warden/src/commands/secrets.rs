//! `warden secrets`: the local encrypted vault from the command line.
//!
//! Values never come from arguments (they would show in process lists): `put` and `rotate`
//! read stdin or `--from-file`. Only `get` prints a value, to stdout, byte for byte. The vault is
//! `--vault DIR` (default `.warden/vault`); the key-encryption key comes from, in order:
//! `--key-file`/`WARDEN_VAULT_KEY_FILE` (32 raw bytes, 64 hex digits or base64),
//! `--passphrase-file`/`WARDEN_VAULT_PASSPHRASE_FILE` (Argon2id), then the variables
//! `WARDEN_VAULT_KEY` (hex or base64 key) and `WARDEN_VAULT_PASSPHRASE`.
//!
//! Exit codes: 0 done, 1 the secret or version does not exist (or is scheduled for deletion),
//! 2 any other failure (wrong key, tampered store, bad arguments).

use crate::exit;
use anyhow::{Context, bail};
use std::io::{IsTerminal, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use warden_vault::Zeroizing;
use warden_vault::serve::{self, audit::AuditLog, config::PoliciesFile};
use warden_vault::{DeleteMode, KdfParams, Kek, KeyMaterial, Selector, Vault, VaultError};

/// Value and key buffers, wiped when dropped.
type ZeroOnDrop = Zeroizing<Vec<u8>>;

/// Arguments of `warden secrets`.
#[derive(Debug, clap::Args)]
pub struct SecretsArgs {
    /// Vault directory.
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        default_value = ".warden/vault"
    )]
    vault: PathBuf,
    /// Key-encryption key file: 32 raw bytes, 64 hex digits, or base64 of 32 bytes.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "WARDEN_VAULT_KEY_FILE"
    )]
    key_file: Option<PathBuf>,
    /// File holding a passphrase; the key is derived with Argon2id.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "WARDEN_VAULT_PASSPHRASE_FILE"
    )]
    passphrase_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Args)]
struct KdfArgs {
    /// Argon2id memory cost in KiB (passphrase vaults).
    #[arg(long, default_value_t = KdfParams::default().memory_kib)]
    kdf_memory_kib: u32,
    /// Argon2id passes.
    #[arg(long, default_value_t = KdfParams::default().iterations)]
    kdf_iterations: u32,
    /// Argon2id lanes.
    #[arg(long, default_value_t = KdfParams::default().parallelism)]
    kdf_parallelism: u32,
}

impl KdfArgs {
    fn params(&self) -> KdfParams {
        KdfParams {
            memory_kib: self.kdf_memory_kib,
            iterations: self.kdf_iterations,
            parallelism: self.kdf_parallelism,
        }
    }
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Create a new vault.
    Init {
        /// Generate a random key into this new file (mode 0600) and protect the vault with it.
        #[arg(long, value_name = "FILE")]
        generate_key: Option<PathBuf>,
        #[command(flatten)]
        kdf: KdfArgs,
    },
    /// Store a new version of a secret (created if needed) as AWSCURRENT; the value is read
    /// from stdin (exact bytes) or --from-file.
    Put {
        /// Secret name (letters, digits and /_+=.@-).
        name: String,
        /// Read the value from this file instead of stdin.
        #[arg(long, value_name = "FILE")]
        from_file: Option<PathBuf>,
    },
    /// Print a secret's value to stdout, exactly as stored (no newline added).
    Get {
        /// Secret name.
        name: String,
        /// A specific version id.
        #[arg(long)]
        version_id: Option<String>,
        /// A staging label, e.g. AWSPREVIOUS (default AWSCURRENT).
        #[arg(long)]
        version_stage: Option<String>,
    },
    /// List secrets and their versions (never values).
    List {
        /// Include secrets scheduled for deletion.
        #[arg(long)]
        all: bool,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Rotate an existing secret: a new AWSCURRENT version, the old one becomes AWSPREVIOUS.
    Rotate {
        /// Secret name.
        name: String,
        /// Read the new value from this file instead of stdin.
        #[arg(long, value_name = "FILE", conflicts_with = "generate")]
        from_file: Option<PathBuf>,
        /// Generate a random password as the new value (it is not printed).
        #[arg(long)]
        generate: bool,
        /// Length of the generated password.
        #[arg(long, default_value_t = 32, requires = "generate")]
        length: usize,
        /// Letters and digits only in the generated password.
        #[arg(long, requires = "generate")]
        exclude_punctuation: bool,
    },
    /// Schedule a secret for deletion after a recovery window (or purge it now).
    Delete {
        /// Secret name.
        name: String,
        /// Days before the purge (7 to 30).
        #[arg(long, default_value_t = warden_vault::MAX_RECOVERY_DAYS)]
        recovery_window_days: u32,
        /// Purge now; the secret cannot be restored.
        #[arg(long, conflicts_with = "recovery_window_days")]
        force_delete_without_recovery: bool,
    },
    /// Cancel a scheduled deletion.
    Restore {
        /// Secret name.
        name: String,
    },
    /// Replace the key-encryption key, re-wrapping every data key in one transaction.
    Rekey {
        /// The new key file.
        #[arg(long, value_name = "FILE", group = "new")]
        new_key_file: Option<PathBuf>,
        /// A file holding the new passphrase.
        #[arg(long, value_name = "FILE", group = "new")]
        new_passphrase_file: Option<PathBuf>,
        /// Generate a new random key into this new file.
        #[arg(long, value_name = "FILE", group = "new")]
        generate_new_key: Option<PathBuf>,
        #[command(flatten)]
        kdf: KdfArgs,
    },
    /// Serve secrets to functions over HTTP, compatible with the AWS Parameters and Secrets
    /// Lambda Extension (GET /secretsmanager/get, /systemsmanager/parameters/get).
    Serve {
        /// Address to listen on (loopback only unless --allow-non-loopback).
        #[arg(long, default_value = "127.0.0.1:2773")]
        listen: SocketAddr,
        /// Policies file: functions, their token hashes and IAM policies (JSON).
        #[arg(long, value_name = "FILE")]
        policies: PathBuf,
        /// Cache TTL in seconds (0 disables; default from the policies file, else 30).
        #[arg(long, value_name = "SECS")]
        cache_ttl: Option<u64>,
        /// Audit log (JSON lines, hash-chained); default <vault>/audit.jsonl.
        #[arg(long, value_name = "FILE")]
        audit_log: Option<PathBuf>,
        /// Allow listening on a non-loopback address.
        #[arg(long)]
        allow_non_loopback: bool,
    },
}

/// Runs `warden secrets`.
pub fn run(args: SecretsArgs) -> anyhow::Result<u8> {
    match execute(&args) {
        Ok(code) => Ok(code),
        Err(err) => match err.downcast_ref::<VaultError>() {
            Some(
                VaultError::NotFound(_)
                | VaultError::VersionNotFound { .. }
                | VaultError::ScheduledForDeletion { .. }
                | VaultError::NotDeleted(_),
            ) => {
                eprintln!("error: {err:#}");
                Ok(exit::FINDINGS)
            }
            _ => Err(err),
        },
    }
}

fn execute(args: &SecretsArgs) -> anyhow::Result<u8> {
    match &args.command {
        Command::Init { generate_key, kdf } => {
            if args.vault.join(warden_vault::DB_FILE).exists() {
                bail!("a vault already exists at {}", args.vault.display());
            }
            let material = match generate_key {
                Some(path) => {
                    let kek = Kek::generate()?;
                    write_key_file(path, &kek)?;
                    eprintln!(
                        "wrote a new key to {} (keep it apart from the vault)",
                        path.display()
                    );
                    KeyMaterial::Key(kek)
                }
                None => key_material(args)?,
            };
            Vault::init(&args.vault, &material, kdf.params())?;
            println!("initialised vault at {}", args.vault.display());
        }
        Command::Put { name, from_file } => {
            let vault = open(args)?;
            let value = read_value(from_file.as_deref(), name)?;
            let info = vault.put(name, &value)?;
            let what = if info.created_secret {
                "created"
            } else {
                "updated"
            };
            println!(
                "{what} {} version {} (number {}, AWSCURRENT)",
                info.name, info.version_id, info.number
            );
        }
        Command::Get {
            name,
            version_id,
            version_stage,
        } => {
            let vault = open(args)?;
            let selector = match (version_id, version_stage) {
                (Some(id), Some(stage)) => Selector::IdAndStage(id.clone(), stage.clone()),
                (Some(id), None) => Selector::Id(id.clone()),
                (None, Some(stage)) => Selector::Stage(stage.clone()),
                (None, None) => Selector::Current,
            };
            let secret = vault.get(name, &selector)?;
            let mut out = std::io::stdout().lock();
            out.write_all(&secret.value)
                .and_then(|()| out.flush())
                .context("writing to stdout")?;
        }
        Command::List { all, json } => match list(&open(args)?, *all, *json) {
            Err(e)
                if e.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) => {}
            other => other?,
        },
        Command::Rotate {
            name,
            from_file,
            generate,
            length,
            exclude_punctuation,
        } => {
            let vault = open(args)?;
            let value = if *generate {
                if !(8..=4096).contains(length) {
                    bail!("--length must be between 8 and 4096");
                }
                let pw = warden_vault::random::password(*length, !exclude_punctuation)?;
                Zeroizing::new(pw.as_bytes().to_vec())
            } else {
                read_value(from_file.as_deref(), name)?
            };
            let info = vault.rotate(name, &value)?;
            println!(
                "rotated {} to version {} (number {}, AWSCURRENT)",
                info.name, info.version_id, info.number
            );
        }
        Command::Delete {
            name,
            recovery_window_days,
            force_delete_without_recovery,
        } => {
            let vault = open(args)?;
            if *force_delete_without_recovery {
                vault.delete(name, DeleteMode::Force)?;
                println!("deleted {name} permanently");
            } else {
                let at = vault.delete(name, DeleteMode::RecoveryWindow(*recovery_window_days))?;
                println!(
                    "scheduled {name} for deletion at {}; `warden secrets restore {name}` cancels it",
                    warden_vault::clock::rfc3339(at)
                );
            }
        }
        Command::Restore { name } => {
            open(args)?.restore(name)?;
            println!("restored {name}");
        }
        Command::Rekey {
            new_key_file,
            new_passphrase_file,
            generate_new_key,
            kdf,
        } => {
            let mut vault = open(args)?;
            let material = match (new_key_file, new_passphrase_file, generate_new_key) {
                (Some(path), _, _) => KeyMaterial::Key(Kek::from_file(path)?),
                (_, Some(path), _) => read_passphrase(path)?,
                (_, _, Some(path)) => {
                    let kek = Kek::generate()?;
                    write_key_file(path, &kek)?;
                    eprintln!("wrote the new key to {}", path.display());
                    KeyMaterial::Key(kek)
                }
                _ => bail!(
                    "give the new key: --new-key-file, --new-passphrase-file or --generate-new-key"
                ),
            };
            let n = vault.rekey(&material, kdf.params())?;
            println!("re-wrapped {n} data keys under the new key-encryption key");
        }
        Command::Serve {
            listen,
            policies,
            cache_ttl,
            audit_log,
            allow_non_loopback,
        } => {
            if !serve::is_loopback(listen) && !allow_non_loopback {
                bail!(
                    "{listen} is not a loopback address; pass --allow-non-loopback to expose secrets beyond this host"
                );
            }
            let vault = open(args)?;
            let loaded = PoliciesFile::load(policies)?;
            let ttl = cache_ttl
                .or(loaded.cache_ttl_seconds)
                .unwrap_or(serve::DEFAULT_TTL_SECONDS);
            let audit_path = audit_log
                .clone()
                .unwrap_or_else(|| args.vault.join("audit.jsonl"));
            let audit = AuditLog::open(&audit_path)?;
            let state = Arc::new(serve::ServeState::new(
                vault,
                loaded,
                Duration::from_secs(ttl),
                audit,
            ));
            serve::run_blocking(*listen, state, |addr| {
                eprintln!(
                    "warden secrets serve: listening on http://{addr} (audit log {})",
                    audit_path.display()
                );
            })
            .with_context(|| format!("serving on {listen}"))?;
        }
    }
    Ok(exit::CLEAN)
}

fn open(args: &SecretsArgs) -> anyhow::Result<Vault> {
    let material = key_material(args)?;
    Ok(Vault::open(&args.vault, &material)?)
}

fn key_material(args: &SecretsArgs) -> anyhow::Result<KeyMaterial> {
    match (&args.key_file, &args.passphrase_file) {
        (Some(_), Some(_)) => bail!("give either a key file or a passphrase file, not both"),
        (Some(path), None) => {
            warn_if_exposed(path);
            return Ok(KeyMaterial::Key(Kek::from_file(path)?));
        }
        (None, Some(path)) => return read_passphrase(path),
        (None, None) => {}
    }
    if let Some(text) = std::env::var_os("WARDEN_VAULT_KEY") {
        let bytes: ZeroOnDrop = Zeroizing::new(text.into_encoded_bytes());
        return Ok(KeyMaterial::Key(
            Kek::parse(&bytes).context("WARDEN_VAULT_KEY")?,
        ));
    }
    if let Some(text) = std::env::var_os("WARDEN_VAULT_PASSPHRASE") {
        return Ok(KeyMaterial::passphrase(text.into_encoded_bytes()));
    }
    bail!(
        "no key-encryption key: pass --key-file FILE (or set WARDEN_VAULT_KEY_FILE), --passphrase-file FILE, \
         or set WARDEN_VAULT_KEY / WARDEN_VAULT_PASSPHRASE"
    )
}

fn read_passphrase(path: &Path) -> anyhow::Result<KeyMaterial> {
    warn_if_exposed(path);
    let bytes = std::fs::read(path)
        .with_context(|| format!("reading passphrase file {}", path.display()))?;
    if bytes.is_empty() {
        bail!("passphrase file {} is empty", path.display());
    }
    Ok(KeyMaterial::passphrase(bytes))
}

#[cfg(unix)]
fn warn_if_exposed(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.permissions().mode() & 0o077 != 0 {
            eprintln!(
                "warning: {} is readable by other users; chmod 600 it",
                path.display()
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_exposed(_path: &Path) {}

fn write_key_file(path: &Path, kek: &Kek) -> anyhow::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o
        .open(path)
        .with_context(|| format!("creating key file {} (it must not exist)", path.display()))?;
    let mut text: ZeroOnDrop = Zeroizing::new(kek.to_hex().as_bytes().to_vec());
    text.push(b'\n');
    f.write_all(&text)
        .and_then(|()| f.sync_all())
        .with_context(|| format!("writing {}", path.display()))
}

/// Reads a value from a file or stdin, bounded by the vault's size limit. From an interactive
/// terminal one line is read and its newline dropped; from a pipe or file the bytes are exact.
fn read_value(from_file: Option<&Path>, name: &str) -> anyhow::Result<ZeroOnDrop> {
    let limit = warden_vault::model::MAX_VALUE_LEN;
    let mut buf: ZeroOnDrop = Zeroizing::new(Vec::with_capacity(limit + 1));
    match from_file {
        Some(path) => {
            let f =
                std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
            f.take(limit as u64 + 1)
                .read_to_end(&mut buf)
                .with_context(|| format!("reading {}", path.display()))?;
        }
        None => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                eprintln!(
                    "enter the value of {name}, then press Enter (input is visible; prefer a pipe or --from-file):"
                );
                stdin
                    .lock()
                    .take(limit as u64 + 1)
                    .read_until_newline(&mut buf)?;
                while matches!(buf.last(), Some(b'\n' | b'\r')) {
                    buf.pop();
                }
            } else {
                stdin
                    .lock()
                    .take(limit as u64 + 1)
                    .read_to_end(&mut buf)
                    .context("reading stdin")?;
            }
        }
    }
    Ok(buf)
}

trait ReadLine {
    fn read_until_newline(&mut self, buf: &mut Vec<u8>) -> anyhow::Result<()>;
}

impl<R: std::io::BufRead> ReadLine for R {
    fn read_until_newline(&mut self, buf: &mut Vec<u8>) -> anyhow::Result<()> {
        self.read_until(b'\n', buf)
            .context("reading the terminal")?;
        Ok(())
    }
}

fn list(vault: &Vault, all: bool, json: bool) -> anyhow::Result<()> {
    let secrets = vault.list(all)?;
    let mut out = std::io::stdout().lock();
    if json {
        let items: Vec<serde_json::Value> = secrets
            .iter()
            .map(|m| {
                serde_json::json!({
                    "name": m.name,
                    "created": warden_vault::clock::rfc3339(m.created_ms),
                    "last_changed": warden_vault::clock::rfc3339(m.last_changed_ms()),
                    "deletion_date": m.deletion.map(|d| warden_vault::clock::rfc3339(d.purge_after_ms)),
                    "versions": m.versions.iter().enumerate().map(|(i, v)| serde_json::json!({
                        "number": i + 1,
                        "version_id": v.id,
                        "created": warden_vault::clock::rfc3339(v.created_ms),
                        "stages": v.stages,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&items)?)?;
        return Ok(());
    }
    if secrets.is_empty() {
        writeln!(out, "no secrets")?;
    }
    for m in &secrets {
        let current = m.current().map_or("-", |v| v.id.as_str());
        let status = match m.deletion {
            Some(d) => format!(
                "  deleted, purge after {}",
                warden_vault::clock::rfc3339(d.purge_after_ms)
            ),
            None => String::new(),
        };
        writeln!(
            out,
            "{}  versions={}  current={}  changed={}{}",
            m.name,
            m.versions.len(),
            current,
            warden_vault::clock::rfc3339(m.last_changed_ms()),
            status
        )?;
    }
    Ok(())
}
