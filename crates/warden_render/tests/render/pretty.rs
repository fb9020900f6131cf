//! The human format: excerpts, carets, colour switch, terminal safety.

use crate::{fixture, render, render_with};
use warden_render::Format;

/// `text` without ANSI SGR sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn colour_only_when_asked_and_otherwise_identical() {
    let plain = render(Format::Pretty);
    assert!(!plain.contains('\u{1b}'), "no escape at all without colour");
    let options = fixture::options().with_color(true);
    let coloured = render_with(
        Format::Pretty,
        &fixture::report(),
        &fixture::sources(),
        &options,
    );
    assert!(coloured.contains("\u{1b}["));
    assert_eq!(strip_ansi(&coloured), plain);
}

#[test]
fn single_line_spans_get_carets_under_the_span() {
    let out = render(Format::Pretty);
    let lines: Vec<&str> = out.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.ends_with("        AuthType: NONE"))
        .unwrap();
    assert_eq!(lines[at], "14 |         AuthType: NONE");
    assert_eq!(lines[at + 1], "   |         ^^^^^^^^^^^^^^");
}

#[test]
fn long_spans_are_cut_to_six_rows() {
    let out = render(Format::Pretty);
    let start = out.find("medium IAM005").unwrap();
    let block: Vec<&str> = out[start..].lines().take_while(|l| !l.is_empty()).collect();
    let rows: Vec<&&str> = block.iter().filter(|l| l.contains(" | > ")).collect();
    assert_eq!(rows.len(), 6);
    assert!(rows[0].starts_with("15 | >   OrderRole:"));
    assert!(rows[3].contains("... 5 more lines"));
    assert!(rows[5].starts_with("24 | >"));
}

#[test]
fn hostile_text_cannot_drive_the_terminal() {
    let out = render(Format::Pretty);
    assert!(!out.contains('\u{1b}') && !out.contains('\0'));
    assert!(out.contains("bytes \u{FFFD}[31m\u{FFFD}<x>"));
}

#[test]
fn missing_sources_and_summary() {
    let out = render(Format::Pretty);
    assert!(out.contains(" --> gone.yaml:1:1\n  | (source not available)\n"));
    assert!(out.contains("7 findings: 2 critical, 2 high, 1 medium, 1 low, 1 info\n"));
    assert!(out.contains("scanned 4 files (2 apps, 1 function) in 1234 ms\n"));
    assert!(out.contains("2 files not scanned:\n  broken.yaml: YAML"));
}

#[test]
fn attack_path_steps_are_numbered_other_related_locations_are_not() {
    let plain = render(Format::Pretty);
    assert!(plain.contains("= related: template.yaml:"), "{plain}");
    assert!(!plain.contains("step 1:"));
    let mut report = fixture::report();
    let path = report
        .findings
        .iter_mut()
        .find(|f| !f.related.is_empty())
        .unwrap();
    path.rule = "PATH001";
    let out = render_with(
        Format::Pretty,
        &report,
        &fixture::sources(),
        &fixture::options(),
    );
    assert!(out.contains("= step 1: template.yaml:"), "{out}");
    assert!(out.contains("= step 2: gone.yaml:"), "{out}");
}
