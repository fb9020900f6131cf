//! `warden secrets` end to end through the real binary: the CLI contract, key sources, wrong
//! keys, crash safety under SIGKILL, no plaintext on disk, and `serve` answering a Lambda-style
//! Python handler (standard library only) exactly as the AWS extension would.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn warden() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_warden"));
    for var in [
        "WARDEN_VAULT_KEY_FILE",
        "WARDEN_VAULT_PASSPHRASE_FILE",
        "WARDEN_VAULT_KEY",
        "WARDEN_VAULT_PASSPHRASE",
    ] {
        c.env_remove(var);
    }
    c
}

/// Runs `warden secrets ARGS` in `dir` with `stdin`, keyed by `key.hex` in `dir`.
fn secrets(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = warden()
        .current_dir(dir)
        .arg("secrets")
        .args(args)
        .env("WARDEN_VAULT_KEY_FILE", dir.join("key.hex"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn init(dir: &Path) {
    ok(&secrets(dir, &["init", "--generate-key", "key.hex"], b""));
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(all_files(&p))
        } else {
            out.push(p)
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn put_get_list_rotate_delete_restore_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir);
    assert!(
        dir.join(".warden/vault/vault.redb").is_file(),
        "default --vault is .warden/vault"
    );
    let value = "line one\nline \"two\" ünïcödé\n\0binary\u{7f}";
    let put = ok(&secrets(dir, &["put", "app/db"], value.as_bytes()));
    assert!(!put.contains("line one"), "put must not echo the value");
    assert_eq!(
        secrets(dir, &["get", "app/db"], b"").stdout,
        value.as_bytes(),
        "get prints exact bytes"
    );

    std::fs::write(dir.join("v2.txt"), "second").unwrap();
    ok(&secrets(
        dir,
        &["rotate", "app/db", "--from-file", "v2.txt"],
        b"",
    ));
    ok(&secrets(
        dir,
        &["rotate", "app/db", "--generate", "--length", "40"],
        b"",
    ));
    let generated = ok(&secrets(dir, &["get", "app/db"], b""));
    assert_eq!(generated.len(), 40);
    assert_eq!(
        ok(&secrets(
            dir,
            &["get", "app/db", "--version-stage", "AWSPREVIOUS"],
            b""
        )),
        "second"
    );
    let list =
        ok(&secrets(dir, &["list"], b"")) + &ok(&secrets(dir, &["list", "--json", "--all"], b""));
    assert!(
        list.contains("app/db") && list.contains("versions=3"),
        "{list}"
    );
    for needle in ["line one", "second", generated.as_str()] {
        assert!(!list.contains(needle), "list printed a value");
    }
    let json: serde_json::Value =
        serde_json::from_str(&ok(&secrets(dir, &["list", "--json"], b""))).unwrap();
    let first = json[0]["versions"][0]["version_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        secrets(dir, &["get", "app/db", "--version-id", &first], b"").stdout,
        value.as_bytes()
    );

    ok(&secrets(
        dir,
        &["delete", "app/db", "--recovery-window-days", "7"],
        b"",
    ));
    let gone = secrets(dir, &["get", "app/db"], b"");
    assert_eq!(gone.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&gone.stderr).contains("scheduled for deletion"));
    assert!(!ok(&secrets(dir, &["list"], b"")).contains("app/db"));
    ok(&secrets(dir, &["restore", "app/db"], b""));
    assert_eq!(ok(&secrets(dir, &["get", "app/db"], b"")), generated);
    ok(&secrets(
        dir,
        &["delete", "app/db", "--force-delete-without-recovery"],
        b"",
    ));
    assert_eq!(secrets(dir, &["get", "app/db"], b"").status.code(), Some(1));
    assert_eq!(secrets(dir, &["get", "never"], b"").status.code(), Some(1));
    // Values are never taken from arguments: there is no such option.
    assert_eq!(
        secrets(dir, &["put", "x", "--value", "oops"], b"v")
            .status
            .code(),
        Some(2)
    );
    assert_eq!(secrets(dir, &["put", "empty"], b"").status.code(), Some(2));
}

#[test]
fn key_sources_and_wrong_keys_fail_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir);
    ok(&secrets(dir, &["put", "k"], b"value"));
    let hex_text = std::fs::read_to_string(dir.join("key.hex")).unwrap();
    let raw = {
        let t = hex_text.trim();
        (0..32)
            .map(|i| u8::from_str_radix(&t[2 * i..2 * i + 2], 16).unwrap())
            .collect::<Vec<u8>>()
    };
    std::fs::write(dir.join("key.raw"), &raw).unwrap();
    let get_with = |extra: &[(&str, &str)], args: &[&str]| {
        let mut c = warden();
        c.current_dir(dir).args(["secrets", "get", "k"]).args(args);
        for (k, v) in extra {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    assert_eq!(get_with(&[], &["--key-file", "key.raw"]).stdout, b"value");
    assert_eq!(
        get_with(&[("WARDEN_VAULT_KEY", hex_text.trim())], &[]).stdout,
        b"value"
    );

    std::fs::write(dir.join("wrong.key"), [9u8; 32]).unwrap();
    let wrong = get_with(&[], &["--key-file", "wrong.key"]);
    assert_eq!(wrong.status.code(), Some(2));
    let err = String::from_utf8_lossy(&wrong.stderr);
    assert!(err.contains("wrong key"), "{err}");
    assert!(wrong.stdout.is_empty());
    std::fs::write(dir.join("bad.key"), "not a key").unwrap();
    let bad = get_with(&[], &["--key-file", "bad.key"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("64 hexadecimal digits"));
    let none = get_with(&[], &[]);
    assert!(String::from_utf8_lossy(&none.stderr).contains("no key-encryption key"));

    // A passphrase vault (Argon2id with small test parameters), then rekey to a key file.
    let p = tempfile::tempdir().unwrap();
    std::fs::write(p.path().join("pass"), "correct horse battery staple\n").unwrap();
    let kdf = ["--kdf-memory-kib", "1024", "--kdf-iterations", "1"];
    let run = |args: &[&str], stdin: &[u8]| {
        let mut c = warden();
        c.current_dir(p.path())
            .arg("secrets")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        child.wait_with_output().unwrap()
    };
    ok(&run(
        &[&["init", "--passphrase-file", "pass"][..], &kdf].concat(),
        b"",
    ));
    ok(&run(&["put", "p", "--passphrase-file", "pass"], b"pv"));
    std::fs::write(p.path().join("wrongpass"), "incorrect").unwrap();
    assert!(
        String::from_utf8_lossy(&run(&["get", "p", "--passphrase-file", "wrongpass"], b"").stderr)
            .contains("wrong key")
    );
    ok(&run(
        &[
            "rekey",
            "--passphrase-file",
            "pass",
            "--generate-new-key",
            "new.key",
        ],
        b"",
    ));
    assert_eq!(
        run(&["get", "p", "--key-file", "new.key"], b"").stdout,
        b"pv"
    );
    assert_eq!(
        run(&["get", "p", "--passphrase-file", "pass"], b"")
            .status
            .code(),
        Some(2)
    );
}

#[cfg(unix)]
#[test]
fn sigkill_during_cli_writes_keeps_every_acknowledged_version() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir);
    // How long one put takes here; kill delays sweep from 0 to 1.2 times that.
    let start = Instant::now();
    ok(&secrets(dir, &["put", "crash/warmup"], b"w"));
    let full = start.elapsed().as_micros() as u64;
    let mut acked: Vec<(String, Vec<u8>)> = Vec::new();
    let mut killed = 0;
    // Until both outcomes were seen (at least 24 rounds, at most 80): under load a put can
    // take much longer than the warm-up, so the sweep widens each pass.
    for i in 0..80u64 {
        if i >= 24 && killed > 0 && !acked.is_empty() {
            break;
        }
        let value: Vec<u8> = format!("value {i} ")
            .bytes()
            .chain(std::iter::repeat_n(b'x', 60_000))
            .collect();
        let mut child = warden()
            .current_dir(dir)
            .args(["secrets", "put", &format!("crash/{}", i % 2)])
            .env("WARDEN_VAULT_KEY_FILE", dir.join("key.hex"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&value).unwrap();
        // Kill after a delay that sweeps across the process's life, commit included.
        let pass = 1 + i / 20;
        std::thread::sleep(Duration::from_micros(full * 6 * pass * (i % 20) / 100));
        let _ = Command::new("kill")
            .args(["-KILL", &child.id().to_string()])
            .status();
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        if out.status.success() {
            let id = stdout.split_whitespace().nth(3).unwrap().to_owned();
            acked.push((id, value));
        } else {
            killed += 1;
        }
        // After every kill the store opens and lists cleanly.
        ok(&secrets(dir, &["list"], b""));
    }
    eprintln!(
        "one put takes {full} us; {killed} writers killed, {} acknowledged",
        acked.len()
    );
    assert!(
        killed > 0 && !acked.is_empty(),
        "the sweep must both interrupt and complete writes"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&secrets(dir, &["list", "--json"], b""))).unwrap();
    let mut readable = 0;
    for secret in json.as_array().unwrap() {
        for v in secret["versions"].as_array().unwrap() {
            let name = secret["name"].as_str().unwrap();
            ok(&secrets(
                dir,
                &[
                    "get",
                    name,
                    "--version-id",
                    v["version_id"].as_str().unwrap(),
                ],
                b"",
            ));
            readable += 1;
        }
    }
    for (id, value) in &acked {
        let found = ["crash/0", "crash/1"]
            .iter()
            .any(|n| secrets(dir, &["get", n, "--version-id", id], b"").stdout == *value);
        assert!(found, "acknowledged version {id} lost");
    }
    assert!(readable >= acked.len());
}

#[test]
fn no_plaintext_in_any_store_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir);
    let values: Vec<String> = (0..6)
        .map(|i| format!("PLAINTEXT-CANARY-{i}-a1b2c3d4e5f6"))
        .collect();
    for (i, v) in values.iter().enumerate() {
        ok(&secrets(
            dir,
            &["put", &format!("s{}", i % 2)],
            v.as_bytes(),
        ));
    }
    ok(&secrets(
        dir,
        &["rekey", "--generate-new-key", "key2.hex"],
        b"",
    ));
    let files = all_files(&dir.join(".warden/vault"));
    assert!(!files.is_empty());
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        for v in &values {
            assert!(
                !contains(&bytes, v.as_bytes()),
                "{v} found in {}",
                f.display()
            );
        }
    }
}

// ---- serve + a Lambda-style handler -------------------------------------------------------

/// A handler written as for the AWS Parameters and Secrets Lambda Extension: standard library
/// only, token from AWS_SESSION_TOKEN, port from PARAMETERS_SECRETS_EXTENSION_HTTP_PORT.
const HANDLER: &str = r#"
import json, os, sys, urllib.error, urllib.parse, urllib.request

def _get(path):
    port = os.environ.get("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "2773")
    req = urllib.request.Request(
        f"http://localhost:{port}{path}",
        headers={"X-Aws-Parameters-Secrets-Token": os.environ.get("AWS_SESSION_TOKEN", "")},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())

def get_secret(secret_id):
    return _get("/secretsmanager/get?secretId=" + urllib.parse.quote(secret_id, safe=""))["SecretString"]

def get_parameter(name):
    q = urllib.parse.urlencode({"name": name, "withDecryption": "true"})
    return _get("/systemsmanager/parameters/get?" + q)["Parameter"]["Value"]

def lambda_handler(event, context):
    try:
        if "parameter" in event:
            value = get_parameter(event["parameter"])
        else:
            value = get_secret(event["secret_id"])
        return {"statusCode": 200, "body": value}
    except urllib.error.HTTPError as e:
        return {"statusCode": e.code, "body": json.loads(e.read()).get("__type")}

if __name__ == "__main__":
    print(json.dumps(lambda_handler(json.loads(sys.argv[1]), None)))
"#;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn python() -> Option<&'static str> {
    Command::new("python3")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| "python3")
}

fn invoke(
    py: &str,
    dir: &Path,
    port: u16,
    token: &str,
    event: &serde_json::Value,
) -> serde_json::Value {
    let out = Command::new(py)
        .arg(dir.join("handler.py"))
        .arg(event.to_string())
        .env("AWS_SESSION_TOKEN", token)
        .env("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", port.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "handler failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn sha256_hex(token: &str) -> String {
    warden_vault::serve::identity::token_hash(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn serve_answers_a_lambda_style_handler_and_denies_without_grant() {
    let Some(py) = python() else {
        eprintln!("SKIPPED: python3 not found (CI installs it: apt-get install -y python3)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir);
    let value = r#"{"username":"app","password":"p@ss \"w0rd\" ✓"}"#;
    ok(&secrets(dir, &["put", "orders/db"], value.as_bytes()));
    ok(&secrets(
        dir,
        &["put", "/orders/endpoint"],
        b"https://db.internal:5432",
    ));
    ok(&secrets(dir, &["put", "billing/key"], b"billing-only"));
    std::fs::write(dir.join("handler.py"), HANDLER).unwrap();
    let policies = serde_json::json!({
        "region": "us-east-1",
        "account": "123456789012",
        "functions": [
            {"name": "orders-fn", "token_sha256": sha256_hex("orders-session-token"),
             "policy": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "ssm:GetParameter"],
                 "Resource": ["arn:aws:secretsmanager:us-east-1:123456789012:secret:orders/*",
                              "arn:aws:ssm:us-east-1:123456789012:parameter/orders/*"]}]}},
            {"name": "billing-fn", "token_sha256": sha256_hex("billing-session-token"),
             "policy": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                 "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:billing/key-??????"}]}}
        ]
    });
    std::fs::write(dir.join("policies.json"), policies.to_string()).unwrap();
    let mut child = warden()
        .current_dir(dir)
        .args([
            "secrets",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--policies",
            "policies.json",
            "--cache-ttl",
            "0",
        ])
        .env("WARDEN_VAULT_KEY_FILE", dir.join("key.hex"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let server = Server(child);
    let mut lines = BufReader::new(stderr).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    let port: u16 = loop {
        assert!(Instant::now() < deadline, "server did not start");
        let line = lines.next().expect("server exited").unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .unwrap()
                .rsplit(':')
                .next()
                .unwrap()
                .parse()
                .unwrap();
        }
    };

    let r = invoke(
        py,
        dir,
        port,
        "orders-session-token",
        &serde_json::json!({"secret_id": "orders/db"}),
    );
    assert_eq!(r["statusCode"], 200, "{r}");
    assert_eq!(r["body"], value, "the handler reads the secret unchanged");
    let r = invoke(
        py,
        dir,
        port,
        "orders-session-token",
        &serde_json::json!({"parameter": "/orders/endpoint"}),
    );
    assert_eq!(r["body"], "https://db.internal:5432");
    let r = invoke(
        py,
        dir,
        port,
        "billing-session-token",
        &serde_json::json!({"secret_id": "billing/key"}),
    );
    assert_eq!(r["body"], "billing-only");

    // Without the grant: 403, for both APIs.
    let r = invoke(
        py,
        dir,
        port,
        "billing-session-token",
        &serde_json::json!({"secret_id": "orders/db"}),
    );
    assert_eq!(
        (r["statusCode"].as_u64(), r["body"].as_str()),
        (Some(403), Some("AccessDeniedException"))
    );
    let r = invoke(
        py,
        dir,
        port,
        "billing-session-token",
        &serde_json::json!({"parameter": "/orders/endpoint"}),
    );
    assert_eq!(r["statusCode"], 403);
    let r = invoke(
        py,
        dir,
        port,
        "orders-session-token",
        &serde_json::json!({"secret_id": "billing/key"}),
    );
    assert_eq!(r["statusCode"], 403);
    let r = invoke(
        py,
        dir,
        port,
        "stolen-token",
        &serde_json::json!({"secret_id": "orders/db"}),
    );
    assert_eq!(r["statusCode"], 401);

    // Rotation from another process while the server runs is visible at once (TTL 0).
    ok(&secrets(dir, &["rotate", "orders/db"], b"rotated-value"));
    let r = invoke(
        py,
        dir,
        port,
        "orders-session-token",
        &serde_json::json!({"secret_id": "orders/db"}),
    );
    assert_eq!(r["body"], "rotated-value");
    drop(server);

    // The audit log recorded every access, chains, and holds no value or token.
    let log = std::fs::read_to_string(dir.join(".warden/vault/audit.jsonl")).unwrap();
    let records: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 8);
    assert_eq!(records.iter().filter(|r| r["outcome"] == "deny").count(), 3);
    assert_eq!(records[3]["function"], "billing-fn");
    warden_vault::serve::audit::verify(&dir.join(".warden/vault/audit.jsonl")).unwrap();
    for needle in [
        "p@ss",
        "billing-only",
        "rotated-value",
        "session-token",
        "db.internal",
    ] {
        assert!(!log.contains(needle), "{needle} in audit log");
    }
}
