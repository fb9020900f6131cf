//! Unit tables for every condition operator, including missing keys, `IfExists`, set operators on
//! absent and empty keys, `Null`, and policy variables in values.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use warden_iam::{Context, ContextValue, Policy, PolicySet, Request, evaluate};

/// Evaluates one condition block as the only condition of an allow statement.
fn holds(cond: Value, ctx: &[(&str, Value)]) -> bool {
    let policy = Policy::parse(&json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": cond}]}))
    .unwrap();
    let mut c = Context::default();
    for (k, v) in ctx {
        match v {
            Value::Array(a) => c.set(
                k,
                ContextValue::Multi(a.iter().map(|x| x.as_str().unwrap().to_owned()).collect()),
            ),
            Value::String(s) => c.insert(k, s),
            _ => unreachable!(),
        }
    }
    let req = Request::new(
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        Some("arn:aws:iam::111122223333:user/u"),
        c,
    );
    evaluate(
        &req,
        &PolicySet {
            identity: vec![policy],
            ..Default::default()
        },
    )
    .is_allowed()
}

fn s(v: &str) -> Value {
    json!(v)
}

#[test]
fn string_operators() {
    let k = "aws:PrincipalTag/team";
    let t = |op: &str, vals: Value, ctx: Option<&str>| {
        let c: Vec<(&str, Value)> = ctx.map(|v| vec![(k, s(v))]).unwrap_or_default();
        holds(json!({op: {k: vals}}), &c)
    };
    let table: &[(&str, Value, Option<&str>, bool)] = &[
        ("StringEquals", json!("dev"), Some("dev"), true),
        ("StringEquals", json!("dev"), Some("Dev"), false),
        ("StringEquals", json!(["prod", "dev"]), Some("dev"), true),
        ("StringEquals", json!("d*"), Some("dev"), false),
        ("StringEquals", json!("dev"), None, false),
        ("StringNotEquals", json!("dev"), Some("prod"), true),
        (
            "StringNotEquals",
            json!(["prod", "dev"]),
            Some("dev"),
            false,
        ),
        ("StringNotEquals", json!("dev"), None, true),
        ("StringEqualsIgnoreCase", json!("DEV"), Some("dev"), true),
        (
            "StringNotEqualsIgnoreCase",
            json!("DEV"),
            Some("dev"),
            false,
        ),
        ("StringNotEqualsIgnoreCase", json!("DEV"), None, true),
        ("StringLike", json!("d?v*"), Some("devops"), true),
        ("StringLike", json!("d?v"), Some("dv"), false),
        ("StringLike", json!("*"), None, false),
        ("StringNotLike", json!("p*"), Some("dev"), true),
        ("StringNotLike", json!("d*"), Some("dev"), false),
        ("StringNotLike", json!("d*"), None, true),
        ("StringEqualsIfExists", json!("dev"), None, true),
        ("StringEqualsIfExists", json!("dev"), Some("prod"), false),
        ("StringNotLikeIfExists", json!("d*"), Some("dev"), false),
    ];
    for (op, vals, ctx, want) in table {
        assert_eq!(t(op, vals.clone(), *ctx), *want, "{op} {vals} ctx={ctx:?}");
    }
}

#[test]
fn numeric_date_bool_binary_ip_arn_operators() {
    let one = |op: &str, key: &str, val: Value, ctx: Option<&str>| {
        let c: Vec<(&str, Value)> = ctx.map(|v| vec![(key, s(v))]).unwrap_or_default();
        holds(json!({op: {key: val}}), &c)
    };
    let n = "aws:MultiFactorAuthAge";
    assert!(one("NumericEquals", n, json!("300"), Some("300")));
    assert!(one("NumericEquals", n, json!(300), Some("300.0")));
    assert!(!one("NumericEquals", n, json!("300"), Some("abc")));
    assert!(one("NumericNotEquals", n, json!("300"), Some("301")));
    assert!(one("NumericNotEquals", n, json!("300"), None));
    assert!(one("NumericLessThan", n, json!("300"), Some("299")));
    assert!(!one("NumericLessThan", n, json!("300"), Some("300")));
    assert!(one("NumericLessThanEquals", n, json!("300"), Some("300")));
    assert!(one("NumericGreaterThan", n, json!("300"), Some("301")));
    assert!(!one(
        "NumericGreaterThanEquals",
        n,
        json!("300"),
        Some("299")
    ));
    assert!(!one("NumericLessThan", n, json!("300"), None));
    assert!(one("NumericLessThanIfExists", n, json!("300"), None));
    let d = "aws:CurrentTime";
    assert!(one(
        "DateLessThan",
        d,
        json!("2025-01-01T00:00:00Z"),
        Some("2024-06-01T00:00:00Z")
    ));
    assert!(one(
        "DateGreaterThan",
        d,
        json!("2024-01-01"),
        Some("2024-06-01T00:00:00Z")
    ));
    assert!(one(
        "DateEquals",
        d,
        json!("2024-06-01T00:00:00Z"),
        Some("1717200000")
    ));
    assert!(one(
        "DateNotEquals",
        d,
        json!("2024-06-01T00:00:00Z"),
        Some("2024-06-02T00:00:00Z")
    ));
    assert!(one(
        "DateLessThanEquals",
        d,
        json!("2024-06-01T02:00:00+02:00"),
        Some("2024-06-01T00:00:00Z")
    ));
    assert!(!one("DateGreaterThanEquals", d, json!("2024-06-01"), None));
    let b = "aws:SecureTransport";
    assert!(one("Bool", b, json!(true), Some("true")));
    assert!(one("Bool", b, json!("false"), Some("FALSE")));
    assert!(!one("Bool", b, json!("true"), None));
    assert!(one("BoolIfExists", b, json!("true"), None));
    assert!(!one("BoolIfExists", b, json!("true"), Some("false")));
    assert!(one(
        "BinaryEquals",
        "aws:x",
        json!("QmluYXJ5"),
        Some("QmluYXJ5")
    ));
    assert!(!one(
        "BinaryEquals",
        "aws:x",
        json!("QmluYXJ5"),
        Some("other")
    ));
    let ip = "aws:SourceIp";
    assert!(one("IpAddress", ip, json!("10.0.0.0/8"), Some("10.9.8.7")));
    assert!(!one("IpAddress", ip, json!("10.0.0.0/8"), Some("11.0.0.1")));
    assert!(one(
        "IpAddress",
        ip,
        json!(["192.168.0.0/16", "2001:db8::/32"]),
        Some("2001:db8::1")
    ));
    assert!(one(
        "NotIpAddress",
        ip,
        json!("10.0.0.0/8"),
        Some("11.0.0.1")
    ));
    assert!(one("NotIpAddress", ip, json!("10.0.0.0/8"), None));
    assert!(!one("IpAddress", ip, json!("10.0.0.0/8"), None));
    let a = "aws:SourceArn";
    assert!(one(
        "ArnLike",
        a,
        json!("arn:aws:sns:*:111122223333:topic-*"),
        Some("arn:aws:sns:us-east-1:111122223333:topic-a")
    ));
    assert!(one(
        "ArnEquals",
        a,
        json!("arn:aws:sns:*:111122223333:t"),
        Some("arn:aws:sns:eu-west-1:111122223333:t")
    ));
    assert!(!one(
        "ArnLike",
        a,
        json!("arn:aws:sns:*:111122223333:t"),
        Some("arn:aws:sns:eu-west-1:444455556666:t")
    ));
    // `*` in a field does not cross a colon.
    assert!(!one(
        "ArnLike",
        a,
        json!("arn:aws:sns:*:t"),
        Some("arn:aws:sns:eu-west-1:444455556666:t")
    ));
    assert!(one(
        "ArnNotLike",
        a,
        json!("arn:aws:sqs:*:*:*"),
        Some("arn:aws:sns:us-east-1:1:t")
    ));
    assert!(one("ArnNotEquals", a, json!("arn:aws:sqs:*:*:*"), None));
    assert!(!one(
        "ArnLike",
        a,
        json!("arn:aws:sqs:*:*:*"),
        Some("not-an-arn")
    ));
}

#[test]
fn null_operator() {
    let k = "aws:TokenIssueTime";
    assert!(holds(json!({"Null": {k: "true"}}), &[]));
    assert!(!holds(
        json!({"Null": {k: "true"}}),
        &[(k, s("2024-01-01T00:00:00Z"))]
    ));
    assert!(holds(
        json!({"Null": {k: "false"}}),
        &[(k, s("2024-01-01T00:00:00Z"))]
    ));
    assert!(!holds(json!({"Null": {k: "false"}}), &[]));
    assert!(holds(json!({"Null": {k: ["true", "false"]}}), &[]));
}

#[test]
fn set_operators_and_multivalued_keys() {
    let k = "aws:TagKeys";
    let t = |op: &str, vals: Value, ctx: Option<Value>| {
        let c: Vec<(&str, Value)> = ctx.map(|v| vec![(k, v)]).unwrap_or_default();
        holds(json!({op: {k: vals}}), &c)
    };
    let table: &[(&str, Value, Option<Value>, bool)] = &[
        (
            "ForAnyValue:StringEquals",
            json!(["a", "b"]),
            Some(json!(["b", "z"])),
            true,
        ),
        (
            "ForAnyValue:StringEquals",
            json!(["a"]),
            Some(json!(["z"])),
            false,
        ),
        ("ForAnyValue:StringEquals", json!(["a"]), None, false),
        (
            "ForAnyValue:StringEquals",
            json!(["a"]),
            Some(json!([])),
            false,
        ),
        (
            "ForAnyValue:StringEqualsIfExists",
            json!(["a"]),
            None,
            false,
        ),
        (
            "ForAllValues:StringEquals",
            json!(["a", "b"]),
            Some(json!(["a", "b"])),
            true,
        ),
        (
            "ForAllValues:StringEquals",
            json!(["a", "b"]),
            Some(json!(["a", "c"])),
            false,
        ),
        ("ForAllValues:StringEquals", json!(["a"]), None, true),
        (
            "ForAllValues:StringEquals",
            json!(["a"]),
            Some(json!([])),
            true,
        ),
        (
            "ForAllValues:StringLike",
            json!(["a*"]),
            Some(json!(["ab", "ac"])),
            true,
        ),
        (
            "ForAnyValue:StringNotEquals",
            json!(["a"]),
            Some(json!(["a", "b"])),
            true,
        ),
        (
            "ForAnyValue:StringNotEquals",
            json!(["a"]),
            Some(json!(["a"])),
            false,
        ),
        (
            "ForAllValues:StringNotEquals",
            json!(["a"]),
            Some(json!(["b", "c"])),
            true,
        ),
        (
            "ForAllValues:StringNotEquals",
            json!(["a"]),
            Some(json!(["a", "c"])),
            false,
        ),
        // A multi-valued key needs a set operator.
        ("StringEquals", json!(["a"]), Some(json!(["a"])), false),
        ("StringNotEquals", json!(["a"]), Some(json!(["b"])), false),
        // A single-valued key works with set operators as a one-element set.
        (
            "ForAnyValue:StringEquals",
            json!(["a"]),
            Some(json!("a")),
            true,
        ),
    ];
    for (op, vals, ctx, want) in table {
        assert_eq!(
            t(op, vals.clone(), ctx.clone()),
            *want,
            "{op} {vals} ctx={ctx:?}"
        );
    }
}

#[test]
fn multiple_keys_and_operators_are_anded() {
    let cond = json!({"StringEquals": {"aws:PrincipalTag/a": "1", "aws:PrincipalTag/b": "2"}, "Bool": {"aws:SecureTransport": "true"}});
    let all = [
        ("aws:PrincipalTag/a", s("1")),
        ("aws:PrincipalTag/b", s("2")),
        ("aws:SecureTransport", s("true")),
    ];
    assert!(holds(cond.clone(), &all));
    assert!(!holds(cond.clone(), &all[..2]));
    assert!(!holds(
        cond,
        &[all[0].clone(), (all[1].0, s("3")), all[2].clone()]
    ));
}

#[test]
fn keys_are_case_insensitive_values_are_not() {
    assert!(holds(
        json!({"StringEquals": {"AWS:principaltag/Team": "dev"}}),
        &[("aws:PrincipalTag/team", s("dev"))]
    ));
    assert!(!holds(
        json!({"StringEquals": {"aws:PrincipalTag/team": "DEV"}}),
        &[("aws:PrincipalTag/team", s("dev"))]
    ));
}

#[test]
fn policy_variables_in_values() {
    let cond = json!({"StringEquals": {"aws:PrincipalTag/owner": "${aws:username}"}});
    assert!(holds(
        cond.clone(),
        &[
            ("aws:PrincipalTag/owner", s("alice")),
            ("aws:username", s("alice"))
        ]
    ));
    assert!(!holds(
        cond.clone(),
        &[
            ("aws:PrincipalTag/owner", s("alice")),
            ("aws:username", s("bob"))
        ]
    ));
    assert!(!holds(cond, &[("aws:PrincipalTag/owner", s("alice"))]));
    let with_default =
        json!({"StringEquals": {"aws:PrincipalTag/owner": "${aws:username, 'nobody'}"}});
    assert!(holds(
        with_default,
        &[("aws:PrincipalTag/owner", s("nobody"))]
    ));
    let negated = json!({"StringNotEquals": {"aws:PrincipalTag/owner": "${aws:username}"}});
    assert!(!holds(negated, &[("aws:PrincipalTag/owner", s("alice"))]));
    let escaped = json!({"StringLike": {"aws:PrincipalTag/owner": "a${*}"}});
    assert!(holds(
        escaped.clone(),
        &[("aws:PrincipalTag/owner", s("a*"))]
    ));
    assert!(!holds(escaped, &[("aws:PrincipalTag/owner", s("ab"))]));
}
