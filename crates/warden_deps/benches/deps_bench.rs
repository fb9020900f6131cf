//! Benchmark (bench binary, `cargo bench -p warden_deps`): the index build over all of
//! `shared/vulndb`, reopening the cached index, and the dependency pass over a generated tree of
//! 50 lockfiles with 20,000 resolved packages (five formats, a vulnerable pin every 40 packages).
#![allow(clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;
use warden_deps::{VulnDb, audit, discover_manifests};

const LOCKFILES: usize = 50;
const PER_FILE: usize = 400;

fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    PathBuf::from(rel)
}

fn generate(root: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for f in 0..LOCKFILES {
        let dir = format!("functions/fn{f:02}");
        let vuln = |i: usize| i % 40 == 0;
        match f % 5 {
            0 => {
                let mut s = String::from(
                    "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {},\n",
                );
                for i in 0..PER_FILE {
                    let (n, v) = if vuln(i) {
                        ("ms".to_string(), "0.7.0")
                    } else {
                        (format!("pkg-{f}-{i}"), "1.2.3")
                    };
                    let _ = writeln!(
                        s,
                        "    \"node_modules/{n}{}\": {{\"version\": \"{v}\"}},",
                        if vuln(i) {
                            format!("-{i}/node_modules/ms")
                        } else {
                            String::new()
                        }
                    );
                }
                s.push_str("    \"node_modules/zzz\": {\"version\": \"1.0.0\"}\n  }\n}\n");
                paths.push(write(root, &format!("{dir}/package-lock.json"), &s));
            }
            1 => {
                let mut s = String::new();
                for i in 0..PER_FILE {
                    if vuln(i) {
                        s.push_str("PyYAML==5.3\n")
                    } else {
                        let _ = writeln!(s, "pkg-{f}-{i}==2.0.{i}");
                    }
                }
                paths.push(write(root, &format!("{dir}/requirements.txt"), &s));
            }
            2 => {
                let mut s = String::from("version = 3\n");
                for i in 0..PER_FILE {
                    let (n, v) = if vuln(i) {
                        ("smallvec".to_string(), "0.6.9".to_string())
                    } else {
                        (format!("crate-{f}-{i}"), format!("0.{i}.0"))
                    };
                    let _ = write!(
                        s,
                        "\n[[package]]\nname = \"{n}\"\nversion = \"{v}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
                    );
                }
                paths.push(write(root, &format!("{dir}/Cargo.lock"), &s));
            }
            3 => {
                let mut s = String::from("module example.com/fn\n\ngo 1.22\n\nrequire (\n");
                for i in 0..PER_FILE {
                    if vuln(i) {
                        let _ = writeln!(s, "\tgolang.org/x/text v0.3.0 // indirect");
                    } else {
                        let _ = writeln!(s, "\tgithub.com/example/mod{f}x{i} v1.{i}.0");
                    }
                }
                s.push_str(")\n");
                paths.push(write(root, &format!("{dir}/go.mod"), &s));
            }
            _ => {
                let mut s = String::from("# yarn lockfile v1\n\n");
                for i in 0..PER_FILE {
                    let (n, v) = if vuln(i) {
                        ("qs".to_string(), "0.6.6")
                    } else {
                        (format!("yarn-pkg-{f}-{i}"), "3.1.4")
                    };
                    let _ = write!(
                        s,
                        "\n\"{n}@^{v}\":\n  version \"{v}\"\n  resolved \"https://registry.yarnpkg.com/{n}/-/{n}-{v}.tgz\"\n"
                    );
                }
                paths.push(write(root, &format!("{dir}/yarn.lock"), &s));
            }
        }
    }
    paths
}

fn main() {
    let vulndb = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/vulndb"
    ));
    let cache = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let db = VulnDb::open(std::slice::from_ref(&vulndb), cache.path()).unwrap();
    let build = t.elapsed();
    let s = &db.sources()[0];
    println!(
        "index build (all of shared/vulndb, {} records, {} packages, {} bytes): {:.0} ms",
        s.stats().records,
        s.package_count(),
        s.size_bytes(),
        build.as_secs_f64() * 1e3
    );
    drop(db);

    let tree = tempfile::tempdir().unwrap();
    let paths = generate(tree.path());
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let db = VulnDb::open(std::slice::from_ref(&vulndb), cache.path()).unwrap();
        let open = t.elapsed();
        assert!(!db.sources()[0].rebuilt());
        let manifests = discover_manifests(tree.path(), &paths);
        let parsed = t.elapsed();
        let report = audit(&manifests, &db);
        let total = t.elapsed();
        let packages: usize = manifests.iter().map(|m| m.packages.len()).sum();
        println!(
            "dependency pass: {} lockfiles, {packages} packages, {} findings: open {:.1} ms, parse {:.1} ms, audit {:.1} ms, total {:.1} ms",
            manifests.len(),
            report.findings.len(),
            open.as_secs_f64() * 1e3,
            (parsed - open).as_secs_f64() * 1e3,
            (total - parsed).as_secs_f64() * 1e3,
            total.as_secs_f64() * 1e3
        );
        best = best.min(total.as_secs_f64());
    }
    println!(
        "best dependency pass: {:.1} ms (target: under 1000 ms)",
        best * 1e3
    );
}
