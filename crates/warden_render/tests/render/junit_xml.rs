//! JUnit output is well-formed XML 1.0 whatever the messages hold, and its counts add up.

use crate::{render, render_empty};
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use std::collections::BTreeMap;
use warden_render::Format;

#[derive(Debug)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
}

/// The XML 1.0 `Char` production.
fn legal(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Parses `xml` strictly enough for the test: matching end tags, valid attributes, only legal
/// characters (also through character references), only predefined entities. Returns every
/// element with its unescaped attributes and text.
fn parse(xml: &str) -> Vec<Element> {
    assert!(xml.chars().all(legal), "illegal XML character in output");
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut elements: Vec<Element> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut roots = 0;
    loop {
        let event = reader.read_event().unwrap();
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if open.is_empty() {
                    roots += 1;
                }
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        let value = a.normalized_value(XmlVersion::Implicit1_0).unwrap();
                        assert!(value.chars().all(legal));
                        (a.key.0.to_owned(), value.into_owned())
                    })
                    .collect();
                elements.push(Element {
                    name: e.name().0.to_owned(),
                    attrs,
                    text: String::new(),
                });
                if matches!(event, Event::Start(_)) {
                    open.push(elements.len() - 1);
                }
            }
            Event::End(_) => {
                open.pop().expect("balanced tags");
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                if let Some(&i) = open.last() {
                    elements[i].text.push_str(&text);
                } else {
                    assert!(text.trim().is_empty(), "text outside the root");
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().unwrap() {
                    Some(c) => c,
                    None => match &*r.into_inner() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("undefined entity &{other};"),
                    },
                };
                assert!(legal(c), "illegal character reference");
                let i = *open.last().expect("reference inside an element");
                elements[i].text.push(c);
            }
            Event::Eof => break,
            Event::Decl(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(open.is_empty(), "unclosed elements");
    assert_eq!(roots, 1, "exactly one root element");
    elements
}

fn count(elements: &[Element], name: &str) -> usize {
    elements.iter().filter(|e| e.name == name).count()
}

#[test]
fn fixture_report_is_well_formed_and_counts_add_up() {
    let xml = render(Format::Junit);
    let elements = parse(&xml);
    let root = &elements[0];
    assert_eq!(root.name, "testsuites");
    assert_eq!(root.attrs["name"], "warden");
    assert_eq!(root.attrs["tests"], "9");
    assert_eq!(root.attrs["failures"], "7");
    assert_eq!(root.attrs["errors"], "2");
    assert_eq!(root.attrs["time"], "1.234");
    let suites: Vec<&str> = elements
        .iter()
        .filter(|e| e.name == "testsuite")
        .map(|e| e.attrs["name"].as_str())
        .collect();
    assert_eq!(
        suites,
        ["api/openapi.json", "gone.yaml", "template.yaml", "errors"]
    );
    assert_eq!(count(&elements, "testcase"), 9);
    assert_eq!(count(&elements, "failure"), 7);
    assert_eq!(count(&elements, "error"), 2);

    // Messages survive escaping: quotes, `<`, `&`, `%` and the newline come back unchanged.
    let url = elements
        .iter()
        .find(|e| e.name == "failure" && e.attrs["message"].starts_with("function URL"))
        .unwrap();
    assert_eq!(
        url.attrs["message"],
        "function URL of `OrderFn` accepts requests from anyone: 50% of \"routes\" <open> & unsigned\nsecond line"
    );
    assert_eq!(url.attrs["type"], "high");
    assert!(url.text.contains("help: set `AuthType: AWS_IAM`"));
    // Two SEC001 findings on `OrderFn` keep distinct names.
    let names: Vec<&str> = elements
        .iter()
        .filter(|e| e.name == "testcase" && e.attrs["classname"] == "SEC001")
        .map(|e| e.attrs["name"].as_str())
        .collect();
    assert_eq!(names, ["SEC001 OrderFn line 11", "SEC001 OrderFn line 12"]);
    // The error message's ESC and NUL cannot be carried by XML 1.0; they are shown escaped.
    let broken = elements
        .iter()
        .find(|e| e.name == "error" && e.text.starts_with("YAML"))
        .unwrap();
    assert!(broken.text.contains("\\u{1b}[31m\\u{0}<x> & \"q\" 100%"));
}

#[test]
fn empty_report_has_a_passing_placeholder() {
    let elements = parse(&render_empty(Format::Junit));
    assert_eq!(elements[0].attrs["tests"], "1");
    assert_eq!(elements[0].attrs["failures"], "0");
    let case = elements.iter().find(|e| e.name == "testcase").unwrap();
    assert_eq!(case.attrs["name"], "warden scan");
    assert_eq!(count(&elements, "failure"), 0);
}
