//! Fuzz-style property tests: any text parses to a tree or an error, never a panic, and a tree
//! always respects the limits it was parsed under.
#![allow(clippy::unwrap_used)]

mod document_common;
use document_common::check_spans;
use proptest::prelude::*;
use std::sync::Arc;
use warden_input::document::{self, Format, Limits};
use warden_model::{Node, Val};

const LIMITS: Limits = Limits {
    max_depth: 12,
    max_scalar_bytes: 64,
    max_nodes: 300,
    max_alias_nodes: 100,
    max_text_bytes: 20_000,
};

/// Nodes (keys included) and height of a tree.
fn measure(node: &Node) -> (usize, usize) {
    match &node.val {
        Val::List(items) => items
            .iter()
            .map(measure)
            .fold((1, 1), |(n, h), (cn, ch)| (n + cn, h.max(ch + 1))),
        Val::Map(entries) => entries
            .iter()
            .map(|(_, v)| measure(v))
            .fold((1, 1), |(n, h), (cn, ch)| (n + cn + 1, h.max(ch + 1))),
        _ => (1, 0),
    }
}

fn check(text: &str, format: Format) {
    match document::parse_as(format, Arc::from("f"), text, &LIMITS) {
        Ok(doc) => {
            check_spans(text, &doc.root);
            let (nodes, height) = measure(&doc.root);
            assert!(nodes <= LIMITS.max_nodes, "{nodes} nodes");
            assert!(height <= LIMITS.max_depth, "height {height}");
            for w in &doc.warnings {
                assert!(w.span.start <= w.span.end && w.span.end as usize <= text.len());
            }
        }
        Err(e) => {
            let span = e.span();
            assert!(
                span.start <= span.end && span.end as usize <= text.len(),
                "{e}: {span:?}"
            );
        }
    }
}

/// YAML-ish text: fragments that exercise indicators, tags, anchors, quotes and indentation.
fn yamlish() -> impl Strategy<Value = String> {
    let frag = prop::sample::select(vec![
        "a",
        "b: ",
        ":",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\t",
        "- ",
        "-",
        "[",
        "]",
        "{",
        "}",
        ", ",
        "&x ",
        "*x",
        "&y ",
        "*y",
        "!Ref ",
        "!GetAtt ",
        "!Sub ",
        "!If ",
        "!!str ",
        "!Foo ",
        "'",
        "\"",
        "\\",
        "|",
        ">-",
        "# c",
        "? ",
        "---\n",
        "...",
        "é",
        "😀",
        "A.B",
        "1",
        "0x1F",
        "~",
        "true",
        "<<: ",
        "%YAML 1.2\n",
        "\u{feff}",
    ]);
    prop::collection::vec(frag, 0..60).prop_map(|v| v.concat())
}

/// JSON-ish text.
fn jsonish() -> impl Strategy<Value = String> {
    let frag = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"k\"",
        "\"é\"",
        "\"\\u00e9\"",
        "\"\\ud800\"",
        "\"\\",
        "1",
        "-0.5e3",
        "01",
        "true",
        "nul",
        "null",
        " ",
        "\n",
        "\t",
        "\"",
        "😀",
    ]);
    prop::collection::vec(frag, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check(&text, Format::Yaml);
        check(&text, Format::Json);
    }

    #[test]
    fn yaml_like_text_never_panics_and_stays_bounded(text in yamlish()) {
        check(&text, Format::Yaml);
        let _ = document::parse(Arc::from("f.template"), &text, &LIMITS);
    }

    #[test]
    fn json_like_text_never_panics_and_stays_bounded(text in jsonish()) {
        check(&text, Format::Json);
        check(&text, Format::Yaml);
    }
}

/// Arbitrary JSON values (short keys: YAML caps implicit keys at 1024 characters).
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value as J;
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i64>().prop_map(J::from),
        // Binary fractions: serde_json's default float parser is not correctly rounded.
        (-4000i32..4000).prop_map(|n| J::from(f64::from(n) / 8.0)),
        "\\PC{0,12}".prop_map(J::String),
        prop::sample::select(vec![
            "true", "null", "1.5", "~", "!Ref x", "a: b", "- x", "#"
        ])
        .prop_map(|s| J::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(J::Array),
            prop::collection::vec(("[a-zA-Z0-9:/~ é]{0,10}", inner), 0..6)
                .prop_map(|kv| J::Object(kv.into_iter().collect())),
        ]
    })
}

const SAMPLE: &str = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !GetAtt R.Arn\n      Env: &e {A: !Sub '${X}', B: [1, \"q\", *x]}\n      Copy: *e\n      Code: |\n        é = 1\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// JSON text parses to the value it was written from, and YAML reads it identically.
    #[test]
    fn json_round_trips_and_yaml_agrees(value in json_value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        let limits = Limits::default();
        let j = document::parse_as(Format::Json, Arc::from("f"), &text, &limits).unwrap();
        check_spans(&text, &j.root);
        prop_assert_eq!(j.root.to_json(), value.clone());
        let y = document::parse_as(Format::Yaml, Arc::from("f"), &text, &limits).unwrap();
        prop_assert_eq!(y.root.to_json(), value);
        let (jp, yp) = (paths(&j.root), paths(&y.root));
        prop_assert_eq!(jp, yp);
    }

    /// Real templates with random cuts and insertions never panic.
    #[test]
    fn mutated_templates_never_panic(
        edits in prop::collection::vec((0usize..SAMPLE.len(), 0usize..8, yamlish()), 1..6)
    ) {
        let mut text = SAMPLE.to_string();
        for (at, cut, insert) in edits {
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + cut).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(at..end, &insert);
        }
        check(&text, Format::Yaml);
    }
}

/// Every node's path and span, in document order.
fn paths(node: &Node) -> Vec<(String, u32, u32)> {
    let mut out = vec![(
        node.origin.path.to_string(),
        node.origin.span.start,
        node.origin.span.end,
    )];
    match &node.val {
        Val::List(items) => items.iter().for_each(|n| out.extend(paths(n))),
        Val::Map(entries) => entries.iter().for_each(|(k, v)| {
            out.push((
                k.origin.path.to_string(),
                k.origin.span.start,
                k.origin.span.end,
            ));
            out.extend(paths(v));
        }),
        _ => {}
    }
    out
}
