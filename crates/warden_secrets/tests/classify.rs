//! `classify_value`: configuration values judged by key name and shape.

#![allow(clippy::unwrap_used)]

use warden_secrets::{Confidence, classify_value};

fn id(name: Option<&str>, value: &str) -> Option<&'static str> {
    classify_value(name, value).map(|m| m.detector)
}

#[test]
fn secrets_by_name() {
    assert_eq!(
        id(Some("DB_PASSWORD"), "Tq7!vRw2pLx9"),
        Some("generic-password")
    );
    assert_eq!(
        id(Some("MasterUserPassword"), "Zr4#mQ8vTn2w"),
        Some("generic-password")
    );
    assert_eq!(
        id(Some("API_KEY"), "f3Kq9ZvL2mW8xR4tY7uP1aS5"),
        Some("generic-secret")
    );
    assert_eq!(
        id(Some("client_secret"), "kM3~pQ8.vZ2_rT7-wX9yB4nC6dF1gH5j"),
        Some("generic-secret")
    );
    assert_eq!(
        id(
            Some("AWS_SECRET_ACCESS_KEY"),
            "k3Hq9vZ2mW8xR4tY7uP1aS5dF6gJ0lQ2zX3cV8bN"
        ),
        Some("aws-secret-access-key")
    );
    assert_eq!(
        id(Some("Authorization"), "Bearer f3Kq9ZvL2mW8xR4tY7uP1aS5"),
        Some("authorization-header")
    );
}

#[test]
fn secrets_by_shape_whatever_the_name() {
    assert_eq!(
        id(Some("SETTING"), "AKIAQ3EGT7XK2MPLWZ4B"),
        Some("aws-access-key-id")
    );
    assert_eq!(
        id(None, "ghp_Zq8Vd3LmZ2xTf9RkW7pNcQ4sB6yH1jK0aE5u"),
        Some("github-token")
    );
    assert_eq!(
        id(
            Some("DATABASE_URL"),
            "postgresql://app:Tq7vRw2pLx9z@db.internal:5432/app"
        ),
        Some("database-url-password")
    );
    assert_eq!(
        id(
            Some("STORAGE"),
            "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Fq3CnPsbUzU3BiczWgRam+EJoOtZcMVlEApe2ZB608IzduAU39jf/DLqcTD7RoIpsrdbZk9Lw2Qx1VbN7yHgTm==;"
        ),
        Some("azure-storage-account-key")
    );
}

#[test]
fn references_are_never_plaintext() {
    for v in [
        "{{resolve:secretsmanager:prod/db:SecretString:password}}",
        "{{resolve:ssm-secure:/prod/db/password:3}}",
        "${ssm:/prod/db/password}",
        "${env:DB_PASSWORD}",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
        "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)",
        "${DB_PASSWORD}",
        "",
        "   ",
        "postgresql://app:{{resolve:secretsmanager:db:SecretString:password}}@db:5432/app",
    ] {
        assert_eq!(id(Some("DB_PASSWORD"), v), None, "{v}");
    }
}

#[test]
fn metadata_names_are_not_secrets() {
    for (n, v) in [
        ("TOKEN_TABLE_NAME", "orders-tokens-Q3EGT7XK2MPLWZ4B"),
        ("PASSWORD_MIN_LENGTH", "12"),
        ("SECRET_ARN", "prod/orders/Tq7vRw2pLx9zQ3EGT7XK"),
        ("DB_SECRET_NAME", "prod/db/Tq7vRw2pLx9z"),
        ("API_KEY_PARAM", "/orders/api-key"),
        ("STRIPE_KEY_PARAM", "Tq7vRw2pLx9zQ3EGT7XKm"),
        ("NEXT_TOKEN", "f3Kq9ZvL2mW8xR4tY7uP1aS5"),
        ("AWS_ACCESS_KEY_ID", "from-instance-profile"),
        ("LOG_LEVEL", "f3Kq9ZvL2mW8xR4tY7uP1aS5"),
    ] {
        assert_eq!(id(Some(n), v), None, "{n}={v}");
    }
}

#[test]
fn examples_and_markup_are_ignored() {
    for v in [
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "EXAMPLE",
        "xxxx",
        "<your-key>",
        "${VAR}",
        "********",
        "your-api-key-here",
    ] {
        assert_eq!(id(Some("API_KEY"), v), None, "{v}");
        assert_eq!(id(Some("DB_PASSWORD"), v), None, "{v}");
        assert_eq!(id(Some("AWS_SECRET_ACCESS_KEY"), v), None, "{v}");
    }
}

#[test]
fn placeholders_under_password_names_are_weak_passwords() {
    for v in [
        "changeme",
        "password",
        "Passw0rd!",
        "admin",
        "123456",
        "secret",
    ] {
        let m = classify_value(Some("DB_PASSWORD"), v).unwrap();
        assert_eq!(
            (m.detector, m.confidence),
            ("weak-password", Confidence::Low),
            "{v}"
        );
        assert_eq!(m.redacted, "********");
    }
    // Under a token name a placeholder is just a placeholder.
    assert_eq!(id(Some("API_TOKEN"), "changeme"), None);
}

#[test]
fn match_offsets_are_relative_to_the_value() {
    let v = "  Bearer f3Kq9ZvL2mW8xR4tY7uP1aS5";
    let m = classify_value(Some("Authorization"), v).unwrap();
    assert_eq!(&v[m.start..m.end], "f3Kq9ZvL2mW8xR4tY7uP1aS5");
    assert_eq!((m.line, m.column, m.end_column), (1, 10, 34));
    assert_eq!(m.key.as_deref(), Some("Authorization"));
    assert_eq!(m.redacted, "f3Kq************");
}
