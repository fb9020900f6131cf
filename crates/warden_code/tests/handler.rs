//! Handler resolution from the model (SAM, CloudFormation, Serverless Framework) to files.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use warden_code::error::CodeError;
use warden_code::handler::{Handler, resolve};
use warden_code::parse::Lang;

fn write(root: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// Every function's resolution, by function id.
fn resolved(root: &Path) -> Vec<(String, Result<Option<Handler>, CodeError>)> {
    let project =
        warden_input::project::load(root, &warden_input::project::LoadOptions::default()).unwrap();
    let mut out = Vec::new();
    for app in &project.apps {
        for f in &app.functions {
            out.push((f.id.clone(), resolve(root, app, f)));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn rel(root: &Path, h: &Handler) -> String {
    h.path
        .strip_prefix(root.canonicalize().unwrap())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn sam_and_cloudformation_handlers() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        &[
            (
                "stack/template.yaml",
                r#"Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs22.x
Resources:
  NodeFn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: handlers/orders.create}
  TsFn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: ts, Handler: app.lambdaHandler}
  PyFn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: functions/orders, Handler: pkg.api.handler, Runtime: python3.13}
  RootFn:
    Type: AWS::Serverless::Function
    Properties: {Handler: index.handler}
  S3Fn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: s3://bucket/code.zip, Handler: index.handler}
  InlineFn:
    Type: AWS::Serverless::Function
    Properties: {InlineCode: "exports.handler = async () => 1;", Handler: index.handler}
  ZipFn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: "def handler(e, c): pass"}
  MissingFn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: src/, Handler: nothere.handler}
  EscapeFn:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: ../../, Handler: etc.handler}
"#,
            ),
            (
                "stack/src/handlers/orders.js",
                "exports.create = async () => 1;",
            ),
            (
                "stack/ts/app.ts",
                "export const lambdaHandler = async () => 1;",
            ),
            (
                "stack/functions/orders/pkg/api.py",
                "def handler(e, c):\n    pass\n",
            ),
            ("stack/index.mjs", "export const handler = async () => 1;"),
        ],
    );
    let got = resolved(root);
    let find = |id: &str| &got.iter().find(|(f, _)| f == id).unwrap().1;
    let ok = |id: &str| find(id).as_ref().unwrap().as_ref().unwrap().clone();
    assert_eq!(rel(root, &ok("NodeFn")), "stack/src/handlers/orders.js");
    assert_eq!(ok("NodeFn").export, "create");
    assert_eq!(ok("NodeFn").lang, Lang::JavaScript);
    assert_eq!(rel(root, &ok("TsFn")), "stack/ts/app.ts");
    assert_eq!(ok("TsFn").lang, Lang::TypeScript);
    assert_eq!(rel(root, &ok("PyFn")), "stack/functions/orders/pkg/api.py");
    assert_eq!(ok("PyFn").export, "handler");
    assert_eq!(rel(root, &ok("RootFn")), "stack/index.mjs");
    for none in ["S3Fn", "InlineFn", "ZipFn"] {
        assert!(matches!(find(none), Ok(None)), "{none}: {:?}", find(none));
    }
    assert!(
        matches!(find("MissingFn"), Err(CodeError::NotFound(..))),
        "{:?}",
        find("MissingFn")
    );
    assert!(find("EscapeFn").is_err(), "{:?}", find("EscapeFn"));
}

#[test]
fn serverless_handlers_are_relative_to_the_service() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        &[
            (
                "svc/serverless.yml",
                "service: s\nprovider: {name: aws, runtime: python3.12}\nfunctions:\n  create:\n    handler: src/handlers/users.create\n  hello:\n    handler: src/index.main\n    runtime: nodejs20.x\n",
            ),
            (
                "svc/src/handlers/users.py",
                "def create(event, context):\n    return 1\n",
            ),
            ("svc/src/index.js", "module.exports.main = async () => 1;"),
        ],
    );
    let got = resolved(root);
    let h = |id: &str| {
        got.iter()
            .find(|(f, _)| f == id)
            .unwrap()
            .1
            .clone()
            .unwrap()
            .unwrap()
    };
    assert_eq!(rel(root, &h("create")), "svc/src/handlers/users.py");
    assert_eq!(h("create").export, "create");
    assert_eq!(rel(root, &h("hello")), "svc/src/index.js");
    assert_eq!(h("hello").export, "main");
}

#[cfg(unix)]
#[test]
fn a_handler_symlinked_out_of_the_root_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("app.js"), "exports.handler = 1;").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        &[(
            "template.yaml",
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: src/, Handler: app.handler, Runtime: nodejs22.x}\n",
        )],
    );
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("app.js"), root.join("src/app.js")).unwrap();
    let got = resolved(root);
    assert!(got[0].1.is_err(), "{:?}", got[0].1);
}

#[test]
fn azure_functions_declared_in_code() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        &[
            ("host.json", "{\"version\": \"2.0\"}"),
            (
                "function_app.py",
                "import azure.functions as func\napp = func.FunctionApp()\n\n@app.route(route=\"run\")\ndef run(req: func.HttpRequest) -> func.HttpResponse:\n    return func.HttpResponse(\"ok\")\n",
            ),
        ],
    );
    let got = resolved(root);
    assert_eq!(got.len(), 1, "{got:?}");
    let h = got[0].1.clone().unwrap().unwrap();
    assert_eq!(rel(root, &h), "function_app.py");
    assert_eq!(h.export, "run");
    assert_eq!(h.lang, Lang::Python);
}
