//! Analysis results on a fixed set of roles are pinned: every effective action with its grants
//! and every finding, serialised canonically and compared with `tests/golden/analysis.txt`
//! (findings in full, effective actions as a count and an FNV-1a digest of their canonical text).
//! Performance work on the analysis must not change a byte of it.
//!
//! Regenerate (only for an intended change of results): `WARDEN_BLESS=1 cargo test -p warden_iam
//! --test analysis_golden`.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use std::fmt::Write as _;
use warden_iam::{OrgLevel, Policy, PrincipalAnalysis, PrincipalPolicies, analyze_principal};

fn pol(stmts: Value) -> Policy {
    Policy::parse(&json!({"Version": "2012-10-17", "Statement": stmts})).unwrap()
}

/// The benchmark's role: twenty policies, scoped, wildcard, conditioned and `NotAction` grants.
fn twenty() -> Vec<Policy> {
    (0..20)
        .map(|i| match i % 5 {
            0 => pol(
                json!([{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": format!("arn:aws:s3:::bucket-{i}/*")}]),
            ),
            1 => pol(
                json!([{"Effect": "Allow", "Action": "dynamodb:*", "Resource": format!("arn:aws:dynamodb:*:*:table/t{i}")}]),
            ),
            2 => pol(
                json!([{"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction", "iam:PassRole"], "Resource": "*",
                  "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}]),
            ),
            3 => pol(
                json!([{"Effect": "Allow", "Action": ["ec2:Describe*", "cloudwatch:*"], "Resource": "*"}]),
            ),
            _ => pol(
                json!([{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": format!("arn:aws:sqs:*:*:q{i}")}]),
            ),
        })
        .collect()
}

fn roles() -> Vec<(&'static str, PrincipalPolicies)> {
    let id = |v: Vec<Policy>| PrincipalPolicies {
        identity: v,
        ..Default::default()
    };
    vec![
        ("twenty", id(twenty())),
        (
            "admin-not-action-conditions",
            id(vec![
                pol(
                    json!([{"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
                    {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}]),
                ),
                pol(
                    json!([{"Effect": "Deny", "Action": ["s3:Delete*", "kms:*"], "Resource": "*"},
                    {"Effect": "Allow", "NotAction": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}]),
                ),
            ]),
        ),
        (
            "escalation-and-exposure",
            id(vec![
                pol(
                    json!([{"Effect": "Allow", "Action": ["iam:PassRole", "iam:Put*Policy", "iam:Attach*"], "Resource": "*"},
                    {"Effect": "Allow", "Action": ["s3:GetObject", "secretsmanager:GetSecretValue", "ssm:GetParameter*"], "Resource": "*"},
                    {"Effect": "Allow", "Action": ["s3:PutBucketPolicy", "sqs:SetQueueAttributes", "lambda:AddPermission"], "Resource": "*"}]),
                ),
                pol(
                    json!([{"Effect": "Allow", "Action": ["lambda:*", "ec2:RunInstances", "glue:*Job*", "sts:AssumeRole"], "Resource": "*"},
                    {"Effect": "Allow", "Action": ["dynamodb:PutItem", "dynamodb:Query"], "Resource": ["arn:aws:dynamodb:us-east-1:1:table/*", "{{unknown:GetAtt T.Arn}}"]},
                    {"Effect": "Allow", "Action": "ec?:Get*", "Resource": "arn:aws:ec2:*:*:instance/*"}]),
                ),
            ]),
        ),
        (
            "boundary-and-scps",
            PrincipalPolicies {
                identity: twenty(),
                boundary: Some(pol(
                    json!([{"Effect": "Allow", "NotAction": ["iam:*", "lambda:Create*"], "Resource": "*"},
                    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/app-*"}]),
                )),
                scps: vec![
                    OrgLevel {
                        org_identifier: "r-root".into(),
                        policies: vec![pol(
                            json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
                        )],
                    },
                    OrgLevel {
                        org_identifier: "ou-apps".into(),
                        policies: vec![
                            pol(
                                json!([{"Effect": "Allow", "Action": ["s3:*", "dynamodb:*", "sqs:*", "ec2:*", "cloudwatch:*", "lambda:*", "iam:PassRole"], "Resource": "*"}]),
                            ),
                            pol(
                                json!([{"Effect": "Deny", "Action": "dynamodb:Delete*", "Resource": "*"},
                                {"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:*:*:q*"}]),
                            ),
                        ],
                    },
                ],
            },
        ),
    ]
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn canon(name: &str, a: &PrincipalAnalysis) -> String {
    let mut actions = String::new();
    for (action, e) in a.actions.iter() {
        writeln!(actions, "{action} {}", serde_json::to_string(&e).unwrap()).unwrap();
    }
    let mut out = format!(
        "== {name}\nactions {} digest {:016x}\n",
        a.actions.len(),
        fnv(&actions)
    );
    for (svc, levels) in a.by_service() {
        let counts: Vec<String> = levels
            .iter()
            .map(|(l, v)| format!("{}={}", l.as_str(), v.len()))
            .collect();
        if ["s3", "iam", "sqs", "dynamodb", "lambda", "ec2", "kms"].contains(&svc.as_str()) {
            writeln!(out, "service {svc} {}", counts.join(" ")).unwrap();
        }
    }
    for f in &a.findings {
        writeln!(out, "finding {}", serde_json::to_string(f).unwrap()).unwrap();
    }
    out
}

#[test]
fn analysis_results_are_pinned() {
    let got: String = roles()
        .iter()
        .map(|(name, p)| canon(name, &analyze_principal(p)))
        .collect();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/analysis.txt");
    if std::env::var_os("WARDEN_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap();
    for (g, w) in got.lines().zip(want.lines()) {
        assert_eq!(g, w);
    }
    assert_eq!(got.lines().count(), want.lines().count());
}
