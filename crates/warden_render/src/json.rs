//! `--format json`: the versioned output contract of DESIGN.md, exactly.

use crate::context::{Context, FindingView};
use crate::emitter::Emitter;
use serde::Serialize;
use std::io;

/// The contract's version; bump it only with a breaking change of the shape below.
pub const JSON_VERSION: u32 = 1;

/// Writes the JSON contract, pretty-printed with two spaces and a trailing newline.
pub struct Json;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool<'a>,
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
    stats: JsonStats,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    name: &'a str,
    category: &'static str,
    severity: &'static str,
    confidence: &'static str,
    message: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    resource: Option<&'a str>,
    fingerprint: &'a str,
    help: &'a str,
}

#[derive(Serialize)]
struct JsonError<'a> {
    file: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonStats {
    files_scanned: u64,
    apps: u64,
    functions: u64,
    duration_ms: u64,
}

impl<'a> JsonFinding<'a> {
    fn new(v: &'a FindingView<'a>) -> Self {
        let f = v.finding;
        Self {
            rule: f.rule,
            name: f.name,
            category: f.category.as_str(),
            severity: f.severity.as_str(),
            confidence: f.confidence.as_str(),
            message: &v.message,
            file: v.location.file,
            line: v.location.start.line,
            column: v.location.start.column,
            end_line: v.location.end.line,
            end_column: v.location.end.column,
            resource: f.resource.as_deref(),
            fingerprint: &f.fingerprint,
            help: &v.help,
        }
    }
}

impl Emitter for Json {
    fn emit(&self, ctx: &Context<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        let doc = Document {
            version: JSON_VERSION,
            tool: Tool {
                name: "warden",
                version: &ctx.options.tool_version,
            },
            findings: ctx.findings.iter().map(JsonFinding::new).collect(),
            errors: ctx
                .errors
                .iter()
                .map(|e| JsonError {
                    file: &e.file,
                    message: &e.message,
                })
                .collect(),
            stats: JsonStats {
                files_scanned: ctx.stats.files_scanned,
                apps: ctx.stats.apps,
                functions: ctx.stats.functions,
                duration_ms: ctx.stats.duration_ms,
            },
        };
        crate::write_json(&doc, out)
    }
}
