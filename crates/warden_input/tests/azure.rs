//! Azure Functions projects loaded end to end through `project::load`: grouping into projects,
//! route prefixes, settings, git-ignored settings, malformed files as errors.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use warden_input::project::{LoadOptions, load};
use warden_model::{App, AuthKind, Format, TriggerKind};

fn write(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn azure_apps(root: &Path) -> (Vec<App>, Vec<warden_model::ScanError>) {
    let project = load(root, &LoadOptions::default()).unwrap();
    let apps = project
        .apps
        .into_iter()
        .filter(|a| a.format == Format::AzureFunctions)
        .collect();
    (apps, project.errors)
}

const HTTP_ANON: &str = r#"{"bindings": [{"type": "httpTrigger", "authLevel": "anonymous", "name": "req", "route": "items/{id}"}]}"#;
const QUEUE: &str = r#"{"bindings": [{"type": "queueTrigger", "name": "m", "queueName": "q"}]}"#;

#[test]
fn projects_group_by_host_json_and_function_folders() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        &[
            (
                "app/host.json",
                r#"{"version": "2.0", "extensions": {"http": {"routePrefix": "v2"}}}"#,
            ),
            ("app/Items/function.json", HTTP_ANON),
            ("app/Worker/function.json", QUEUE),
            // No host.json: the parent of the function folders is the project.
            ("loose/Other/function.json", HTTP_ANON),
            // Node v4 code outside any host.json project is not read.
            (
                "web/src/index.js",
                "const { app } = require('@azure/functions'); app.http('x', { handler: h });",
            ),
        ],
    );
    let (apps, errors) = azure_apps(root);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(apps.len(), 2);
    let app = apps.iter().find(|a| a.file == "app/host.json").unwrap();
    assert_eq!(app.functions.len(), 2);
    let route = &app.apis[0].routes[0];
    assert_eq!(route.path, "/v2/items/{id}");
    assert_eq!(route.auth, AuthKind::None);
    assert!(!route.api_key_required);
    let items = app.function("Items").unwrap();
    assert_eq!(items.code_uri.as_ref().unwrap().as_str(), Some("Items"));
    assert!(items.triggers.iter().any(|t| t.kind == TriggerKind::Http));
    let worker = app.function("Worker").unwrap();
    assert_eq!(
        worker.triggers[0].kind,
        TriggerKind::Other("azure:queueTrigger".into())
    );
    let loose = apps
        .iter()
        .find(|a| a.file == "loose/Other/function.json")
        .unwrap();
    assert_eq!(loose.apis[0].routes[0].path, "/api/items/{id}");
}

#[test]
fn settings_become_environment_unless_git_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let settings = r#"{"IsEncrypted": false, "Values": {"API_TOKEN": "abc", "FUNCTIONS_WORKER_RUNTIME": "node"}}"#;
    write(
        root,
        &[
            (".git/HEAD", "ref: refs/heads/main\n"),
            (".gitignore", "ignored/local.settings.json\n"),
            ("tracked/host.json", "{}"),
            ("tracked/F/function.json", QUEUE),
            ("tracked/local.settings.json", settings),
            ("ignored/host.json", "{}"),
            ("ignored/F/function.json", QUEUE),
            ("ignored/local.settings.json", settings),
        ],
    );
    // Scanning `tracked` and `ignored` separately: the root .gitignore lies above the scan root.
    let (apps, errors) = azure_apps(&root.join("tracked"));
    assert!(errors.is_empty(), "{errors:?}");
    let f = &apps[0].functions[0];
    assert_eq!(f.environment.len(), 2);
    assert_eq!(apps[0].resources.len(), 1);
    let (apps, errors) = azure_apps(&root.join("ignored"));
    assert!(errors.is_empty(), "{errors:?}");
    assert!(apps[0].functions[0].environment.is_empty());
    assert!(apps[0].resources.is_empty());
}

#[test]
fn malformed_files_are_errors_and_the_rest_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        &[
            ("host.json", "{\"version\": \"2.0\"}"),
            ("Broken/function.json", "{\"bindings\": [ {\"type\": "),
            ("NotAnObject/function.json", "[1, 2]"),
            ("Good/function.json", HTTP_ANON),
            ("local.settings.json", "{\"Values\": {\"A\": \"b\""),
            // Comments and trailing commas are accepted, as the Functions host accepts them.
            (
                "Lenient/function.json",
                "{\n  // a comment\n  \"bindings\": [{\"type\": \"timerTrigger\", \"schedule\": \"0 * * * * *\",},],\n}",
            ),
            (
                "bad.py",
                "import azure.functions as func\n@app.route(route='\n",
            ),
            (
                "function_app.py",
                "import azure.functions as func\napp = func.FunctionApp(\n@app.route(\ndef",
            ),
        ],
    );
    let (apps, errors) = azure_apps(root);
    let files: Vec<&str> = errors.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "Broken/function.json",
            "NotAnObject/function.json",
            "local.settings.json"
        ]
    );
    assert_eq!(apps.len(), 1);
    let ids: Vec<&str> = apps[0].functions.iter().map(|f| f.id.as_str()).collect();
    assert!(ids.contains(&"Good") && ids.contains(&"Lenient"), "{ids:?}");
}

mod hostile {
    use proptest::prelude::*;
    use warden_input::azure::{csharp, function_json, java, jsonc, node, python, settings};
    use warden_input::document::Limits;
    use warden_source::SourceFile;

    /// Text made of the characters the scanners treat specially, so strings, comments, brackets
    /// and decorators are cut at every possible place.
    fn tricky() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("@app.route(".to_string()),
                Just("app.http('".to_string()),
                Just("[HttpTrigger(".to_string()),
                Just("@HttpTrigger(methods = {".to_string()),
                Just("def f(".to_string()),
                Just("\"\"\"".to_string()),
                Just("/*".to_string()),
                Just("//".to_string()),
                Just("`${".to_string()),
                Just("@\"".to_string()),
                Just("$\"".to_string()),
                Just("{\"bindings\": [".to_string()),
                "[ \\n\\t'\"#/\\\\(){}\\[\\],.=:é$@fr]{0,3}",
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn scanners_never_panic(text in tricky()) {
            let py = SourceFile::new("function_app.py", text.clone());
            let _ = python::read(&py);
            let js = SourceFile::new("src/functions/a.ts", text.clone());
            let _ = node::read(&js);
            let cs = SourceFile::new("A.cs", text.clone());
            let _ = csharp::read(&cs);
            let jv = SourceFile::new("F.java", text.clone());
            let _ = java::read(&jv);
            let strict = jsonc::strict(&text);
            prop_assert_eq!(strict.len(), text.len());
            let json = SourceFile::new("F/function.json", text.clone());
            let _ = function_json::read(&json, &Limits::default());
            let _ = settings::read_local(&json, &Limits::default());
        }
    }
}

/// Never-closed brackets after a valid declaration: the declaration is still read, and the junk
/// is skipped group by group (each group's end is computed once, so 20,000 unclosed groups cost
/// linear time; a quadratic regression makes this test take minutes instead of milliseconds).
#[test]
fn unclosed_brackets_after_a_declaration() {
    use warden_input::azure::{csharp, node, python};
    use warden_source::SourceFile;
    let cs = format!(
        "using Microsoft.Azure.WebJobs;\n[FunctionName(\"ok\")] public static void Run([HttpTrigger(AuthorizationLevel.Anonymous)] HttpRequest r) {{}}\n{}",
        "[FunctionName(\"f\")] [HttpTrigger(".repeat(20_000)
    );
    let d = csharp::read(&SourceFile::new("A.cs", cs));
    assert_eq!(d.first().map(|f| f.name.as_str()), Some("ok"));
    let js = format!(
        "require('@azure/functions');\napp.http('ok', {{ handler: h }});\n{}",
        "app.http('x', {".repeat(20_000)
    );
    let d = node::read(&SourceFile::new("a.js", js));
    assert_eq!(d.first().map(|f| f.name.as_str()), Some("ok"));
    let py = format!(
        "import azure.functions\n@app.route(route='ok')\ndef ok(r): pass\n{}",
        "@app.route(route=[\n".repeat(20_000)
    );
    let d = python::read(&SourceFile::new("function_app.py", py));
    assert_eq!(d.first().map(|f| f.name.as_str()), Some("ok"));
}
