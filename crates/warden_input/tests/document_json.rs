//! JSON documents: strict syntax, offsets, format detection, and YAML/JSON twins.
#![allow(clippy::unwrap_used)]

mod document_common;
use document_common::*;
use warden_input::document::{DocumentError, Format};
use warden_model::Val;

const TEMPLATE_YAML: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Condition: IsProd
    Properties:
      Role: !GetAtt FnRole.Arn
      MemorySize: 128
      Tracing: !If [IsProd, Active, !Ref 'AWS::NoValue']
      Environment:
        Variables:
          URL: !Sub
            - 'https://${Host}/x'
            - Host: !ImportValue shared-host
          ZONES: !Join [',', !GetAZs '']
          ENABLED: true
          NOTHING: null
      Tags:
        - {Key: team, Value: !Base64 x}
";

const TEMPLATE_JSON: &str = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {"Stage": {"Type": "String", "Default": "dev"}},
  "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Condition": "IsProd",
      "Properties": {
        "Role": {"Fn::GetAtt": ["FnRole", "Arn"]},
        "MemorySize": 128,
        "Tracing": {"Fn::If": ["IsProd", "Active", {"Ref": "AWS::NoValue"}]},
        "Environment": {
          "Variables": {
            "URL": {"Fn::Sub": ["https://${Host}/x", {"Host": {"Fn::ImportValue": "shared-host"}}]},
            "ZONES": {"Fn::Join": [",", {"Fn::GetAZs": ""}]},
            "ENABLED": true,
            "NOTHING": null
          }
        },
        "Tags": [{"Key": "team", "Value": {"Fn::Base64": "x"}}]
      }
    }
  }
}"#;

#[test]
fn yaml_and_json_twins_give_the_same_tree() {
    let y = yaml(TEMPLATE_YAML);
    let j = json(TEMPLATE_JSON);
    assert_eq!(y.format, Format::Yaml);
    assert_eq!(j.format, Format::Json);
    assert!(y.warnings.is_empty() && j.warnings.is_empty());
    let (y_val, y_paths) = shape(&y.root);
    let (j_val, j_paths) = shape(&j.root);
    assert_eq!(y_val, j_val);
    assert_eq!(y_paths, j_paths);
    check_spans(TEMPLATE_JSON, &j.root);
    // Same value kinds, not just the same JSON: numbers, booleans and nulls.
    let vars = "/Resources/Fn/Properties/Environment/Variables";
    for doc in [&y, &j] {
        let v = doc.root.find_path(vars).unwrap();
        assert_eq!(v.get("ENABLED").unwrap().val, Val::Bool(true));
        assert_eq!(v.get("NOTHING").unwrap().val, Val::Null);
        let mem = doc
            .root
            .find_path("/Resources/Fn/Properties/MemorySize")
            .unwrap();
        assert_eq!(mem.val, Val::Num("128".into()));
    }
}

#[test]
fn json_tree_with_origins() {
    let text = "{\"a\": [1, -2.5e3, \"x\"],\n \"b\": {\"c\": null, \"d\": false}}";
    let doc = json(text);
    let tree = render(text, &doc.root);
    let expected = r#""" map 1:1-2:31
"/a" key "a" 1:2-1:5
"/a" list 1:7-1:23
"/a/0" num 1 1:8-1:9
"/a/1" num -2.5e3 1:11-1:17
"/a/2" str "x" 1:19-1:22
"/b" key "b" 2:2-2:5
"/b" map 2:7-2:30
"/b/c" key "c" 2:8-2:11
"/b/c" null 2:13-2:17
"/b/d" key "d" 2:19-2:22
"/b/d" bool false 2:24-2:29
"#;
    assert_eq!(tree, expected, "\n{tree}");
}

#[test]
fn escapes_and_non_ascii_offsets() {
    let text = r#"{"é": "\u00e9\n\"q\" \ud83d\ude00 \/", "ü": "plain ☕", "k": "ok"}"#;
    let doc = json(text);
    check_spans(text, &doc.root);
    assert_eq!(doc.root.get("é").unwrap().as_str(), Some("é\n\"q\" 😀 /"));
    let (k, v) = doc.root.entry("ü").unwrap();
    assert_eq!(slice(text, k.origin.span), "\"ü\"");
    assert_eq!(slice(text, v.origin.span), "\"plain ☕\"");
    assert_eq!(
        slice(text, doc.root.get("k").unwrap().origin.span),
        "\"ok\""
    );
}

#[test]
fn strict_json_errors_are_located() {
    let cases: &[(&str, &str)] = &[
        ("{\"a\": 1,}", "}"),
        ("{\"a\": 1 // c\n}", "/"),
        ("{'a': 1}", "'"),
        ("[01]", "1]"),
        ("[1.]", "]"),
        ("[\"a\tb\"]", "\tb"),
        ("[\"\\ud800\"]", "\"]"),
        ("[\"\\x\"]", "x"),
        ("{\"a\" 1}", "1}"),
        ("[1] x", "x"),
        ("[tru]", "tru]"),
        ("[\"open", ""),
        ("[1, 2", ""),
    ];
    for (text, at) in cases {
        let err = parse("t.json", text).unwrap_err();
        let DocumentError::Syntax { format, span, .. } = &err else {
            panic!("{text}: {err}");
        };
        assert_eq!(*format, Format::Json);
        let rest = &text[span.start as usize..];
        assert!(
            rest.starts_with(at) && (!at.is_empty() || rest.is_empty()),
            "{text}: {err}"
        );
    }
}

#[test]
fn numbers_keep_their_text_and_duplicates_warn() {
    let text = r#"{"n": [0, -0, 1.50, 1E+2, 12345678901234567890], "n": 2}"#;
    let doc = json(text);
    assert_eq!(doc.root.get("n").unwrap().as_str(), Some("2"));
    assert_eq!(doc.warnings.len(), 1);
    let doc = json(r#"[0, -0, 1.50, 1E+2, 12345678901234567890]"#);
    let nums: Vec<&str> = doc
        .root
        .items()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(nums, ["0", "-0", "1.50", "1E+2", "12345678901234567890"]);
}

#[test]
fn format_is_chosen_by_name_then_by_first_character() {
    // `.json` is strict JSON, whatever the content.
    assert!(parse("t.json", "a: 1\n").is_err());
    assert!(parse("T.JSON", "{\"a\": 1}").is_ok());
    // Other names: a `{` or `[` start is tried as JSON first (tabs are fine there) ...
    let doc = parse("t.template", "\u{feff} {\n\t\"a\": 1\n}").unwrap();
    assert_eq!(doc.format, Format::Json);
    assert_eq!(doc.root.entries()[0].0.origin.span.start, 7);
    // ... and read as YAML when it is not JSON.
    let doc = parse("t.yaml", "{a: !Ref B}").unwrap();
    assert_eq!(doc.format, Format::Yaml);
    assert_eq!(doc.root.at(&["a", "Ref"]).unwrap().as_str(), Some("B"));
    // Neither: the JSON error is reported.
    let err = parse("t.yaml", "{\"a\": [1, }").unwrap_err();
    assert!(
        matches!(
            err,
            DocumentError::Syntax {
                format: Format::Json,
                ..
            }
        ),
        "{err}"
    );
    // Empty JSON is a null document.
    assert_eq!(json("  \n").root.val, Val::Null);
}

#[test]
fn long_keys_are_fine_in_json() {
    // YAML caps implicit keys at 1024 characters; JSON has no such limit.
    let key = "k".repeat(5000);
    let text = format!("{{\"{key}\": 1}}");
    let doc = json(&text);
    assert!(doc.root.get(&key).is_some());
}
