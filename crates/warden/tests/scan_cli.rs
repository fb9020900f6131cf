//! `warden scan` end to end through the real binary: exit codes, every output format, output
//! files, rule selection, colour, reproducibility, baselines and secret redaction.
#![allow(clippy::unwrap_used)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn vulnerable() -> PathBuf {
    workspace().join("examples/orders-vulnerable")
}

fn fixed() -> PathBuf {
    workspace().join("examples/orders-fixed")
}

/// The plaintext secrets written in the vulnerable example's template.
const EXAMPLE_SECRETS: [&str; 2] = [
    "sk_live_4eC39HqLyjWDarjtT1zdp7dcQx9R2mKb",
    "Pr0d-Orders-9f8a7c21e4",
];

fn warden(args: &[&str]) -> Output {
    warden_env(args, &[])
}

fn warden_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_warden"));
    cmd.args(args).env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// The first rules of the catalog (issue 2), whose findings on the example are pinned here; the
/// rest of the catalog is exercised by `scan_raw` wherever counts do not matter.
const PINNED: &str = "AUTH001,AUTH002,EVT001,IAM001,SEC001";

/// Scans with `--select PINNED` unless the arguments select rules themselves.
fn scan(path: &Path, extra: &[&str]) -> Output {
    if extra.contains(&"--select") {
        return scan_raw(path, extra);
    }
    let mut args = vec!["--select", PINNED];
    args.extend_from_slice(extra);
    scan_raw(path, &args)
}

/// Scans with the whole catalog.
fn scan_raw(path: &Path, extra: &[&str]) -> Output {
    let p = path.to_str().unwrap();
    let mut args = vec!["scan", p];
    args.extend_from_slice(extra);
    warden(&args)
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            stdout(out),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn rules_of(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// Copies the vulnerable example into a temporary directory (for edits).
fn copy_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        vulnerable().join("template.yaml"),
        dir.path().join("template.yaml"),
    )
    .unwrap();
    dir
}

// ---------------------------------------------------------------- exit codes

#[test]
fn exit_codes_follow_the_threshold() {
    assert_eq!(code(&scan(&vulnerable(), &["-q"])), 1);
    assert_eq!(code(&scan(&fixed(), &["-q"])), 0);
    // The example has critical findings: still failing at `critical`, never with `none`.
    assert_eq!(
        code(&scan(&vulnerable(), &["-q", "--fail-on", "critical"])),
        1
    );
    assert_eq!(code(&scan(&vulnerable(), &["-q", "--fail-on", "none"])), 0);
    // Only high findings (SEC001): below a `critical` threshold, above `medium`.
    let only_high = ["-q", "--select", "SEC001"];
    assert_eq!(
        code(&scan(
            &vulnerable(),
            &[&only_high[..], &["--fail-on", "critical"]].concat()
        )),
        0
    );
    assert_eq!(
        code(&scan(
            &vulnerable(),
            &[&only_high[..], &["--fail-on", "medium"]].concat()
        )),
        1
    );
}

#[test]
fn fixed_example_has_no_findings_in_json() {
    let out = scan(&fixed(), &["-q", "--format", "json"]);
    let report = json(&out);
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(report["errors"], serde_json::json!([]));
    assert!(report["stats"]["functions"].as_u64().unwrap() >= 1);
}

#[test]
fn tool_errors_exit_2() {
    let v = vulnerable();
    let p = v.to_str().unwrap();
    for args in [
        vec!["scan", p, "--no-such-flag"],
        vec!["scan", "/nonexistent/warden/path"],
        vec!["scan", p, "--select", "NOPE123"],
        vec!["scan", p, "--ignore", "XYZ"],
        vec!["scan", p, "--format", "yaml"],
        vec!["scan", p, "--fail-on", "severe"],
        vec!["scan", p, "--color", "sometimes"],
        vec!["scan", p, "--param", "NoEqualsSign"],
        vec!["scan", p, "--baseline", "/nonexistent/baseline.json"],
    ] {
        let out = warden(&args);
        assert_eq!(
            code(&out),
            2,
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stderr.is_empty(), "{args:?} explains itself on stderr");
        assert!(out.stdout.is_empty(), "{args:?} writes no report");
    }
}

#[test]
fn bad_config_exits_2() {
    let dir = copy_example();
    std::fs::write(dir.path().join("warden.toml"), "ignroe = [\"SEC001\"]\n").unwrap();
    let out = scan(dir.path(), &["-q"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("ignroe"));

    std::fs::write(
        dir.path().join("warden.toml"),
        "[severity]\nSEC001 = \"urgent\"\n",
    )
    .unwrap();
    assert_eq!(code(&scan(dir.path(), &["-q"])), 2);

    std::fs::write(dir.path().join("warden.toml"), "select = [\"BOGUS\"]\n").unwrap();
    assert_eq!(code(&scan_raw(dir.path(), &["-q"])), 2);
}

#[test]
fn config_file_selects_and_rescales() {
    let dir = copy_example();
    std::fs::write(
        dir.path().join("warden.toml"),
        "select = [\"AUTH001\", \"AUTH002\", \"EVT001\", \"IAM001\", \"SEC001\"]\nignore = [\"IAM001\"]\nfail-on = \"critical\"\n[severity]\nSEC001 = \"low\"\n",
    )
    .unwrap();
    let out = scan_raw(dir.path(), &["-q", "--format", "json"]);
    let report = json(&out);
    let rules = rules_of(&report);
    assert!(!rules.is_empty() && !rules.iter().any(|r| r.starts_with("IAM")));
    for f in report["findings"].as_array().unwrap() {
        if f["rule"] == "SEC001" {
            assert_eq!(f["severity"], "low");
        }
    }
    // No critical finding left (IAM001 was the critical one).
    assert_eq!(code(&out), 0);
    // The command line wins over the file.
    assert_eq!(code(&scan_raw(dir.path(), &["-q", "--fail-on", "high"])), 1);
}

// ---------------------------------------------------------------- formats

#[test]
fn json_follows_the_contract_exactly() {
    let report = json(&scan(&vulnerable(), &["-q", "--format", "json"]));
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(&report),
        ["version", "tool", "findings", "errors", "stats"]
    );
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "warden");
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        keys(&report["stats"]),
        ["files_scanned", "apps", "functions", "duration_ms"]
    );
    assert_eq!(report["stats"]["apps"], 1);
    assert_eq!(report["stats"]["functions"], 4);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 8);
    let categories = [
        "iam",
        "secret",
        "auth",
        "throttle",
        "waf",
        "tls",
        "encryption",
        "trigger",
        "public",
        "injection",
        "logging",
        "monitoring",
        "dependency",
        "cors",
        "error-handling",
        "runtime",
        "network",
        "config",
        "code",
    ];
    for f in findings {
        assert_eq!(
            keys(f),
            [
                "rule",
                "name",
                "category",
                "severity",
                "confidence",
                "message",
                "file",
                "line",
                "column",
                "end_line",
                "end_column",
                "resource",
                "fingerprint",
                "help"
            ]
        );
        assert!(categories.contains(&f["category"].as_str().unwrap()));
        assert!(
            ["critical", "high", "medium", "low", "info"]
                .contains(&f["severity"].as_str().unwrap())
        );
        assert_eq!(
            f["file"], "template.yaml",
            "paths are relative to the scanned root"
        );
        assert!(f["line"].as_u64().unwrap() >= 1 && f["column"].as_u64().unwrap() >= 1);
        assert!(f["end_line"].as_u64() >= f["line"].as_u64());
        assert_eq!(f["fingerprint"].as_str().unwrap().len(), 32);
    }
    // Sorted by file, line, rule.
    let order: Vec<(String, u64, String)> = findings
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().into(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[test]
fn json_errors_have_file_and_message() {
    let dir = copy_example();
    std::fs::write(
        dir.path().join("broken.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [unclosed\n",
    )
    .unwrap();
    let out = scan(dir.path(), &["-q", "--format", "json"]);
    let report = json(&out);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["file", "message"]
    );
    assert_eq!(errors[0]["file"], "broken.yaml");
    // A broken file never stops the others: the template's findings are all there.
    assert_eq!(report["findings"].as_array().unwrap().len(), 8);
    assert_eq!(code(&out), 1);
}

fn sarif_validator() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/schemas/sarif-schema-2.1.0.json"
    );
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let validator = sarif_validator();
    // The whole catalog's metadata and results, on both examples.
    for dir in [vulnerable(), fixed()] {
        let out = scan_raw(&dir, &["-q", "--format", "sarif"]);
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "invalid SARIF for {}:\n{}",
            dir.display(),
            errors.join("\n")
        );
        assert_eq!(doc["version"], "2.1.0");
    }
    let out = scan(&vulnerable(), &["-q", "--format", "sarif"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for code in ["AUTH001", "AUTH002", "EVT001", "IAM001", "SEC001"] {
        assert!(ids.contains(&code), "rule metadata for {code}");
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 8);
    for r in results {
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(
            r["partialFingerprints"]
                .as_object()
                .is_some_and(|m| !m.is_empty())
        );
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "template.yaml");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn github_format_is_one_annotation_per_finding() {
    let out = scan(&vulnerable(), &["-q", "--format", "github"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 8);
    for line in &lines {
        assert!(
            line.starts_with("::error file=template.yaml,line="),
            "{line}"
        );
        assert!(line.contains(",title="));
    }
    assert!(
        lines
            .iter()
            .any(|l| l.contains("title=IAM001 wildcard-action::"))
    );
}

#[test]
fn junit_parses_as_xml_with_one_failure_per_finding() {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let out = scan(&vulnerable(), &["-q", "--format", "junit"]);
    let xml = stdout(&out);
    let mut reader = Reader::from_str(&xml);
    reader.config_mut().check_end_names = true;
    let (mut testcases, mut failures, mut depth, mut roots) = (0, 0, 0i32, 0);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                if depth == 0 {
                    roots += 1;
                    assert_eq!(e.name().as_ref(), "testsuites");
                }
                depth += 1;
                match e.name().as_ref() {
                    "testcase" => testcases += 1,
                    "failure" => failures += 1,
                    _ => {}
                }
            }
            Event::Empty(e) => match e.name().as_ref() {
                "testcase" => testcases += 1,
                "failure" => failures += 1,
                _ => {}
            },
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!((roots, depth), (1, 0));
    assert_eq!(testcases, 8);
    assert_eq!(failures, 8);
}

#[test]
fn pretty_is_grouped_by_file_with_excerpts() {
    let out = scan(&vulnerable(), &["--color", "never"]);
    let text = stdout(&out);
    assert!(text.starts_with("template.yaml (8 findings)"), "{text}");
    assert!(text.contains("critical IAM001 wildcard-action"));
    assert!(text.contains("--> template.yaml:72:19 (InvoiceWebhookFn)"));
    assert!(text.contains("72 |         AuthType: NONE"));
}

#[test]
fn output_file_gets_the_report_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["pretty", "json", "sarif", "github", "junit"] {
        let file = dir.path().join(format!("report.{format}"));
        let out = scan(
            &vulnerable(),
            &["-q", "--format", format, "--output", file.to_str().unwrap()],
        );
        assert_eq!(code(&out), 1, "{format}");
        assert!(out.stdout.is_empty(), "{format} wrote to stdout");
        let written = std::fs::read_to_string(&file).unwrap();
        assert!(!written.is_empty(), "{format}");
        assert!(!written.contains('\u{1b}'), "{format}: no colour in files");
    }
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 8);
}

// ---------------------------------------------------------------- selection, colour

#[test]
fn select_and_ignore_by_code_or_prefix() {
    let rules = |extra: &[&str]| {
        let mut args = vec!["-q", "--format", "json"];
        args.extend_from_slice(extra);
        let mut r = rules_of(&json(&scan_raw(&vulnerable(), &args)));
        r.sort();
        r.dedup();
        r
    };
    let all = rules(&[]);
    for code in ["AUTH001", "AUTH002", "EVT001", "IAM001", "SEC001"] {
        assert!(all.iter().any(|r| r == code), "{code} in {all:?}");
    }
    let only = |got: Vec<String>, prefixes: &[&str]| {
        assert!(!got.is_empty());
        assert!(
            got.iter()
                .all(|r| prefixes.iter().any(|p| r.starts_with(p))),
            "{got:?} outside {prefixes:?}"
        );
        got
    };
    assert!(only(rules(&["--select", "IAM"]), &["IAM"]).contains(&"IAM001".to_string()));
    only(rules(&["--select", "auth"]), &["AUTH"]);
    assert_eq!(
        rules(&["--select", "AUTH001,SEC001"]),
        ["AUTH001", "SEC001"]
    );
    assert_eq!(
        rules(&["--select", "AUTH002", "--select", "EVT001"]),
        ["AUTH002", "EVT001"]
    );
    let ignored = rules(&["--ignore", "AUTH,SEC"]);
    assert!(
        ignored
            .iter()
            .all(|r| !r.starts_with("AUTH") && !r.starts_with("SEC")),
        "{ignored:?}"
    );
    assert!(ignored.contains(&"IAM001".to_string()) && ignored.contains(&"EVT001".to_string()));
    let auth = only(
        rules(&["--select", "AUTH", "--ignore", "AUTH002"]),
        &["AUTH"],
    );
    assert!(auth.contains(&"AUTH001".to_string()) && !auth.contains(&"AUTH002".to_string()));
    // The more specific code wins over the prefix.
    assert_eq!(
        rules(&["--select", "AUTH002", "--ignore", "AUTH"]),
        ["AUTH002"]
    );
}

#[test]
fn colour_is_honoured() {
    let esc = |out: &Output| out.stdout.contains(&0x1b);
    assert!(esc(&scan(&vulnerable(), &["-q", "--color", "always"])));
    assert!(!esc(&scan(&vulnerable(), &["-q", "--color", "never"])));
    // Not a terminal: auto means no colour.
    assert!(!esc(&scan(&vulnerable(), &["-q"])));
    let p = vulnerable();
    let out = warden_env(&["scan", p.to_str().unwrap(), "-q"], &[("NO_COLOR", "1")]);
    assert!(!esc(&out));
    // Machine formats are never coloured.
    for format in ["json", "sarif", "github", "junit"] {
        assert!(
            !esc(&scan(
                &vulnerable(),
                &["-q", "--color", "always", "--format", format]
            )),
            "{format}"
        );
    }
}

#[test]
fn quiet_writes_nothing_on_stderr() {
    let out = scan(&vulnerable(), &["--quiet", "--format", "json"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---------------------------------------------------------------- reproducibility

fn without_duration(out: &Output) -> String {
    let mut v = json(out);
    v["stats"].as_object_mut().unwrap().remove("duration_ms");
    serde_json::to_string_pretty(&v).unwrap()
}

#[test]
fn json_is_byte_identical_run_to_run() {
    let corpus = workspace().join("tests/corpus");
    for root in [vulnerable(), corpus] {
        let a = scan_raw(&root, &["-q", "--format", "json"]);
        let b = scan_raw(&root, &["-q", "--format", "json", "--jobs", "1"]);
        let c = scan_raw(&root, &["-q", "--format", "json", "--jobs", "2"]);
        assert_eq!(
            without_duration(&a),
            without_duration(&b),
            "{}",
            root.display()
        );
        assert_eq!(
            without_duration(&a),
            without_duration(&c),
            "{}",
            root.display()
        );
        // And byte for byte in the raw output once the duration line is dropped.
        let strip = |o: &Output| {
            stdout(o)
                .lines()
                .filter(|l| !l.contains("\"duration_ms\""))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(strip(&a), strip(&b));
    }
}

// ---------------------------------------------------------------- baselines

fn fingerprints(report: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["fingerprint"].as_str().unwrap().into(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn baseline_absorbs_current_findings_only() {
    let dir = copy_example();
    let root = dir.path();
    let baseline = root.join("warden-baseline.json");
    let b = baseline.to_str().unwrap();

    let first = scan(root, &["-q", "--format", "json", "--write-baseline", b]);
    let before = fingerprints(&json(&first));
    assert_eq!(before.len(), 8);
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(written["version"], 1);
    assert_eq!(written["fingerprints"].as_array().unwrap().len(), 8);

    // Everything is in the baseline: clean.
    let out = scan(root, &["-q", "--format", "json", "--baseline", b]);
    assert_eq!(json(&out)["findings"], serde_json::json!([]));
    assert_eq!(code(&out), 0);

    // Unrelated edits above every finding: lines shift, fingerprints stay.
    let template = root.join("template.yaml");
    let text = std::fs::read_to_string(&template).unwrap();
    let edited = text
        .replacen(
            "Parameters:",
            "# Owner: orders team\n# Runbook: https://wiki.example.com/orders\nParameters:",
            1,
        )
        .replacen(
            "    Default: prod",
            "    Default: prod\n    AllowedValues: [dev, prod]",
            1,
        );
    std::fs::write(&template, &edited).unwrap();
    let moved = json(&scan(root, &["-q", "--format", "json"]));
    assert_eq!(
        fingerprints(&moved),
        before,
        "an unrelated edit changed fingerprints"
    );
    assert_eq!(
        moved["findings"][0]["line"], 38,
        "the edit did move the findings"
    );
    let out = scan(root, &["-q", "--format", "json", "--baseline", b]);
    assert_eq!(json(&out)["findings"], serde_json::json!([]));

    // A new violation in the same file is reported.
    let with_new = edited.replacen(
        "      Policies:\n        - DynamoDBReadPolicy:",
        "      Environment:\n        Variables:\n          GITHUB_TOKEN: ghp_R8mZq2Lx7VtN4pKs9WdE3yHc6JbF1aGu0oQi\n      Policies:\n        - DynamoDBReadPolicy:",
        1,
    );
    assert_ne!(with_new, edited);
    std::fs::write(&template, &with_new).unwrap();
    let out = scan(root, &["-q", "--format", "json", "--baseline", b]);
    let report = json(&out);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["rule"], "SEC001");
    assert_eq!(findings[0]["resource"], "GetOrderFn");
    assert_eq!(code(&out), 1);

    // The same violations copied into another file are new there.
    std::fs::create_dir(root.join("copy")).unwrap();
    std::fs::write(root.join("copy/template.yaml"), &text).unwrap();
    let out = scan(root, &["-q", "--format", "json", "--baseline", b]);
    let report = json(&out);
    let in_copy = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == "copy/template.yaml")
        .count();
    assert_eq!(in_copy, 8);
}

#[test]
fn baseline_that_is_not_a_baseline_is_a_tool_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("b.json");
    std::fs::write(&bad, "[1, 2, 3]").unwrap();
    let out = scan(&vulnerable(), &["-q", "--baseline", bad.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
}

// ---------------------------------------------------------------- secrets

#[test]
fn secrets_never_appear_unredacted_in_any_format() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["pretty", "json", "sarif", "github", "junit"] {
        for color in ["never", "always"] {
            let out = scan_raw(&vulnerable(), &["--format", format, "--color", color]);
            let file = dir.path().join(format!("{format}-{color}.out"));
            scan_raw(
                &vulnerable(),
                &["-q", "--format", format, "--output", file.to_str().unwrap()],
            );
            let texts = [
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
                std::fs::read_to_string(&file).unwrap(),
            ];
            for text in &texts {
                for secret in EXAMPLE_SECRETS {
                    assert!(!text.contains(secret), "{format}/{color} leaks a secret");
                    // Not even a long prefix of it.
                    assert!(
                        !text.contains(&secret[..10]),
                        "{format}/{color} leaks a secret prefix"
                    );
                }
            }
        }
    }
    // The baseline holds only hashes.
    let b = dir.path().join("baseline.json");
    scan_raw(
        &vulnerable(),
        &["-q", "--write-baseline", b.to_str().unwrap()],
    );
    let text = std::fs::read_to_string(&b).unwrap();
    for secret in EXAMPLE_SECRETS {
        assert!(!text.contains(&secret[..10]));
    }
}
