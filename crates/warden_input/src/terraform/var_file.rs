//! Variable files named on the command line (`--var-file FILE`, Terraform's `-var-file`): read once
//! before the scan, capped at the template size limit, parsed as HCL (`NAME = VALUE` lines) or,
//! for a name ending in `.json`, as a JSON object of values. The user chose the file, so it may
//! live outside the scanned root; anything but a readable, well-formed file of assignments is an
//! error naming the file, so the caller can stop before scanning.

use super::parse::{self, Loaded, ParsedFile, Syntax};
use crate::document::Limits;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use warden_model::{Node, ScanError, Val};
use warden_source::SourceFile;

/// A parsed variable file given on the command line.
#[derive(Debug)]
pub struct VarFile {
    /// What the evaluator reads (for JSON, the HCL transcription).
    pub(super) file: ParsedFile,
    /// The file's own text, for excerpts.
    pub(super) shown: Arc<SourceFile>,
    /// For JSON, the document with spans (to point values at their JSON lines).
    pub(super) json: Option<Node>,
}

impl VarFile {
    /// Reads and parses `path`, shown in findings and errors as `shown_as`. Files larger than
    /// `max` bytes are refused without reading past the limit.
    pub fn read(path: &Path, shown_as: &str, max: u64, limits: &Limits) -> Result<Self, ScanError> {
        let text = read_capped(path, shown_as, max)?;
        let syntax = if shown_as.to_ascii_lowercase().ends_with(".json")
            || path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            Syntax::JsonVars
        } else {
            Syntax::Hcl
        };
        let Loaded { file, shown, json } = parse::load_text(shown_as, text, syntax, limits)?;
        // A JSON variable file is one object of values (Terraform refuses anything else).
        if json
            .as_ref()
            .is_some_and(|doc| !matches!(doc.val, Val::Map(_)))
        {
            return Err(ScanError::new(
                shown_as,
                "a JSON variable file must be one object of NAME: VALUE",
            ));
        }
        if let Some(block) = file.body.blocks().next() {
            return Err(ScanError::new(
                shown_as,
                format!(
                    "a variable file holds only NAME = VALUE assignments, found a `{}` block",
                    block.ident.value().as_str()
                ),
            ));
        }
        Ok(Self { file, shown, json })
    }

    /// The name the file is shown as.
    pub fn name(&self) -> &str {
        &self.file.rel
    }
}

/// The UTF-8 text of `path`, reading at most `max + 1` bytes (a FIFO or device never makes the
/// read unbounded).
fn read_capped(path: &Path, shown_as: &str, max: u64) -> Result<String, ScanError> {
    let too_large = || {
        ScanError::new(
            shown_as,
            format!("variable file exceeds the size limit of {max} bytes (--max-file-size)"),
        )
    };
    let file = std::fs::File::open(path)
        .map_err(|e| ScanError::new(shown_as, format!("cannot read: {e}")))?;
    if let Ok(meta) = file.metadata() {
        if meta.is_dir() {
            return Err(ScanError::new(
                shown_as,
                "cannot read: is a directory, not a variable file",
            ));
        }
        if meta.is_file() && meta.len() > max {
            return Err(too_large());
        }
    }
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ScanError::new(shown_as, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|e| {
        ScanError::new(
            shown_as,
            format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
        )
    })
}
