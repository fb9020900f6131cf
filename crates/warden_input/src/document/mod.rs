//! YAML and JSON documents into value trees that remember where every value came from.
//!
//! [`parse`] reads one file's text into a [`Document`]: a [`Node`] tree (the model's
//! [`warden_model::Val`] values) plus [`Warning`]s. Every node has an [`Origin`](warden_source::Origin):
//! the file, the byte [`Span`] of the value (a scalar's own text; a mapping or sequence from its
//! start to the end of its last child or closing bracket) and its document path, a JSON pointer
//! such as `/Resources/Fn/Properties/Policies/0` whose segments are escaped with
//! [`escape_path_segment`](warden_model::value::escape_path_segment). Map keys keep their own
//! origin (the key's span, the value's path).
//!
//! # Formats
//!
//! A `.json` file is strict JSON. Any other file is YAML, except that a text whose first
//! character is `{` or `[` is tried as JSON first and read as YAML only if it is not valid JSON.
//! [`parse_as`] forces a format. A leading byte-order mark is skipped (offsets still count it).
//!
//! # YAML semantics
//!
//! * Plain scalars are typed as CloudFormation's YAML 1.1 reading and the YAML 1.2 core schema
//!   agree (see `scalar.rs`): `null`/`~`/empty → `Val::Null`; `true`/`false` (and YAML 1.1's
//!   `yes`/`no`/`on`/`off`) → `Val::Bool`; integers and floats → `Val::Num` keeping the text; the
//!   rest → `Val::Str`. Quoted and block scalars are strings. `!!str`, `!!int`, `!!float`,
//!   `!!bool`, `!!null` and the non-specific `!` force a type.
//! * CloudFormation short forms become long forms: `!Ref X` → `{Ref: X}`, `!Condition X` →
//!   `{Condition: X}`, `!GetAtt A.B` → `{"Fn::GetAtt": [A, B]}` (split on the first dot; the
//!   sequence form is kept), and `!Sub`, `!Join`, `!Select`, `!Split`, `!If`, `!Equals`, `!And`,
//!   `!Or`, `!Not`, `!FindInMap`, `!Base64`, `!Cidr`, `!ImportValue`, `!GetAZs`, `!Transform`,
//!   `!Length`, `!ToJsonString` → `{"Fn::<Name>": value}`, on scalars, sequences and mappings. The
//!   synthetic map spans the tag and the value; its key's span is the tag. A tagged scalar is not
//!   implicitly typed (`!Ref 123` refers to `"123"`). (`Fn::ForEach` has no short form: it is a key.)
//! * Unknown tags: the value is kept as if untagged, with a warning.
//! * Duplicate keys: the last value wins, in the position of the first entry, with a warning.
//! * Merge keys (`<<`) are not CloudFormation: `<<` is an ordinary key.
//! * Aliases are expanded into copies: the copy's paths are those of the alias's place, its
//!   nested spans point at the anchored text, and its root spans the alias.
//! * A stream of several documents: the first is read, with a warning. An empty document (or one
//!   with only comments) is a `Val::Null` root.
//! * Non-scalar mapping keys (`? [a, b]`) are an error; scalar keys keep their text (`on: x` has
//!   the key `on`).
//!
//! # Hostile input
//!
//! Parsing is bounded by [`Limits`] (nesting depth, scalar size, node count, alias expansion,
//! text held by the tree): each exceeded limit is a [`DocumentError`] with a span, never a panic
//! and never unbounded memory. Invalid UTF-8 is the caller's to reject (this module takes `&str`).

mod builder;
mod entries;
mod error;
mod json;
mod limits;
mod offsets;
mod paths;
mod scalar;
mod tags;
mod yaml;
mod yaml_spans;

pub use error::DocumentError;
pub use limits::Limits;

use std::fmt;
use std::sync::Arc;
use warden_model::Node;
use warden_source::Span;

/// The syntax a document was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Yaml,
    Json,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Yaml => "YAML",
            Self::Json => "JSON",
        })
    }
}

/// Something odd but tolerated in a document (a duplicate key, an unknown tag, a second
/// document), located by its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub span: Span,
    pub message: String,
}

/// A parsed document: its root node, its warnings (in document order) and the syntax used.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: Node,
    pub warnings: Vec<Warning>,
    pub format: Format,
}

/// Parses `text`, the contents of `file` (a path relative to the scanned root, copied into every
/// origin), choosing the format as described in the module documentation.
pub fn parse(file: Arc<str>, text: &str, limits: &Limits) -> Result<Document, DocumentError> {
    let by_name = file.to_ascii_lowercase().ends_with(".json");
    if by_name {
        return parse_as(Format::Json, file, text, limits);
    }
    let first = strip_bom(text).0.trim_start().as_bytes().first().copied();
    if matches!(first, Some(b'{' | b'[')) {
        return match parse_as(Format::Json, file.clone(), text, limits) {
            Err(json_err @ DocumentError::Syntax { .. }) => {
                parse_as(Format::Yaml, file, text, limits).map_err(|yaml_err| match yaml_err {
                    DocumentError::Syntax { .. } => json_err,
                    other => other,
                })
            }
            other => other,
        };
    }
    parse_as(Format::Yaml, file, text, limits)
}

/// Parses `text` as `format`.
pub fn parse_as(
    format: Format,
    file: Arc<str>,
    text: &str,
    limits: &Limits,
) -> Result<Document, DocumentError> {
    if u32::try_from(text.len()).is_err() {
        return Err(DocumentError::TooLarge {
            limit: u32::MAX as usize,
            span: Span::new(0, 0),
        });
    }
    let (body, base) = strip_bom(text);
    match format {
        Format::Yaml => yaml::parse(file, body, base, limits),
        Format::Json => json::parse(file, body, base, limits),
    }
}

/// The text after a leading byte-order mark, and the mark's length in bytes.
fn strip_bom(text: &str) -> (&str, u32) {
    match text.strip_prefix('\u{feff}') {
        Some(body) => (body, 3),
        None => (text, 0),
    }
}
