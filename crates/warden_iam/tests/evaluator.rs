//! Evaluator tables: decision logic across policy kinds, accounts and principals, plus a
//! regression corpus of mistakes other tools make (NotAction/NotResource, conditions, wildcards).
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use warden_iam::batch::Case;

const USER: &str = "arn:aws:iam::111122223333:user/alice";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/App/s1";
const OTHER: &str = "arn:aws:iam::444455556666:user/bob";

fn pol(stmts: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": stmts})
}

fn allow(action: &str, resource: &str) -> Value {
    json!({"Effect": "Allow", "Action": action, "Resource": resource})
}

fn run(case: Value) -> (String, Value) {
    let r = Case::from_json(&case).unwrap().result_json();
    (r["decision"].as_str().unwrap().to_owned(), r)
}

fn decision(case: Value) -> String {
    run(case).0
}

fn req(action: &str, resource: &str, principal: Option<&str>) -> Value {
    json!({"action": action, "resource": resource, "principal": principal, "context": {}})
}

#[test]
fn identity_grants_and_explicit_deny_wins() {
    let r = req("s3:GetObject", "arn:aws:s3:::b/k", Some(USER));
    assert_eq!(
        decision(json!({"request": r, "identityPolicies": []})),
        "ImplicitlyDenied"
    );
    assert_eq!(
        decision(
            json!({"request": r, "identityPolicies": [pol(json!([allow("s3:GetObject", "*")]))]})
        ),
        "Allowed"
    );
    let (d, out) = run(
        json!({"request": r, "identityPolicies": [pol(json!([allow("s3:*", "*"),
        {"Sid": "No", "Effect": "Deny", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/*"}]))]}),
    );
    assert_eq!(d, "ExplicitlyDenied");
    assert_eq!(out["matched"][0]["sid"], "No");
    assert_eq!(out["blockedBy"]["policyType"], "identity");
}

#[test]
fn actions_are_case_insensitive_with_wildcards() {
    let r = req("s3:GetObject", "arn:aws:s3:::b/k", Some(USER));
    for a in ["S3:getobject", "s3:Get*", "s3:?etObject", "*", "s3:*Object"] {
        assert_eq!(
            decision(json!({"request": r, "identityPolicies": [pol(json!([allow(a, "*")]))]})),
            "Allowed",
            "{a}"
        );
    }
    for a in ["s3:Put*", "s3:GetObjectAcl", "sqs:*", "s3:?Object"] {
        assert_eq!(
            decision(json!({"request": r, "identityPolicies": [pol(json!([allow(a, "*")]))]})),
            "ImplicitlyDenied",
            "{a}"
        );
    }
}

#[test]
fn not_action_and_not_resource() {
    let r = req(
        "iam:CreateUser",
        "arn:aws:iam::111122223333:user/x",
        Some(USER),
    );
    let not_action = |excluded: &str| {
        decision(
            json!({"request": r, "identityPolicies": [pol(json!([{"Effect": "Allow", "NotAction": excluded, "Resource": "*"}]))]}),
        )
    };
    assert_eq!(not_action("s3:*"), "Allowed");
    assert_eq!(not_action("iam:*"), "ImplicitlyDenied");
    // Deny NotAction does not deny the listed actions.
    let d = decision(
        json!({"request": req("s3:GetObject", "arn:aws:s3:::b/k", Some(USER)), "identityPolicies": [pol(json!([
        allow("*", "*"), {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}]))]}),
    );
    assert_eq!(d, "Allowed");
    let not_res = |excluded: &str| {
        decision(
            json!({"request": req("s3:GetObject", "arn:aws:s3:::b/k", Some(USER)),
            "identityPolicies": [pol(json!([{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": excluded}]))]}),
        )
    };
    assert_eq!(not_res("arn:aws:s3:::secret/*"), "Allowed");
    assert_eq!(not_res("arn:aws:s3:::b/*"), "ImplicitlyDenied");
}

#[test]
fn resource_arns_match_segment_wise() {
    let r = req(
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-1:111122223333:orders",
        Some(USER),
    );
    let t = |res: &str| {
        decision(
            json!({"request": r, "identityPolicies": [pol(json!([allow("sqs:SendMessage", res)]))]}),
        )
    };
    assert_eq!(t("arn:aws:sqs:*:111122223333:orders"), "Allowed");
    assert_eq!(t("arn:aws:sqs:us-east-1:*:ord*"), "Allowed");
    assert_eq!(t("arn:aws:sqs:*"), "Allowed");
    assert_eq!(
        t("arn:aws:sqs:us-east-1:444455556666:orders"),
        "ImplicitlyDenied"
    );
    assert_eq!(t("arn:aws:sqs:*:orders"), "ImplicitlyDenied");
}

#[test]
fn actions_without_resource_level_permissions_need_star() {
    let r = req("s3:ListAllMyBuckets", "arn:aws:s3:::b", Some(USER));
    let t = |res: &str| {
        decision(
            json!({"request": r, "identityPolicies": [pol(json!([allow("s3:ListAllMyBuckets", res)]))]}),
        )
    };
    assert_eq!(t("*"), "Allowed");
    assert_eq!(t("arn:aws:s3:::b"), "ImplicitlyDenied");
}

#[test]
fn policy_variables_in_resources_need_version_2012() {
    let mut r = req("s3:GetObject", "arn:aws:s3:::b/home/alice/f", Some(USER));
    r["context"] = json!({"aws:username": "alice"});
    let res = "arn:aws:s3:::b/home/${aws:username}/*";
    let stmt = json!([allow("s3:GetObject", res)]);
    assert_eq!(
        decision(json!({"request": r, "identityPolicies": [pol(stmt.clone())]})),
        "Allowed"
    );
    let v2008 = json!({"Version": "2008-10-17", "Statement": stmt});
    assert_eq!(
        decision(json!({"request": r, "identityPolicies": [v2008]})),
        "ImplicitlyDenied"
    );
    let other = req("s3:GetObject", "arn:aws:s3:::b/home/bob/f", Some(USER));
    assert_eq!(
        decision(json!({"request": other, "identityPolicies": [pol(stmt)]})),
        "ImplicitlyDenied"
    );
}

#[test]
fn scp_levels_boundary_session_and_endpoint_gates() {
    let r = req("s3:GetObject", "arn:aws:s3:::b/k", Some(SESSION));
    let id = json!([pol(json!([allow("*", "*")]))]);
    let all = pol(json!([allow("*", "*")]));
    let only_sqs = pol(json!([allow("sqs:*", "*")]));
    let lvl = |ps: Value| json!({"orgIdentifier": "ou-x", "policies": ps});
    let (d, out) = run(
        json!({"request": r, "identityPolicies": id, "serviceControlPolicies": [lvl(json!([all])), lvl(json!([only_sqs]))]}),
    );
    assert_eq!(d, "ImplicitlyDenied");
    assert_eq!(
        out["blockedBy"],
        json!({"policyType": "serviceControl", "level": 1, "orgIdentifier": "ou-x"})
    );
    assert_eq!(
        decision(
            json!({"request": r, "identityPolicies": id, "serviceControlPolicies": [lvl(json!([all])), lvl(json!([all]))]})
        ),
        "Allowed"
    );
    let (d, out) =
        run(json!({"request": r, "identityPolicies": id, "permissionBoundaries": [only_sqs]}));
    assert_eq!(
        (d.as_str(), out["blockedBy"]["policyType"].as_str()),
        ("ImplicitlyDenied", Some("permissionBoundary"))
    );
    let (d, out) = run(json!({"request": r, "identityPolicies": id, "sessionPolicy": only_sqs}));
    assert_eq!(
        (d.as_str(), out["blockedBy"]["policyType"].as_str()),
        ("ImplicitlyDenied", Some("session"))
    );
    let ep =
        pol(json!([{"Effect": "Allow", "Principal": "*", "Action": "sqs:*", "Resource": "*"}]));
    let (d, out) = run(json!({"request": r, "identityPolicies": id, "endpointPolicies": [ep]}));
    assert_eq!(
        (d.as_str(), out["blockedBy"]["policyType"].as_str()),
        ("ImplicitlyDenied", Some("endpoint"))
    );
    let rcp_deny =
        pol(json!([{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]));
    let rcp_all =
        pol(json!([{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]));
    let d = decision(
        json!({"request": r, "identityPolicies": id, "resourceControlPolicies": [lvl(json!([rcp_all, rcp_deny]))]}),
    );
    assert_eq!(d, "ExplicitlyDenied");
}

#[test]
fn same_account_resource_policy_bypass_table() {
    let rp = |principal: Value| {
        pol(
            json!([{"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject", "Resource": "*"}]),
        )
    };
    let boundary = json!([pol(json!([allow("sqs:*", "*")]))]);
    let mk = |who: &str, p: Value, with_boundary: bool| {
        let mut c = json!({"request": req("s3:GetObject", "arn:aws:s3:::b/k", Some(who)), "identityPolicies": [], "resourcePolicy": rp(p)});
        c["request"]["resourceAccount"] = json!("111122223333");
        if with_boundary {
            c["permissionBoundaries"] = boundary.clone();
        }
        decision(c)
    };
    // Naming the user: bypasses the identity policy and the boundary.
    assert_eq!(mk(USER, json!({"AWS": USER}), false), "Allowed");
    assert_eq!(mk(USER, json!({"AWS": USER}), true), "Allowed");
    // Naming the account delegates to the identity policy.
    assert_eq!(
        mk(USER, json!({"AWS": "111122223333"}), false),
        "ImplicitlyDenied"
    );
    // Naming the role for a session: bypasses the identity policy, not the boundary.
    assert_eq!(
        mk(
            SESSION,
            json!({"AWS": "arn:aws:iam::111122223333:role/App"}),
            false
        ),
        "Allowed"
    );
    assert_eq!(
        mk(
            SESSION,
            json!({"AWS": "arn:aws:iam::111122223333:role/App"}),
            true
        ),
        "ImplicitlyDenied"
    );
    // Naming the session itself bypasses the boundary too.
    assert_eq!(mk(SESSION, json!({"AWS": SESSION}), true), "Allowed");
}

#[test]
fn cross_account_needs_both_sides() {
    let mut r = req("s3:GetObject", "arn:aws:s3:::b/k", Some(OTHER));
    r["resourceAccount"] = json!("111122223333");
    let rp = pol(
        json!([{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject", "Resource": "*"}]),
    );
    let id = json!([pol(json!([allow("s3:GetObject", "*")]))]);
    assert_eq!(
        decision(json!({"request": r, "identityPolicies": id, "resourcePolicy": rp})),
        "Allowed"
    );
    let (d, out) = run(json!({"request": r, "identityPolicies": id}));
    assert_eq!(
        (d.as_str(), out["blockedBy"]["policyType"].as_str()),
        ("ImplicitlyDenied", Some("resource"))
    );
    assert_eq!(
        decision(json!({"request": r, "identityPolicies": [], "resourcePolicy": rp})),
        "ImplicitlyDenied"
    );
}

#[test]
fn trust_and_key_policies_must_allow() {
    let role = "arn:aws:iam::111122223333:role/Target";
    let id = json!([pol(json!([allow("sts:AssumeRole", "*")]))]);
    let r = req("sts:AssumeRole", role, Some(USER));
    assert_eq!(
        decision(json!({"request": r, "identityPolicies": id})),
        "ImplicitlyDenied"
    );
    let trust_acct = pol(
        json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]),
    );
    assert_eq!(
        decision(json!({"request": r, "identityPolicies": id, "resourcePolicy": trust_acct})),
        "Allowed"
    );
    assert_eq!(
        decision(json!({"request": r, "identityPolicies": [], "resourcePolicy": trust_acct})),
        "ImplicitlyDenied"
    );
    let trust_user =
        pol(json!([{"Effect": "Allow", "Principal": {"AWS": USER}, "Action": "sts:AssumeRole"}]));
    assert_eq!(
        decision(json!({"request": r, "identityPolicies": [], "resourcePolicy": trust_user})),
        "Allowed"
    );
    let key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let kr = req("kms:Decrypt", key, Some(USER));
    let kid = json!([pol(json!([allow("kms:Decrypt", "*")]))]);
    assert_eq!(
        decision(json!({"request": kr, "identityPolicies": kid})),
        "ImplicitlyDenied"
    );
    let kp = pol(
        json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]),
    );
    assert_eq!(
        decision(json!({"request": kr, "identityPolicies": kid, "resourcePolicy": kp})),
        "Allowed"
    );
}

#[test]
fn anonymous_and_service_principals_need_the_resource_policy() {
    let public = pol(
        json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}]),
    );
    let acct = pol(
        json!([{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "*"}]),
    );
    let anon = req("s3:GetObject", "arn:aws:s3:::site/index.html", None);
    assert_eq!(
        decision(json!({"request": anon, "identityPolicies": [], "resourcePolicy": public})),
        "Allowed"
    );
    assert_eq!(
        decision(json!({"request": anon, "identityPolicies": [], "resourcePolicy": acct})),
        "ImplicitlyDenied"
    );
    let svc = req(
        "sqs:SendMessage",
        "arn:aws:sqs:us-east-1:111122223333:q",
        Some("sns.amazonaws.com"),
    );
    let by_service = pol(
        json!([{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": "*",
        "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:t"}}}]),
    );
    assert_eq!(
        decision(json!({"request": svc, "identityPolicies": [], "resourcePolicy": by_service})),
        "ImplicitlyDenied"
    );
    let mut svc2 = svc.clone();
    svc2["context"] = json!({"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:t"});
    assert_eq!(
        decision(json!({"request": svc2, "identityPolicies": [], "resourcePolicy": by_service})),
        "Allowed"
    );
}

#[test]
fn deny_with_not_principal_spares_the_listed_principal() {
    let rp = pol(json!([
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Deny", "NotPrincipal": {"AWS": USER}, "Action": "s3:*", "Resource": "*"}]));
    let mk = |who| {
        let mut r = req("s3:GetObject", "arn:aws:s3:::b/k", Some(who));
        r["resourceAccount"] = json!("111122223333");
        decision(
            json!({"request": r, "identityPolicies": [pol(json!([allow("*", "*")]))], "resourcePolicy": rp}),
        )
    };
    assert_eq!(mk(USER), "Allowed");
    assert_eq!(mk(SESSION), "ExplicitlyDenied");
}

#[test]
fn unknown_template_values_never_match() {
    let r = req(
        "dynamodb:GetItem",
        "arn:aws:dynamodb:us-east-1:111122223333:table/T",
        Some(USER),
    );
    let id = json!([pol(json!([allow(
        "dynamodb:GetItem",
        "{{unknown:GetAtt Table.Arn}}"
    )]))]);
    assert_eq!(
        decision(json!({"request": r, "identityPolicies": id})),
        "ImplicitlyDenied"
    );
}

#[test]
fn malformed_policies_are_errors_not_panics() {
    for bad in [
        json!(1),
        json!({"Statement": 3}),
        json!({"Statement": [{"Effect": "Maybe", "Action": "*"}]}),
        json!({"Statement": [{"Effect": "Allow"}]}),
        json!({"Statement": [{"Effect": "Allow", "Action": "*", "NotAction": "*"}]}),
        json!({"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"StringSorta": {"k": "v"}}}]}),
        json!({"Statement": [{"Effect": "Allow", "Action": [null]}]}),
    ] {
        assert!(warden_iam::Policy::parse(&bad).is_err(), "{bad}");
    }
    let err = warden_iam::Policy::parse(
        &json!({"Statement": [{"Effect": "Allow", "Action": "*"}, {"Effect": "x", "Action": "*"}]}),
    )
    .unwrap_err();
    assert_eq!(err.path, "/Statement/1/Effect");
}
