//! Catalog tests: every rule is documented with the fixed headings, codes are unique and sorted,
//! metadata is well formed, and every rule has a fixture that fires it and one that does not.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use warden_input::cfn::{self, context::ParamOverrides};
use warden_input::document::{self, Limits};
use warden_model::Finding;
use warden_rules::doc::HEADINGS;
use warden_rules::{Selection, all_rules, find_rule, rule_infos, run_app};

fn fixture(code: &str, kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{code}/{kind}.yaml"))
}

/// A directory fixture (an Azure Functions project, a Terraform module) instead of a template.
fn fixture_dir(code: &str, kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{code}/{kind}"))
}

fn findings_of(code: &str, kind: &str) -> Vec<Finding> {
    let selection = Selection {
        select: vec![code.to_string()],
        ..Selection::default()
    };
    let dir = fixture_dir(code, kind);
    if dir.is_dir() {
        let project =
            warden_input::project::load(&dir, &warden_input::project::LoadOptions::default())
                .unwrap();
        return project
            .apps
            .iter()
            .flat_map(|app| run_app(app, &selection, &project.sources))
            .collect();
    }
    let path = fixture(code, kind);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: Arc<str> = Arc::from(format!("{kind}.yaml"));
    let doc = document::parse(file.clone(), &text, &Limits::default()).unwrap();
    let app = cfn::lower(file, &doc.root, &ParamOverrides::new()).unwrap();
    let selection = Selection {
        select: vec![code.to_string()],
        ..Selection::default()
    };
    run_app(&app, &selection, &warden_source::SourceMap::default())
}

/// Dependency rules read lockfiles, and SEC008 reads code and configuration files, not templates:
/// their fixtures are the corpus apps `tests/corpus/deps-*` (checked by warden_deps' corpus test
/// and the scan corpus) and `tests/corpus/secrets-in-code`. Code rules (CODE*) read handler code:
/// their fixtures are the corpus apps `tests/corpus/code-*` (vulnerable and fixed handlers), as
/// are those of IAM010 and IAM011, which compare handler code's SDK calls with the role.
fn is_project_file_rule(code: &str) -> bool {
    code.starts_with("DEP")
        || code == "SEC008"
        || code.starts_with("CODE")
        || code == "IAM010"
        || code == "IAM011"
}

#[test]
fn codes_are_unique_sorted_and_well_formed() {
    let codes: Vec<&str> = all_rules().iter().map(|r| r.meta().code).collect();
    assert!(!codes.is_empty());
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(codes, sorted, "registry codes must be unique and sorted");
    for code in &codes {
        let (prefix, digits) = code.split_at(code.len() - 3);
        assert!(
            prefix.len() >= 2 && prefix.bytes().all(|b| b.is_ascii_uppercase()),
            "{code}"
        );
        assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{code}");
        assert!(
            find_rule(&code.to_ascii_lowercase()).is_some(),
            "find_rule is case-insensitive"
        );
    }
    let names: Vec<&str> = all_rules().iter().map(|r| r.meta().name).collect();
    let mut unique = names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "rule names are unique");
    assert!(find_rule("NOPE999").is_none());
}

#[test]
fn metadata_is_complete() {
    for rule in all_rules() {
        let m = rule.meta();
        assert!(
            m.name.split('-').all(|w| !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
            "{}: name `{}` is not kebab-case",
            m.code,
            m.name
        );
        assert!(!m.practice.is_empty(), "{}: practice", m.code);
        assert!(!m.cwe.is_empty(), "{}: CWE", m.code);
        assert!(!m.owasp.is_empty(), "{}: OWASP", m.code);
        for item in m.owasp {
            let n: u32 = item.strip_prefix("SAS-").unwrap().parse().unwrap();
            assert!((1..=10).contains(&n), "{}: {item}", m.code);
        }
    }
}

#[test]
fn every_rule_is_documented_with_the_five_headings_in_order() {
    let infos = rule_infos();
    assert_eq!(infos.len(), all_rules().len());
    for info in &infos {
        let doc = &info.doc;
        assert!(!doc.is_empty(), "{} has no documentation", info.code);
        let mut last = 0;
        for heading in HEADINGS {
            let lines: Vec<usize> = doc
                .lines()
                .enumerate()
                .filter(|(_, l)| l.trim_end() == heading)
                .map(|(i, _)| i)
                .collect();
            assert_eq!(
                lines.len(),
                1,
                "{}: heading `{heading}` must appear exactly once",
                info.code
            );
            assert!(lines[0] >= last, "{}: `{heading}` out of order", info.code);
            last = lines[0];
        }
        // Each section has content; the examples are code blocks.
        let sections: Vec<&str> = doc.split("## ").skip(1).collect();
        assert_eq!(sections.len(), 5, "{}: only the five headings", info.code);
        for s in &sections {
            let body = s.split_once('\n').map_or("", |(_, b)| b).trim();
            assert!(
                !body.is_empty(),
                "{}: empty section `{}`",
                info.code,
                s.lines().next().unwrap_or("")
            );
        }
        assert!(
            sections[2].contains("```"),
            "{}: insecure example",
            info.code
        );
        assert!(
            sections[3].contains("```"),
            "{}: secure alternative",
            info.code
        );
        assert!(
            !info.summary.is_empty() && info.summary.len() < 400,
            "{}: summary",
            info.code
        );
        assert!(
            info.doc.contains(&format!("CWE-{}", info.cwe[0])),
            "{}: references name the CWE",
            info.code
        );
    }
}

#[test]
fn every_rule_has_a_firing_and_a_passing_fixture() {
    for rule in all_rules() {
        let code = rule.meta().code;
        if is_project_file_rule(code) {
            let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/deps-node");
            assert!(corpus.is_dir(), "{code}: no dependency corpus app");
            continue;
        }
        for kind in ["fires", "passes"] {
            assert!(
                fixture(code, kind).is_file() || fixture_dir(code, kind).is_dir(),
                "missing fixtures/{code}/{kind}.yaml (or directory fixtures/{code}/{kind}/)"
            );
        }
        let fires = findings_of(code, "fires");
        assert!(
            fires.iter().any(|f| f.rule == code
                && f.severity >= rule.meta().severity.min(warden_model::Severity::Medium)),
            "{code}: fires.yaml does not trigger the rule: {fires:?}"
        );
        assert!(fires.iter().all(|f| f.rule == code));
        let passes = findings_of(code, "passes");
        assert!(
            passes.is_empty(),
            "{code}: passes.yaml triggers the rule: {passes:#?}"
        );
    }
}

#[test]
fn fixture_directories_match_the_registry() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let codes: Vec<String> = all_rules()
        .iter()
        .map(|r| r.meta().code.to_string())
        .filter(|c| !is_project_file_rule(c))
        .collect();
    assert_eq!(dirs, codes, "one fixture directory per rule, no orphans");
}
