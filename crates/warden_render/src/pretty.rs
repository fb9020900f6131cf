//! `--format pretty`: for humans. Findings grouped by file, each with a `severity RULE name`
//! header, its location, the code excerpt with the span marked, the message and the help; then a
//! summary by severity and the files that could not be scanned. Colour only when asked.

use crate::context::{Context, FindingView};
use crate::emitter::Emitter;
use crate::excerpt::{Excerpt, Row};
use crate::sanitize::terminal;
use anstyle::{AnsiColor, Style};
use std::io;
use warden_model::Severity;

/// Writes the human-readable report.
pub struct Pretty;

/// Styles, all plain when colour is off.
struct Palette {
    on: bool,
}

impl Palette {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.on {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }

    fn severity(&self, severity: Severity) -> Style {
        let color = match severity {
            Severity::Critical => AnsiColor::Magenta,
            Severity::High => AnsiColor::Red,
            Severity::Medium => AnsiColor::Yellow,
            Severity::Low => AnsiColor::Cyan,
            Severity::Info => AnsiColor::Blue,
        };
        Style::new().fg_color(Some(color.into())).bold()
    }

    fn gutter(&self) -> Style {
        Style::new().fg_color(Some(AnsiColor::Blue.into())).bold()
    }

    fn bold(&self) -> Style {
        Style::new().bold()
    }
}

impl Emitter for Pretty {
    fn emit(&self, ctx: &Context<'_>, out: &mut dyn io::Write) -> io::Result<()> {
        let p = Palette {
            on: ctx.options.color,
        };
        let mut doc = String::new();
        for group in ctx
            .findings
            .chunk_by(|a, b| a.location.file == b.location.file)
        {
            let file = group.first().map_or("", |v| v.location.file);
            let count = plural(group.len(), "finding");
            doc.push_str(&p.paint(
                p.bold().underline(),
                &terminal(&format!("{file} ({count})")),
            ));
            doc.push_str("\n\n");
            for v in group {
                finding(&mut doc, &p, v);
                doc.push('\n');
            }
        }
        summary(&mut doc, &p, ctx);
        out.write_all(doc.as_bytes())
    }
}

fn finding(doc: &mut String, p: &Palette, v: &FindingView<'_>) {
    let f = v.finding;
    let loc = &v.location;
    let excerpt = Excerpt::of(v);
    let width = excerpt
        .as_ref()
        .and_then(|e| {
            e.rows.iter().rev().find_map(|r| match r {
                Row::Line { number, .. } => Some(number.to_string().len()),
                Row::Elided(_) => None,
            })
        })
        .unwrap_or(1);
    let pad = " ".repeat(width);
    let sev = p.severity(f.severity);
    let bar = p.paint(p.gutter(), "|");

    doc.push_str(&format!(
        "{} {} {}\n",
        p.paint(sev, f.severity.as_str()),
        p.paint(p.bold(), &terminal(f.rule)),
        p.paint(p.bold(), &terminal(f.name)),
    ));
    let resource = f
        .resource
        .as_deref()
        .map(|r| format!(" ({})", terminal(r)))
        .unwrap_or_default();
    doc.push_str(&format!(
        "{pad}{} {}:{}:{}{resource}\n",
        p.paint(p.gutter(), "-->"),
        terminal(loc.file),
        loc.start.line,
        loc.start.column,
    ));
    if let Some(excerpt) = &excerpt {
        doc.push_str(&format!("{pad} {bar}\n"));
        for row in &excerpt.rows {
            match row {
                Row::Line {
                    number,
                    text,
                    carets,
                } => {
                    let num = p.paint(p.gutter(), &format!("{number:>width$}"));
                    if excerpt.multiline {
                        doc.push_str(&format!("{num} {bar} {} {text}\n", p.paint(sev, ">")));
                    } else {
                        doc.push_str(&format!("{num} {bar} {text}\n"));
                    }
                    if let Some((col, len)) = carets {
                        doc.push_str(&format!(
                            "{pad} {bar} {}{}\n",
                            " ".repeat(*col),
                            p.paint(sev, &"^".repeat(*len)),
                        ));
                    }
                }
                Row::Elided(n) => {
                    doc.push_str(&format!(
                        "{pad} {bar} {} ... {}\n",
                        p.paint(sev, ">"),
                        plural(*n, "more line")
                    ));
                }
            }
        }
    } else if loc.source.is_none() {
        doc.push_str(&format!("{pad} {bar} (source not available)\n"));
    }
    let eq = p.paint(p.gutter(), "=");
    doc.push_str(&format!(
        "{pad} {eq} {}\n",
        indent(&terminal(&v.message), width)
    ));
    if !v.help.is_empty() {
        doc.push_str(&format!(
            "{pad} {eq} {}: {}\n",
            p.paint(p.bold(), "help"),
            indent(&terminal(&v.help), width)
        ));
    }
    // An attack path's related locations are its steps, in order.
    let steps = f.rule.starts_with("PATH");
    for (i, r) in v.related.iter().enumerate() {
        let label = if steps {
            format!("step {}", i + 1)
        } else {
            "related".to_owned()
        };
        doc.push_str(&format!(
            "{pad} {eq} {}: {}:{}:{}: {}\n",
            p.paint(p.bold(), &label),
            terminal(r.location.file),
            r.location.start.line,
            r.location.start.column,
            indent(&terminal(&r.message), width)
        ));
    }
    // A data flow's steps, source to sink.
    for (i, r) in v.flow.iter().enumerate() {
        doc.push_str(&format!(
            "{pad} {eq} {}: {}:{}:{}: {}\n",
            p.paint(p.bold(), &format!("flow {}", i + 1)),
            terminal(r.location.file),
            r.location.start.line,
            r.location.start.column,
            indent(&terminal(&r.message), width)
        ));
    }
}

/// Continuation lines of a multi-line message, aligned under its first line.
fn indent(text: &str, width: usize) -> String {
    text.replace('\n', &format!("\n{}   ", " ".repeat(width)))
}

fn summary(doc: &mut String, p: &Palette, ctx: &Context<'_>) {
    if ctx.findings.is_empty() {
        doc.push_str(&p.paint(p.bold(), "no findings"));
    } else {
        let counts: Vec<String> = Severity::ALL
            .iter()
            .filter_map(|&sev| {
                let n = ctx
                    .findings
                    .iter()
                    .filter(|v| v.finding.severity == sev)
                    .count();
                (n > 0).then(|| p.paint(p.severity(sev), &format!("{n} {sev}")))
            })
            .collect();
        doc.push_str(&format!(
            "{}: {}",
            p.paint(p.bold(), &plural(ctx.findings.len(), "finding")),
            counts.join(", ")
        ));
    }
    doc.push('\n');
    let s = ctx.stats;
    doc.push_str(&format!(
        "scanned {} ({}, {}) in {} ms\n",
        plural(
            usize::try_from(s.files_scanned).unwrap_or(usize::MAX),
            "file"
        ),
        plural(usize::try_from(s.apps).unwrap_or(usize::MAX), "app"),
        plural(
            usize::try_from(s.functions).unwrap_or(usize::MAX),
            "function"
        ),
        s.duration_ms
    ));
    if !ctx.errors.is_empty() {
        let warn = Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold();
        doc.push_str(&format!(
            "{}\n",
            p.paint(
                warn,
                &format!("{} not scanned:", plural(ctx.errors.len(), "file"))
            )
        ));
        for e in &ctx.errors {
            doc.push_str(&format!(
                "  {}: {}\n",
                terminal(&e.file),
                indent(&terminal(&e.message), 2)
            ));
        }
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
