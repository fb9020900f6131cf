//! `warden scan --var-file FILE` on a Terraform module whose Lambda function URL auth type comes
//! from a variable: the finding appears or disappears with the file, `--var` and `--var-file` apply
//! in command-line order, the file may live outside the scanned root, and a missing, malformed or
//! oversized file is a tool error naming it.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const MAIN: &str = r#"
variable "url_auth" {
  default = "AWS_IAM"
}

resource "aws_iam_role" "fn" {
  name               = "fn"
  assume_role_policy = "{}"
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "app.zip"
}

resource "aws_lambda_function_url" "api" {
  function_name      = aws_lambda_function.api.function_name
  authorization_type = var.url_auth
}
"#;

fn warden(root: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warden"))
        .arg("scan")
        .arg(root.join("app"))
        .args(["--format", "json", "--quiet"])
        .args(extra)
        .current_dir(root)
        .output()
        .unwrap()
}

/// The files of the AUTH001 findings (empty when the URL is not public).
fn public_url(root: &Path, extra: &[&str]) -> Vec<String> {
    let out = warden(root, extra);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{extra:?}: not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(report["errors"].as_array().unwrap().is_empty(), "{report}");
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "AUTH001")
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn var_files_set_terraform_variables_in_command_line_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("app")).unwrap();
    std::fs::create_dir_all(root.join("env")).unwrap();
    std::fs::write(root.join("app/main.tf"), MAIN).unwrap();
    // Outside the scanned directory: the user names these files on purpose.
    std::fs::write(root.join("env/public.tfvars"), "url_auth = \"NONE\"\n").unwrap();
    std::fs::write(
        root.join("env/private.tfvars.json"),
        "{\"url_auth\": \"AWS_IAM\"}\n",
    )
    .unwrap();

    assert!(public_url(root, &[]).is_empty());
    // The finding points at the value in the variable file.
    assert_eq!(
        public_url(root, &["--var-file", "env/public.tfvars"]),
        ["env/public.tfvars"]
    );
    // A later --var beats an earlier --var-file, and the other way round.
    let var = ["--var", "url_auth=AWS_IAM"];
    let file = ["--var-file", "env/public.tfvars"];
    assert!(public_url(root, &[&file[..], &var[..]].concat()).is_empty());
    assert_eq!(public_url(root, &[&var[..], &file[..]].concat()).len(), 1);
    // JSON variable files, later file wins.
    let json = ["--var-file", "env/private.tfvars.json"];
    assert!(public_url(root, &[&file[..], &json[..]].concat()).is_empty());
    assert_eq!(public_url(root, &[&json[..], &file[..]].concat()).len(), 1);
}

#[test]
fn bad_var_files_are_tool_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("app")).unwrap();
    std::fs::write(root.join("app/main.tf"), MAIN).unwrap();
    std::fs::write(root.join("bad.tfvars"), "url_auth = \n").unwrap();
    std::fs::write(root.join("big.tfvars"), "url_auth = \"NONE\"\n").unwrap();
    let cases: [(&[&str], &str); 3] = [
        (&["--var-file", "missing.tfvars"], "cannot read"),
        (&["--var-file", "bad.tfvars"], "HCL syntax error"),
        (
            &["--var-file", "big.tfvars", "--max-file-size", "10"],
            "size limit",
        ),
    ];
    for (args, why) in cases {
        let out = warden(root, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(args[1]), "{args:?}: {stderr}");
        assert!(stderr.contains(why), "{args:?}: {stderr}");
    }
}
