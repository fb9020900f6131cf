//! Collects the OSV documents of a source: a directory walked recursively for `*.json`,
//! `*.yaml`/`*.yml` and `*.zip` files, or one such file. Zip archives must use stored or deflate
//! entries; entries and documents are size-capped so a hostile archive cannot exhaust memory.

use super::model::OsvRecord;
use super::yaml;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest single advisory document read (bytes).
const MAX_DOC: u64 = 16 * 1024 * 1024;
/// Deepest directory level walked.
const MAX_DEPTH: usize = 16;

/// The kind of a data file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    /// `*.json`
    Json,
    /// `*.yaml`, `*.yml`
    Yaml,
    /// `*.zip`
    Zip,
}

/// Classifies a file name; `None` for files that are not advisory data.
pub fn data_kind(name: &str) -> Option<DataKind> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".json") {
        Some(DataKind::Json)
    } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        Some(DataKind::Yaml)
    } else if lower.ends_with(".zip") {
        Some(DataKind::Zip)
    } else {
        None
    }
}

/// One document waiting to be parsed.
#[derive(Debug)]
pub struct RawDoc {
    /// Where it came from (`path` or `archive.zip!entry`), for error messages.
    pub origin: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// YAML rather than JSON.
    pub yaml: bool,
}

/// The data files of a source, sorted, for reading and for fingerprinting.
pub fn data_files(source: &Path) -> std::io::Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(source)?;
    if meta.is_file() {
        return Ok(vec![source.to_path_buf()]);
    }
    let mut out = Vec::new();
    walk(source, 0, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let ty = entry.file_type()?;
        if ty.is_dir() {
            walk(&entry.path(), depth + 1, out)?;
        } else if ty.is_file() && data_kind(&name).is_some() {
            out.push(entry.path());
        }
    }
    Ok(())
}

/// Reads one data file into documents; problems with single entries go to `errors`.
pub fn read_file(
    path: &Path,
    docs: &mut Vec<RawDoc>,
    errors: &mut Vec<String>,
) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match data_kind(&name) {
        Some(DataKind::Zip) => read_zip(path, docs, errors),
        Some(kind) => {
            let file = File::open(path)?;
            let mut bytes = Vec::new();
            file.take(MAX_DOC + 1).read_to_end(&mut bytes)?;
            if bytes.len() as u64 > MAX_DOC {
                errors.push(format!(
                    "{}: larger than {MAX_DOC} bytes, skipped",
                    path.display()
                ));
                return Ok(());
            }
            docs.push(RawDoc {
                origin: path.display().to_string(),
                bytes,
                yaml: kind == DataKind::Yaml,
            });
            Ok(())
        }
        None => Ok(()),
    }
}

fn read_zip(path: &Path, docs: &mut Vec<RawDoc>, errors: &mut Vec<String>) -> std::io::Result<()> {
    let file = File::open(path)?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{}: {e}", path.display()),
        )
    })?;
    for i in 0..archive.len() {
        let mut entry = match archive.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                errors.push(format!("{}: entry {i}: {e}", path.display()));
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_string();
        let Some(kind) = data_kind(&name).filter(|k| *k != DataKind::Zip) else {
            continue;
        };
        let origin = format!("{}!{name}", path.display());
        if entry.size() > MAX_DOC {
            errors.push(format!("{origin}: larger than {MAX_DOC} bytes, skipped"));
            continue;
        }
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        match (&mut entry).take(MAX_DOC + 1).read_to_end(&mut bytes) {
            Ok(_) if bytes.len() as u64 > MAX_DOC => {
                errors.push(format!("{origin}: larger than {MAX_DOC} bytes, skipped"));
            }
            Ok(_) => docs.push(RawDoc {
                origin,
                bytes,
                yaml: kind == DataKind::Yaml,
            }),
            Err(e) => errors.push(format!("{origin}: {e}")),
        }
    }
    Ok(())
}

/// Parses one document: a single record or an array of records (JSON), or one record per YAML
/// document.
pub fn parse_doc(doc: &RawDoc) -> Result<Vec<OsvRecord>, String> {
    let values: Vec<serde_json::Value> = if doc.yaml {
        let text = std::str::from_utf8(&doc.bytes).map_err(|e| e.to_string())?;
        yaml::parse(text)?
    } else {
        vec![serde_json::from_slice(&doc.bytes).map_err(|e| e.to_string())?]
    };
    let mut out = Vec::new();
    for v in values {
        match v {
            serde_json::Value::Array(items) => {
                for item in items {
                    out.push(serde_json::from_value(item).map_err(|e| e.to_string())?);
                }
            }
            serde_json::Value::Null => {}
            other => out.push(serde_json::from_value(other).map_err(|e| e.to_string())?),
        }
    }
    Ok(out)
}

/// Checks that a file is a readable zip of OSV documents and counts them (for `warden db fetch`
/// before it replaces an export).
pub fn validate_zip(path: &Path) -> Result<usize, String> {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    read_zip(path, &mut docs, &mut errors).map_err(|e| e.to_string())?;
    if let Some(e) = errors.first() {
        return Err(e.clone());
    }
    let mut records = 0;
    for d in &docs {
        records += parse_doc(d)?.len();
    }
    Ok(records)
}

/// The newest modification time among a source's data files (seconds since the Unix epoch).
pub fn newest_mtime(source: &Path) -> Option<u64> {
    data_files(source)
        .ok()?
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok()?.modified().ok())
        .filter_map(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs())
        .max()
}
