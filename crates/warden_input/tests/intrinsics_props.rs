//! Property tests: arbitrary nested intrinsic trees, arbitrary strings and arbitrary YAML never
//! make the loader, the intrinsic resolver or the lowering panic (or recurse without bound).
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use serde_json::{Value, json};
use std::sync::Arc;
use warden_input::cfn::{self, context::ParamOverrides};
use warden_input::document::{self, Limits};

const INTRINSICS: &[&str] = &[
    "Ref",
    "Condition",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::Select",
    "Fn::Split",
    "Fn::FindInMap",
    "Fn::If",
    "Fn::Equals",
    "Fn::And",
    "Fn::Or",
    "Fn::Not",
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::ImportValue",
    "Fn::GetAZs",
    "Fn::Transform",
    "Fn::Length",
    "Fn::Bogus",
];

/// Names that exist in the generated template, plus pseudo parameters and junk.
const NAMES: &[&str] = &[
    "P",
    "Q",
    "NoDefault",
    "Fn",
    "Role",
    "Bucket",
    "C1",
    "C2",
    "Loop",
    "AWS::NoValue",
    "AWS::Region",
    "AWS::Partition",
    "AWS::AccountId",
    "Missing",
    "",
    "Fn.Arn",
    "Role.Arn",
];

/// Strings with the syntax the resolver looks into.
fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(NAMES).prop_map(str::to_string),
        Just("${P}-${AWS::Region}-${Fn.Arn}".to_string()),
        Just("${".to_string()),
        Just("${!Literal}${".to_string()),
        Just("{{resolve:secretsmanager:x:SecretString:y}}".to_string()),
        Just("{{resolve:".to_string()),
        Just("{{unknown:Ref Bucket}}".to_string()),
        Just("arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess".to_string()),
        "[-0-9]{1,3}".prop_map(|s| s),
        ".{0,24}",
        "[$\\{\\}a-zA-Z:.!]{0,20}",
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        tricky_string().prop_map(Value::String),
        any::<i64>().prop_map(|n| json!(n)),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
    ]
}

/// Arbitrary trees mixing plain values and intrinsic calls with arbitrary arguments.
fn tree() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(8, 96, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            (prop::sample::select(INTRINSICS), inner.clone()).prop_map(|(k, v)| json!({ k: v })),
            (
                prop::sample::select(INTRINSICS),
                prop::collection::vec(inner.clone(), 0..4)
            )
                .prop_map(|(k, v)| json!({ k: v })),
            prop::collection::btree_map(tricky_string(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A SAM template whose every interesting slot holds a generated tree.
fn template(values: &[Value]) -> String {
    let v = |i: usize| values[i % values.len()].clone();
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Parameters": {
            "P": {"Type": "String", "Default": "p-default"},
            "Q": {"Type": "CommaDelimitedList", "Default": "a,b"},
            "NoDefault": {"Type": "String", "NoEcho": true}
        },
        "Mappings": {"M": {"k": {"v": v(0)}}},
        "Conditions": {
            "C1": v(1),
            "C2": {"Fn::And": [{"Condition": "C1"}, v(2)]},
            "Loop": {"Fn::Not": [{"Condition": "Loop"}]}
        },
        "Globals": {"Function": {"Environment": {"Variables": {"G": v(3)}}}, "Api": v(4)},
        "Resources": {
            "Role": {"Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": v(5),
                "ManagedPolicyArns": [v(6)],
                "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": v(7), "Resource": v(8)}]}}]
            }},
            "Bucket": {"Type": "AWS::S3::Bucket", "Condition": "C2"},
            "Fn": {"Type": "AWS::Serverless::Function", "Properties": {
                "Role": v(9),
                "Environment": {"Variables": {"A": v(10), "B": v(11)}},
                "Policies": [v(12), {"DynamoDBCrudPolicy": {"TableName": v(13)}}],
                "FunctionUrlConfig": {"AuthType": v(14)},
                "Events": {
                    "E1": {"Type": "Api", "Properties": {"Path": v(15), "Method": "get", "Auth": v(16)}},
                    "E2": {"Type": "S3", "Properties": {"Bucket": v(17)}},
                    "E3": v(18)
                }
            }},
            "Api": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "x", "Auth": v(19), "DefinitionBody": v(20)}},
            "Perm": {"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": v(21), "Principal": v(22), "SourceArn": v(23)}},
            "Method": {"Type": "AWS::ApiGateway::Method", "Properties": {"RestApiId": v(24), "ResourceId": v(25), "AuthorizationType": v(26)}},
            "Odd": v(27)
        }
    })
    .to_string()
}

fn lower_text(file: &str, text: &str) {
    let file: Arc<str> = Arc::from(file);
    if let Ok(doc) = document::parse(file.clone(), text, &Limits::default()) {
        let _ = cfn::lower(file.clone(), &doc.root, &ParamOverrides::new());
        let overrides: ParamOverrides = [
            ("P".to_string(), "{{resolve:ssm:/x}}".to_string()),
            ("NoDefault".to_string(), "v".to_string()),
        ]
        .into_iter()
        .collect();
        let _ = cfn::lower(file, &doc.root, &overrides);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_intrinsic_trees_never_panic(values in prop::collection::vec(tree(), 28..29)) {
        lower_text("template.json", &template(&values));
    }

    #[test]
    fn arbitrary_strings_in_every_slot_never_panic(values in prop::collection::vec(tricky_string(), 28..29)) {
        let values: Vec<Value> = values.into_iter().map(Value::String).collect();
        lower_text("template.json", &template(&values));
        // The same strings as `Fn::Sub` templates and `GetAtt` targets.
        let subs: Vec<Value> = values.iter().map(|s| json!({"Fn::Sub": s})).collect();
        lower_text("template.json", &template(&subs));
        let atts: Vec<Value> = values.iter().map(|s| json!({"Fn::GetAtt": s})).collect();
        lower_text("template.json", &template(&atts));
    }

    #[test]
    fn arbitrary_yaml_text_never_panics(body in "(\\PC|\n){0,400}") {
        let text = format!("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n{body}");
        lower_text("template.yaml", &text);
        lower_text("template.yaml", &body);
    }

    #[test]
    fn short_form_tags_with_arbitrary_arguments_never_panic(
        tags in prop::collection::vec(prop::sample::select(&[
            "!Ref", "!Sub", "!GetAtt", "!Join", "!Select", "!Split", "!If", "!Equals", "!And",
            "!Or", "!Not", "!Condition", "!FindInMap", "!Base64", "!Cidr", "!ImportValue",
            "!GetAZs", "!Transform", "!Nope",
        ][..]), 1..6),
        args in prop::collection::vec("[a-zA-Z0-9.:${} ,\\[\\]-]{0,16}", 1..6),
    ) {
        let mut value = String::new();
        for (tag, arg) in tags.iter().zip(args.iter().cycle()) {
            value.push_str(&format!("{tag} [{arg}, "));
        }
        value.push('x');
        value.push_str(&"]".repeat(tags.len()));
        let text = format!(
            "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Environment:\n        Variables:\n          V: {value}\n      Role: {value}\n"
        );
        lower_text("template.yaml", &text);
    }
}

#[test]
fn self_referential_conditions_and_deep_intrinsics_terminate() {
    let template = |depth: usize| {
        let value = format!(
            "{}\"leaf\"{}",
            "{\"Fn::Base64\": ".repeat(depth),
            "}".repeat(depth)
        );
        format!(
            "{{\"AWSTemplateFormatVersion\": \"2010-09-09\",
              \"Conditions\": {{\"A\": {{\"Condition\": \"B\"}}, \"B\": {{\"Fn::Not\": [{{\"Condition\": \"A\"}}]}}}},
              \"Resources\": {{\"Fn\": {{\"Type\": \"AWS::Lambda::Function\", \"Condition\": \"A\",
                \"Properties\": {{\"Environment\": {{\"Variables\": {{\"X\": {value}}}}}}}}}}}}}"
        )
    };
    let file: Arc<str> = Arc::from("template.json");
    // Deeper than the resolver's own bound (but within the document limits): lowered, the value
    // is unknown, and the cyclic condition is undecidable so the resource is kept.
    let text = template(150);
    let doc = document::parse(file.clone(), &text, &Limits::default()).unwrap();
    let app = cfn::lower(file.clone(), &doc.root, &ParamOverrides::new()).unwrap();
    assert_eq!(
        app.functions.len(),
        1,
        "an undecidable condition keeps the resource"
    );
    let x = &app.functions[0].environment[0].value;
    assert!(x.is_unknown(), "{x:?}");
    // Far deeper than the document limits: a parse error, never a stack overflow.
    let text = template(50_000);
    assert!(document::parse(file, &text, &Limits::default()).is_err());
}
