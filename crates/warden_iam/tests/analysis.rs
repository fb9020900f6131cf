//! Principal analysis: findings, three-valued conditions, escalation across policies, unknowns.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use warden_iam::{
    FindingKind, Policy, PrincipalPolicies, Severity, analyze_principal, analyze_resource_policy,
};

fn pol(stmts: Value) -> Policy {
    Policy::parse(&json!({"Version": "2012-10-17", "Statement": stmts})).unwrap()
}

fn analyze(policies: Vec<Policy>) -> warden_iam::PrincipalAnalysis {
    analyze_principal(&PrincipalPolicies {
        identity: policies,
        ..Default::default()
    })
}

fn has(a: &warden_iam::PrincipalAnalysis, kind: FindingKind) -> Option<&warden_iam::Finding> {
    a.findings.iter().find(|f| f.kind == kind)
}

#[test]
fn admin_equivalent_including_not_action() {
    let a = analyze(vec![pol(
        json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]),
    )]);
    let f = has(&a, FindingKind::AdminEquivalent).unwrap();
    assert_eq!(
        (f.severity, f.policy_index, f.statement_index),
        (Severity::Critical, 0, 0)
    );
    let a = analyze(vec![pol(
        json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]),
    )]);
    let f = has(&a, FindingKind::AdminEquivalent).unwrap();
    assert_eq!(f.statement_index, 1);
    assert!(f.message.contains("except iam:*"));
}

#[test]
fn non_limiting_conditions_do_not_silence_limiting_ones_lower() {
    let a = analyze(vec![pol(
        json!([{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]),
    )]);
    assert_eq!(
        has(&a, FindingKind::AdminEquivalent).unwrap().severity,
        Severity::Critical
    );
    let a = analyze(vec![pol(
        json!([{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "orders"}}}]),
    )]);
    let f = has(&a, FindingKind::ServiceWildcard).unwrap();
    assert_eq!(f.severity, Severity::Low);
    assert_eq!(f.limited_by, vec!["aws:ResourceTag/team".to_owned()]);
}

#[test]
fn escalation_split_across_policies() {
    let a = analyze(vec![
        pol(json!([{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}])),
        pol(
            json!([{"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}]),
        ),
    ]);
    let f = a
        .findings
        .iter()
        .find(|f| {
            f.kind == FindingKind::PrivilegeEscalation
                && f.actions.contains(&"lambda:InvokeFunction".to_owned())
        })
        .unwrap();
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.message.contains("across several policies"));
    // Scoped to one function, no escalation.
    let a = analyze(vec![pol(
        json!([{"Effect": "Allow", "Action": "lambda:UpdateFunctionCode", "Resource": "arn:aws:lambda:us-east-1:1:function:mine"}]),
    )]);
    assert!(has(&a, FindingKind::PrivilegeEscalation).is_none());
    // A passed-to-service condition limits the grant: reported lower.
    let a = analyze(vec![pol(
        json!([{"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*",
        "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}]),
    )]);
    assert_eq!(
        has(&a, FindingKind::PrivilegeEscalation).unwrap().severity,
        Severity::Medium
    );
}

#[test]
fn exfiltration_write_and_permissions_management() {
    let a = analyze(vec![pol(json!([
        {"Effect": "Allow", "Action": ["s3:GetObject", "secretsmanager:GetSecretValue"], "Resource": "*"},
        {"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": "arn:aws:dynamodb:us-east-1:1:table/*"},
        {"Effect": "Allow", "Action": "s3:PutBucketPolicy", "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"}]))]);
    assert!(
        has(&a, FindingKind::DataExfiltration)
            .unwrap()
            .actions
            .contains(&"s3:GetObject".to_owned())
    );
    assert_eq!(
        has(&a, FindingKind::UnconstrainedWrite)
            .unwrap()
            .statement_index,
        1
    );
    assert_eq!(
        has(&a, FindingKind::ResourceExposure).unwrap().actions,
        vec!["s3:PutBucketPolicy".to_owned()]
    );
    assert!(has(&a, FindingKind::CredentialsExposure).is_some());
    let by = a.by_service();
    assert!(by["s3"].contains_key(&warden_iam::AccessLevel::Read));
}

#[test]
fn unknown_template_values_are_not_unconstrained() {
    let a = analyze(vec![pol(json!([
        {"Effect": "Allow", "Action": ["dynamodb:PutItem", "s3:GetObject"], "Resource": ["{{unknown:GetAtt Table.Arn}}", "arn:aws:s3:::{{unknown:Ref Bucket}}/*"]}]))]);
    assert!(a.findings.is_empty(), "{:?}", a.findings);
    assert!(a.actions.contains_key("dynamodb:PutItem"));
}

#[test]
fn boundary_and_deny_remove_actions() {
    let p = PrincipalPolicies {
        identity: vec![pol(
            json!([{"Effect": "Allow", "Action": ["s3:*", "iam:PassRole", "ec2:RunInstances"], "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]),
        )],
        boundary: Some(pol(
            json!([{"Effect": "Allow", "Action": ["s3:GetObject", "iam:PassRole", "ec2:RunInstances"], "Resource": "*"}]),
        )),
        scps: vec![],
    };
    let a = analyze_principal(&p);
    assert!(a.actions.contains_key("s3:GetObject"));
    assert!(!a.actions.contains_key("s3:PutObject"));
    assert!(!a.actions.contains_key("iam:PassRole"));
    assert!(has(&a, FindingKind::PrivilegeEscalation).is_none());
}

#[test]
fn resource_policies() {
    let public = pol(
        json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]),
    );
    assert_eq!(
        analyze_resource_policy(&public, Some("111122223333"))[0].kind,
        FindingKind::PublicResourcePolicy
    );
    let org = pol(
        json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}]),
    );
    assert_eq!(
        analyze_resource_policy(&org, None)[0].severity,
        Severity::Low
    );
    let cross = pol(
        json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sqs:SendMessage", "Resource": "*"}]),
    );
    assert_eq!(
        analyze_resource_policy(&cross, Some("111122223333"))[0].kind,
        FindingKind::CrossAccountResourcePolicy
    );
    let svc = pol(
        json!([{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": "*"}]),
    );
    assert_eq!(
        analyze_resource_policy(&svc, None)[0].kind,
        FindingKind::ServicePrincipalWithoutSource
    );
}
