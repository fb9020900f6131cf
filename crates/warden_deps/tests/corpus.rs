//! The dependency corpus: small serverless apps under `tests/corpus/deps-*/` whose functions
//! pin known-vulnerable and fixed packages in every supported format. Each app's
//! `expected.json` lists the findings as `(rule, file, line, package, advisory)`: `DEP001` for a
//! vulnerable package, `DEP002` for an unpinned build. Data: `shared/vulndb`, plus the app's
//! own `osv/` directory when it has one. `WARDEN_BLESS=1` rewrites the expectations.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use warden_deps::{VulnDb, audit, discover_manifests};

fn workspace() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if e.file_type().unwrap().is_dir() {
            walk(root, &p, out);
        } else {
            out.push(p.strip_prefix(root).unwrap().to_path_buf());
        }
    }
}

fn slash(p: &Path) -> String {
    p.iter()
        .map(|c| c.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn run_app(app: &Path, cache: &Path) -> Value {
    let mut files = Vec::new();
    walk(app, app, &mut files);
    files.sort();
    let manifests = discover_manifests(app, &files);
    let mut sources = vec![workspace().join("../shared/vulndb")];
    if app.join("osv").is_dir() {
        sources.push(app.join("osv"));
    }
    let db = VulnDb::open(&sources, cache).unwrap();
    let report = audit(&manifests, &db);
    assert!(
        report.errors.is_empty(),
        "{}: {:?}",
        app.display(),
        report.errors
    );
    let mut rows: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            json!({"rule": "DEP001", "file": slash(&f.file), "line": f.line, "package": f.package,
                   "version": f.version, "advisory": f.advisory, "severity": f.severity.as_str(),
                   "fixed": f.fixed_version, "direct": f.direct})
        })
        .chain(report.unpinned.iter().map(|u| {
            json!({"rule": "DEP002", "file": slash(&u.manifest), "line": u.line, "package": null, "advisory": null,
                   "unpinned": u.unpinned.iter().map(|d| d.name.clone()).collect::<Vec<_>>()})
        }))
        .collect();
    rows.sort_by_key(|r| {
        (
            r["file"].as_str().unwrap_or("").to_string(),
            r["line"].as_u64(),
            r["rule"].to_string(),
            r["advisory"].to_string(),
        )
    });
    // A file included by two manifests (`-r`) yields one row per location.
    rows.dedup();
    Value::Array(rows)
}

#[test]
fn corpus_apps_match_their_expectations() {
    let cache = tempfile::tempdir().unwrap();
    let corpus = workspace().join("tests/corpus");
    let mut apps: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("deps-"))
        })
        .collect();
    apps.sort();
    assert!(
        apps.len() >= 5,
        "corpus apps missing under {}",
        corpus.display()
    );
    let bless = std::env::var_os("WARDEN_BLESS").is_some();
    for app in apps {
        let got = run_app(&app, cache.path());
        let expected_path = app.join("expected.json");
        if bless {
            std::fs::write(
                &expected_path,
                serde_json::to_string_pretty(&got).unwrap() + "\n",
            )
            .unwrap();
            continue;
        }
        let want: Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
        assert_eq!(got, want, "{}", app.display());
        // Every vulnerable pin is found and no fixed pin is.
        assert!(
            got.as_array()
                .unwrap()
                .iter()
                .any(|r| r["rule"] == "DEP001"),
            "{}",
            app.display()
        );
    }
}
