//! The secret pass of a scan: handler code and configuration files (not templates, whose values
//! the template rules judge with their semantics) scanned by `warden_secrets` in parallel.
//!
//! Files with a finding join the source map, so excerpts can be shown (redacted) and fingerprints
//! computed; the others are read once and dropped.

use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;
use warden_input::classify::FileKind;
use warden_input::discover::DiscoveredFile;
use warden_rules::FileSecrets;
use warden_source::{SourceFile, SourceMap};

/// Extensions of source code besides the handler languages the classifier names.
const CODE_EXTENSIONS: &[&str] = &[
    "java", "kt", "scala", "cs", "fs", "vb", "go", "rb", "php", "rs", "swift", "sh", "bash", "ps1",
];

/// Extensions of configuration files.
const CONFIG_EXTENSIONS: &[&str] = &[
    "tfvars",
    "properties",
    "ini",
    "cfg",
    "conf",
    "toml",
    "pem",
    "key",
    "p8",
    "env",
];

/// File names (lowercase) of configuration files that hold secrets when anything does.
const CONFIG_NAMES: &[&str] = &[
    "local.settings.json",
    ".npmrc",
    ".pypirc",
    ".netrc",
    "credentials",
    "dockerfile",
    "docker-compose.yml",
    "docker-compose.yaml",
    "compose.yml",
    "compose.yaml",
    "terraform.tfvars.json",
    "config.json",
    "config.yml",
    "config.yaml",
    "settings.json",
    "secrets.json",
    "secrets.yml",
    "secrets.yaml",
    "id_rsa",
    "id_ecdsa",
    "id_ed25519",
];

/// True for a file the secret pass reads: code, Terraform and configuration files, never a
/// template (already judged) or a lockfile.
pub fn is_candidate(rel: &str, kind: FileKind) -> bool {
    match kind {
        FileKind::Code(_) | FileKind::Terraform => return true,
        FileKind::CloudFormation { .. } | FileKind::ServerlessFramework | FileKind::Lockfile(_) => {
            return false;
        }
        FileKind::AzureFunctionJson | FileKind::Other => {}
    }
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    if CONFIG_NAMES.contains(&name.as_str())
        || name == ".env"
        || name.starts_with(".env.")
        || (name.starts_with("appsettings") && name.ends_with(".json"))
        || name.ends_with(".tfvars.json")
    {
        return true;
    }
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| CODE_EXTENSIONS.contains(&ext) || CONFIG_EXTENSIONS.contains(&ext))
}

/// Scans every candidate file not already parsed as a template (Terraform files are scanned even
/// when parsed: only some of their values are lowered into the model). Returns the files with
/// secrets, and their texts for the source map.
pub fn run(
    files: &[(DiscoveredFile, FileKind)],
    parsed: &SourceMap,
    max_file_size: u64,
) -> (Vec<FileSecrets>, Vec<Arc<SourceFile>>) {
    let found: Vec<(FileSecrets, Arc<SourceFile>)> = files
        .par_iter()
        .filter(|(f, kind)| {
            is_candidate(&f.rel, *kind)
                && f.size <= max_file_size
                && (*kind == FileKind::Terraform || parsed.get(&f.rel).is_none())
        })
        .filter_map(|(f, _)| {
            let bytes = std::fs::read(&f.path).ok()?;
            let matches = warden_secrets::scan_text(Path::new(&f.rel), &bytes);
            if matches.is_empty() {
                return None;
            }
            // Offsets index the bytes as read: only a UTF-8 text keeps them valid in the map.
            let text = String::from_utf8(bytes).ok()?;
            let source = Arc::new(SourceFile::new(Arc::from(f.rel.as_str()), text));
            Some((
                FileSecrets {
                    file: f.rel.clone(),
                    matches,
                },
                source,
            ))
        })
        .collect();
    let mut secrets = Vec::with_capacity(found.len());
    let mut sources = Vec::with_capacity(found.len());
    for (s, src) in found {
        secrets.push(s);
        sources.push(src);
    }
    secrets.sort_by(|a, b| a.file.cmp(&b.file));
    (secrets, sources)
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_input::classify::Lang;

    #[test]
    fn code_and_config_are_candidates_templates_and_lockfiles_are_not() {
        assert!(is_candidate("src/app.py", FileKind::Code(Lang::Python)));
        assert!(is_candidate("infra/main.tf", FileKind::Terraform));
        assert!(is_candidate(".env", FileKind::Other));
        assert!(is_candidate("svc/.env.production", FileKind::Other));
        assert!(is_candidate("prod.tfvars", FileKind::Other));
        assert!(is_candidate("fn/local.settings.json", FileKind::Other));
        assert!(is_candidate(
            "api/appsettings.Development.json",
            FileKind::Other
        ));
        assert!(is_candidate("src/Main.java", FileKind::Other));
        assert!(!is_candidate(
            "template.yaml",
            FileKind::CloudFormation { sam: true }
        ));
        assert!(!is_candidate(
            "serverless.yml",
            FileKind::ServerlessFramework
        ));
        assert!(!is_candidate("README.md", FileKind::Other));
        assert!(!is_candidate("events/event.json", FileKind::Other));
    }
}
