//! `warden db fetch` against a local HTTP server (started inside the test, loopback only,
//! bounded in connections and time) serving `shared/vulndb`, then `warden db status`.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

fn vulndb() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/vulndb"
    ))
}

/// Serves files under `root` for at most `max` connections; returns the base URL.
fn serve(root: PathBuf, max: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(max) {
            let Ok(mut stream) = stream else { continue };
            stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            // Drain the headers.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/')
                .to_string();
            let file = (!path.contains(".."))
                .then(|| root.join(&path))
                .filter(|p| p.is_file());
            match file.and_then(|f| std::fs::read(f).ok()) {
                Some(body) => {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: application/zip\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(&body);
                }
                None => {
                    let _ = stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                }
            }
        }
    });
    format!("http://{addr}")
}

#[test]
fn fetch_from_a_local_server_then_status() {
    let base = serve(vulndb(), 8);
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let cache = tmp.path().join("cache");
    let out = Command::cargo_bin("warden")
        .unwrap()
        .args(["db", "fetch", "crates.io", "npm", "--url", &base, "--dir"])
        .arg(&data)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("crates.io: 1206 advisories"), "{stdout}");
    assert!(stdout.contains("npm: 461 advisories"), "{stdout}");
    for eco in ["crates.io", "npm"] {
        let got = std::fs::read(data.join(eco).join("all.zip")).unwrap();
        let want = std::fs::read(vulndb().join(eco).join("all.zip")).unwrap();
        assert_eq!(got, want, "{eco} export copied byte for byte");
        assert!(!data.join(eco).join("all.zip.part").exists());
    }

    let status = |expect_cached: bool| {
        let out = Command::cargo_bin("warden")
            .unwrap()
            .args(["db", "status", "--vuln-db"])
            .arg(&data)
            .arg("--cache-dir")
            .arg(&cache)
            .env_remove("WARDEN_VULN_DB")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_eq!(out.status.code(), Some(0), "{stdout}");
        assert!(stdout.contains("advisories: 1667"), "{stdout}");
        assert!(
            stdout.contains("crates.io: 1193") && stdout.contains("npm: 461"),
            "{stdout}"
        );
        assert!(stdout.contains("data age:"), "{stdout}");
        assert_eq!(stdout.contains("cached"), expect_cached, "{stdout}");
    };
    status(false);
    status(true);
}

#[test]
fn fetch_errors_are_tool_errors() {
    let base = serve(vulndb(), 2);
    let tmp = tempfile::tempdir().unwrap();
    // The server has no Maven export: 404.
    let out = Command::cargo_bin("warden")
        .unwrap()
        .args(["db", "fetch", "Maven", "--url", &base, "--dir"])
        .arg(tmp.path())
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!tmp.path().join("Maven/all.zip").exists());
    let out = Command::cargo_bin("warden")
        .unwrap()
        .args(["db", "fetch", "Hackage"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown ecosystem"));
}

#[test]
fn status_without_data_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("warden")
        .unwrap()
        .args(["db", "status"])
        .env_remove("WARDEN_VULN_DB")
        .env("HOME", tmp.path())
        .env("XDG_DATA_HOME", tmp.path().join("data"))
        .env("XDG_CACHE_HOME", tmp.path().join("cache"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no vulnerability data"));
}
