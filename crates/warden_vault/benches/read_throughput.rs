//! Reads per second: from the vault (redb lookup, metadata authentication, unwrap of the data
//! key, AES-256-GCM decryption), from the TTL cache, and through the service's access path
//! (token-resolved function, IAM policy evaluation, then cache or vault).
//!
//! Run with `cargo bench -p warden_vault --bench read_throughput`.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};
use warden_vault::serve::audit::AuditLog;
use warden_vault::serve::cache::SecretCache;
use warden_vault::serve::config::PoliciesFile;
use warden_vault::serve::{ServeState, access::GET_SECRET_VALUE};
use warden_vault::{KdfParams, Kek, KeyMaterial, Selector, Vault};

const SECRETS: usize = 100;
const RUN: Duration = Duration::from_secs(2);

fn measure(label: &str, mut op: impl FnMut(usize)) {
    for i in 0..1000 {
        op(i);
    }
    let start = Instant::now();
    let mut n = 0usize;
    while start.elapsed() < RUN {
        for _ in 0..256 {
            op(n);
            n += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{label:<48} {:>12.0} reads/s  ({:.2} us/read)",
        n as f64 / secs,
        secs * 1e6 / n as f64
    );
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let key = KeyMaterial::Key(Kek::from_bytes([5; 32]));
    let vault = Vault::init(dir.path(), &key, KdfParams::default()).unwrap();
    let names: Vec<String> = (0..SECRETS)
        .map(|i| format!("bench/secret-{i:03}"))
        .collect();
    let value = vec![b'v'; 256];
    for name in &names {
        vault.put(name, &value).unwrap();
        vault.rotate(name, &value).unwrap();
    }
    println!("{SECRETS} secrets x 2 versions, 256-byte values");

    measure("vault (disk): Vault::get", |i| {
        let s = vault.get(&names[i % SECRETS], &Selector::Current).unwrap();
        assert_eq!(s.value.len(), 256);
    });

    let cache = SecretCache::new(Duration::from_secs(3600), 10_000);
    for name in &names {
        let s = Arc::new(vault.get(name, &Selector::Current).unwrap());
        cache.insert((GET_SECRET_VALUE, name.clone(), Selector::Current), s);
    }
    let keys: Vec<_> = names
        .iter()
        .map(|n| (GET_SECRET_VALUE, n.clone(), Selector::Current))
        .collect();
    measure("cache: SecretCache::get", |i| {
        assert!(cache.get(&keys[i % SECRETS]).is_some());
    });

    let policies = |ttl: u64| {
        let doc = serde_json::json!({
            "account": "123456789012",
            "cache_ttl_seconds": ttl,
            "functions": [{"name": "bench", "token_sha256": "00".repeat(32), "policy": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                    "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:bench/*"}]}}]
        });
        serde_json::from_value::<PoliciesFile>(doc)
            .unwrap()
            .into_loaded()
            .unwrap()
    };
    drop(vault);
    for (label, ttl) in [
        ("service path, cache hit (authz + cache)", 3600),
        ("service path, TTL 0 (authz + vault)", 0),
    ] {
        let vault = Vault::open(dir.path(), &key).unwrap();
        let audit = AuditLog::open(&dir.path().join(format!("audit-{ttl}.jsonl"))).unwrap();
        let state = ServeState::new(vault, policies(ttl), Duration::from_secs(ttl), audit);
        measure(label, |i| {
            let id = &names[i % SECRETS];
            let served = state
                .fetch("bench", GET_SECRET_VALUE, id, &Selector::Current, |s| {
                    s.resolve_secret_id(id)
                })
                .unwrap_or_else(|_| panic!("denied"));
            assert_eq!(served.secret.value.len(), 256);
        });
    }
}
