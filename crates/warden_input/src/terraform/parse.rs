//! Reading and parsing one Terraform file with `hcl-edit` (spans kept), with every failure an
//! error for that file: unreadable, too large, not UTF-8, nested too deeply, or an HCL syntax
//! error with its line and column.

use hcl_edit::structure::Body;
use std::path::Path;
use std::sync::Arc;
use warden_model::ScanError;
use warden_source::SourceFile;

/// Deepest bracket nesting accepted before parsing (the parser recurses per level).
pub const MAX_NESTING: usize = 128;

/// One parsed `.tf` (or `.tfvars`) file.
#[derive(Debug)]
pub struct ParsedFile {
    /// Path relative to the scanned root.
    pub rel: Arc<str>,
    pub source: Arc<SourceFile>,
    pub body: Body,
}

/// A parsed file with the text to show for it and, for Terraform JSON, its document with spans.
#[derive(Debug)]
pub struct Loaded {
    /// What the evaluator reads (for `.tf.json`, the HCL transcription).
    pub file: ParsedFile,
    /// The file's own text, for excerpts and suppression comments.
    pub shown: Arc<SourceFile>,
    pub json: Option<warden_model::Node>,
}

/// How a file's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Native HCL syntax (`.tf`, `.tfvars`).
    Hcl,
    /// Terraform JSON configuration (`.tf.json`).
    JsonConfig,
    /// JSON variable values (`.tfvars.json`): every value literal.
    JsonVars,
}

/// Reads and parses `path` (shown as `rel`): HCL, or Terraform JSON syntax for `*.tf.json`.
pub fn load_file(
    path: &Path,
    rel: &str,
    size: u64,
    max: u64,
    limits: &crate::document::Limits,
) -> Result<Loaded, ScanError> {
    let text = read_text(path, rel, size, max)?;
    let lower = rel.to_ascii_lowercase();
    let syntax = if lower.ends_with(".tf.json") {
        Syntax::JsonConfig
    } else if lower.ends_with(".tfvars.json") {
        Syntax::JsonVars
    } else {
        Syntax::Hcl
    };
    load_text(rel, text, syntax, limits)
}

/// Parses `text` (shown as `rel`) in the given syntax.
pub fn load_text(
    rel: &str,
    text: String,
    syntax: Syntax,
    limits: &crate::document::Limits,
) -> Result<Loaded, ScanError> {
    if syntax != Syntax::Hcl {
        let rel_arc: Arc<str> = Arc::from(rel);
        let (hcl, doc) = if syntax == Syntax::JsonConfig {
            super::json_syntax::transcribe(&rel_arc, &text, limits)?
        } else {
            super::json_syntax::transcribe_vars(&rel_arc, &text, limits)?
        };
        let file = parse_text(rel, hcl)?;
        return Ok(Loaded {
            file,
            shown: Arc::new(SourceFile::new(rel_arc, text)),
            json: Some(doc),
        });
    }
    let file = parse_text(rel, text)?;
    Ok(Loaded {
        shown: file.source.clone(),
        file,
        json: None,
    })
}

/// The UTF-8 text of a file within the size limit.
fn read_text(path: &Path, rel: &str, size: u64, max: u64) -> Result<String, ScanError> {
    if size > max {
        return Err(ScanError::new(
            rel,
            format!(
                "Terraform file of {size} bytes exceeds the size limit of {max} bytes (--max-file-size); not parsed"
            ),
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|e| ScanError::new(rel, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > max {
        return Err(ScanError::new(
            rel,
            format!("Terraform file exceeds the size limit of {max} bytes; not parsed"),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        ScanError::new(
            rel,
            format!(
                "not valid UTF-8 (byte {}); not parsed",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Parses `text` as an HCL body.
pub fn parse_text(rel: &str, text: String) -> Result<ParsedFile, ScanError> {
    let rel: Arc<str> = Arc::from(rel);
    let source = Arc::new(SourceFile::new(rel.clone(), text));
    if let Some(at) = too_deep(&source.text) {
        let pos = source.position(u32::try_from(at).unwrap_or(u32::MAX));
        return Err(ScanError::new(
            &*rel,
            format!(
                "expressions nested more than {MAX_NESTING} levels deep (line {}, column {}); not parsed",
                pos.line, pos.column
            ),
        ));
    }
    // The parser is a dependency: should it ever panic on hostile text, that is this file's
    // error, not the end of the scan.
    let parsed = std::panic::catch_unwind(|| hcl_edit::parser::parse_body(&source.text))
        .map_err(|_| ScanError::new(&*rel, "the HCL parser failed on this file; not parsed"))?;
    let body = parsed.map_err(|e| {
        let loc = e.location();
        ScanError::new(
            &*rel,
            format!(
                "HCL syntax error: {} (line {}, column {})",
                e.message(),
                loc.line(),
                loc.column()
            ),
        )
    })?;
    Ok(ParsedFile { rel, source, body })
}

/// The offset where bracket nesting first exceeds [`MAX_NESTING`], counting every bracket (also
/// inside strings: an over-estimate only rejects absurd files).
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_have_line_and_column() {
        let err = parse_text("main.tf", "resource \"a\" \"b\" {\n  x = \n}\n".into()).unwrap_err();
        assert!(err.message.contains("line"), "{}", err.message);
        assert!(
            err.message.starts_with("HCL syntax error"),
            "{}",
            err.message
        );
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let text = format!("x = {}1{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse_text("deep.tf", text).unwrap_err();
        assert!(err.message.contains("nested"), "{}", err.message);
    }

    #[test]
    fn valid_file_parses() {
        let f = parse_text("ok.tf", "locals {\n  a = 1\n}\n".into()).unwrap();
        assert_eq!(f.body.len(), 1);
    }
}
