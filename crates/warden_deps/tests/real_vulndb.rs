//! Matching against the real advisory data in `shared/vulndb` (crates.io, Go, PyPI, npm exports)
//! and against small OSV fixtures for the edge cases (alias merging across JSON and YAML,
//! withdrawn records, GIT ranges, `limit`, Maven ordering), plus the index cache lifecycle.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use warden_deps::{Severity, VulnDb, audit, discover_manifests};

fn vulndb() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/vulndb"
    ))
}
fn fixtures() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/osv"))
}

/// One database (real data + fixtures) per test process; its cache lives in a temp dir.
fn db() -> &'static VulnDb {
    static DB: OnceLock<(tempfile::TempDir, VulnDb)> = OnceLock::new();
    &DB.get_or_init(|| {
        let cache = tempfile::tempdir().unwrap();
        let db = VulnDb::open(&[vulndb(), fixtures()], cache.path()).unwrap();
        (cache, db)
    })
    .1
}

/// Writes `files` into a temp tree and audits it.
fn audit_tree(files: &[(&str, &str)]) -> warden_deps::AuditReport {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (p, text) in files {
        let full = dir.path().join(p);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, text).unwrap();
        paths.push(PathBuf::from(p));
    }
    let manifests = discover_manifests(dir.path(), &paths);
    audit(&manifests, db())
}

fn ids(r: &warden_deps::AuditReport, package: &str) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.package == package)
        .map(|f| f.advisory.clone())
        .collect()
}

#[test]
fn real_data_loads_every_ecosystem() {
    let stats: Vec<_> = db().sources().iter().map(|s| s.stats().clone()).collect();
    let real = &stats[0];
    let per: std::collections::HashMap<_, _> = real.per_ecosystem.iter().cloned().collect();
    assert_eq!(per.get("npm"), Some(&461));
    assert!(per.get("crates.io").copied().unwrap_or(0) > 1100);
    assert!(per.get("Go").copied().unwrap_or(0) > 4000);
    assert!(per.get("PyPI").copied().unwrap_or(0) > 6500);
    assert!(real.withdrawn > 0, "withdrawn records are counted");
    assert!(real.git_ranges > 0, "PyPI GIT ranges are counted");
    assert_eq!(real.error_count, 0, "{:?}", real.errors);
}

#[test]
fn go_module_with_four_advisories() {
    let r = audit_tree(&[(
        "fn/go.mod",
        "module example.com/fn\n\ngo 1.21\n\nrequire (\n\tgolang.org/x/text v0.3.0 // indirect\n\tgolang.org/x/net v0.0.0-20220127200216-cd36cc0744dd\n)\n",
    )]);
    assert_eq!(
        ids(&r, "golang.org/x/text"),
        vec![
            "GO-2020-0015",
            "GO-2021-0113",
            "GO-2022-1059",
            "GO-2026-5970"
        ]
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.advisory == "GO-2020-0015")
        .unwrap();
    assert_eq!(
        (f.line, f.direct, f.fixed_version.as_deref()),
        (6, false, Some("0.3.3"))
    );
    assert_eq!(f.aliases, vec!["CVE-2020-14040", "GHSA-5rcv-m4m3-hfh7"]);
    assert_eq!(
        f.severity,
        Severity::Medium,
        "Go records carry no CVSS vector"
    );
    // A pseudo-version of x/net from early 2022 is affected by later advisories.
    assert!(!ids(&r, "golang.org/x/net").is_empty());
    let fixed = audit_tree(&[("go.mod", "module m\n\nrequire golang.org/x/text v0.39.0\n")]);
    assert!(ids(&fixed, "golang.org/x/text").is_empty());
}

#[test]
fn cargo_lock_severity_from_cvss_and_nearest_fix() {
    let lock = |v: &str| {
        format!(
            "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"smallvec\"]\n\n[[package]]\nname = \"smallvec\"\nversion = \"{v}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        )
    };
    let r = audit_tree(&[("Cargo.lock", &lock("0.6.9"))]);
    let f = r
        .findings
        .iter()
        .find(|f| f.advisory == "RUSTSEC-2019-0009")
        .unwrap();
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(f.cvss_score, Some(9.8));
    assert_eq!(f.fixed_version.as_deref(), Some("0.6.10"));
    assert!(f.direct);
    assert_eq!(f.line, 9);
    let other = r
        .findings
        .iter()
        .find(|f| f.advisory == "RUSTSEC-2018-0018")
        .unwrap();
    assert_eq!(other.severity, Severity::Medium, "no vector: medium");
    assert_eq!(other.fixed_version.as_deref(), Some("0.6.13"));
    // 0.6.10 is past RUSTSEC-2019-0009 but not RUSTSEC-2018-0018.
    let r = audit_tree(&[("Cargo.lock", &lock("0.6.10"))]);
    assert!(!ids(&r, "smallvec").contains(&"RUSTSEC-2019-0009".to_string()));
    assert!(ids(&r, "smallvec").contains(&"RUSTSEC-2018-0018".to_string()));
}

#[test]
fn npm_legacy_last_affected_and_fixed() {
    let lock = "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {\"dependencies\": {\"ms\": \"0.7.0\"}},\n    \"node_modules/ms\": {\"version\": \"0.7.0\"},\n    \"node_modules/qs\": {\"version\": \"0.6.6\"},\n    \"node_modules/other/node_modules/ms\": {\"version\": \"0.7.1\"}\n  }\n}\n";
    let r = audit_tree(&[("fn/package-lock.json", lock)]);
    let ms: Vec<_> = r.findings.iter().filter(|f| f.package == "ms").collect();
    assert!(ms.iter().any(|f| f.advisory == "NSWG-NPM-46"
        && f.line == 5
        && f.direct
        && f.fixed_version.is_none()));
    assert!(
        !ms.iter()
            .any(|f| f.advisory == "NSWG-NPM-46" && f.line == 7),
        "0.7.1 is past last_affected"
    );
    let qs = ids(&r, "qs");
    assert!(qs.contains(&"NSWG-NPM-28".to_string()) && qs.contains(&"NSWG-NPM-29".to_string()));
}

#[test]
fn pypi_versions_are_normalised_and_names_too() {
    let r = audit_tree(&[("svc/requirements.txt", "PyYAML==5.3\n")]);
    assert_eq!(ids(&r, "PyYAML"), vec!["PYSEC-2020-96", "PYSEC-2021-142"]);
    let f = r
        .findings
        .iter()
        .find(|f| f.advisory == "PYSEC-2020-96")
        .unwrap();
    assert_eq!(f.fixed_version.as_deref(), Some("5.3.1"));
    let r = audit_tree(&[("svc/requirements.txt", "pyyaml==5.4.0\n")]);
    assert!(!ids(&r, "pyyaml").contains(&"PYSEC-2020-96".to_string()));
}

#[test]
fn aliases_merge_withdrawn_ignored_git_counted() {
    // 1.6 is affected by PYSEC-9999-1 (range) and GHSA-test-0001 (YAML record, same CVE).
    let r = audit_tree(&[("requirements.txt", "demo.pkg==1.6\n")]);
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    let f = &r.findings[0];
    assert_eq!(f.advisory, "PYSEC-9999-1");
    assert_eq!(f.aliases, vec!["CVE-9999-0001", "GHSA-test-0001"]);
    assert_eq!(
        f.severity,
        Severity::Critical,
        "the higher of the two scores (v4 9.3)"
    );
    assert_eq!(
        f.fixed_version.as_deref(),
        Some("2.1"),
        "the fix for both records"
    );
    assert!(r.skipped_git_ranges >= 1);
    // 2.0.post1 fixes the PYSEC record but not the GHSA one.
    let r = audit_tree(&[("requirements.txt", "demo-pkg==2.0.post1\n")]);
    assert_eq!(ids(&r, "demo-pkg"), vec!["GHSA-test-0001"]);
    // Listed version 1.0 (as 1.0.0), below the GHSA range.
    let r = audit_tree(&[("requirements.txt", "demo-pkg==1.0.0\n")]);
    assert_eq!(ids(&r, "demo-pkg"), vec!["PYSEC-9999-1"]);
    assert!(!r.findings.iter().any(|f| f.summary.contains("Withdrawn")));
    let r = audit_tree(&[("requirements.txt", "demo-pkg==2.1\n")]);
    assert!(r.findings.is_empty());
}

#[test]
fn maven_ordering_and_limit_from_fixture() {
    let pom = "<project>\n  <dependencies>\n    <dependency>\n      <groupId>com.example</groupId>\n      <artifactId>demo-databind</artifactId>\n      <version>2.9.10.7</version>\n    </dependency>\n  </dependencies>\n</project>\n";
    let r = audit_tree(&[("java/pom.xml", pom)]);
    let f = &r.findings[0];
    assert_eq!(
        (f.advisory.as_str(), f.line, f.fixed_version.as_deref()),
        ("GHSA-test-maven", 3, Some("2.9.10.8"))
    );
    assert_eq!(f.severity, Severity::High);
    let gradle = "com.example:demo-databind:2.10.5.1=runtimeClasspath\ncom.example:demo-databind:2.10.0=compileClasspath\ncom.example:limited:2.9=runtimeClasspath\ncom.example:limited:3.0=runtimeClasspath\n";
    let r = audit_tree(&[("gradle.lockfile", gradle)]);
    let got: Vec<_> = r
        .findings
        .iter()
        .map(|f| (f.line, f.advisory.as_str()))
        .collect();
    assert_eq!(got, vec![(2, "GHSA-test-maven"), (3, "GHSA-test-limit")]);
}

#[test]
fn index_is_cached_and_rebuilt_when_the_source_changes() {
    let src = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(src.path().join("crates.io")).unwrap();
    std::fs::copy(
        vulndb().join("crates.io/all.zip"),
        src.path().join("crates.io/all.zip"),
    )
    .unwrap();
    let first = VulnDb::open(&[src.path().to_path_buf()], cache.path()).unwrap();
    assert!(first.sources()[0].rebuilt());
    assert!(
        first.sources()[0]
            .index_file()
            .unwrap()
            .starts_with(cache.path())
    );
    let second = VulnDb::open(&[src.path().to_path_buf()], cache.path()).unwrap();
    assert!(
        !second.sources()[0].rebuilt(),
        "unchanged source reuses the index"
    );
    assert_eq!(
        first.lookup(warden_deps::Ecosystem::CratesIo, "smallvec"),
        second.lookup(warden_deps::Ecosystem::CratesIo, "smallvec")
    );
    // A new record appears: the index is rebuilt and the record is found.
    std::fs::write(
        src.path().join("local.json"),
        r#"{"id":"LOCAL-1","affected":[{"package":{"ecosystem":"crates.io","name":"my-crate"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}"#,
    )
    .unwrap();
    let third = VulnDb::open(&[src.path().to_path_buf()], cache.path()).unwrap();
    assert!(third.sources()[0].rebuilt());
    assert_eq!(
        third
            .lookup(warden_deps::Ecosystem::CratesIo, "my-crate")
            .len(),
        1
    );
    // A corrupt cache file is rebuilt, not trusted.
    let idx = third.sources()[0].index_file().unwrap().to_path_buf();
    std::fs::write(&idx, b"garbage").unwrap();
    let fourth = VulnDb::open(&[src.path().to_path_buf()], cache.path()).unwrap();
    assert!(fourth.sources()[0].rebuilt());
}

#[test]
fn no_sources_is_a_clear_error() {
    let err = VulnDb::open(&[], Path::new("/nonexistent")).unwrap_err();
    assert!(err.to_string().contains("warden db fetch"));
    assert!(VulnDb::open(&[PathBuf::from("/nonexistent/db")], Path::new("/tmp")).is_err());
}
