//! `warden iam` end to end: batch evaluation, single-request flags, analysis, checks.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use std::io::Write;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::File::create(&p)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    p
}

const ALLOW_GET: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;

#[test]
fn batch_prints_one_result_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = format!(
        "{}\n{}\nnot json\n",
        format_args!(
            r#"{{"request":{{"action":"s3:GetObject","resource":"arn:aws:s3:::b/k","principal":"arn:aws:iam::111122223333:user/a","context":{{}}}},"identityPolicies":[{ALLOW_GET}]}}"#
        ),
        format_args!(
            r#"{{"request":{{"action":"s3:PutObject","resource":"arn:aws:s3:::b/k","principal":"arn:aws:iam::111122223333:user/a","context":{{}}}},"identityPolicies":[{ALLOW_GET}]}}"#
        ),
    );
    let f = write(&dir, "cases.jsonl", &cases);
    let out = Command::cargo_bin("warden")
        .unwrap()
        .args(["iam", "eval", "--batch"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["decision"], "Allowed");
    assert_eq!(lines[0]["matched"][0]["statementIndex"], 0);
    assert_eq!(lines[1]["decision"], "ImplicitlyDenied");
    assert_eq!(lines[1]["blockedBy"]["policyType"], "identity");
    assert!(lines[2]["error"].as_str().unwrap().contains("line 3"));
}

#[test]
fn single_request_flags_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "p.json", ALLOW_GET);
    let run = |action: &str| {
        Command::cargo_bin("warden")
            .unwrap()
            .args([
                "iam",
                "eval",
                "--action",
                action,
                "--resource",
                "arn:aws:s3:::b/k",
                "--principal",
                "arn:aws:iam::111122223333:user/a",
                "--identity-policy",
            ])
            .arg(&p)
            .output()
            .unwrap()
    };
    let ok = run("s3:GetObject");
    assert_eq!(ok.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("\"Allowed\""));
    assert_eq!(run("s3:PutObject").status.code(), Some(1));
}

fn analyze(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let out = Command::cargo_bin("warden")
        .unwrap()
        .args(["iam", "analyze", "--quiet"])
        .args(args)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

fn findings_of(json: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["findings"].as_array().unwrap().clone()
}

const PASS_ROLE: &str = "{\"Version\":\"2012-10-17\",\"Statement\":[\n  {\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"},\n  {\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"*\"}\n]}\n";
const LAMBDA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction","s3:NoSuchAction"],"Resource":"*"}]}"#;

#[test]
fn analyze_reports_findings_with_file_line_and_rule_codes() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(&dir, "a.json", PASS_ROLE);
    let b = write(&dir, "b.json", LAMBDA);
    let (code, out) = analyze(&[
        a.as_os_str(),
        b.as_os_str(),
        std::ffi::OsStr::new("--format=json"),
    ]);
    assert_eq!(code, Some(1));
    let findings = findings_of(&out);
    // The escalation is split across the two files and points at the PassRole statement.
    let esc = findings
        .iter()
        .find(|f| f["name"] == "privilege-escalation-path")
        .unwrap();
    assert_eq!(esc["severity"], "critical");
    assert!(esc["file"].as_str().unwrap().ends_with("a.json"));
    assert_eq!(esc["line"], 3);
    assert!(esc["rule"].as_str().unwrap().starts_with("IAM"));
    assert!(
        esc["message"]
            .as_str()
            .unwrap()
            .contains("across several policies")
    );
    // Validation findings point at the offending action string.
    let unknown = findings
        .iter()
        .find(|f| f["name"] == "unknown-action")
        .unwrap();
    assert_eq!(unknown["rule"], "IAMV");
    assert!(unknown["file"].as_str().unwrap().ends_with("b.json"));
    assert!(unknown["column"].as_u64().unwrap() > 60);
    // --fail-on none: never fails; critical threshold: fails on the escalation.
    let none = analyze(&[a.as_os_str(), b.as_os_str(), "--fail-on=none".as_ref()]);
    assert_eq!(none.0, Some(0));
    assert!(none.1.contains("privilege-escalation-path"), "{}", none.1);
    let crit = analyze(&[a.as_os_str(), b.as_os_str(), "--fail-on=critical".as_ref()]);
    assert_eq!(crit.0, Some(1));
    // Alone, the narrow grant has nothing at or above high.
    let narrow = write(&dir, "n.json", ALLOW_GET);
    assert_eq!(analyze(&[narrow.as_os_str()]).0, Some(0));
}

#[test]
fn analyze_honours_scps_and_boundaries() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(&dir, "a.json", PASS_ROLE);
    let b = write(&dir, "b.json", LAMBDA);
    let deny_pass = write(
        &dir,
        "scp.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:PassRole","Resource":"*"}]}"#,
    );
    let allow_all = write(
        &dir,
        "root.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    );
    let names = |out: &str| -> Vec<String> {
        findings_of(out)
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let json = std::ffi::OsStr::new("--format=json");
    let scp = std::ffi::OsStr::new("--scp");
    // An allow-all root level changes nothing.
    let (_, out) = analyze(&[
        a.as_os_str(),
        b.as_os_str(),
        scp,
        allow_all.as_os_str(),
        json,
    ]);
    assert!(names(&out).contains(&"privilege-escalation-path".to_owned()));
    // A level that denies iam:PassRole removes the escalation path.
    let (code, out) = analyze(&[
        a.as_os_str(),
        b.as_os_str(),
        scp,
        allow_all.as_os_str(),
        scp,
        deny_pass.as_os_str(),
        json,
    ]);
    assert!(!names(&out).contains(&"privilege-escalation-path".to_owned()));
    assert_eq!(code, Some(0), "{out}");
    // A boundary that allows only S3 reads leaves nothing to report from the role.
    let boundary = write(&dir, "boundary.json", ALLOW_GET);
    let (code, out) = analyze(&[
        a.as_os_str(),
        b.as_os_str(),
        "--boundary".as_ref(),
        boundary.as_os_str(),
        json,
    ]);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(names(&out), vec!["unknown-action".to_owned()]);
}

#[test]
fn analyze_renders_every_scan_format() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(&dir, "a.json", PASS_ROLE);
    let b = write(&dir, "b.json", LAMBDA);
    let broken = write(&dir, "broken.json", "{\"Statement\": [");
    let (_, sarif) = analyze(&[
        a.as_os_str(),
        b.as_os_str(),
        broken.as_os_str(),
        "--format=sarif".as_ref(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "IAMV"));
    assert!(
        results
            .iter()
            .any(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"] == 3)
    );
    let (_, gh) = analyze(&[a.as_os_str(), b.as_os_str(), "--format=github".as_ref()]);
    assert!(gh.contains("::error"), "{gh}");
    let (_, junit) = analyze(&[a.as_os_str(), b.as_os_str(), "--format=junit".as_ref()]);
    assert!(junit.contains("<testsuite"), "{junit}");
    let (code, json) = analyze(&[broken.as_os_str(), "--format=json".as_ref()]);
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        v["errors"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("broken.json")
    );
}

#[test]
fn checks_pass_and_fail() {
    let dir = tempfile::tempdir().unwrap();
    let narrow = write(&dir, "n.json", ALLOW_GET);
    let broad = write(
        &dir,
        "b.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
    );
    let code = |args: &[&std::ffi::OsStr]| {
        Command::cargo_bin("warden")
            .unwrap()
            .args(args)
            .output()
            .unwrap()
            .status
            .code()
    };
    let s = |x: &str| std::ffi::OsStr::new(x).to_owned();
    assert_eq!(
        code(&[
            &s("iam"),
            &s("check"),
            &s("no-new-access"),
            narrow.as_os_str(),
            broad.as_os_str()
        ]),
        Some(0)
    );
    assert_eq!(
        code(&[
            &s("iam"),
            &s("check"),
            &s("no-new-access"),
            broad.as_os_str(),
            narrow.as_os_str()
        ]),
        Some(1)
    );
    assert_eq!(
        code(&[
            &s("iam"),
            &s("check"),
            &s("access-not-granted"),
            narrow.as_os_str(),
            &s("--action"),
            &s("s3:PutObject")
        ]),
        Some(0)
    );
    let public = write(
        &dir,
        "pub.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#,
    );
    assert_eq!(
        code(&[
            &s("iam"),
            &s("check"),
            &s("no-public-access"),
            public.as_os_str()
        ]),
        Some(1)
    );
}

fn corpus(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../tests/corpus/{name}"))
}

#[test]
fn generate_prints_a_policy_scoped_to_the_linked_resources() {
    let out = Command::cargo_bin("warden")
        .unwrap()
        .args(["iam", "generate", "OrdersFn"])
        .arg(corpus("code-sdk-sam-vulnerable"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let policy: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        policy,
        serde_json::json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "Dynamodb", "Effect": "Allow", "Action": "dynamodb:PutItem",
             "Resource": {"Fn::Sub": "${Orders.Arn}"}},
            {"Sid": "S3", "Effect": "Allow", "Action": "s3:PutObject",
             "Resource": {"Fn::Sub": "${Receipts.Arn}/*"}},
            {"Sid": "Sqs", "Effect": "Allow", "Action": "sqs:SendMessage",
             "Resource": {"Fn::Sub": "${Jobs.Arn}"}}
        ]})
    );
    // The local module `store.py` was read too.
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("src/orders/store.py"), "{err}");

    // JavaScript v3 with the document client; a literal key scopes the object.
    let out = Command::cargo_bin("warden")
        .unwrap()
        .args(["iam", "generate", "ReportsFn"])
        .arg(corpus("code-sdk-sam-vulnerable"))
        .output()
        .unwrap();
    let policy: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        policy["Statement"][0]["Action"],
        serde_json::json!(["dynamodb:PutItem", "dynamodb:Query"])
    );
    assert_eq!(
        policy["Statement"][1]["Resource"]["Fn::Sub"],
        "${Receipts.Arn}/receipts/latest.json"
    );
}

#[test]
fn generate_warns_about_what_it_cannot_see_and_rejects_unknown_functions() {
    let out = Command::cargo_bin("warden")
        .unwrap()
        .args(["iam", "generate", "ArchiveFn"])
        .arg(corpus("code-sdk-sam-fixed"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("passed to other code"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::cargo_bin("warden")
        .unwrap()
        .args(["iam", "generate", "NoSuchFn"])
        .arg(corpus("code-sdk-sam-fixed"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("OrdersFn"));
}

fn generate_in(dir: &std::path::Path, function: &str) -> serde_json::Value {
    let out = Command::cargo_bin("warden")
        .unwrap()
        .args(["iam", "generate", function])
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every statement as (actions, resources) with resources as their text.
fn statements(policy: &serde_json::Value) -> Vec<(String, String)> {
    policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let text = |v: &serde_json::Value| -> String {
                match v {
                    serde_json::Value::Array(items) => items
                        .iter()
                        .map(|i| i.get("Fn::Sub").unwrap_or(i).as_str().unwrap().to_owned())
                        .collect::<Vec<_>>()
                        .join(" "),
                    other => other
                        .get("Fn::Sub")
                        .unwrap_or(other)
                        .as_str()
                        .unwrap()
                        .to_owned(),
                }
            };
            (text(&s["Action"]), text(&s["Resource"]))
        })
        .collect()
}

#[test]
fn generate_resolves_literals_parameters_and_terraform_references() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    write(
        &dir,
        "template.yaml",
        "Transform: AWS::Serverless-2016-10-31\nParameters:\n  TableName: {Type: String}\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      CodeUri: src/\n      Handler: app.handler\n      Environment:\n        Variables:\n          TABLE: !Ref TableName\n",
    );
    write(
        &dir,
        "src/app.py",
        "import os\nimport boto3\nsm = boto3.client('secretsmanager')\nssm = boto3.client('ssm')\nsqs = boto3.client('sqs')\nddb = boto3.client('dynamodb')\nlam = boto3.client('lambda')\n\ndef handler(event, context):\n    sm.get_secret_value(SecretId='prod/db')\n    ssm.get_parameter(Name='/app/key')\n    sqs.send_message(QueueUrl='https://sqs.eu-west-1.amazonaws.com/111122223333/jobs', MessageBody='x')\n    ddb.query(TableName=os.environ['TABLE'], IndexName='byDate')\n    lam.invoke(FunctionName='arn:aws:lambda:eu-west-1:111122223333:function:worker')\n    boto3.client('sts').get_caller_identity()\n",
    );
    let policy = generate_in(dir.path(), "Fn");
    assert_eq!(
        statements(&policy),
        vec![
            (
                "dynamodb:Query".to_owned(),
                "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName} arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/index/byDate"
                    .to_owned()
            ),
            (
                "lambda:InvokeFunction".to_owned(),
                "arn:aws:lambda:eu-west-1:111122223333:function:worker".to_owned()
            ),
            (
                "secretsmanager:GetSecretValue".to_owned(),
                "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:prod/db-??????"
                    .to_owned()
            ),
            (
                "sqs:SendMessage".to_owned(),
                "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:jobs".to_owned()
            ),
            (
                "ssm:GetParameter".to_owned(),
                "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/key"
                    .to_owned()
            ),
        ]
    );

    // Terraform: references become interpolations of the resources' `arn` attributes.
    let tf = tempfile::tempdir().unwrap();
    std::fs::create_dir(tf.path().join("src")).unwrap();
    write(
        &tf,
        "main.tf",
        r#"resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
}
resource "aws_s3_bucket" "receipts" {
  bucket = "receipts-bucket"
}
resource "aws_iam_role" "fn" {
  name               = "fn"
  assume_role_policy = "{}"
}
data "archive_file" "orders" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build.zip"
}
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = data.archive_file.orders.output_path
  environment {
    variables = {
      TABLE  = aws_dynamodb_table.orders.name
      BUCKET = aws_s3_bucket.receipts.id
    }
  }
}
"#,
    );
    write(
        &tf,
        "src/app.py",
        "import os\nimport boto3\nt = boto3.resource('dynamodb').Table(os.environ['TABLE'])\ns3 = boto3.client('s3')\n\ndef handler(e, c):\n    t.put_item(Item={})\n    s3.get_object(Bucket=os.environ['BUCKET'], Key=e['key'])\n",
    );
    let policy = generate_in(tf.path(), "aws_lambda_function.orders");
    assert_eq!(
        statements(&policy),
        vec![
            (
                "dynamodb:PutItem".to_owned(),
                "${aws_dynamodb_table.orders.arn}".to_owned()
            ),
            (
                "s3:GetObject".to_owned(),
                "${aws_s3_bucket.receipts.arn}/*".to_owned()
            ),
        ]
    );
}
