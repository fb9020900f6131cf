//! Hostile spans and texts never panic any format: spans past the end, inside a character,
//! reversed; CRLF, lone CR, control characters, empty files, very long lines.

use std::sync::Arc;
use warden_model::{Category, Confidence, Finding, Related, Report, Severity};
use warden_render::{Format, RenderOptions, render_to_string};
use warden_source::{Origin, SourceFile, SourceMap, Span};

fn finding(category: Category, span: Span) -> Finding {
    let origin = Origin::new("t.yaml".into(), span, "/x");
    Finding {
        rule: "X001",
        name: "x",
        category,
        severity: Severity::High,
        confidence: Confidence::Low,
        message: "m\u{1b}]0;title\u{7}\r\n".into(),
        origin: origin.clone(),
        resource: Some("R\u{0}".into()),
        help: String::new(),
        related: vec![Related {
            origin,
            message: "r".into(),
        }],
        flow: Vec::new(),
        fingerprint: "f".into(),
    }
}

#[test]
fn every_span_of_awkward_texts_renders_in_every_format() {
    let texts = [
        String::new(),
        "é日\r\nb: \"ñ\"\r\rc\u{1b}[0m\td\n\n".to_owned(),
        format!("k: {}\u{202E}end", "ü".repeat(300)),
    ];
    let options = RenderOptions::new("0");
    for text in &texts {
        let mut sources = SourceMap::new();
        sources.insert(Arc::new(SourceFile::new("t.yaml", text.as_str())));
        let len = text.len() as u32;
        let step = (len / 40).max(1) as usize;
        let offsets: Vec<u32> = (0..len + 3).step_by(step).chain([u32::MAX]).collect();
        for &start in &offsets {
            for &end in &offsets {
                let span = Span { start, end };
                let report = Report {
                    findings: vec![
                        finding(Category::Secret, span),
                        finding(Category::Iam, span),
                    ],
                    ..Report::default()
                };
                for format in Format::ALL {
                    let out = render_to_string(format, &report, &sources, &[], &options)
                        .unwrap_or_else(|e| panic!("{format} at {start}..{end}: {e}"));
                    if format == Format::Json || format == Format::Sarif {
                        serde_json::from_str::<serde_json::Value>(&out).unwrap();
                    }
                    if format == Format::Pretty || format == Format::Github {
                        assert!(!out.contains('\u{1b}'), "{format} lets ESC through");
                    }
                }
            }
        }
    }
}
