//! Integration: authentication through the real binary: the JWT attack set (alg none, HS256
//! with the RSA public key, unknown kid then rotation, expired, not yet valid, wrong audience or
//! issuer, tampered payload, oversized token), scopes, API keys with usage plans, HMAC webhooks
//! with replay.
#![allow(clippy::unwrap_used)]

mod gateway_support;

use gateway_support::{start, start_env, testkit};
use serde_json::json;
use testkit::{EC1, RSA1, RSA1_PUB, RSA2, claims, mint, mint_hs256, mint_none};

const HOOK_SECRET: &str = "whsec_0123456789abcdef0123";

fn config(http: std::net::SocketAddr, jwks_url: &str) -> String {
    let key_hash = warden_gateway::auth::api_key::hash_key("key-gold-123456");
    let key2_hash = warden_gateway::auth::api_key::hash_key("key-tiny-abcdef");
    format!(
        r#"
[log]
access = "off"

[upstreams.app]
kind = "http"
url = "http://{http}"

[authorizers.jwt]
kind = "jwt"
jwks_url = "{jwks_url}"
issuers = ["https://issuer.test"]
audiences = ["warden-api"]
algorithms = ["RS256", "ES256"]
leeway_secs = 5
min_refetch_secs = 0
max_token_bytes = 4096

[authorizers.keys]
kind = "api_key"
keys = [
  {{ id = "gold", sha256 = "{key_hash}", plan = "gold" }},
  {{ id = "tiny", sha256 = "{key2_hash}", plan = "tiny" }},
]

[authorizers.hook]
kind = "hmac"
secret_env = "HOOK_SECRET"

[usage_plans.gold]
quota_day = 1000
[usage_plans.tiny]
quota_day = 2

[[routes]]
id = "me"
path = "/me"
upstream = "app"
authorizers = ["jwt"]

[[routes]]
id = "admin"
path = "/admin"
upstream = "app"
authorizers = ["jwt"]
scopes = ["admin:write"]

[[routes]]
id = "tenant"
path = "/tenant/{{id}}"
upstream = "app"
authorizers = ["jwt"]
policy = {{ Version = "2012-10-17", Statement = [
  {{ Effect = "Allow", Principal = "*", Action = "execute-api:Invoke", Resource = "arn:aws:execute-api:*:*:*/*/GET/tenant/*", Condition = {{ StringEquals = {{ "jwt:tenant" = "acme" }} }} }},
  {{ Effect = "Deny", Principal = "*", Action = "execute-api:Invoke", Resource = "arn:aws:execute-api:*:*:*/*/*/tenant/locked" }},
] }}

[[routes]]
id = "partner"
path = "/partner"
upstream = "app"
authorizers = ["keys"]

[[routes]]
id = "hook"
methods = ["POST"]
path = "/hook"
upstream = "app"
authorizers = ["hook"]
"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jwt_attack_set_and_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let http = testkit::echo_upstream().await;
    let jwks = testkit::JwksServer::start(&[("k1", RSA1), ("e1", EC1)]).await;
    let gw = start_env(
        dir.path(),
        &config(http, &jwks.url()),
        &[("HOOK_SECRET", HOOK_SECRET)],
    );
    let c = testkit::Client::new();
    let url = gw.url("/me");
    let call = |tok: String| {
        let c = c.clone();
        let url = url.clone();
        async move {
            c.get(&url, &[("authorization", &format!("Bearer {tok}"))])
                .await
        }
    };

    let good = mint(RSA1, Some("k1"), &claims("alice", json!({})));
    let r = call(good.clone()).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        call(mint(EC1, Some("e1"), &claims("eve", json!({}))))
            .await
            .status,
        200
    );
    assert_eq!(c.get(&url, &[]).await.status, 401, "missing token");
    assert_eq!(
        c.get(&url, &[("authorization", "Basic YTpi")]).await.status,
        401
    );

    let now = warden_gateway::time::unix_secs();
    let attacks = [
        (
            "alg none",
            mint_none(Some("k1"), &claims("alice", json!({}))),
        ),
        (
            "HS256 with the RSA public key",
            mint_hs256(RSA1_PUB.as_bytes(), Some("k1"), &claims("alice", json!({}))),
        ),
        (
            "expired",
            mint(
                RSA1,
                Some("k1"),
                &claims("alice", json!({"exp": now - 60, "iat": now - 120})),
            ),
        ),
        (
            "not yet valid",
            mint(
                RSA1,
                Some("k1"),
                &claims("alice", json!({"nbf": now + 600})),
            ),
        ),
        (
            "issued in the future",
            mint(
                RSA1,
                Some("k1"),
                &claims("alice", json!({"iat": now + 600})),
            ),
        ),
        (
            "wrong audience",
            mint(
                RSA1,
                Some("k1"),
                &claims("alice", json!({"aud": "other-api"})),
            ),
        ),
        (
            "wrong issuer",
            mint(
                RSA1,
                Some("k1"),
                &claims("alice", json!({"iss": "https://evil.test"})),
            ),
        ),
        ("no exp", {
            let mut c = claims("alice", json!({}));
            c.as_object_mut().unwrap().remove("exp");
            mint(RSA1, Some("k1"), &c)
        }),
        ("tampered payload", {
            let parts: Vec<&str> = good.split('.').collect();
            use base64::Engine as _;
            let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            let forged = b64.encode(claims("admin", json!({})).to_string());
            format!("{}.{forged}.{}", parts[0], parts[2])
        }),
        (
            "oversized",
            mint(
                RSA1,
                Some("k1"),
                &claims("alice", json!({"pad": "x".repeat(5000)})),
            ),
        ),
        ("garbage", "not.a.jwt".to_string()),
        (
            "RSA key with ES256 header kid",
            mint(EC1, Some("k1"), &claims("alice", json!({}))),
        ),
    ];
    for (name, tok) in attacks {
        let r = call(tok).await;
        assert_eq!(r.status, 401, "{name} was not refused: {}", r.text());
        assert!(
            !r.text().contains("expired") && !r.text().contains("signature"),
            "{name} leaks detail"
        );
    }

    // Unknown kid: refetch (single flight), then key rotation is picked up.
    let before = jwks.fetches();
    let rotated = mint(RSA2, Some("k2"), &claims("bob", json!({})));
    assert_eq!(
        call(rotated.clone()).await.status,
        401,
        "k2 not published yet"
    );
    assert!(
        jwks.fetches() > before,
        "unknown kid did not trigger a refetch"
    );
    jwks.set(&[("k1", RSA1), ("k2", RSA2)]);
    assert_eq!(call(rotated).await.status, 200, "rotated key not picked up");
    // A forged kid pointing at nothing is still refused.
    assert_eq!(
        call(mint(RSA2, Some("nope"), &claims("bob", json!({}))))
            .await
            .status,
        401
    );

    // Scopes: authenticated but missing scope is 403.
    let admin = gw.url("/admin");
    let no_scope = mint(RSA1, Some("k1"), &claims("alice", json!({"scope": "read"})));
    let with_scope = mint(
        RSA1,
        Some("k1"),
        &claims("alice", json!({"scope": "read admin:write"})),
    );
    assert_eq!(
        c.get(&admin, &[("authorization", &format!("Bearer {no_scope}"))])
            .await
            .status,
        403
    );
    assert_eq!(
        c.get(
            &admin,
            &[("authorization", &format!("Bearer {with_scope}"))]
        )
        .await
        .status,
        200
    );

    // IAM-style route policy evaluated by warden_iam: tenant claim condition, explicit deny.
    let acme = mint(
        RSA1,
        Some("k1"),
        &claims("alice", json!({"tenant": "acme"})),
    );
    let other = mint(
        RSA1,
        Some("k1"),
        &claims("bob", json!({"tenant": "globex"})),
    );
    let t = |p: &str| gw.url(p);
    assert_eq!(
        c.get(
            &t("/tenant/1"),
            &[("authorization", &format!("Bearer {acme}"))]
        )
        .await
        .status,
        200
    );
    assert_eq!(
        c.get(
            &t("/tenant/1"),
            &[("authorization", &format!("Bearer {other}"))]
        )
        .await
        .status,
        403
    );
    assert_eq!(
        c.get(
            &t("/tenant/locked"),
            &[("authorization", &format!("Bearer {acme}"))]
        )
        .await
        .status,
        403
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_keys_quotas_and_hmac_webhooks() {
    let dir = tempfile::tempdir().unwrap();
    let http = testkit::echo_upstream().await;
    let jwks = testkit::JwksServer::start(&[("k1", RSA1)]).await;
    let gw = start_env(
        dir.path(),
        &config(http, &jwks.url()),
        &[("HOOK_SECRET", HOOK_SECRET)],
    );
    let c = testkit::Client::new();
    let p = gw.url("/partner");
    assert_eq!(c.get(&p, &[]).await.status, 401);
    assert_eq!(c.get(&p, &[("x-api-key", "wrong-key")]).await.status, 401);
    let r = c.get(&p, &[("x-api-key", "key-gold-123456")]).await;
    assert_eq!(r.status, 200);
    // Usage plan quota: 2 per day for `tiny`.
    assert_eq!(
        c.get(&p, &[("x-api-key", "key-tiny-abcdef")]).await.status,
        200
    );
    assert_eq!(
        c.get(&p, &[("x-api-key", "key-tiny-abcdef")]).await.status,
        200
    );
    let r = c.get(&p, &[("x-api-key", "key-tiny-abcdef")]).await;
    assert_eq!(r.status, 429);
    assert!(
        r.headers["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            > 0
    );

    // HMAC webhooks.
    let h = gw.url("/hook");
    let body = r#"{"event":"paid"}"#;
    let ts = warden_gateway::time::unix_secs();
    let sig = format!(
        "sha256={}",
        warden_gateway::auth::hmac::sign(HOOK_SECRET.as_bytes(), ts, body.as_bytes())
    );
    let ts_s = ts.to_string();
    let headers = [
        ("x-signature", sig.as_str()),
        ("x-signature-timestamp", ts_s.as_str()),
    ];
    assert_eq!(c.post(&h, &headers, body).await.status, 200);
    assert_eq!(
        c.post(&h, &headers, body).await.status,
        401,
        "replay accepted"
    );
    assert_eq!(
        c.post(&h, &headers, r#"{"event":"refund"}"#).await.status,
        401,
        "tampered body"
    );
    let old = ts - 3600;
    let old_sig = warden_gateway::auth::hmac::sign(HOOK_SECRET.as_bytes(), old, body.as_bytes());
    let old_s = old.to_string();
    let stale = [
        ("x-signature", old_sig.as_str()),
        ("x-signature-timestamp", old_s.as_str()),
    ];
    assert_eq!(c.post(&h, &stale, body).await.status, 401, "stale accepted");
    assert_eq!(c.post(&h, &[], body).await.status, 401);
}

/// The verified-token cache never outlives a token: a token accepted (and cached) is refused
/// once it expires (with no leeway).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_tokens_still_expire() {
    let dir = tempfile::tempdir().unwrap();
    let http = testkit::echo_upstream().await;
    std::fs::write(
        dir.path().join("jwks.json"),
        testkit::jwks(&[("k1", testkit::RSA1)]),
    )
    .unwrap();
    let gw = start(
        dir.path(),
        &format!(
            r#"
[log]
access = "off"
[upstreams.app]
kind = "http"
url = "http://{http}"
[authorizers.users]
kind = "jwt"
jwks_file = "jwks.json"
issuers = ["https://issuer.test"]
audiences = ["warden-api"]
algorithms = ["RS256"]
leeway_secs = 0
[[routes]]
id = "r"
path = "/r"
upstream = "app"
authorizers = ["users"]
"#
        ),
    );
    let now = warden_gateway::time::unix_secs();
    let token = testkit::mint(
        testkit::RSA1,
        Some("k1"),
        &json!({"iss": "https://issuer.test", "aud": "warden-api", "sub": "a", "iat": now, "exp": now + 2}),
    );
    let bearer = format!("Bearer {token}");
    let c = testkit::Client::new();
    for _ in 0..3 {
        assert_eq!(
            c.get(&gw.url("/r"), &[("authorization", &bearer)])
                .await
                .status,
            200
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
    assert_eq!(
        c.get(&gw.url("/r"), &[("authorization", &bearer)])
            .await
            .status,
        401,
        "an expired token was served from the cache"
    );
}
