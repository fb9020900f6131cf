//! Hostile documents: every limit is an error with a span, never a panic or unbounded memory.
#![allow(clippy::unwrap_used)]

mod document_common;
use document_common::*;
use std::sync::Arc;
use std::time::{Duration, Instant};
use warden_input::document::{self, DocumentError, Format, Limits};

fn with(limits: &Limits, name: &str, text: &str) -> Result<document::Document, DocumentError> {
    document::parse(Arc::from(name), text, limits)
}

/// The classic "billion laughs": nine levels of ten aliases each.
fn billion_laughs() -> String {
    let mut s = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    s
}

#[test]
fn billion_laughs_stops_at_the_alias_budget_quickly() {
    let text = billion_laughs();
    let started = Instant::now();
    let err = parse("bomb.yaml", &text).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    let DocumentError::AliasBomb { limit, span } = err else {
        panic!("{err}");
    };
    assert_eq!(limit, Limits::DEFAULT_MAX_ALIAS_NODES);
    assert!(slice(&text, span).starts_with("*a"), "{span:?}");
}

#[test]
fn a_few_aliases_are_fine_and_count_against_the_node_budget() {
    let text = "x: &x [1, 2, 3]\ny: [*x, *x, *x]\n";
    assert!(parse("t.yaml", text).is_ok());
    let limits = Limits {
        max_alias_nodes: 8,
        ..Limits::default()
    };
    let err = with(&limits, "t.yaml", text).unwrap_err();
    assert!(
        matches!(err, DocumentError::AliasBomb { limit: 8, .. }),
        "{err}"
    );
    let limits = Limits {
        max_nodes: 12,
        ..Limits::default()
    };
    let err = with(&limits, "t.yaml", text).unwrap_err();
    assert!(
        matches!(
            err,
            DocumentError::AliasBomb { .. } | DocumentError::TooManyNodes { .. }
        ),
        "{err}"
    );
}

#[test]
fn recursive_aliases_are_an_error() {
    let err = parse("t.yaml", "a: &a [1, *a]\n").unwrap_err();
    assert!(matches!(err, DocumentError::RecursiveAlias { .. }), "{err}");
    let err = parse("t.yaml", "a: &a\n  b: *a\n").unwrap_err();
    assert!(matches!(err, DocumentError::RecursiveAlias { .. }), "{err}");
}

#[test]
fn deep_nesting_is_cut_at_the_depth_limit_without_overflowing_the_stack() {
    let n = 200_000;
    for (name, text) in [
        ("flow.yaml", format!("{}{}", "[".repeat(n), "]".repeat(n))),
        ("deep.json", format!("{}{}", "[".repeat(n), "]".repeat(n))),
    ] {
        for format in [Format::Yaml, Format::Json] {
            let err = document::parse_as(format, Arc::from(name), &text, &Limits::default());
            let Err(DocumentError::TooDeep { limit, span }) = err else {
                panic!("{name}: {err:?}");
            };
            assert_eq!(limit, Limits::DEFAULT_MAX_DEPTH);
            // JSON stops at the first level too deep; the YAML scanner, which looks ahead for
            // keys, meets its own cap of 255 flow levels first.
            let expected = if format == Format::Json { limit } else { 255 };
            assert_eq!(span.start as usize, expected, "{name} as {format}");
        }
    }
    // Nested flow mappings: the YAML scanner looks ahead and meets its own cap (255) first.
    let text = format!("{}1{}", "{a: ".repeat(n), "}".repeat(n));
    let err = parse("map.yaml", &text).unwrap_err();
    assert!(matches!(err, DocumentError::TooDeep { .. }), "{err}");
    // Block mappings have no cap in the scanner: the builder's limit applies.
    let text: String = (0..5000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let err = parse("block.yaml", &text).unwrap_err();
    let DocumentError::TooDeep { span, .. } = err else {
        panic!("{err}");
    };
    let line = warden_source::LineIndex::new(&text)
        .position(&text, span.start)
        .line;
    assert_eq!(line, 201);
    // Block style, and exactly at the limit.
    let limits = Limits {
        max_depth: 10,
        ..Limits::default()
    };
    let block = |levels: usize| -> String {
        (0..levels)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect::<String>()
            + &"  ".repeat(levels)
            + "leaf: 1\n"
    };
    assert!(with(&limits, "t.yaml", &block(9)).is_ok());
    let err = with(&limits, "t.yaml", &block(10)).unwrap_err();
    assert!(
        matches!(err, DocumentError::TooDeep { limit: 10, .. }),
        "{err}"
    );
    // Short-form tags add a level each.
    let tags = "a: ".to_string() + &"!Not [".repeat(5) + "x" + &"]".repeat(5);
    assert!(matches!(
        with(&limits, "t.yaml", &tags).unwrap_err(),
        DocumentError::TooDeep { .. }
    ));
    // An alias of a deep node may not push the tree past the limit.
    let text = "a: &a [[[[[[[[1]]]]]]]]\nb: [[[*a]]]\n";
    assert!(matches!(
        with(&limits, "t.yaml", text).unwrap_err(),
        DocumentError::TooDeep { .. }
    ));
}

#[test]
fn ten_megabyte_scalars_are_rejected() {
    let big = "x".repeat(10 << 20);
    for (name, text) in [
        ("t.yaml", format!("key: {big}\n")),
        ("q.yaml", format!("key: '{big}'\n")),
        ("t.json", format!("{{\"key\": \"{big}\"}}")),
    ] {
        let err = parse(name, &text).unwrap_err();
        let DocumentError::ScalarTooLarge { len, limit, span } = err else {
            panic!("{name}: {err}");
        };
        assert_eq!(len, 10 << 20);
        assert_eq!(limit, Limits::DEFAULT_MAX_SCALAR_BYTES);
        assert_eq!(span.start, 5 + u32::from(name == "t.json") * 3);
    }
}

#[test]
fn node_count_and_text_budgets_hold() {
    let limits = Limits {
        max_nodes: 100,
        ..Limits::default()
    };
    let text = format!("[{}]", vec!["1"; 200].join(","));
    let err = with(&limits, "t.json", &text).unwrap_err();
    assert!(
        matches!(err, DocumentError::TooManyNodes { limit: 100, .. }),
        "{err}"
    );
    // A long key repeated in every descendant's path exhausts the text budget.
    let key = "k".repeat(100_000);
    let items = vec!["1"; 1000].join(", ");
    let text = format!("{key}: [{items}]\n");
    let limits = Limits {
        max_text_bytes: 10 << 20,
        ..Limits::default()
    };
    let err = with(&limits, "t.json.yaml", &text);
    assert!(
        matches!(
            err,
            Err(DocumentError::TooLarge { .. } | DocumentError::Syntax { .. })
        ),
        "{err:?}"
    );
    let text = format!("{{\"{key}\": [{items}]}}");
    let err = with(&limits, "t.json", &text).unwrap_err();
    assert!(matches!(err, DocumentError::TooLarge { .. }), "{err}");
}

#[test]
fn binary_garbage_never_panics() {
    // A deterministic pseudo-random byte soup, made valid UTF-8 the way a caller might.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..200_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    for name in ["template.yaml", "template.json", "template"] {
        if let Err(e) = parse(name, &text) {
            assert!(e.span().end as usize <= text.len());
        }
    }
    for text in [
        "AWSTemplateFormatVersion: \0\u{1}\u{7f}\nResources: {\0}",
        "\0",
        "[\0",
    ] {
        let _ = parse("t.yaml", text);
        let _ = parse("t.json", text);
    }
}
