//! `warden gateway --secrets-policies`: the gateway process also serves the vault's secrets on the
//! Lambda-extension-compatible endpoint, authorised per function by its IAM policy.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn warden(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_warden"));
    c.current_dir(dir)
        .env("WARDEN_VAULT_KEY_FILE", dir.join("key.hex"));
    c
}

fn secrets(dir: &Path, args: &[&str], stdin: &[u8]) {
    let mut child = warden(dir)
        .arg("secrets")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn token_hash(token: &str) -> String {
    warden_vault::serve::identity::token_hash(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A plain HTTP/1.1 GET; returns (status, body).
fn get(addr: &str, path: &str, token: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nX-Aws-Parameters-Secrets-Token: {token}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn gateway_serves_granted_secrets_and_denies_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    secrets(dir, &["init", "--generate-key", "key.hex"], b"");
    secrets(dir, &["put", "orders/db"], b"orders-db-Pw-7f3a");
    secrets(dir, &["put", "billing/key"], b"billing-only-9c1e");
    let policies = serde_json::json!({
        "region": "us-east-1",
        "account": "123456789012",
        "functions": [
            {"name": "orders-fn", "token_sha256": token_hash("orders-token"),
             "policy": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                 "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/*"}]}}
        ]
    });
    std::fs::write(dir.join("policies.json"), policies.to_string()).unwrap();
    std::fs::write(
        dir.join("gateway.toml"),
        "[upstreams.app]\nkind = \"http\"\nurl = \"http://127.0.0.1:9\"\n\n[[routes]]\nid = \"all\"\nmethods = [\"GET\"]\npath = \"/{proxy+}\"\nupstream = \"app\"\npublic = true\n",
    )
    .unwrap();
    let child = warden(dir)
        .args([
            "gateway",
            "--config",
            "gateway.toml",
            "--listen",
            "127.0.0.1:0",
            "--secrets-policies",
            "policies.json",
            "--secrets-listen",
            "127.0.0.1:0",
            "--vault",
            ".warden/vault",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut gw = Killed(child);
    let stderr = gw.0.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let (mut secrets_addr, mut gateway_up) = (None, false);
    while secrets_addr.is_none() || !gateway_up {
        assert!(Instant::now() < deadline, "gateway did not start");
        let line = lines.next().expect("gateway exited").unwrap();
        if let Some(rest) = line.strip_prefix("warden gateway secrets endpoint on http://") {
            secrets_addr = Some(rest.split_whitespace().next().unwrap().to_string());
        }
        gateway_up |= line.starts_with("warden gateway listening on ");
    }
    let addr = secrets_addr.unwrap();

    let (status, body) = get(
        &addr,
        "/secretsmanager/get?secretId=orders/db",
        "orders-token",
    );
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(body.trim()).unwrap();
    assert_eq!(json["SecretString"], "orders-db-Pw-7f3a");

    let (status, body) = get(
        &addr,
        "/secretsmanager/get?secretId=billing/key",
        "orders-token",
    );
    assert_eq!(status, 403, "no grant on billing/key: {body}");
    assert!(!body.contains("billing-only"));

    let (status, _) = get(
        &addr,
        "/secretsmanager/get?secretId=orders/db",
        "forged-token",
    );
    assert_eq!(status, 401);
    drop(gw);
}
