//! `warden db`: manage the offline vulnerability database. `fetch ECOSYSTEM…` downloads the
//! osv.dev per-ecosystem exports (`<base>/<Ecosystem>/all.zip`) into the data directory;
//! `status` shows the loaded sources, what they hold and how old they are.

use crate::exit;
use anyhow::{Context, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use warden_deps::{Ecosystem, VulnDb, default_cache_dir, default_data_dir, resolve_sources};

/// Default download base (osv.dev's public bucket).
pub const DEFAULT_BASE: &str = "https://osv-vulnerabilities.storage.googleapis.com";
/// Largest export accepted.
const MAX_DOWNLOAD: u64 = 2 * 1024 * 1024 * 1024;

/// Arguments of `warden db`.
#[derive(Debug, clap::Args)]
pub struct DbArgs {
    #[command(subcommand)]
    command: DbCommand,
}

#[derive(Debug, clap::Subcommand)]
enum DbCommand {
    /// Download the OSV exports of ecosystems (npm, PyPI, Go, crates.io, Maven).
    Fetch(FetchArgs),
    /// Show the loaded advisory sources and how old they are.
    Status(StatusArgs),
}

#[derive(Debug, clap::Args)]
struct FetchArgs {
    /// Ecosystems to download, as OSV names them.
    #[arg(required = true)]
    ecosystems: Vec<String>,
    /// Base URL; `<base>/<Ecosystem>/all.zip` is fetched.
    #[arg(long, value_name = "BASE", env = "WARDEN_VULN_DB_URL", default_value = DEFAULT_BASE)]
    url: String,
    /// Directory to store the exports in (default: the user data directory).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Timeout for one download, in seconds.
    #[arg(long, default_value_t = 600)]
    timeout: u64,
}

#[derive(Debug, clap::Args)]
struct StatusArgs {
    /// Advisory source (directory or zip); repeatable. Default: `WARDEN_VULN_DB`, else the
    /// directory `warden db fetch` fills.
    #[arg(long = "vuln-db", value_name = "PATH")]
    vuln_db: Vec<PathBuf>,
    /// Index cache directory (default: the user cache directory).
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
}

/// Runs `warden db`.
pub fn run(args: DbArgs) -> anyhow::Result<u8> {
    match args.command {
        DbCommand::Fetch(a) => fetch(a),
        DbCommand::Status(a) => status(a),
    }
}

fn fetch(args: FetchArgs) -> anyhow::Result<u8> {
    let ecosystems = args
        .ecosystems
        .iter()
        .map(|e| {
            Ecosystem::from_osv(e).with_context(|| {
                format!("unknown ecosystem `{e}` (supported: npm, PyPI, Go, crates.io, Maven)")
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let dir = args.dir.unwrap_or_else(default_data_dir);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(args.timeout)))
        .build()
        .into();
    let base = args.url.trim_end_matches('/');
    for eco in ecosystems {
        let url = format!("{base}/{}/all.zip", eco.osv_name());
        let target_dir = dir.join(eco.osv_name());
        std::fs::create_dir_all(&target_dir)
            .with_context(|| format!("cannot create {}", target_dir.display()))?;
        let target = target_dir.join("all.zip");
        let part = target_dir.join("all.zip.part");
        let bytes = download(&agent, &url, &part).inspect_err(|_| {
            let _ = std::fs::remove_file(&part);
        })?;
        let records = match warden_deps::osv::read::validate_zip(&part) {
            Ok(n) => n,
            Err(e) => {
                let _ = std::fs::remove_file(&part);
                bail!("{url}: not a valid OSV export: {e}");
            }
        };
        std::fs::rename(&part, &target)
            .with_context(|| format!("cannot move the export to {}", target.display()))?;
        println!(
            "{eco}: {records} advisories, {bytes} bytes -> {}",
            target.display()
        );
    }
    Ok(exit::CLEAN)
}

fn download(agent: &ureq::Agent, url: &str, to: &Path) -> anyhow::Result<u64> {
    let mut resp = agent
        .get(url)
        .call()
        .with_context(|| format!("cannot download {url}"))?;
    let mut reader = resp.body_mut().with_config().limit(MAX_DOWNLOAD).reader();
    let mut file =
        std::fs::File::create(to).with_context(|| format!("cannot write {}", to.display()))?;
    let n = std::io::copy(&mut reader, &mut file)
        .with_context(|| format!("download of {url} failed"))?;
    file.flush()?;
    Ok(n)
}

fn age(secs: u64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let d = now.saturating_sub(secs);
    match d {
        0..=119 => format!("{d} s"),
        120..=7199 => format!("{} min", d / 60),
        7200..=172_799 => format!("{} h", d / 3600),
        _ => format!("{} days", d / 86_400),
    }
}

fn status(args: StatusArgs) -> anyhow::Result<u8> {
    let sources = resolve_sources(&args.vuln_db);
    if sources.is_empty() {
        println!(
            "no vulnerability data: pass --vuln-db PATH, set WARDEN_VULN_DB, or run `warden db fetch ECOSYSTEM`"
        );
        return Ok(exit::FINDINGS);
    }
    let cache = args.cache_dir.unwrap_or_else(default_cache_dir);
    let db = VulnDb::open(&sources, &cache)?;
    for s in db.sources() {
        let st = s.stats();
        println!("source {}", s.source().display());
        let data_age = warden_deps::osv::read::newest_mtime(s.source())
            .map_or_else(|| "unknown".to_string(), age);
        println!(
            "  data age: {data_age} (newest record modified {})",
            st.newest_modified.as_deref().unwrap_or("unknown")
        );
        println!(
            "  advisories: {} ({} withdrawn, ignored); packages: {}; GIT ranges skipped: {}",
            st.records,
            st.withdrawn,
            s.package_count(),
            st.git_ranges
        );
        for (eco, n) in &st.per_ecosystem {
            println!("    {eco}: {n}");
        }
        if st.error_count > 0 {
            println!("  unreadable documents: {}", st.error_count);
            for e in &st.errors {
                println!("    {e}");
            }
        }
        match s.index_file() {
            Some(f) => println!(
                "  index: {} ({} bytes, {}, built {} ago)",
                f.display(),
                s.size_bytes(),
                if s.rebuilt() { "rebuilt now" } else { "cached" },
                age(s.built_unix())
            ),
            None => println!("  index: in memory only (cache directory not writable)"),
        }
    }
    Ok(exit::CLEAN)
}
