//! `warden.toml`: project settings for `warden scan` (select, ignore, per-rule severity, excluded
//! paths, fail-on, size cap). Unknown keys are errors, so a typo never silently disables a check.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file's contents.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Rule code → severity.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// Glob patterns of paths not to scan.
    #[serde(default)]
    pub exclude: Vec<String>,
    pub fail_on: Option<String>,
    pub max_file_size: Option<u64>,
}

/// Reads the explicit config, or `warden.toml` at the scan root when present.
pub fn load(explicit: Option<&Path>, root: &Path) -> Result<Option<(PathBuf, Config)>> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let candidate = root.join("warden.toml");
            if !candidate.is_file() {
                return Ok(None);
            }
            candidate
        }
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read configuration {}", path.display()))?;
    let config: Config = toml::from_str(&text)
        .with_context(|| format!("invalid configuration {}", path.display()))?;
    Ok(Some((path, config)))
}
