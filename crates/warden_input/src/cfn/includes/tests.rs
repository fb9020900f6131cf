//! Includes read end to end through [`crate::project::load`]: routes, errors, sources.

use super::*;
use crate::project::{LoadOptions, Project, load};
use std::fs;
use warden_model::{App, AuthKind, Route};

fn kind(text: &str) -> &'static str {
    let node = Node::new(
        Val::Str(text.into()),
        warden_source::Origin::new(Arc::from("t.yaml"), Default::default(), ""),
    );
    match location(&node) {
        Location::Local(_) => "local",
        Location::Remote => "remote",
        Location::Refused(_) => "refused",
    }
}

#[test]
fn only_relative_paths_are_local() {
    assert_eq!(kind("./api.yaml"), "local");
    assert_eq!(kind("specs/api.json"), "local");
    assert_eq!(kind("../shared/api.yaml"), "local"); // confinement decides when reading
    assert_eq!(kind("s3://bucket/api.yaml"), "remote");
    assert_eq!(kind("https://example.com/api.yaml"), "remote");
    assert_eq!(kind("/etc/passwd"), "refused");
    assert_eq!(kind("C:\\api.yaml"), "refused");
    assert_eq!(kind("  "), "refused");
}

const SAM: &str = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n";

const SPEC: &str = "openapi: 3.0.1
info: {title: t, version: '1'}
components:
  securitySchemes:
    Pool:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer: {type: cognito_user_pools, providerARNs: [arn]}
paths:
  /private:
    get:
      security: [{Pool: []}]
  /open:
    post:
      x-amazon-apigateway-integration: {type: aws_proxy, uri: x}
";

/// Writes `files` (path, text) under a fresh root and loads it.
fn scan(files: &[(&str, &str)]) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    for (path, text) in files {
        let p = root.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    let project = load(&root, &LoadOptions::default()).unwrap();
    (dir, project)
}

fn route<'a>(app: &'a App, method: &str, path: &str) -> &'a Route {
    app.apis
        .iter()
        .flat_map(|a| &a.routes)
        .find(|r| r.method == method && r.path == path)
        .unwrap_or_else(|| panic!("no route {method} {path}"))
}

fn line_of(project: &Project, origin: &warden_source::Origin) -> u32 {
    let source = project.sources.get(&origin.file).unwrap();
    source.position(origin.span.start).line
}

fn api_template(uri: &str) -> String {
    format!(
        "{SAM}Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      DefinitionUri: {uri}\n"
    )
}

#[test]
fn definition_uri_relative_to_the_template_becomes_the_definition() {
    let (_dir, project) = scan(&[
        ("app/template.yaml", &api_template("./specs/api.yaml")),
        ("app/specs/api.yaml", SPEC),
    ]);
    assert_eq!(project.errors, vec![]);
    assert_eq!(project.apps.len(), 1, "the spec is not a stand-alone app");
    let app = &project.apps[0];
    let private = route(app, "GET", "/private");
    assert_eq!(private.auth, AuthKind::Cognito);
    let open = route(app, "POST", "/open");
    assert_eq!(open.auth, AuthKind::None);
    // Origins point into the OpenAPI file, at the operation's line.
    assert_eq!(&*open.origin.file, "app/specs/api.yaml");
    assert_eq!(line_of(&project, &open.origin), 16);
    assert_eq!(&*open.origin.path, "/paths/~1open/post");
    // Rules reading the definition see it where an inline one would be.
    let api = &app.apis[0];
    assert!(api.properties.at(&["DefinitionBody", "paths"]).is_some());
}

#[test]
fn globals_definition_uri_applies_to_apis_without_their_own() {
    let template = format!(
        "{SAM}Globals:\n  HttpApi:\n    DefinitionUri: api.yaml\nResources:\n  Api:\n    Type: AWS::Serverless::HttpApi\n"
    );
    let (_dir, project) = scan(&[("template.yaml", &template), ("api.yaml", SPEC)]);
    assert_eq!(project.errors, vec![]);
    assert_eq!(
        route(&project.apps[0], "GET", "/private").auth,
        AuthKind::Cognito
    );
}

#[test]
fn aws_include_replaces_the_transform_anywhere() {
    let template = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Rest:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: r
      Body:
        Fn::Transform:
          Name: AWS::Include
          Parameters: {Location: ./api.yaml}
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Body: !Transform {Name: 'AWS::Include', Parameters: {Location: s3://bucket/api.yaml}}
";
    let (_dir, project) = scan(&[("template.yaml", template), ("api.yaml", SPEC)]);
    assert_eq!(project.errors, vec![]);
    let app = &project.apps[0];
    let rest = app.apis.iter().find(|a| a.id == "Rest").unwrap();
    assert_eq!(rest.routes.len(), 2);
    assert_eq!(&*rest.routes[0].origin.file, "api.yaml");
    assert_eq!(route(app, "GET", "/private").auth, AuthKind::Cognito);
    // The S3 location is never fetched: that API has no routes and no error.
    let http = app.apis.iter().find(|a| a.id == "Http").unwrap();
    assert!(http.routes.is_empty());
}

#[test]
fn remote_definitions_are_ignored_without_error() {
    for uri in [
        "s3://bucket/api.yaml",
        "https://example.com/api.yaml",
        "{Bucket: b, Key: api.yaml, Version: '3'}",
        "!Sub 's3://${AWS::AccountId}/api.yaml'",
    ] {
        let (_dir, project) = scan(&[("template.yaml", &api_template(uri)), ("api.yaml", SPEC)]);
        assert_eq!(project.errors, vec![], "{uri}");
        assert!(project.apps[0].apis[0].routes.is_empty(), "{uri}");
        assert!(project.sources.get("api.yaml").is_none(), "{uri}: read");
    }
}

/// Escapes are refused with an error naming the template and the path, and nothing is read.
fn assert_refused(project: &Project, written: &str) {
    let errors: Vec<_> = project
        .errors
        .iter()
        .filter(|e| e.file == "template.yaml")
        .collect();
    assert_eq!(errors.len(), 1, "{:?}", project.errors);
    let e = errors[0];
    assert!(
        e.message.contains("DefinitionUri of `Api`"),
        "{}",
        e.message
    );
    assert!(e.message.contains(written), "{}", e.message);
    assert_eq!(project.sources.len(), 1, "only the template is read");
    assert!(project.apps[0].apis[0].routes.is_empty());
}

#[test]
fn paths_out_of_the_root_are_refused_and_not_read() {
    let (dir, project) = scan(&[("template.yaml", &api_template("../outside.yaml"))]);
    drop(project);
    fs::write(dir.path().join("outside.yaml"), SPEC).unwrap();
    let project = load(&dir.path().join("root"), &LoadOptions::default()).unwrap();
    assert_refused(&project, "../outside.yaml");
    assert!(
        project.errors[0]
            .message
            .contains("outside the scanned root")
    );

    let (_dir, project) = scan(&[("template.yaml", &api_template("../../../../../etc/passwd"))]);
    assert_eq!(project.errors.len(), 1);
    assert!(project.errors[0].message.contains("etc/passwd"));
    assert_eq!(project.sources.len(), 1);

    let (_dir, project) = scan(&[("template.yaml", &api_template("/etc/passwd"))]);
    assert_refused(&project, "/etc/passwd");
    assert!(project.errors[0].message.contains("absolute path"));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_refused() {
    let (dir, _) = scan(&[("template.yaml", &api_template("./api.yaml"))]);
    let outside = dir.path().join("secret.yaml");
    fs::write(&outside, SPEC).unwrap();
    std::os::unix::fs::symlink(&outside, dir.path().join("root/api.yaml")).unwrap();
    let project = load(&dir.path().join("root"), &LoadOptions::default()).unwrap();
    assert_refused(&project, "./api.yaml");
    // Discovery reports the link itself too; the include names the template.
    let e = project.errors.iter().find(|e| e.file == "template.yaml");
    assert!(e.unwrap().message.contains("outside the scanned root"));
}

#[test]
fn missing_malformed_and_oversized_files_are_errors_and_the_scan_goes_on() {
    let (_dir, project) = scan(&[
        ("template.yaml", &api_template("./missing.yaml")),
        ("b/template.yaml", &api_template("./api.yaml")),
        ("b/api.yaml", "paths: {/x: [unclosed\n"),
        ("c/template.yaml", &api_template("./api.json")),
        ("c/api.json", "[1, 2]"),
        ("d/template.yaml", &api_template("./api.yaml")),
        ("d/api.yaml", SPEC),
    ]);
    let by_file = |f: &str| {
        project
            .errors
            .iter()
            .filter(|e| e.file == f)
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
    };
    assert!(by_file("template.yaml")[0].contains("`./missing.yaml` not found"));
    let malformed = by_file("b/template.yaml");
    assert!(malformed[0].contains("./api.yaml") && malformed[0].contains("syntax error"));
    assert!(malformed[0].contains("(line 8)"), "{}", malformed[0]);
    assert!(by_file("c/template.yaml")[0].contains("not a YAML or JSON mapping"));
    assert_eq!(project.errors.len(), 3, "{:?}", project.errors);
    // Every template still lowers; the good one has its routes.
    assert_eq!(project.apps.len(), 4);
    let d = project
        .apps
        .iter()
        .find(|a| a.file == "d/template.yaml")
        .unwrap();
    assert_eq!(d.apis[0].routes.len(), 2);
    // The malformed file's text is kept for excerpts.
    assert!(project.sources.get("b/api.yaml").is_some());

    let opts = LoadOptions {
        max_file_size: 300, // the template fits, the spec does not
        ..LoadOptions::default()
    };
    let (dir, _) = scan(&[
        ("template.yaml", &api_template("api.yaml")),
        ("api.yaml", SPEC),
    ]);
    let project = load(&dir.path().join("root"), &opts).unwrap();
    assert!(
        project.errors[0].message.contains("size limit"),
        "{:?}",
        project.errors
    );
}

#[test]
fn an_included_template_is_not_also_a_stand_alone_app() {
    let template = "AWSTemplateFormatVersion: '2010-09-09'
Fn::Transform:
  Name: AWS::Include
  Parameters: {Location: shared/resources.yaml}
";
    let snippet = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n";
    let (_dir, project) = scan(&[
        ("template.yaml", template),
        ("shared/resources.yaml", snippet),
    ]);
    assert_eq!(project.errors, vec![]);
    assert_eq!(project.apps.len(), 1);
    let app = &project.apps[0];
    assert_eq!(app.file, "template.yaml");
    assert_eq!(app.resources[0].id, "Bucket");
    assert_eq!(&*app.resources[0].origin.file, "shared/resources.yaml");
}

#[test]
fn events_on_a_declared_operation_name_its_function_without_a_second_route() {
    let template = format!(
        "{SAM}Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties: {{StageName: v1, DefinitionUri: ./api.yaml}}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Private: {{Type: Api, Properties: {{RestApiId: !Ref Api, Path: /private, Method: get}}}}
        Open: {{Type: Api, Properties: {{RestApiId: !Ref Api, Path: /open, Method: POST}}}}
        Extra: {{Type: Api, Properties: {{RestApiId: !Ref Api, Path: /extra, Method: get}}}}
"
    );
    let (_dir, project) = scan(&[("template.yaml", &template), ("api.yaml", SPEC)]);
    assert_eq!(project.errors, vec![]);
    let app = &project.apps[0];
    let routes = &app.apis[0].routes;
    assert_eq!(routes.len(), 3, "{routes:?}");
    // The declared operations keep the definition's authentication and origin, gain the function.
    let private = route(app, "GET", "/private");
    assert_eq!(private.auth, AuthKind::Cognito);
    assert_eq!(private.function.as_deref(), Some("Fn"));
    assert_eq!(&*private.origin.file, "api.yaml");
    assert_eq!(route(app, "POST", "/open").function.as_deref(), Some("Fn"));
    // A path the definition does not declare stays the event's route.
    assert_eq!(&*route(app, "GET", "/extra").origin.file, "template.yaml");
}

#[test]
fn a_template_including_itself_is_still_scanned() {
    let template = api_template("./template.yaml");
    let (_dir, project) = scan(&[("template.yaml", &template)]);
    assert_eq!(project.apps.len(), 1);
    assert_eq!(project.apps[0].file, "template.yaml");
}
