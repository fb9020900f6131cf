//! Warden output formats: pretty, json, sarif, github, junit.
//!
//! [`render`] prepares a [`Report`] once ([`Context`]: findings located through the
//! [`SourceMap`], sorted by file, line, column, rule and message, secrets masked) and hands it to
//! the [`Emitter`] of the chosen [`Format`], one module per format. Output depends only on the
//! inputs, so the same report renders byte for byte the same.

mod context;
mod emitter;
mod excerpt;
mod format;
mod github;
mod json;
mod junit;
mod location;
mod mask;
mod options;
mod pretty;
mod sanitize;
mod sarif;
mod uri;
mod xml;

pub use context::{Context, FindingView, RelatedView};
pub use emitter::Emitter;
pub use format::{Format, UnknownFormat};
pub use json::JSON_VERSION;
pub use location::Location;
pub use options::RenderOptions;

use std::io;
use warden_model::{Report, RuleInfo};
use warden_source::SourceMap;

/// Renders `report` in `format` to `out`. `rules` is the catalog (SARIF rule metadata); paths in
/// findings are relative to the scanned root and looked up in `sources` for lines and excerpts.
pub fn render(
    format: Format,
    report: &Report,
    sources: &SourceMap,
    rules: &[RuleInfo],
    options: &RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let ctx = Context::new(report, sources, rules, options);
    format.emitter().emit(&ctx, out)?;
    out.flush()
}

/// Renders to a string (tests, `--output` buffering).
pub fn render_to_string(
    format: Format,
    report: &Report,
    sources: &SourceMap,
    rules: &[RuleInfo],
    options: &RenderOptions,
) -> io::Result<String> {
    let mut buf = Vec::new();
    render(format, report, sources, rules, options, &mut buf)?;
    String::from_utf8(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Writes `value` as JSON indented by two spaces, with a trailing newline.
fn write_json<T: serde::Serialize>(value: &T, out: &mut dyn io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::other)?;
    out.write_all(b"\n")
}
