//! Integration: the hash-chained audit log survives SIGKILL during writes and continues across
//! restarts; `warden audit verify` finds an edited, deleted or reordered record; and no token,
//! key, cookie or card number ever reaches a log, the audit trail or the metrics.
#![allow(clippy::unwrap_used)]

mod gateway_support;

use gateway_support::{read, start, testkit, warden};
use serde_json::json;
use std::time::Duration;

fn config(dir: &std::path::Path, http: std::net::SocketAddr, jwks: &str) -> String {
    let key = warden_gateway::auth::api_key::hash_key("sk_live_PARTNERKEY0001");
    format!(
        r#"
[admin]
listen = "127.0.0.1:0"
[log]
access = {{ file = "{access}" }}
log_body = true
headers = ["authorization", "x-api-key", "cookie", "user-agent", "x-session"]
redact_headers = ["x-session"]
redact_fields = ["card_holder"]
[audit]
path = "{audit}"
[upstreams.app]
kind = "http"
url = "http://{http}"
[authorizers.jwt]
kind = "jwt"
jwks_url = "{jwks}"
issuers = ["https://issuer.test"]
audiences = ["warden-api"]
algorithms = ["RS256"]
[authorizers.keys]
kind = "api_key"
keys = [{{ id = "partner", sha256 = "{key}", plan = "p" }}]
[usage_plans.p]
quota_day = 3
[[routes]]
id = "jwt"
methods = ["GET", "POST"]
path = "/jwt"
upstream = "app"
authorizers = ["jwt"]
[[routes]]
id = "key"
methods = ["GET", "POST"]
path = "/key"
upstream = "app"
authorizers = ["keys"]
"#,
        access = dir.join("access.log").display(),
        audit = dir.join("audit.jsonl").display(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_chain_survives_sigkill_and_detects_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let http = testkit::echo_upstream().await;
    let jwks = testkit::JwksServer::start(&[("k1", testkit::RSA1)]).await;
    let cfg = config(dir.path(), http, &jwks.url());
    let audit = dir.path().join("audit.jsonl");
    let audit_s = audit.to_str().unwrap().to_string();

    // Every unauthenticated request is an audit record; kill -9 while they stream in.
    let mut gw = start(dir.path(), &cfg);
    let url = gw.url("/key");
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let c = testkit::Client::new();
            for _ in 0..400 {
                let req = http::Request::get(&url)
                    .body(http_body_util::Full::new(bytes::Bytes::new()))
                    .unwrap();
                if c.status(req).await.is_err() {
                    break;
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    let status = gw.kill9();
    assert!(!status.success());
    for t in tasks {
        let _ = t.await;
    }
    let (code, out, err) = warden(&["audit", "verify", &audit_s]);
    assert_eq!(code, 0, "{out}{err}");
    let records: u64 = out
        .split(", ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(records > 10, "{out}");

    // Restart on the same file: the chain continues.
    let mut gw = start(dir.path(), &cfg);
    let c = testkit::Client::new();
    assert_eq!(
        c.get(&gw.url("/key"), &[("x-api-key", "wrong")])
            .await
            .status,
        401
    );
    assert!(gw.stop().success());
    let (code, out, _) = warden(&["audit", "verify", &audit_s]);
    assert_eq!(code, 0, "{out}");
    let after: u64 = out
        .split(", ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        after >= records + 3,
        "start, failure and stop records expected: {out}"
    );

    // Edit one record: verification fails at that line.
    let text = read(&audit);
    let lines: Vec<&str> = text.lines().collect();
    let mut edited: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    edited[4] = edited[4].replace("\"status\":401", "\"status\":200");
    assert_ne!(
        edited[4], lines[4],
        "record 5 has no status to edit: {}",
        lines[4]
    );
    let tampered = dir.path().join("tampered.jsonl");
    std::fs::write(&tampered, edited.join("\n") + "\n").unwrap();
    let (code, out, _) = warden(&["audit", "verify", tampered.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("line 5"), "{out}");

    // Delete one record.
    let mut deleted: Vec<&str> = lines.clone();
    deleted.remove(7);
    std::fs::write(&tampered, deleted.join("\n") + "\n").unwrap();
    let (code, out, _) = warden(&["audit", "verify", tampered.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("line 8"), "{out}");

    // Swap two records.
    let mut swapped: Vec<&str> = lines.clone();
    swapped.swap(2, 3);
    std::fs::write(&tampered, swapped.join("\n") + "\n").unwrap();
    let (code, out, _) = warden(&["audit", "verify", tampered.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("line 3"), "{out}");

    let (code, _, _) = warden(&["audit", "verify", "/nonexistent/audit.jsonl"]);
    assert_eq!(code, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_any_log_or_metric() {
    let dir = tempfile::tempdir().unwrap();
    let http = testkit::echo_upstream().await;
    let jwks = testkit::JwksServer::start(&[("k1", testkit::RSA1)]).await;
    let mut gw = start(dir.path(), &config(dir.path(), http, &jwks.url()));
    let c = testkit::Client::new();

    let good_jwt = testkit::mint(
        testkit::RSA1,
        Some("k1"),
        &testkit::claims("alice", json!({})),
    );
    let bad_jwt = testkit::mint(
        testkit::RSA2,
        Some("k1"),
        &testkit::claims("mallory", json!({})),
    );
    let api_key = "sk_live_PARTNERKEY0001";
    let bad_key = "sk_live_GUESSEDKEY9999";
    let session = "SESSIONSECRETVALUE42";
    let card = "4111111111111111";
    let card_spaced = "5500 0000 0000 0004";
    let holder = "Jane Q Cardholder";
    let card_encoded = card_spaced.replace(' ', "%20");
    let secrets = [
        good_jwt.as_str(),
        bad_jwt.as_str(),
        api_key,
        bad_key,
        session,
        card,
        card_spaced,
        holder,
        &card_encoded,
        // Signature parts of the tokens on their own.
        good_jwt.rsplit('.').next().unwrap(),
        bad_jwt.rsplit('.').next().unwrap(),
    ];
    let body = json!({"card_number": card, "note": format!("pay with {card_spaced}"), "card_holder": holder, "token": good_jwt}).to_string();
    let hdrs = |auth: &str, key: &str| {
        vec![
            ("authorization".to_string(), format!("Bearer {auth}")),
            ("x-api-key".to_string(), key.to_string()),
            (
                "cookie".to_string(),
                format!("session={session}; theme=dark"),
            ),
            ("x-session".to_string(), session.to_string()),
            (
                "user-agent".to_string(),
                format!("tester bearer {good_jwt}"),
            ),
            ("content-type".to_string(), "application/json".to_string()),
        ]
    };
    let paths = [
        format!("/jwt?access_token={good_jwt}&card={card}"),
        format!(
            "/key?api_key={api_key}&q={}",
            card_spaced.replace(' ', "%20")
        ),
        format!("/nowhere/{good_jwt}"),
        format!("/jwt?q=%3Cscript%3E{card}"),
    ];
    for path in &paths {
        for (auth, key) in [(&good_jwt, api_key), (&bad_jwt, bad_key)] {
            for _ in 0..2 {
                let h = hdrs(auth, key);
                let hr: Vec<(&str, &str)> =
                    h.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                c.post(&gw.url(path), &hr, body.clone()).await;
                c.get(&gw.url(path), &hr).await;
            }
        }
    }
    // Quota exhaustion and 429s with the key present.
    for _ in 0..5 {
        c.get(&gw.url("/key"), &[("x-api-key", api_key)]).await;
    }
    let metrics = c.get(&gw.admin_url("/metrics"), &[]).await.text();
    assert!(gw.stop().success());

    let outputs = [
        ("access log", read(&dir.path().join("access.log"))),
        ("audit log", read(&dir.path().join("audit.jsonl"))),
        ("stdout", gw.stdout()),
        ("stderr", gw.stderr()),
        ("metrics", metrics),
    ];
    assert!(
        outputs[0].1.lines().count() >= 30,
        "access log too short: {}",
        outputs[0].1
    );
    assert!(outputs[0].1.contains("[REDACTED]"));
    assert!(outputs[1].1.contains("auth_failure") && outputs[1].1.contains("quota_exceeded"));
    for (name, text) in &outputs {
        for s in secrets {
            assert!(
                !text.contains(s),
                "{name} contains a secret ({}…)",
                &s[..8.min(s.len())]
            );
        }
        // Card digits without separators, in any context.
        assert!(
            !text.replace([' ', '-'], "").contains("5500000000000004"),
            "{name} contains a card number"
        );
    }
}
