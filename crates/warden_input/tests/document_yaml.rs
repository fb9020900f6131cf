//! YAML documents: tree shape, origins, short-form tags, scalar typing, warnings.
#![allow(clippy::unwrap_used)]

mod document_common;
use document_common::*;
use warden_input::document::{DocumentError, Format};
use warden_model::{Node, Val};
use warden_source::LineIndex;

const SAM: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: Commandes — café ☕
Resources:
  OrderFn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Timeout: 30
      Role: !GetAtt OrderRole.Arn
      Environment:
        Variables:
          TABLE: !Ref Orders
          DEBUG: false
      Policies:
        - Statement:
            - Effect: Allow
              Action: s3:*
              Resource: !Sub 'arn:aws:s3:::${Bucket}/*'
";

/// Every node and key of the template: path, value, and line:column range.
const SAM_TREE: &str = r#""" map 1:1-19:56
"/AWSTemplateFormatVersion" key "AWSTemplateFormatVersion" 1:1-1:25
"/AWSTemplateFormatVersion" str "2010-09-09" 1:27-1:39
"/Transform" key "Transform" 2:1-2:10
"/Transform" str "AWS::Serverless-2016-10-31" 2:12-2:38
"/Description" key "Description" 3:1-3:12
"/Description" str "Commandes — café ☕" 3:14-3:32
"/Resources" key "Resources" 4:1-4:10
"/Resources" map 5:3-19:56
"/Resources/OrderFn" key "OrderFn" 5:3-5:10
"/Resources/OrderFn" map 6:5-19:56
"/Resources/OrderFn/Type" key "Type" 6:5-6:9
"/Resources/OrderFn/Type" str "AWS::Serverless::Function" 6:11-6:36
"/Resources/OrderFn/Properties" key "Properties" 7:5-7:15
"/Resources/OrderFn/Properties" map 8:7-19:56
"/Resources/OrderFn/Properties/Runtime" key "Runtime" 8:7-8:14
"/Resources/OrderFn/Properties/Runtime" str "python3.12" 8:16-8:26
"/Resources/OrderFn/Properties/Timeout" key "Timeout" 9:7-9:14
"/Resources/OrderFn/Properties/Timeout" num 30 9:16-9:18
"/Resources/OrderFn/Properties/Role" key "Role" 10:7-10:11
"/Resources/OrderFn/Properties/Role" map 10:13-10:34
"/Resources/OrderFn/Properties/Role/Fn::GetAtt" key "Fn::GetAtt" 10:13-10:20
"/Resources/OrderFn/Properties/Role/Fn::GetAtt" list 10:21-10:34
"/Resources/OrderFn/Properties/Role/Fn::GetAtt/0" str "OrderRole" 10:21-10:30
"/Resources/OrderFn/Properties/Role/Fn::GetAtt/1" str "Arn" 10:31-10:34
"/Resources/OrderFn/Properties/Environment" key "Environment" 11:7-11:18
"/Resources/OrderFn/Properties/Environment" map 12:9-14:23
"/Resources/OrderFn/Properties/Environment/Variables" key "Variables" 12:9-12:18
"/Resources/OrderFn/Properties/Environment/Variables" map 13:11-14:23
"/Resources/OrderFn/Properties/Environment/Variables/TABLE" key "TABLE" 13:11-13:16
"/Resources/OrderFn/Properties/Environment/Variables/TABLE" map 13:18-13:29
"/Resources/OrderFn/Properties/Environment/Variables/TABLE/Ref" key "Ref" 13:18-13:22
"/Resources/OrderFn/Properties/Environment/Variables/TABLE/Ref" str "Orders" 13:23-13:29
"/Resources/OrderFn/Properties/Environment/Variables/DEBUG" key "DEBUG" 14:11-14:16
"/Resources/OrderFn/Properties/Environment/Variables/DEBUG" bool false 14:18-14:23
"/Resources/OrderFn/Properties/Policies" key "Policies" 15:7-15:15
"/Resources/OrderFn/Properties/Policies" list 16:9-19:56
"/Resources/OrderFn/Properties/Policies/0" map 16:11-19:56
"/Resources/OrderFn/Properties/Policies/0/Statement" key "Statement" 16:11-16:20
"/Resources/OrderFn/Properties/Policies/0/Statement" list 17:13-19:56
"/Resources/OrderFn/Properties/Policies/0/Statement/0" map 17:15-19:56
"/Resources/OrderFn/Properties/Policies/0/Statement/0/Effect" key "Effect" 17:15-17:21
"/Resources/OrderFn/Properties/Policies/0/Statement/0/Effect" str "Allow" 17:23-17:28
"/Resources/OrderFn/Properties/Policies/0/Statement/0/Action" key "Action" 18:15-18:21
"/Resources/OrderFn/Properties/Policies/0/Statement/0/Action" str "s3:*" 18:23-18:27
"/Resources/OrderFn/Properties/Policies/0/Statement/0/Resource" key "Resource" 19:15-19:23
"/Resources/OrderFn/Properties/Policies/0/Statement/0/Resource" map 19:25-19:56
"/Resources/OrderFn/Properties/Policies/0/Statement/0/Resource/Fn::Sub" key "Fn::Sub" 19:25-19:29
"/Resources/OrderFn/Properties/Policies/0/Statement/0/Resource/Fn::Sub" str "arn:aws:s3:::${Bucket}/*" 19:30-19:56
"#;

#[test]
fn sam_template_tree() {
    let doc = yaml(SAM);
    assert_eq!(doc.format, Format::Yaml);
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    let tree = render(SAM, &doc.root);
    assert_eq!(tree, SAM_TREE, "\n{tree}");
    check_spans(SAM, &doc.root);
    // Lookup by path works on the result, and the line of a nested value is right.
    let action = doc
        .root
        .find_path("/Resources/OrderFn/Properties/Policies/0/Statement/0/Action")
        .unwrap();
    let idx = LineIndex::new(SAM);
    assert_eq!(idx.position(SAM, action.origin.span.start).line, 18);
    assert_eq!(slice(SAM, action.origin.span), "s3:*");
}

/// The long-form key of every short-form tag.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("If", "Fn::If"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("FindInMap", "Fn::FindInMap"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("ImportValue", "Fn::ImportValue"),
    ("GetAZs", "Fn::GetAZs"),
    ("Transform", "Fn::Transform"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
];

/// The only entry of a one-entry map.
fn only(node: &Node) -> (&str, &Node) {
    let entries = node.entries();
    assert_eq!(entries.len(), 1, "{node:?}");
    (entries[0].0.name.as_str(), &entries[0].1)
}

#[test]
fn every_short_form_tag_becomes_its_long_form_on_scalars_sequences_and_mappings() {
    for &(tag, long) in SHORT_FORMS {
        let text = format!(
            "s: !{tag} v.w\nq: !{tag} [a, b]\nb: !{tag}\n  - a\nm: !{tag} {{k: v}}\nn: !{tag}\n  k: v\n"
        );
        let doc = yaml(&text);
        assert!(doc.warnings.is_empty(), "{tag}: {:?}", doc.warnings);
        for key in ["s", "q", "b", "m", "n"] {
            let node = doc.root.get(key).unwrap();
            let (name, value) = only(node);
            assert_eq!(name, long, "!{tag} on {key}");
            // The synthetic key is located at the tag, the map spans the tag and the value.
            let (k, _) = node.entry(long).unwrap();
            assert_eq!(slice(&text, k.origin.span), format!("!{tag}"), "{key}");
            assert_eq!(node.origin.span.start, k.origin.span.start);
            assert_eq!(node.origin.span.end, value.origin.span.end);
            assert_eq!(&*node.origin.path, format!("/{key}"));
            assert_eq!(&*value.origin.path, format!("/{key}/{long}"));
            assert_eq!(&*k.origin.path, &*value.origin.path);
            match key {
                "s" if long == "Fn::GetAtt" => {
                    let parts: Vec<_> = value.items().iter().filter_map(Node::as_str).collect();
                    assert_eq!(parts, ["v", "w"]);
                }
                "s" => assert_eq!(value.val, Val::Str("v.w".into())),
                "q" | "b" => assert!(matches!(value.val, Val::List(_)), "{key}"),
                _ => assert_eq!(value.get("k").and_then(Node::as_str), Some("v")),
            }
        }
    }
}

#[test]
fn get_att_scalar_splits_on_the_first_dot_and_the_list_form_is_kept() {
    let text = "a: !GetAtt Db.Endpoint.Address\nb: !GetAtt [Db, Arn]\nc: !GetAtt \"Q.Arn\"\nd: !GetAtt NoDot\n";
    let doc = yaml(text);
    let parts = |key: &str| -> Vec<String> {
        let (_, list) = only(doc.root.get(key).unwrap());
        list.items()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(parts("a"), ["Db", "Endpoint.Address"]);
    assert_eq!(parts("b"), ["Db", "Arn"]);
    assert_eq!(parts("c"), ["Q", "Arn"]);
    let (_, a) = only(doc.root.get("a").unwrap());
    assert_eq!(slice(text, a.items()[0].origin.span), "Db");
    assert_eq!(slice(text, a.items()[1].origin.span), "Endpoint.Address");
    assert_eq!(slice(text, a.origin.span), "Db.Endpoint.Address");
    assert_eq!(&*a.items()[1].origin.path, "/a/Fn::GetAtt/1");
    // Inside quotes, the parts still point at their text.
    let (_, c) = only(doc.root.get("c").unwrap());
    assert_eq!(slice(text, c.items()[0].origin.span), "Q");
    // Without a dot the string is kept, with a warning at the tag.
    let (_, d) = only(doc.root.get("d").unwrap());
    assert_eq!(d.val, Val::Str("NoDot".into()));
    assert_eq!(doc.warnings.len(), 1);
    assert!(doc.warnings[0].message.contains("NoDot"));
    assert_eq!(slice(text, doc.warnings[0].span), "!GetAtt");
}

#[test]
fn nested_short_forms_and_tags_on_empty_values() {
    let text = "v: !If [Prod, !Sub '${A}-x', !Ref 'AWS::NoValue']\nz: !GetAZs\nw: !Join\n  - ''\n  - - !Ref A\n    - b\n";
    let doc = yaml(text);
    let (_, args) = only(doc.root.get("v").unwrap());
    let items = args.items();
    assert_eq!(items[0].as_str(), Some("Prod"));
    assert_eq!(only(&items[1]).0, "Fn::Sub");
    let (name, value) = only(&items[2]);
    assert_eq!((name, value.as_str()), ("Ref", Some("AWS::NoValue")));
    assert_eq!(&*value.origin.path, "/v/Fn::If/2/Ref");
    // A tagged empty scalar is the empty string (a tagged scalar is never implicitly typed).
    let (name, az) = only(doc.root.get("z").unwrap());
    assert_eq!((name, &az.val), ("Fn::GetAZs", &Val::Str(String::new())));
    assert_eq!(
        az.origin.span.start as usize,
        text.find("!GetAZs").unwrap() + 7
    );
    let (_, join) = only(doc.root.get("w").unwrap());
    let inner = &join.items()[1].items()[0];
    assert_eq!(only(inner).1.as_str(), Some("A"));
    assert_eq!(&*only(inner).1.origin.path, "/w/Fn::Join/1/0/Ref");
    assert_eq!(slice(text, join.origin.span), "- ''\n  - - !Ref A\n    - b");
}

#[test]
fn unknown_tags_keep_the_value_with_a_warning() {
    let text =
        "a: !Foo bar\nb: !ForEach [x]\nc: !!binary aGk=\nd: !!str 12\ne: !!int '7'\nf: ! 12\n";
    let doc = yaml(text);
    assert_eq!(doc.root.get("a").unwrap().val, Val::Str("bar".into()));
    assert_eq!(doc.root.get("b").unwrap().items().len(), 1);
    assert_eq!(doc.root.get("c").unwrap().val, Val::Str("aGk=".into()));
    assert_eq!(doc.root.get("d").unwrap().val, Val::Str("12".into()));
    assert_eq!(doc.root.get("e").unwrap().val, Val::Num("7".into()));
    assert_eq!(doc.root.get("f").unwrap().val, Val::Str("12".into()));
    let warned: Vec<&str> = doc.warnings.iter().map(|w| slice(text, w.span)).collect();
    assert_eq!(warned, ["!Foo", "!ForEach", "!!binary"]);
}

#[test]
fn plain_scalars_are_typed_and_quoted_ones_are_strings() {
    let text = "a: true\nb: 'true'\nc: 42\nd: \"42\"\ne: 1.5e3\nf: ~\ng:\nh: null\ni: yes\nj: Off\nk: 0x1F\nl: 012345678901\nm: 2012-10-17\nn: |\n  true\n";
    let doc = yaml(text);
    let v = |k: &str| doc.root.get(k).unwrap().val.clone();
    assert_eq!(v("a"), Val::Bool(true));
    assert_eq!(v("b"), Val::Str("true".into()));
    assert_eq!(v("c"), Val::Num("42".into()));
    assert_eq!(v("d"), Val::Str("42".into()));
    assert_eq!(v("e"), Val::Num("1.5e3".into()));
    assert_eq!(v("f"), Val::Null);
    assert_eq!(v("g"), Val::Null);
    assert_eq!(v("h"), Val::Null);
    assert_eq!(v("i"), Val::Bool(true));
    assert_eq!(v("j"), Val::Bool(false));
    assert_eq!(v("k"), Val::Num("0x1F".into()));
    assert_eq!(v("l"), Val::Num("012345678901".into()));
    assert_eq!(doc.root.get("l").unwrap().as_str(), Some("012345678901"));
    assert_eq!(v("m"), Val::Str("2012-10-17".into()));
    assert_eq!(v("n"), Val::Str("true\n".into()));
    // An empty value sits right after its key's colon.
    let g = doc.root.get("g").unwrap();
    assert_eq!(g.origin.span.start as usize, text.find("g:").unwrap() + 2);
    assert_eq!(g.origin.span.start, g.origin.span.end);
}

#[test]
fn keys_keep_their_text() {
    let text = "on: push\nyes: 1\n1: one\nnull: x\n'quoted key': 2\n~: t\n";
    let doc = yaml(text);
    let names: Vec<&str> = doc
        .root
        .entries()
        .iter()
        .map(|(k, _)| k.name.as_str())
        .collect();
    assert_eq!(names, ["on", "yes", "1", "null", "quoted key", "~"]);
    let (k, v) = doc.root.entry("quoted key").unwrap();
    assert_eq!(slice(text, k.origin.span), "'quoted key'");
    assert_eq!(&*k.origin.path, "/quoted key");
    assert_eq!(&*v.origin.path, "/quoted key");
}

#[test]
fn path_segments_are_escaped() {
    let text = "a/b:\n  c~d: 1\n  list: [x]\n";
    let doc = yaml(text);
    let v = doc.root.find_path("/a~1b/c~0d").unwrap();
    assert_eq!(v.val, Val::Num("1".into()));
    assert!(doc.root.find_path("/a~1b/list/0").is_some());
}

#[test]
fn duplicate_keys_keep_the_last_value_in_place_with_a_warning() {
    let text = "A: 1\nB: 2\nA: 3\n";
    let doc = yaml(text);
    let entries = doc.root.entries();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].0.name, "A");
    assert_eq!(entries[0].1.val, Val::Num("3".into()));
    assert_eq!(doc.warnings.len(), 1);
    assert!(doc.warnings[0].message.contains("duplicate key `A`"));
    assert_eq!(
        doc.warnings[0].span.start as usize,
        text.rfind('A').unwrap()
    );
    // Large maps index their keys; same behaviour.
    let mut big: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
    big.push_str("k7: last\n");
    let doc = yaml(&big);
    assert_eq!(doc.root.entries().len(), 40);
    assert_eq!(doc.root.get("k7").unwrap().as_str(), Some("last"));
    assert_eq!(doc.warnings.len(), 1);
}

#[test]
fn merge_keys_are_ordinary_keys() {
    let text = "base: &b {x: 1}\nobj:\n  <<: *b\n  y: 2\n";
    let doc = yaml(text);
    let obj = doc.root.get("obj").unwrap();
    assert!(obj.get("x").is_none());
    assert_eq!(obj.get("<<").unwrap().get("x").unwrap().as_str(), Some("1"));
    assert!(doc.warnings.is_empty());
}

#[test]
fn aliases_are_copies_with_rebased_paths() {
    let text = "Shared: &env\n  Variables:\n    KEY: v\nA:\n  Env: *env\nB: [*env]\n";
    let doc = yaml(text);
    let a = doc.root.find_path("/A/Env/Variables/KEY").unwrap();
    let b = doc.root.find_path("/B/0/Variables/KEY").unwrap();
    // Nested values point at the anchored text; the copy's root at the alias.
    assert_eq!(slice(text, a.origin.span), "v");
    assert_eq!(a.origin.span, b.origin.span);
    let env = doc.root.find_path("/A/Env").unwrap();
    assert_eq!(slice(text, env.origin.span), "*env");
    let (key, _) = doc
        .root
        .at(&["A", "Env"])
        .unwrap()
        .entry("Variables")
        .unwrap();
    assert_eq!(&*key.origin.path, "/A/Env/Variables");
    // Scalar anchors work as keys and values.
    let doc = yaml("k: &name Bucket\n*name : 1\nv: *name\n");
    assert_eq!(doc.root.get("Bucket").unwrap().as_str(), Some("1"));
    assert_eq!(doc.root.get("v").unwrap().as_str(), Some("Bucket"));
}

#[test]
fn several_documents_read_the_first_with_a_warning() {
    let text = "a: 1\n---\nb: 2\n";
    let doc = yaml(text);
    assert_eq!(doc.root.get("a").unwrap().as_str(), Some("1"));
    assert!(doc.root.get("b").is_none());
    assert_eq!(doc.warnings.len(), 1);
    assert!(
        doc.warnings[0]
            .message
            .contains("more than one YAML document")
    );
    assert_eq!(
        doc.warnings[0].span.start as usize,
        text.find("---").unwrap()
    );
}

#[test]
fn empty_and_comment_only_documents_are_null() {
    for text in ["", "   \n", "# only a comment\n", "---\n", "---\n...\n"] {
        let doc = yaml(text);
        assert_eq!(doc.root.val, Val::Null, "{text:?}");
        assert_eq!(&*doc.root.origin.path, "");
    }
}

#[test]
fn non_ascii_text_gives_byte_offsets() {
    // Multi-byte characters before, inside and after values, including after a block scalar
    // whose content is non-ASCII (where the parser's own character index drifts).
    let text = "名前: «値» x\nemoji: 😀😀 !\nblock: |\n  é à ü 😀\n  ñ\nafter: ok ☕\nlist: [ü, \"ö\", 'ä']\n";
    let doc = yaml(text);
    check_spans(text, &doc.root);
    let (k, v) = doc.root.entry("名前").unwrap();
    assert_eq!(slice(text, k.origin.span), "名前");
    assert_eq!(slice(text, v.origin.span), "«値» x");
    assert_eq!(
        slice(text, doc.root.get("emoji").unwrap().origin.span),
        "😀😀 !"
    );
    assert_eq!(
        slice(text, doc.root.get("block").unwrap().origin.span),
        "é à ü 😀\n  ñ"
    );
    let (k, v) = doc.root.entry("after").unwrap();
    assert_eq!(slice(text, k.origin.span), "after");
    assert_eq!(slice(text, v.origin.span), "ok ☕");
    let items: Vec<&str> = doc
        .root
        .get("list")
        .unwrap()
        .items()
        .iter()
        .map(|n| slice(text, n.origin.span))
        .collect();
    assert_eq!(items, ["ü", "\"ö\"", "'ä'"]);
    let idx = LineIndex::new(text);
    let p = idx.position(text, v.origin.span.start);
    assert_eq!((p.line, p.column), (6, 8));
}

#[test]
fn crlf_and_bom_keep_offsets_exact() {
    let text = "\u{feff}a: 1\r\nb:\r\n  - x\r\n  - 'y'\r\n";
    let doc = yaml(text);
    check_spans(text, &doc.root);
    let (k, _) = doc.root.entry("a").unwrap();
    assert_eq!(k.origin.span.start, 3);
    let b = doc.root.get("b").unwrap();
    assert_eq!(slice(text, b.items()[1].origin.span), "'y'");
    assert_eq!(slice(text, b.origin.span), "- x\r\n  - 'y'");
}

#[test]
fn block_and_folded_scalar_spans() {
    let text = "a: >-\n  folded\n  text\n\n# comment\nb: plain\n  multi line\nc: 'single\n  quoted'\nd: x\n";
    let doc = yaml(text);
    let span = |k: &str| slice(text, doc.root.get(k).unwrap().origin.span);
    assert_eq!(doc.root.get("a").unwrap().as_str(), Some("folded text"));
    assert_eq!(span("a"), "folded\n  text");
    assert_eq!(
        doc.root.get("b").unwrap().as_str(),
        Some("plain multi line")
    );
    assert_eq!(span("b"), "plain\n  multi line");
    assert_eq!(span("c"), "'single\n  quoted'");
    assert_eq!(span("d"), "x");
    // A collection spans from its start to the end of its last child.
    let text = "m:\n  k1: v1\n  k2: [a, b]  # trailing\nn: {x: 1}\n";
    let doc = yaml(text);
    assert_eq!(
        slice(text, doc.root.get("m").unwrap().origin.span),
        "k1: v1\n  k2: [a, b]"
    );
    assert_eq!(
        slice(text, doc.root.get("n").unwrap().origin.span),
        "{x: 1}"
    );
}

#[test]
fn empty_sequence_items_sit_at_their_dash() {
    let text = "l:\n  -\n  - b\n  -\n";
    let doc = yaml(text);
    let items = doc.root.get("l").unwrap().items();
    assert_eq!(items.len(), 3);
    let idx = LineIndex::new(text);
    let line = |n: &Node| idx.position(text, n.origin.span.start).line;
    assert_eq!(
        (line(&items[0]), line(&items[1]), line(&items[2])),
        (2, 3, 4)
    );
    assert_eq!(items[0].val, Val::Null);
}

#[test]
fn syntax_errors_are_located() {
    let text = "a: 1\nb: [1, 2\nc: 3\n";
    let err = parse("t.yaml", text).unwrap_err();
    assert!(
        matches!(
            err,
            DocumentError::Syntax {
                format: Format::Yaml,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().starts_with("YAML syntax error"));
    let line = LineIndex::new(text).position(text, err.span().start).line;
    assert!((2..=4).contains(&line), "line {line}");
    let err = parse("t.yaml", "a: *missing\n").unwrap_err();
    assert!(matches!(err, DocumentError::Syntax { .. }), "{err}");
    let err = parse("t.yaml", "\ta: 1\n  b:\n\t- x").unwrap_err();
    assert!(matches!(err, DocumentError::Syntax { .. }), "{err}");
}

#[test]
fn complex_keys_are_rejected() {
    let err = parse("t.yaml", "? [a, b]\n: c\n").unwrap_err();
    assert!(matches!(err, DocumentError::ComplexKey { .. }), "{err}");
    let err = parse("t.yaml", "x: &l [1]\n*l : 2\n").unwrap_err();
    assert!(matches!(err, DocumentError::ComplexKey { .. }), "{err}");
}
