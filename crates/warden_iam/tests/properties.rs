//! Property tests of the evaluator: explicit deny wins, adding an allow never removes access,
//! adding a deny never adds access, and statement order does not matter.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use serde_json::{Value, json};
use warden_iam::{Outcome, Policy, PolicySet, Request, evaluate};

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "sqs:SendMessage",
    "iam:PassRole",
];
const ACTION_PATTERNS: &[&str] = &[
    "s3:GetObject",
    "s3:*",
    "*",
    "s3:Put*",
    "sqs:*",
    "iam:Pass?ole",
    "s3:?etObject",
];
const RESOURCES: &[&str] = &[
    "arn:aws:s3:::b/k",
    "arn:aws:s3:::c/k",
    "arn:aws:sqs:us-east-1:111122223333:q",
    "arn:aws:iam::111122223333:role/r",
];
const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::*",
    "arn:aws:sqs:*",
    "arn:aws:iam::*:role/*",
    "arn:aws:s3:::c/k",
];

fn statement() -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        any::<bool>(),
        proptest::sample::subsequence(ACTION_PATTERNS, 1..3),
        any::<bool>(),
        proptest::sample::subsequence(RESOURCE_PATTERNS, 1..3),
        0..4usize,
    )
        .prop_map(|(allow, not_action, acts, not_res, res, cond)| {
            let mut s = serde_json::Map::new();
            s.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
            s.insert(
                if not_action { "NotAction" } else { "Action" }.into(),
                json!(acts),
            );
            s.insert(
                if not_res { "NotResource" } else { "Resource" }.into(),
                json!(res),
            );
            match cond {
                1 => {
                    s.insert(
                        "Condition".into(),
                        json!({"Bool": {"aws:SecureTransport": "true"}}),
                    );
                }
                2 => {
                    s.insert(
                        "Condition".into(),
                        json!({"StringNotEquals": {"aws:PrincipalTag/team": "ops"}}),
                    );
                }
                _ => {}
            }
            Value::Object(s)
        })
}

fn policy_of(stmts: &[Value]) -> Policy {
    Policy::parse(&json!({"Version": "2012-10-17", "Statement": stmts})).unwrap()
}

fn request() -> impl Strategy<Value = Request> {
    (
        proptest::sample::select(ACTIONS),
        proptest::sample::select(RESOURCES),
        any::<bool>(),
    )
        .prop_map(|(a, r, tls)| {
            let mut ctx = warden_iam::Context::default();
            ctx.insert("aws:SecureTransport", if tls { "true" } else { "false" });
            Request::new(a, r, Some("arn:aws:iam::111122223333:user/u"), ctx)
        })
}

fn decide(req: &Request, stmts: &[Value], boundary: &Option<Vec<Value>>) -> Outcome {
    let set = PolicySet {
        identity: vec![policy_of(stmts)],
        boundaries: boundary.iter().map(|b| policy_of(b)).collect(),
        ..Default::default()
    };
    evaluate(req, &set).outcome
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn explicit_deny_wins(req in request(), stmts in proptest::collection::vec(statement(), 0..5)) {
        let mut with_deny = stmts.clone();
        with_deny.push(json!({"Effect": "Deny", "Action": "*", "Resource": "*"}));
        prop_assert_eq!(decide(&req, &with_deny, &None), Outcome::ExplicitlyDenied);
    }

    #[test]
    fn adding_an_allow_never_removes_access(req in request(), stmts in proptest::collection::vec(statement(), 0..5),
        extra in statement(), boundary in proptest::option::of(proptest::collection::vec(statement(), 1..3))) {
        let mut extra = extra;
        extra["Effect"] = json!("Allow");
        let before = decide(&req, &stmts, &boundary);
        let mut more = stmts.clone();
        more.push(extra);
        let after = decide(&req, &more, &boundary);
        if before == Outcome::Allowed {
            prop_assert_eq!(after, Outcome::Allowed);
        }
    }

    #[test]
    fn adding_a_deny_never_adds_access(req in request(), stmts in proptest::collection::vec(statement(), 0..5), extra in statement()) {
        let mut extra = extra;
        extra["Effect"] = json!("Deny");
        let before = decide(&req, &stmts, &None);
        let mut more = stmts.clone();
        more.push(extra);
        let after = decide(&req, &more, &None);
        if after == Outcome::Allowed {
            prop_assert_eq!(before, Outcome::Allowed);
        }
        if before != Outcome::Allowed {
            prop_assert_ne!(after, Outcome::Allowed);
        }
    }

    #[test]
    fn statement_order_does_not_matter(req in request(), stmts in proptest::collection::vec(statement(), 0..6), seed in any::<u64>()) {
        let mut shuffled = stmts.clone();
        // Deterministic shuffle from the seed.
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(decide(&req, &stmts, &None), decide(&req, &shuffled, &None));
    }

    #[test]
    fn hostile_json_never_panics(text in "\\PC{0,200}") {
        let _ = Policy::from_json_str(&text);
        let _ = warden_iam::batch::Case::from_json_str(&text);
    }
}
