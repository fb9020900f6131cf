//! The extension-compatible HTTP service, exercised over a real socket: response shapes,
//! authentication by token, authorisation by policy (403 without the grant), selectors,
//! the cache, and the audit log.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use warden_vault::serve::audit::{AuditLog, verify};
use warden_vault::serve::config::PoliciesFile;
use warden_vault::serve::identity::token_hash;
use warden_vault::serve::{ServeState, run_blocking};
use warden_vault::{KdfParams, Kek, KeyMaterial, Vault};

const ACCOUNT: &str = "123456789012";

fn http_get(addr: SocketAddr, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    if let Some(t) = token {
        req.push_str(&format!("X-Aws-Parameters-Secrets-Token: {t}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn policies() -> Value {
    json!({
        "region": "eu-west-1",
        "account": ACCOUNT,
        "functions": [
            {"name": "orders", "token_sha256": hex::encode(token_hash(b"orders-token")),
             "policy": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                 "Resource": format!("arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:orders/*")},
                {"Effect": "Allow", "Action": "ssm:GetParameter",
                 "Resource": format!("arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/orders/*")}]}},
            {"name": "reports", "token_sha256": hex::encode(token_hash(b"reports-token")),
             "policy": {"Statement": [
                {"Effect": "Allow", "Action": "secretsmanager:*", "Resource": "*"},
                {"Effect": "Deny", "Action": "*", "Resource": format!("arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:orders/*")}]}}
        ]
    })
}

fn start(dir: &Path, ttl: Duration) -> (SocketAddr, Arc<ServeState>) {
    let key = KeyMaterial::Key(Kek::from_bytes([3; 32]));
    let vault = Vault::init(dir, &key, KdfParams::default()).unwrap();
    vault
        .put("orders/db", b"{\"user\":\"app\",\"password\":\"pa55\"}")
        .unwrap();
    vault.put("reports/db", b"reports-secret").unwrap();
    let file: PoliciesFile = serde_json::from_value(policies()).unwrap();
    let loaded = file.into_loaded().unwrap();
    let audit = AuditLog::open(&dir.join("audit.jsonl")).unwrap();
    let state = Arc::new(ServeState::new(vault, loaded, ttl, audit));
    let (tx, rx) = std::sync::mpsc::channel();
    let st = Arc::clone(&state);
    std::thread::spawn(move || {
        run_blocking("127.0.0.1:0".parse().unwrap(), st, |addr| {
            tx.send(addr).unwrap()
        })
        .unwrap();
    });
    (rx.recv_timeout(Duration::from_secs(10)).unwrap(), state)
}

#[test]
fn secrets_manager_shape_and_least_privilege() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, state) = start(dir.path(), Duration::from_secs(60));
    let (status, body) = http_get(
        addr,
        "/secretsmanager/get?secretId=orders/db",
        Some("orders-token"),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Name"], "orders/db");
    assert_eq!(
        body["SecretString"],
        "{\"user\":\"app\",\"password\":\"pa55\"}"
    );
    assert_eq!(body["VersionStages"], json!(["AWSCURRENT"]));
    let arn = body["ARN"].as_str().unwrap().to_owned();
    assert!(
        arn.starts_with(&format!(
            "arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:orders/db-"
        )),
        "{arn}"
    );
    assert_eq!(arn.len() - arn.rfind('-').unwrap(), 7);
    assert!(body["CreatedDate"].as_f64().unwrap() > 1.6e9);
    assert_eq!(body["VersionId"].as_str().unwrap().len(), 36);

    // By full ARN (URL-encoded), and by ARN without the suffix.
    let enc = arn.replace(':', "%3A").replace('/', "%2F");
    assert_eq!(
        http_get(
            addr,
            &format!("/secretsmanager/get?secretId={enc}"),
            Some("orders-token")
        )
        .0,
        200
    );
    let partial = format!("arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:orders/db");
    assert_eq!(
        http_get(
            addr,
            &format!("/secretsmanager/get?secretId={partial}"),
            Some("orders-token")
        )
        .0,
        200
    );

    // No grant, explicit deny, no token, unknown token.
    assert_eq!(
        http_get(
            addr,
            "/secretsmanager/get?secretId=reports/db",
            Some("orders-token")
        )
        .0,
        403
    );
    let (status, body) = http_get(
        addr,
        "/secretsmanager/get?secretId=orders/db",
        Some("reports-token"),
    );
    assert_eq!(
        (status, body["__type"].as_str()),
        (403, Some("AccessDeniedException"))
    );
    assert_eq!(
        http_get(
            addr,
            "/secretsmanager/get?secretId=reports/db",
            Some("reports-token")
        )
        .0,
        200
    );
    assert_eq!(
        http_get(addr, "/secretsmanager/get?secretId=orders/db", None).0,
        401
    );
    assert_eq!(
        http_get(
            addr,
            "/secretsmanager/get?secretId=orders/db",
            Some("forged")
        )
        .0,
        401
    );

    // Missing secrets: 404 when the caller could read it, 403 otherwise (no existence oracle).
    assert_eq!(
        http_get(
            addr,
            "/secretsmanager/get?secretId=orders/nope",
            Some("orders-token")
        )
        .0,
        404
    );
    assert_eq!(
        http_get(
            addr,
            "/secretsmanager/get?secretId=other/nope",
            Some("orders-token")
        )
        .0,
        403
    );
    assert_eq!(
        http_get(addr, "/secretsmanager/get", Some("orders-token")).0,
        400
    );
    assert_eq!(
        http_get(
            addr,
            "/secretsmanager/get?secretId=bad%0Aname",
            Some("orders-token")
        )
        .0,
        400
    );

    // Versions and stages.
    let v1 = state.vault.describe("orders/db").unwrap().versions[0]
        .id
        .clone();
    state.vault.rotate("orders/db", b"rotated").unwrap();
    let (_, prev) = http_get(
        addr,
        "/secretsmanager/get?secretId=orders/db&versionStage=AWSPREVIOUS",
        Some("orders-token"),
    );
    assert_eq!(prev["VersionId"], v1.as_str());
    assert_eq!(prev["VersionStages"], json!(["AWSPREVIOUS"]));
    let (_, byid) = http_get(
        addr,
        &format!("/secretsmanager/get?secretId=orders/db&versionId={v1}"),
        Some("orders-token"),
    );
    assert_eq!(
        byid["SecretString"],
        "{\"user\":\"app\",\"password\":\"pa55\"}"
    );
    assert_eq!(
        http_get(
            addr,
            "/secretsmanager/get?secretId=orders/db&versionStage=NOPE",
            Some("orders-token")
        )
        .0,
        404
    );

    // The audit log chains and never contains a value or a token.
    let (count, _) = verify(&dir.path().join("audit.jsonl")).unwrap();
    assert!(count >= 15, "{count}");
    let log = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    for needle in [
        "pa55",
        "reports-secret",
        "rotated",
        "orders-token",
        "forged",
    ] {
        assert!(!log.contains(needle), "{needle} leaked into the audit log");
    }
    assert!(log.contains("\"outcome\":\"deny\"") && log.contains("\"function\":\"orders\""));
}

#[test]
fn cache_serves_within_ttl_and_still_authorises() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, state) = start(dir.path(), Duration::from_millis(400));
    let q = "/secretsmanager/get?secretId=orders/db";
    let (_, first) = http_get(addr, q, Some("orders-token"));
    state.vault.rotate("orders/db", b"new value").unwrap();
    let (_, cached) = http_get(addr, q, Some("orders-token"));
    assert_eq!(
        cached["VersionId"], first["VersionId"],
        "served from the cache within the TTL"
    );
    assert_eq!(
        http_get(addr, q, Some("reports-token")).0,
        403,
        "cache hits are authorised too"
    );
    std::thread::sleep(Duration::from_millis(500));
    let (_, fresh) = http_get(addr, q, Some("orders-token"));
    assert_eq!(fresh["SecretString"], "new value");
    let log = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    let hits: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        hits.iter()
            .map(|h| h["cache_hit"].as_bool().unwrap())
            .collect::<Vec<_>>(),
        [false, true, false, false]
    );
}

#[test]
fn parameters_store_shape_selectors_and_references() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, state) = start(dir.path(), Duration::from_secs(60));
    state.vault.put("/orders/api-key", b"key-v1").unwrap();
    state.vault.rotate("/orders/api-key", b"key-v2").unwrap();
    let t = Some("orders-token");
    let (status, body) = http_get(
        addr,
        "/systemsmanager/parameters/get?name=%2Forders%2Fapi-key&withDecryption=true",
        t,
    );
    assert_eq!(status, 200, "{body}");
    let p = &body["Parameter"];
    assert_eq!(p["Value"], "key-v2");
    assert_eq!(p["Version"], 2);
    assert_eq!(p["Type"], "SecureString");
    assert_eq!(p["Name"], "/orders/api-key");
    assert_eq!(
        p["ARN"],
        format!("arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/orders/api-key")
    );
    let (_, v1) = http_get(
        addr,
        "/systemsmanager/parameters/get?name=/orders/api-key:1&withDecryption=true",
        t,
    );
    assert_eq!(
        (
            v1["Parameter"]["Value"].as_str(),
            v1["Parameter"]["Selector"].as_str()
        ),
        (Some("key-v1"), Some(":1"))
    );
    let (_, v1) = http_get(
        addr,
        "/systemsmanager/parameters/get?name=/orders/api-key&version=1&withDecryption=true",
        t,
    );
    assert_eq!(v1["Parameter"]["Value"], "key-v1");
    assert_eq!(
        http_get(
            addr,
            "/systemsmanager/parameters/get?name=/orders/api-key:9&withDecryption=true",
            t
        )
        .0,
        404
    );
    assert_eq!(
        http_get(
            addr,
            "/systemsmanager/parameters/get?name=/orders/api-key",
            t
        )
        .0,
        400
    );
    // ssm:GetParameter is granted on /orders/*, not on the secret-named "orders/db" parameter path.
    assert_eq!(
        http_get(
            addr,
            "/systemsmanager/parameters/get?name=/reports/x&withDecryption=true",
            t
        )
        .0,
        403
    );
    // A reference to a secret is authorised as secretsmanager:GetSecretValue.
    let (status, r) = http_get(
        addr,
        "/systemsmanager/parameters/get?name=/aws/reference/secretsmanager/orders/db&withDecryption=true",
        t,
    );
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        r["Parameter"]["Value"],
        "{\"user\":\"app\",\"password\":\"pa55\"}"
    );
    let denied = "/systemsmanager/parameters/get?name=/aws/reference/secretsmanager/reports/db&withDecryption=true";
    assert_eq!(http_get(addr, denied, t).0, 403);
}
