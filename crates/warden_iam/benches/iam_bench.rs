//! Benchmark (a bench binary, not a test): single-thread evaluations per second on a realistic
//! mix, and the time to analyse a role with 20 policies.
//!
//! Run: `cargo bench -p warden_iam --bench iam_bench`
#![allow(clippy::unwrap_used)]

use serde_json::json;
use std::hint::black_box;
use std::time::Instant;
use warden_iam::{
    Context, Policy, PolicySet, PrincipalPolicies, Request, analyze_principal, evaluate,
};

fn policy(v: serde_json::Value) -> Policy {
    Policy::parse(&v).unwrap()
}

fn main() {
    // A realistic function role: a few scoped statements, one conditioned, one deny.
    let identity = vec![
        policy(json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::orders", "arn:aws:s3:::orders/*"]},
            {"Sid": "Table", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/Orders*"},
            {"Sid": "Queue", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:orders-*",
             "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
            {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}
        ]})),
        policy(json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "arn:aws:logs:*:*:log-group:/aws/lambda/*:*"}
        ]})),
    ];
    let set = PolicySet {
        identity: identity.clone(),
        ..Default::default()
    };
    let mut ctx = Context::default();
    ctx.insert("aws:SecureTransport", "true");
    let principal = Some("arn:aws:sts::111122223333:assumed-role/OrderFn/s");
    let reqs = [
        Request::new(
            "s3:GetObject",
            "arn:aws:s3:::orders/2024/01/a.json",
            principal,
            ctx.clone(),
        ),
        Request::new(
            "dynamodb:PutItem",
            "arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
            principal,
            ctx.clone(),
        ),
        Request::new(
            "sqs:SendMessage",
            "arn:aws:sqs:us-east-1:111122223333:orders-high",
            principal,
            ctx.clone(),
        ),
        Request::new(
            "s3:DeleteObject",
            "arn:aws:s3:::orders/x",
            principal,
            ctx.clone(),
        ),
        Request::new(
            "iam:PassRole",
            "arn:aws:iam::111122223333:role/admin",
            principal,
            ctx.clone(),
        ),
        Request::new(
            "logs:PutLogEvents",
            "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/fn:log-stream:x",
            principal,
            ctx,
        ),
    ];
    for _ in 0..100_000 {
        for r in &reqs {
            black_box(evaluate(r, &set));
        }
    }
    let n = 3_000_000usize;
    let t = Instant::now();
    for i in 0..n {
        black_box(evaluate(black_box(&reqs[i % reqs.len()]), &set));
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "evaluate (realistic mix, 6 requests, 2 policies, 6 statements): {:.0} evaluations/s ({:.0} ns each)",
        n as f64 / secs,
        secs * 1e9 / n as f64
    );

    // Twenty policies of a role, a mix of scoped, wildcard, conditioned and NotAction grants.
    let mut twenty = Vec::new();
    for i in 0..20 {
        let v = match i % 5 {
            0 => {
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": format!("arn:aws:s3:::bucket-{i}/*")}]})
            }
            1 => {
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": format!("arn:aws:dynamodb:*:*:table/t{i}")}]})
            }
            2 => {
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction", "iam:PassRole"], "Resource": "*",
                  "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}]})
            }
            3 => {
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ec2:Describe*", "cloudwatch:*"], "Resource": "*"}]})
            }
            _ => {
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": format!("arn:aws:sqs:*:*:q{i}")}]})
            }
        };
        twenty.push(policy(v));
    }
    let principal = PrincipalPolicies {
        identity: twenty,
        ..Default::default()
    };
    black_box(analyze_principal(&principal));
    let runs = 50;
    let t = Instant::now();
    let mut findings = 0;
    for _ in 0..runs {
        findings = black_box(analyze_principal(&principal)).findings.len();
    }
    let ms = t.elapsed().as_secs_f64() * 1e3 / runs as f64;
    println!("analyze_principal (20 policies): {ms:.2} ms per role ({findings} findings)");
}
