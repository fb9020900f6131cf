//! Crash safety: a separate process writes versions in a loop and is killed with SIGKILL at a
//! random moment, several times; after each kill the vault opens and every version the writer
//! acknowledged (it prints the version id only after the commit returned) reads back intact.
#![allow(clippy::unwrap_used)]
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use warden_vault::{KdfParams, Kek, KeyMaterial, Selector, Vault};

fn key() -> KeyMaterial {
    KeyMaterial::Key(Kek::from_bytes([42; 32]))
}

fn value(round: usize, i: usize) -> Vec<u8> {
    let mut v = format!("round {round} write {i} ").into_bytes();
    // Large enough that a commit spans several pages.
    v.resize(48 * 1024, b'a' + (i % 26) as u8);
    v
}

/// The child: writes forever, acknowledging each committed version on stdout.
#[test]
fn crash_child_writer() {
    let Ok(dir) = std::env::var("WARDEN_VAULT_CRASH_DIR") else {
        return;
    };
    let round: usize = std::env::var("WARDEN_VAULT_CRASH_ROUND")
        .unwrap()
        .parse()
        .unwrap();
    let vault = Vault::open(std::path::Path::new(&dir), &key()).unwrap();
    for i in 0.. {
        let info = vault
            .put(&format!("crash/{}", i % 3), &value(round, i))
            .unwrap();
        println!("ACK {round} {i} {} {}", i % 3, info.version_id);
    }
}

#[test]
fn sigkill_during_writes_never_loses_a_committed_version() {
    let dir = tempfile::tempdir().unwrap();
    drop(Vault::init(dir.path(), &key(), KdfParams::default()).unwrap());
    let exe = std::env::current_exe().unwrap();
    let mut acked: Vec<(usize, usize, usize, String)> = Vec::new();
    for round in 0..6 {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash_child_writer",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("WARDEN_VAULT_CRASH_DIR", dir.path())
            .env("WARDEN_VAULT_CRASH_ROUND", round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut lines = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.strip_prefix("ACK ") {
                    let p: Vec<&str> = rest.split(' ').collect();
                    if p.len() == 4 {
                        lines.push((
                            p[0].parse().unwrap(),
                            p[1].parse().unwrap(),
                            p[2].parse().unwrap(),
                            p[3].to_owned(),
                        ));
                    }
                }
            }
            lines
        });
        // Kill at a varying moment once writes are under way.
        let start = Instant::now();
        std::thread::sleep(Duration::from_millis(300 + 137 * round as u64));
        // SIGKILL: no destructors, no flush, no clean shutdown.
        unsafe_free_kill(child.id());
        let status = child.wait().unwrap();
        assert!(!status.success());
        let got = reader.join().unwrap();
        eprintln!(
            "round {round}: {} acknowledged writes in {:?}",
            got.len(),
            start.elapsed()
        );
        acked.extend(got);

        let vault = Vault::open(dir.path(), &key()).unwrap();
        for (r, i, slot, version_id) in &acked {
            let s = vault
                .get(&format!("crash/{slot}"), &Selector::Id(version_id.clone()))
                .unwrap();
            assert_eq!(
                s.value.as_slice(),
                value(*r, *i).as_slice(),
                "round {r} write {i}"
            );
        }
        // Every listed version (including one committed but not yet acknowledged) decrypts.
        for meta in vault.list(true).unwrap() {
            for v in &meta.versions {
                vault.get(&meta.name, &Selector::Id(v.id.clone())).unwrap();
            }
        }
    }
    assert!(
        acked.len() > 6,
        "the writer should have committed versions before being killed"
    );
}

/// Sends SIGKILL through the `kill` command (the workspace forbids `unsafe`).
fn unsafe_free_kill(pid: u32) {
    let status = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}
