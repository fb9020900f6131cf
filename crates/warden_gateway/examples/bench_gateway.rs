//! Benchmark helper (scripts/bench-gateway): `serve CONFIG` runs the gateway exactly as
//! `warden gateway --config CONFIG` does (same `run_blocking`), without building the scanner
//! half of the `warden` binary; `token` prints a test JWT valid for a day (issuer
//! `https://issuer.test`, audience `warden-api`, test key `k1`); `jwks` prints the matching JWKS.
#![allow(clippy::unwrap_used)]

use warden_gateway::testkit;

/// The same allocator as the `warden` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") if args.len() == 2 => {
            let path = std::path::Path::new(&args[1]);
            let config = warden_gateway::Config::load(path).unwrap();
            let base = path.parent().unwrap_or(std::path::Path::new("."));
            warden_gateway::run_blocking(config, base).unwrap();
        }
        Some("token") => {
            let now = warden_gateway::time::unix_secs();
            let claims = serde_json::json!({
                "iss": "https://issuer.test", "aud": "warden-api", "sub": "bench",
                "scope": "bench", "iat": now, "exp": now + 86_400
            });
            println!("{}", testkit::mint(testkit::RSA1, Some("k1"), &claims));
        }
        Some("jwks") => println!("{}", testkit::jwks(&[("k1", testkit::RSA1)])),
        _ => {
            eprintln!("usage: bench_gateway serve CONFIG | token | jwks");
            std::process::exit(2);
        }
    }
}
