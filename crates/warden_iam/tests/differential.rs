//! Differential test against the independent implementation in the npm package
//! `@cloud-copilot/iam-simulate` (run through `scripts/iam/differential.js`).
//!
//! Generates random policy/request combinations (Action/NotAction, Resource/NotResource,
//! wildcards, every condition operator with IfExists and set modifiers, policy variables,
//! boundaries, session and endpoint policies, SCP and RCP levels, resource policies in the same
//! and another account, anonymous and service callers) and compares decisions. A disagreement
//! fails the test unless it is one listed (with its AWS documentation reason) in
//! `crates/warden_iam/DIFFERENTIAL.md` and recognised by `explained` below.
//!
//! Skips with a message when `node` or `scripts/iam/node_modules` is absent (install with
//! `npm ci --prefix scripts/iam`). `WARDEN_IAM_DIFF_SEED` replays a run; `WARDEN_IAM_DIFF_CASES`
//! changes the count (default 4000).
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::Command;
use warden_iam::batch::Case;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const ACCT: &str = "111111111111";
const OTHER: &str = "222222222222";

/// (action, resource, resource account, candidate action patterns, candidate resource patterns)
struct Target {
    action: &'static str,
    resource: &'static str,
    account: &'static str,
    actions: &'static [&'static str],
    resources: &'static [&'static str],
}

const TARGETS: &[Target] = &[
    Target {
        action: "s3:GetObject",
        resource: "arn:aws:s3:::bucket-a/home/alice/f.txt",
        account: ACCT,
        actions: &[
            "s3:GetObject",
            "s3:Get*",
            "s3:*",
            "*",
            "S3:getobject",
            "s3:?etObject",
            "s3:PutObject",
            "s3:List*",
            "sqs:*",
        ],
        resources: &[
            "arn:aws:s3:::bucket-a/*",
            "arn:aws:s3:::bucket-a/home/${aws:username}/*",
            "arn:aws:s3:::bucket-?/*",
            "arn:aws:s3:::bucket-b/*",
            "*",
            "arn:aws:s3:::*",
            "arn:aws:s3:::bucket-a/home/alice/f.txt",
            "arn:aws:s3:::bucket-a",
        ],
    },
    Target {
        action: "s3:PutObject",
        resource: "arn:aws:s3:::bucket-b/data/x.json",
        account: OTHER,
        actions: &[
            "s3:PutObject",
            "s3:Put*",
            "s3:*",
            "*",
            "s3:GetObject",
            "s3:*Object",
        ],
        resources: &[
            "arn:aws:s3:::bucket-b/*",
            "arn:aws:s3:::bucket-b/data/*",
            "*",
            "arn:aws:s3:::bucket-a/*",
            "arn:aws:s3:::*/data/*",
        ],
    },
    Target {
        action: "sqs:SendMessage",
        resource: "arn:aws:sqs:us-east-1:111111111111:queue-a",
        account: ACCT,
        actions: &[
            "sqs:SendMessage",
            "sqs:Send*",
            "sqs:*",
            "*",
            "sqs:ReceiveMessage",
            "sns:Publish",
        ],
        resources: &[
            "arn:aws:sqs:us-east-1:111111111111:queue-a",
            "arn:aws:sqs:*:111111111111:*",
            "arn:aws:sqs:us-east-1:*:queue-?",
            "arn:aws:sqs:*",
            "arn:aws:sqs:us-west-2:111111111111:queue-a",
            "*",
        ],
    },
    Target {
        action: "dynamodb:GetItem",
        resource: "arn:aws:dynamodb:us-east-1:222222222222:table/Orders",
        account: OTHER,
        actions: &[
            "dynamodb:GetItem",
            "dynamodb:Get*",
            "dynamodb:*",
            "*",
            "dynamodb:PutItem",
        ],
        resources: &[
            "arn:aws:dynamodb:us-east-1:222222222222:table/Orders",
            "arn:aws:dynamodb:*:*:table/*",
            "arn:aws:dynamodb:us-east-1:222222222222:table/Orders/index/*",
            "*",
        ],
    },
    Target {
        action: "lambda:InvokeFunction",
        resource: "arn:aws:lambda:us-east-1:111111111111:function:fn-a",
        account: ACCT,
        actions: &[
            "lambda:InvokeFunction",
            "lambda:Invoke*",
            "lambda:*",
            "*",
            "lambda:GetFunction",
        ],
        resources: &[
            "arn:aws:lambda:us-east-1:111111111111:function:fn-a",
            "arn:aws:lambda:us-east-1:111111111111:function:*",
            "arn:aws:lambda:*:*:function:fn-?",
            "arn:aws:lambda:us-east-1:111111111111:function:fn-a:*",
            "*",
        ],
    },
    Target {
        action: "ec2:DescribeInstances",
        resource: "*",
        account: ACCT,
        actions: &[
            "ec2:DescribeInstances",
            "ec2:Describe*",
            "ec2:*",
            "*",
            "ec2:RunInstances",
        ],
        resources: &["*", "arn:aws:ec2:*:*:instance/*"],
    },
    Target {
        action: "secretsmanager:GetSecretValue",
        resource: "arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf",
        account: ACCT,
        actions: &[
            "secretsmanager:GetSecretValue",
            "secretsmanager:*",
            "*",
            "secretsmanager:Describe*",
        ],
        resources: &[
            "arn:aws:secretsmanager:us-east-1:111111111111:secret:db-*",
            "arn:aws:secretsmanager:*:*:secret:*",
            "*",
            "arn:aws:secretsmanager:us-east-1:111111111111:secret:other-*",
        ],
    },
];

const PRINCIPALS: &[(Option<&str>, &str)] = &[
    (Some("arn:aws:iam::111111111111:user/alice"), ACCT),
    (
        Some("arn:aws:sts::111111111111:assumed-role/AppRole/session-1"),
        ACCT,
    ),
    (Some("arn:aws:iam::111111111111:role/AppRole"), ACCT),
    (Some("arn:aws:iam::222222222222:user/bob"), OTHER),
    (
        Some("arn:aws:sts::222222222222:assumed-role/PeerRole/s"),
        OTHER,
    ),
];

/// (operator base, key, candidate policy values, candidate context values; empty = absent only)
struct CondSpec {
    ops: &'static [&'static str],
    key: &'static str,
    values: &'static [&'static str],
    ctx: &'static [&'static str],
}

const CONDS: &[CondSpec] = &[
    CondSpec {
        ops: &[
            "StringEquals",
            "StringNotEquals",
            "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase",
            "StringLike",
            "StringNotLike",
        ],
        key: "aws:PrincipalTag/team",
        values: &["dev", "DEV", "d*", "prod", "?ev", "${aws:username}"],
        ctx: &["dev", "prod", "Dev", "alice"],
    },
    CondSpec {
        ops: &[
            "NumericEquals",
            "NumericNotEquals",
            "NumericLessThan",
            "NumericLessThanEquals",
            "NumericGreaterThan",
            "NumericGreaterThanEquals",
        ],
        key: "aws:MultiFactorAuthAge",
        values: &["100", "300", "3600", "0"],
        ctx: &["300", "50", "7200"],
    },
    CondSpec {
        ops: &[
            "DateEquals",
            "DateNotEquals",
            "DateLessThan",
            "DateLessThanEquals",
            "DateGreaterThan",
            "DateGreaterThanEquals",
        ],
        key: "aws:CurrentTime",
        values: &[
            "2024-01-01T00:00:00Z",
            "2024-06-01T00:00:00Z",
            "2025-01-01T00:00:00Z",
            "2024-06-01",
        ],
        ctx: &[
            "2024-06-01T00:00:00Z",
            "2023-12-31T23:59:59Z",
            "2026-03-01T12:00:00Z",
        ],
    },
    CondSpec {
        ops: &["Bool"],
        key: "aws:SecureTransport",
        values: &["true", "false"],
        ctx: &["true", "false"],
    },
    CondSpec {
        ops: &["IpAddress", "NotIpAddress"],
        key: "aws:SourceIp",
        values: &["10.0.0.0/8", "192.168.1.0/24", "2001:db8::/32", "10.1.2.3"],
        ctx: &["10.1.2.3", "192.168.2.1", "2001:db8::5", "8.8.8.8"],
    },
    CondSpec {
        ops: &["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"],
        key: "aws:SourceArn",
        values: &[
            "arn:aws:sns:us-east-1:111111111111:topic-a",
            "arn:aws:sns:*:111111111111:*",
            "arn:aws:sns:us-east-1:*:topic-?",
            "arn:aws:sqs:*",
        ],
        ctx: &[
            "arn:aws:sns:us-east-1:111111111111:topic-a",
            "arn:aws:sns:eu-west-1:222222222222:topic-b",
        ],
    },
    CondSpec {
        ops: &["StringEquals", "StringNotEquals", "StringLike"],
        key: "aws:SourceAccount",
        values: &["111111111111", "222222222222", "1111*"],
        ctx: &["111111111111", "222222222222"],
    },
    CondSpec {
        ops: &[
            "StringEquals",
            "StringLike",
            "StringNotEquals",
            "StringNotLike",
        ],
        key: "aws:PrincipalOrgID",
        values: &["o-abc", "o-*", "o-xyz"],
        ctx: &["o-abc", "o-def"],
    },
];

const MULTI_VALUES: &[&str] = &["a", "b", "c", "x*"];

fn condition(r: &mut Rng, ctx: &mut serde_json::Map<String, Value>) -> Value {
    if r.chance(25) {
        // Multi-valued key with a set operator.
        let set = *r.pick(&["ForAnyValue:", "ForAllValues:", ""]);
        let base = *r.pick(&[
            "StringEquals",
            "StringLike",
            "StringNotEquals",
            "StringNotLike",
        ]);
        let ie = if r.chance(20) { "IfExists" } else { "" };
        let n = 1 + r.below(2);
        let vals: Vec<&str> = (0..n).map(|_| *r.pick(MULTI_VALUES)).collect();
        let op = format!("{set}{base}{ie}");
        if set.is_empty() {
            return json!({ op: { "aws:TagKeys": vals } });
        }
        return json!({ op: { "aws:TagKeys": vals } });
    }
    let spec = r.pick(CONDS);
    if r.chance(12) {
        return json!({"Null": { spec.key: *r.pick(&["true", "false"]) }});
    }
    let op = format!(
        "{}{}",
        r.pick(spec.ops),
        if r.chance(25) { "IfExists" } else { "" }
    );
    let n = 1 + r.below(2);
    let vals: Vec<&str> = (0..n).map(|_| *r.pick(spec.values)).collect();
    let _ = ctx;
    json!({ op: { spec.key: vals } })
}

fn statement(
    r: &mut Rng,
    t: &Target,
    with_principal: bool,
    ctx: &mut serde_json::Map<String, Value>,
) -> Value {
    let mut s = serde_json::Map::new();
    if r.chance(30) {
        s.insert("Sid".into(), json!(format!("S{}", r.below(100))));
    }
    s.insert(
        "Effect".into(),
        json!(if r.chance(72) { "Allow" } else { "Deny" }),
    );
    if with_principal {
        let p = match r.below(9) {
            0 => json!("*"),
            1 => json!({"AWS": "*"}),
            2 => json!({"AWS": ACCT}),
            3 => json!({"AWS": format!("arn:aws:iam::{OTHER}:root")}),
            4 => json!({"AWS": "arn:aws:iam::111111111111:user/alice"}),
            5 => json!({"AWS": "arn:aws:iam::111111111111:role/AppRole"}),
            6 => json!({"AWS": "arn:aws:sts::111111111111:assumed-role/AppRole/session-1"}),
            7 => {
                json!({"AWS": ["arn:aws:iam::222222222222:user/bob", format!("arn:aws:iam::{ACCT}:root")]})
            }
            _ => json!({"Service": "sns.amazonaws.com"}),
        };
        s.insert("Principal".into(), p);
    }
    let n = 1 + r.below(2);
    let acts: Vec<&str> = (0..n).map(|_| *r.pick(t.actions)).collect();
    s.insert(
        if r.chance(15) { "NotAction" } else { "Action" }.into(),
        json!(acts),
    );
    let n = 1 + r.below(2);
    let res: Vec<&str> = (0..n).map(|_| *r.pick(t.resources)).collect();
    s.insert(
        if r.chance(12) {
            "NotResource"
        } else {
            "Resource"
        }
        .into(),
        json!(res),
    );
    if r.chance(40) {
        let mut block = serde_json::Map::new();
        for _ in 0..1 + r.below(2) {
            if let Value::Object(c) = condition(r, ctx) {
                for (op, keys) in c {
                    let entry = block.entry(op).or_insert_with(|| json!({}));
                    if let (Value::Object(e), Value::Object(k)) = (entry, keys) {
                        e.extend(k);
                    }
                }
            }
        }
        s.insert("Condition".into(), Value::Object(block));
    }
    Value::Object(s)
}

fn policy(
    r: &mut Rng,
    t: &Target,
    with_principal: bool,
    ctx: &mut serde_json::Map<String, Value>,
) -> Value {
    let n = 1 + r.below(3);
    let stmts: Vec<Value> = (0..n)
        .map(|_| statement(r, t, with_principal, ctx))
        .collect();
    json!({"Version": "2012-10-17", "Statement": stmts})
}

fn allow_all(with_principal: bool) -> Value {
    if with_principal {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]})
    } else {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    }
}

fn gen_case(r: &mut Rng) -> Value {
    let t = r.pick(TARGETS);
    let mut ctx = serde_json::Map::new();
    for spec in CONDS {
        if r.chance(55) {
            ctx.insert(spec.key.into(), json!(*r.pick(spec.ctx)));
        }
    }
    match r.below(4) {
        0 => {}
        1 => {
            ctx.insert("aws:TagKeys".into(), json!([]));
        }
        _ => {
            let n = 1 + r.below(3);
            let v: Vec<&str> = (0..n).map(|_| *r.pick(&["a", "b", "c", "xy"])).collect();
            ctx.insert("aws:TagKeys".into(), json!(v));
        }
    }
    let kind = r.below(20);
    let (principal, pacct) = if kind == 0 {
        (None, ACCT)
    } else {
        *r.pick(PRINCIPALS)
    };
    if principal == Some("arn:aws:iam::111111111111:user/alice") && r.chance(70) {
        ctx.insert("aws:username".into(), json!("alice"));
    }
    let anonymous = principal.is_none();
    let mut case = serde_json::Map::new();
    case.insert(
        "request".into(),
        json!({"action": t.action, "resource": t.resource, "principal": principal,
               "principalAccount": pacct, "resourceAccount": t.account, "context": Value::Object(ctx.clone())}),
    );
    let mut dummy = serde_json::Map::new();
    let ids: Vec<Value> = if anonymous {
        vec![]
    } else {
        (0..r.below(3))
            .map(|_| policy(r, t, false, &mut dummy))
            .collect()
    };
    case.insert("identityPolicies".into(), json!(ids));
    if r.chance(60) || anonymous {
        case.insert("resourcePolicy".into(), policy(r, t, true, &mut dummy));
    }
    if !anonymous && r.chance(25) {
        case.insert(
            "permissionBoundaries".into(),
            json!([policy(r, t, false, &mut dummy)]),
        );
    }
    if !anonymous && principal.is_some_and(|p| p.contains("assumed-role")) && r.chance(25) {
        case.insert("sessionPolicy".into(), policy(r, t, false, &mut dummy));
    }
    if !anonymous && r.chance(25) {
        let levels: Vec<Value> = (0..1 + r.below(2))
            .map(|i| {
                let mut ps = vec![];
                if r.chance(80) {
                    ps.push(allow_all(false));
                }
                if r.chance(60) {
                    ps.push(policy(r, t, false, &mut dummy));
                }
                json!({"orgIdentifier": format!("ou-{i}"), "policies": ps})
            })
            .collect();
        case.insert("serviceControlPolicies".into(), json!(levels));
    }
    if r.chance(20) {
        let levels: Vec<Value> = (0..1 + r.below(2))
            .map(|i| {
                let mut ps = vec![allow_all(true)];
                let mut p = policy(r, t, true, &mut dummy);
                // RCPs may only deny, with `Principal: "*"`.
                if let Some(stmts) = p["Statement"].as_array_mut() {
                    for s in stmts {
                        s["Effect"] = json!("Deny");
                        s["Principal"] = json!("*");
                        if let Some(o) = s.as_object_mut() {
                            o.remove("NotPrincipal");
                        }
                    }
                }
                ps.push(p);
                json!({"orgIdentifier": format!("rcp-{i}"), "policies": ps})
            })
            .collect();
        case.insert("resourceControlPolicies".into(), json!(levels));
    }
    if r.chance(12) {
        case.insert(
            "endpointPolicies".into(),
            json!([policy(r, t, true, &mut dummy)]),
        );
    }
    Value::Object(case)
}

fn scripts_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/iam")
}

/// Applies `f` to every statement of every policy in the case.
fn map_statements(case: &Value, f: &dyn Fn(&mut serde_json::Map<String, Value>)) -> Value {
    fn policy(p: &mut Value, f: &dyn Fn(&mut serde_json::Map<String, Value>)) {
        if let Some(stmts) = p.get_mut("Statement").and_then(Value::as_array_mut) {
            stmts
                .iter_mut()
                .filter_map(Value::as_object_mut)
                .for_each(f);
        }
    }
    let mut c = case.clone();
    for key in [
        "identityPolicies",
        "permissionBoundaries",
        "endpointPolicies",
    ] {
        if let Some(list) = c.get_mut(key).and_then(Value::as_array_mut) {
            list.iter_mut().for_each(|p| policy(p, f));
        }
    }
    for key in ["resourcePolicy", "sessionPolicy"] {
        if let Some(p) = c.get_mut(key) {
            policy(p, f);
        }
    }
    for key in ["serviceControlPolicies", "resourceControlPolicies"] {
        if let Some(levels) = c.get_mut(key).and_then(Value::as_array_mut) {
            for l in levels {
                if let Some(list) = l.get_mut("policies").and_then(Value::as_array_mut) {
                    list.iter_mut().for_each(|p| policy(p, f));
                }
            }
        }
    }
    c
}

fn decide(case: &Value) -> String {
    Case::from_json(case).unwrap().result_json()["decision"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Disagreements explained in DIFFERENTIAL.md. Each check neutralises the one documented
/// behaviour on our side and confirms that our decision then equals the oracle's; it returns the
/// section name of DIFFERENTIAL.md.
fn explained(case: &Value, _ours: &str, theirs: &str) -> Option<&'static str> {
    // 1. A resource policy naming the role session's own ARN is not limited by the session policy.
    let session = "arn:aws:sts::111111111111:assumed-role/AppRole/session-1";
    if case.get("sessionPolicy").is_some() && case.to_string().contains(session) {
        let swapped: Value = serde_json::from_str(
            &case
                .to_string()
                .replace(session, "arn:aws:iam::111111111111:role/AppRole"),
        )
        .unwrap();
        let mut swapped = swapped;
        swapped["request"]["principal"] = json!(session);
        if decide(&swapped) == theirs {
            return Some("session-arn-bypasses-session-policy");
        }
    }
    // 2. `NotIpAddress` with a bare address of the other IP family.
    let ip = case["request"]["context"]["aws:SourceIp"]
        .as_str()
        .unwrap_or_default();
    let v6 = ip.contains(':');
    let neutral = map_statements(case, &|st| {
        if let Some(cond) = st.get_mut("Condition").and_then(Value::as_object_mut) {
            for (op, keys) in cond.iter_mut() {
                if !op.starts_with("NotIpAddress") {
                    continue;
                }
                if let Some(vals) = keys.get_mut("aws:SourceIp") {
                    let list: Vec<Value> = match &*vals {
                        Value::Array(a) => a.clone(),
                        v => vec![v.clone()],
                    };
                    let other_family_bare = list
                        .iter()
                        .filter_map(Value::as_str)
                        .any(|v| !v.contains('/') && v.contains(':') != v6);
                    if other_family_bare {
                        // The oracle treats the clause as false: make it false here.
                        *vals = json!(["0.0.0.0/0", "::/0"]);
                    }
                }
            }
        }
    });
    if neutral != *case && decide(&neutral) == theirs {
        return Some("not-ip-address-bare-address-other-family");
    }
    // 3. ARN patterns with fewer than six fields and a trailing `*` (`arn:aws:sqs:*`): the oracle
    // never matches them in ARN conditions (nor their negations) nor in `NotResource`.
    let short = |v: &str| v.starts_with("arn:") && v.split(':').count() < 6 && v.ends_with('*');
    let neutral = map_statements(case, &|st| {
        if let Some(cond) = st.get_mut("Condition").and_then(Value::as_object_mut) {
            for (op, keys) in cond.iter_mut() {
                if !op.contains("Arn") {
                    continue;
                }
                for (_, vals) in keys.as_object_mut().into_iter().flatten() {
                    let has_short = match &*vals {
                        Value::Array(a) => a.iter().filter_map(Value::as_str).any(short),
                        Value::String(s) => short(s),
                        _ => false,
                    };
                    if has_short {
                        // A clause that cannot hold: an ARN condition on a value no ARN has.
                        *vals = json!("arn:never:never:never:never:never");
                        if op.contains("Not") {
                            *vals = json!("*");
                        }
                    }
                }
            }
        }
        let not_res_short = match st.get("NotResource") {
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(short),
            Some(Value::String(s)) => short(s),
            _ => false,
        };
        if not_res_short {
            st.insert("NotResource".into(), json!("*"));
        }
    });
    if neutral != *case && decide(&neutral) == theirs {
        return Some("short-arn-pattern");
    }
    None
}

#[test]
fn differential_against_iam_simulate() {
    let dir = scripts_dir();
    if !dir
        .join("node_modules/@cloud-copilot/iam-simulate")
        .is_dir()
    {
        eprintln!(
            "SKIPPED differential test: scripts/iam/node_modules is absent; install with `npm ci --prefix scripts/iam`"
        );
        return;
    }
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("SKIPPED differential test: `node` is not installed");
        return;
    }
    let seed = std::env::var("WARDEN_IAM_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    let count: usize = std::env::var("WARDEN_IAM_DIFF_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4000);
    eprintln!("differential seed {seed} ({count} cases); replay with WARDEN_IAM_DIFF_SEED={seed}");
    let mut rng = Rng(seed);
    let cases: Vec<Value> = (0..count).map(|_| gen_case(&mut rng)).collect();
    let tmp = std::env::temp_dir().join(format!(
        "warden-iam-diff-{}-{seed}.jsonl",
        std::process::id()
    ));
    let text: String = cases.iter().map(|c| format!("{c}\n")).collect();
    std::fs::write(&tmp, text).unwrap();
    let out = Command::new("node")
        .arg(dir.join("differential.js"))
        .arg(&tmp)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), cases.len());
    let (mut compared, mut skipped, mut agree) = (0usize, 0usize, 0usize);
    let mut reasons: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut unexplained = Vec::new();
    for (case, ans) in cases.iter().zip(&answers) {
        let Some(theirs) = ans["decision"].as_str() else {
            skipped += 1;
            continue;
        };
        compared += 1;
        let ours_v = Case::from_json(case).unwrap().result_json();
        let ours = ours_v["decision"].as_str().unwrap_or_default().to_owned();
        if ours == theirs {
            agree += 1;
        } else if let Some(why) = explained(case, &ours, theirs) {
            *reasons.entry(why).or_default() += 1;
        } else {
            unexplained.push(format!("ours={ours} theirs={theirs}\n{case}\n{ours_v}"));
        }
    }
    let _ = std::fs::remove_file(&tmp);
    eprintln!(
        "compared {compared}, agreed {agree}, explained {reasons:?}, oracle rejected {skipped}"
    );
    if std::env::var("WARDEN_IAM_DIFF_DUMP").is_ok() {
        let dump: String = unexplained.iter().map(|s| format!("{s}\n\n")).collect();
        std::fs::write("/tmp/warden-diff-dump.txt", dump).unwrap();
    }
    assert!(
        compared >= 2000,
        "only {compared} cases were comparable (oracle rejected {skipped})"
    );
    assert!(
        unexplained.is_empty(),
        "{} unexplained disagreements (seed {seed}); first:\n{}",
        unexplained.len(),
        unexplained.first().cloned().unwrap_or_default()
    );
}
