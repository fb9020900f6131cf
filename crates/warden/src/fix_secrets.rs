//! `warden scan --fix-secrets`: moves plaintext secrets found in CloudFormation/SAM environment
//! variables (SEC001) into Secrets Manager dynamic references, editing only the bytes of each
//! value so the template's formatting and comments stay as they are, and prints the
//! `warden secrets put` commands that store the values (never the values themselves).

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::Path;
use warden_model::Finding;
use warden_source::SourceMap;

/// One planned edit.
pub struct Fix {
    pub file: String,
    pub start: usize,
    pub end: usize,
    pub secret_name: String,
}

/// The secret name for a finding: `<resource>/<VARIABLE>` from the document path.
fn secret_name(f: &Finding) -> Option<String> {
    let path = &*f.origin.path;
    let var = path.strip_prefix('/')?.split('/').collect::<Vec<_>>();
    let idx = var.iter().position(|s| *s == "Variables")?;
    let name = var.get(idx + 1)?.replace("~1", "/").replace("~0", "~");
    let owner = f.resource.as_deref().unwrap_or("shared");
    Some(format!("{owner}/{name}"))
}

/// Plans the edits for every SEC001 finding in a CloudFormation/SAM template.
pub fn plan(findings: &[Finding], sources: &SourceMap) -> Vec<Fix> {
    findings
        .iter()
        .filter(|f| f.rule == "SEC001" && f.origin.path.contains("/Variables/"))
        .filter(|f| {
            // Serverless Framework values live under `environment:`; only CloudFormation paths here.
            f.origin.path.starts_with("/Resources/") || f.origin.path.starts_with("/Globals/")
        })
        .filter_map(|f| {
            let src = sources.get(&f.origin.file)?;
            let (start, end) = (f.origin.span.start as usize, f.origin.span.end as usize);
            src.text.get(start..end)?;
            Some(Fix {
                file: f.origin.file.to_string(),
                start,
                end,
                secret_name: secret_name(f)?,
            })
        })
        .collect()
}

/// The scalar value of a YAML/JSON span: quotes removed and escapes decoded.
fn scalar_value(raw: &str) -> String {
    let raw = raw.trim();
    if raw.starts_with('"') {
        if let Ok(s) = serde_json::from_str::<String>(raw) {
            return s;
        }
        return raw.trim_matches('"').to_string();
    }
    if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return inner.replace("''", "'");
    }
    raw.to_string()
}

/// Applies the edits under `root`. With a vault, each value is stored there first (a template is
/// edited only after its values are safe); returns what the user still has to do.
pub fn apply(
    root: &Path,
    fixes: &[Fix],
    sources: &SourceMap,
    vault: Option<&warden_vault::Vault>,
) -> Result<Vec<String>> {
    let mut by_file: BTreeMap<&str, Vec<&Fix>> = BTreeMap::new();
    for fix in fixes {
        by_file.entry(&fix.file).or_default().push(fix);
    }
    let mut commands = Vec::new();
    for (file, mut edits) in by_file {
        let Some(src) = sources.get(file) else {
            continue;
        };
        let mut text = src.text.to_string();
        edits.sort_by_key(|e| std::cmp::Reverse(e.start));
        for e in &edits {
            let value = warden_vault::Zeroizing::new(scalar_value(&text[e.start..e.end]));
            match vault {
                Some(v) => {
                    v.put(&e.secret_name, value.as_bytes())
                        .with_context(|| format!("storing {} in the vault", e.secret_name))?;
                    commands.push(format!("stored {} in the local vault", e.secret_name));
                }
                None => commands.push(format!(
                    "warden secrets put {}   # the value removed from {file} (see `git diff`), then Ctrl-D",
                    e.secret_name
                )),
            }
            let reference = format!("\"{{{{resolve:secretsmanager:{}}}}}\"", e.secret_name);
            text.replace_range(e.start..e.end, &reference);
        }
        let path = root.join(file);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    commands.sort();
    Ok(commands)
}
