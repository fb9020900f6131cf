//! `--format github`: GitHub Actions workflow commands, one annotation per finding and per error.

use crate::context::{Context, FindingView};
use crate::emitter::Emitter;
use std::io;
use warden_model::Severity;

/// Writes `::error`/`::warning`/`::notice` workflow commands.
pub struct Github;

/// The annotation command of a severity.
pub fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "notice",
    }
}

/// Escapes a command's message (data): `%`, `\r`, `\n` as the runner documents; other control
/// characters (an ESC would colour the log) become U+FFFD.
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value: as data, and also `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn annotation(v: &FindingView<'_>) -> String {
    let f = v.finding;
    let loc = &v.location;
    let mut data = v.message.clone();
    if !v.help.is_empty() {
        data.push_str("\n\nhelp: ");
        data.push_str(&v.help);
    }
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        command(f.severity),
        escape_property(loc.file),
        loc.start.line,
        loc.start.column,
        loc.end.line,
        loc.end.column,
        escape_property(&format!("{} {}", f.rule, f.name)),
        escape_data(&data),
    )
}

impl Emitter for Github {
    fn emit(&self, ctx: &Context<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        for v in &ctx.findings {
            out.write_all(annotation(v).as_bytes())?;
        }
        for e in &ctx.errors {
            writeln!(
                out,
                "::warning file={},title={}::{}",
                escape_property(&e.file),
                escape_property("warden: file not scanned"),
                escape_data(&e.message)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(
            escape_data("50% done\r\nnext: a,b"),
            "50%25 done%0D%0Anext: a,b"
        );
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape_data("\u{1b}[31m\0"), "\u{FFFD}[31m\u{FFFD}");
    }

    #[test]
    fn severities_map_to_commands() {
        assert_eq!(command(Severity::Critical), "error");
        assert_eq!(command(Severity::High), "error");
        assert_eq!(command(Severity::Medium), "warning");
        assert_eq!(command(Severity::Low), "notice");
        assert_eq!(command(Severity::Info), "notice");
    }
}
