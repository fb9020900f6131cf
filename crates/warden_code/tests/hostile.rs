//! Hostile input: syntax errors, oversized files, deep nesting, symlinks out of the root. No
//! panic, bounded time, errors reported instead of crashes.
#![allow(clippy::unwrap_used)]

mod support;
use std::time::{Duration, Instant};
use support::*;
use warden_code::error::CodeError;
use warden_code::loader::Loader;
use warden_code::sources::spec_for_triggers;
use warden_model::TriggerKind;

#[test]
fn syntax_errors_are_tolerated() {
    for (name, text) in [
        (
            "index.js",
            "const { exec } = require('child_process');\nexports.handler = async (event) => {\n  if (( {\n  exec(event.body);\n};\n}}}}",
        ),
        (
            "app.py",
            "import os\ndef handler(event, context:\n    os.system(event['body']\n  return ((((\n",
        ),
        (
            "bad.ts",
            "export const handler = async (event: ) => { eval(event.body as ; }",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), text).unwrap();
        // The tree is recovered around the error: either the handler is found and analysed, or
        // it is reported missing. Nothing panics.
        match warden_code::analyze::analyze_file(
            dir.path(),
            name,
            "handler",
            spec_for_triggers(&[TriggerKind::Api]),
        ) {
            Ok(issues) => assert!(issues.len() <= 2, "{issues:#?}"),
            Err(e) => assert!(matches!(e, CodeError::NotFound(..)), "{e:?}"),
        }
    }
}

#[test]
fn files_over_one_megabyte_are_skipped_with_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = String::from("exports.handler=async(e)=>{");
    while big.len() < 2 * 1024 * 1024 {
        big.push_str("var a=e.body+'x';");
    }
    big.push('}');
    std::fs::write(dir.path().join("min.js"), &big).unwrap();
    let err = warden_code::analyze::analyze_file(
        dir.path(),
        "min.js",
        "handler",
        spec_for_triggers(&[TriggerKind::Api]),
    )
    .unwrap_err();
    assert!(matches!(err, CodeError::TooLarge(..)), "{err:?}");
}

#[test]
fn a_large_minified_file_under_the_limit_is_analysed_quickly() {
    let mut src = String::from(
        "const {exec}=require('child_process');exports.handler=async(e)=>{let a=e.body;",
    );
    while src.len() < 900 * 1024 {
        src.push_str("a=a+'x';if(a){a=a.trim()}");
    }
    src.push_str("exec(a)};");
    let started = Instant::now();
    let issues = run_files(
        &[("min.js", &src)],
        "min.js",
        "handler",
        &[TriggerKind::Api],
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    // The budget may stop the walk before the sink; it must stop, and not crash.
    assert!(issues.len() <= 1);
}

#[test]
fn deeply_nested_expressions_are_bounded() {
    let depth = 5000;
    let js_src = format!(
        "exports.handler = async (event) => {{ return {}event.body{}; }};",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let _ = js(&js_src);
    let arr = format!(
        "exports.handler = (e) => {}e.body{};",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let _ = js(&arr);
    let py_src = format!(
        "def handler(event, context):\n    return {}event['body']{}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let _ = py(&py_src);
    let calls = format!(
        "exports.handler = (e) => {}e.body{};",
        "f(".repeat(depth),
        ")".repeat(depth)
    );
    let _ = js(&calls);
}

#[test]
fn mutual_recursion_terminates() {
    let issues = js(r#"
const { exec } = require('child_process');
function a(x, n) { return n ? b(x, n - 1) : x; }
function b(x, n) { return a(x + '!', n); }
exports.handler = async (event) => { exec(a(event.body, 10)); };"#);
    assert_eq!(
        kinds(&issues),
        vec![warden_code::IssueKind::CommandInjection]
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.js"),
        "exports.handler = () => 1;",
    )
    .unwrap();
    let root = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.js"), root.path().join("app.js"))
        .unwrap();
    let loader = Loader::new(root.path()).unwrap();
    let err = loader.load(&root.path().join("app.js")).unwrap_err();
    assert!(matches!(err, CodeError::OutsideRoot(_)), "{err:?}");
    let err = loader
        .load(&root.path().join("../../etc/passwd"))
        .unwrap_err();
    assert!(
        matches!(err, CodeError::OutsideRoot(_) | CodeError::Read(..)),
        "{err:?}"
    );
}

/// Deep expressions inside a chain of calls, analysed on a thread with a 2 MiB stack (the size of
/// rayon's workers): the nesting bound keeps the interpreter off the end of the stack.
#[test]
fn deep_call_chains_fit_a_small_stack() {
    let nest = |inner: &str| format!("{}{inner}{}", "(".repeat(110), ")".repeat(110));
    let mut src = String::from("const { exec } = require('child_process');\n");
    for i in 0..8 {
        let next = if i == 7 {
            "exec(x)".to_string()
        } else {
            format!("f{}(x)", i + 1)
        };
        src.push_str(&format!("function f{i}(x) {{ return {}; }}\n", nest(&next)));
    }
    src.push_str(&format!(
        "exports.handler = async (event) => {};\n",
        nest("f0(event.body)")
    ));
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || js(&src).len())
        .unwrap();
    assert!(handle.join().unwrap() <= 1);
}

/// Token soup: random sequences of the languages' tokens (a fixed-seed generator, so failures
/// reproduce) through parsing, lowering and the engine. Nothing may panic.
#[test]
fn random_token_soup_never_panics() {
    const JS: &[&str] = &[
        "exports.handler",
        "=",
        "async",
        "(",
        ")",
        "=>",
        "{",
        "}",
        "[",
        "]",
        "event",
        ".",
        "body",
        "const",
        "let",
        "x",
        "y",
        ",",
        ";",
        "require('child_process')",
        "exec",
        "`${",
        "`",
        "+",
        "if",
        "else",
        "return",
        "for",
        "of",
        "in",
        "new",
        "Function",
        "function",
        "...",
        "?",
        ":",
        "'a'",
        "1",
        "try",
        "catch",
        "await",
        "JSON.parse",
        "console.log",
        "!",
        "&&",
        "||",
        "=",
        "class",
        "this",
        "\n",
    ];
    const PY: &[&str] = &[
        "def",
        "handler",
        "(",
        ")",
        ":",
        "event",
        "[",
        "]",
        "'body'",
        "return",
        "if",
        "else",
        "for",
        "in",
        "import",
        "os",
        "os.system",
        "f'{",
        "}'",
        "+",
        "%",
        ",",
        "=",
        "lambda",
        "try",
        "except",
        "as",
        "e",
        "with",
        "open",
        "@app.route('/')",
        "not",
        "and",
        "or",
        "\n",
        "    ",
        "class",
        "yield",
        "await",
        "**",
        "*",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..150 {
        for (tokens, file) in [(JS, "index.js"), (PY, "app.py")] {
            let len = 20 + (next() % 200) as usize;
            let mut src = String::new();
            for _ in 0..len {
                src.push_str(tokens[(next() % tokens.len() as u64) as usize]);
                src.push(' ');
            }
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(file), &src).unwrap();
            let result = warden_code::analyze::analyze_file(
                dir.path(),
                file,
                "handler",
                spec_for_triggers(&[TriggerKind::Api]),
            );
            if let Err(e) = result {
                assert!(matches!(e, CodeError::NotFound(..)), "round {round}: {e:?}");
            }
        }
    }
}
