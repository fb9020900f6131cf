//! Integration: rate-limit accuracy (in-process and through Redis), concurrency caps, spend
//! budgets, body and header size limits, slow-header and slow-body clients.
#![allow(clippy::unwrap_used)]

mod gateway_support;

use gateway_support::{start, testkit};
use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const RATE: f64 = 1000.0;
const BURST: f64 = 200.0;
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn rl_config(http: std::net::SocketAddr, store: &str) -> String {
    format!(
        r#"
[log]
access = "off"
[store]
{store}
[upstreams.app]
kind = "http"
url = "http://{http}"
[[routes]]
id = "limited"
path = "/limited"
upstream = "app"
public = true
waf = {{ mode = "off" }}
rate_limit = {{ rate = {RATE}, burst = {BURST} }}
"#
    )
}

/// What one load run saw: admitted and refused counts, the elapsed time, and the send time of
/// every request (seconds from the start), the offered arrival trace.
struct Run {
    ok: u64,
    refused: u64,
    elapsed: f64,
    sends: Vec<f64>,
}

/// Drives 64 concurrent keep-alive clients for `secs`.
/// The clients speak minimal HTTP/1.1 over raw sockets so that the load generator costs little
/// CPU next to the gateway it measures.
async fn hammer(addr: std::net::SocketAddr, path: &str, secs: u64) -> Run {
    let ok = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(secs);
    let request = format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n").into_bytes();
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let (ok, refused, request) = (ok.clone(), refused.clone(), request.clone());
        tasks.push(tokio::spawn(async move {
            let mut sends = Vec::new();
            let mut conn = RawConn::connect(addr).await;
            while Instant::now() < deadline {
                let sent = start.elapsed().as_secs_f64();
                match conn.call(&request).await {
                    Some(200) => ok.fetch_add(1, Ordering::Relaxed),
                    Some(429) => refused.fetch_add(1, Ordering::Relaxed),
                    Some(other) => panic!("unexpected status {other}"),
                    None => {
                        conn = RawConn::connect(addr).await;
                        continue;
                    }
                };
                sends.push(sent);
            }
            sends
        }));
    }
    let mut sends = Vec::new();
    for t in tasks {
        sends.extend(t.await.unwrap());
    }
    sends.sort_by(f64::total_cmp);
    Run {
        ok: ok.load(Ordering::Relaxed),
        refused: refused.load(Ordering::Relaxed),
        elapsed: start.elapsed().as_secs_f64(),
        sends,
    }
}

/// How many requests an exact GCRA limiter (`rate`, `burst`) admits on an arrival trace.
fn ideal_admissions(sends: &[f64], rate: f64, burst: f64) -> u64 {
    let emission = 1.0 / rate;
    let tolerance = emission * (burst - 1.0);
    let mut tat = f64::NEG_INFINITY;
    let mut admitted = 0;
    for &t in sends {
        let base = tat.max(t);
        if base - t <= tolerance + 1e-9 {
            tat = base + emission;
            admitted += 1;
        }
    }
    admitted
}

/// One keep-alive HTTP/1.1 connection with a minimal response parser.
struct RawConn {
    stream: tokio::io::BufReader<tokio::net::TcpStream>,
}

impl RawConn {
    async fn connect(addr: std::net::SocketAddr) -> Self {
        let s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.set_nodelay(true).unwrap();
        Self {
            stream: tokio::io::BufReader::new(s),
        }
    }

    async fn call(&mut self, request: &[u8]) -> Option<u16> {
        use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
        self.stream.get_mut().write_all(request).await.ok()?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await.ok()?;
        let status = line.split_whitespace().nth(1)?.parse().ok()?;
        let mut len = 0usize;
        loop {
            line.clear();
            if self.stream.read_line(&mut line).await.ok()? == 0 {
                return None;
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().ok()?;
                }
            }
        }
        let mut body = vec![0u8; len];
        self.stream.read_exact(&mut body).await.ok()?;
        Some(status)
    }
}

/// 1,000 requests/s, 64 clients, 10 s: the admitted count is within ±3% of burst + rate × time
/// (burst 200: within 2% of the 10,000 configured for the 10 s).
///
/// Over-admission is a gateway bug whatever the load, and fails at once. Under-admission can
/// also come from the offered load itself: when a loaded machine stalls the clients (or the
/// gateway, which then stalls the clients waiting for it) longer than the burst covers
/// (200 ms), an exact limiter loses those tokens too. So a run below the configured count is
/// judged against an exact GCRA replayed on the run's own arrival trace (the send time of every
/// request): the gateway must admit within ±3% of what the exact limiter admits on the same
/// arrivals. A run where the clients could not offer 1.3 times the limit proves nothing and is
/// repeated (three runs at most).
async fn accuracy(store: &str) {
    // The tests of this file run one at a time: the accuracy runs need the CPU.
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let http = testkit::fast_upstream().await;
    let gw = start(dir.path(), &rl_config(http, store));
    let mut runs = Vec::new();
    for attempt in 1..=3 {
        let run = hammer(gw.addr, "/limited", 10).await;
        let ok = run.ok;
        let expected = BURST + RATE * run.elapsed;
        let offered = (run.ok + run.refused) as f64;
        let error = (ok as f64 - expected) / expected;
        let ideal = ideal_admissions(&run.sends, RATE, BURST) as f64;
        let vs_ideal = (ok as f64 - ideal) / ideal.max(1.0);
        let text = format!(
            "attempt {attempt}: admitted {ok}, refused {}, {:.2}s, expected {expected:.0} ({:+.2}%), exact limiter on the same arrivals {ideal:.0} ({:+.2}%)",
            run.refused,
            run.elapsed,
            error * 100.0,
            vs_ideal * 100.0
        );
        println!("{text}");
        assert!(error <= 0.03, "rate limit over-admits: {text}");
        runs.push(text);
        let saturated = offered >= 1.3 * expected;
        if saturated && (error >= -0.03 || vs_ideal.abs() <= 0.03) {
            return;
        }
    }
    panic!("no run within ±3% with the limit saturated: {runs:?}");
}

#[test]
fn the_exact_limiter_replay_counts_burst_and_rate() {
    // 10/s, burst 3: three at t=0, then one per 100 ms.
    let sends: Vec<f64> = (0..100).map(|i| f64::from(i) * 0.01).collect();
    assert_eq!(ideal_admissions(&sends, 10.0, 3.0), 3 + 9);
    // A 1 s gap loses the tokens it could not store beyond the burst.
    let gap = [0.0, 0.0, 0.0, 0.0, 2.0, 2.0, 2.0, 2.0];
    assert_eq!(ideal_admissions(&gap, 10.0, 3.0), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_accuracy_in_process() {
    accuracy("").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_accuracy_through_redis() {
    let Some(redis) = Redis::start() else {
        eprintln!(
            "SKIPPED rate_limit_accuracy_through_redis: `redis-server` not found (apt-get install -y redis-server)"
        );
        return;
    };
    accuracy(&format!(
        "url = \"redis://127.0.0.1:{}/\"\nprefix = \"t1:\"",
        redis.port
    ))
    .await;
}

/// A private redis-server on a free port, stopped on drop.
struct Redis {
    child: std::process::Child,
    port: u16,
}

impl Redis {
    fn start() -> Option<Self> {
        let exists = std::process::Command::new("redis-server")
            .arg("--version")
            .output()
            .is_ok();
        if !exists {
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(std::process::Stdio::null())
            .spawn()
            .ok()?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(Self { child, port })
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_gateways_share_redis_counters() {
    let _serial = SERIAL.lock().await;
    let Some(redis) = Redis::start() else {
        eprintln!(
            "SKIPPED two_gateways_share_redis_counters: `redis-server` not found (apt-get install -y redis-server)"
        );
        return;
    };
    let http = testkit::echo_upstream().await;
    let cfg = format!(
        r#"
[log]
access = "off"
[store]
url = "redis://127.0.0.1:{}/"
prefix = "t2:"
[upstreams.app]
kind = "http"
url = "http://{http}"
[[routes]]
id = "slowly"
path = "/slowly"
upstream = "app"
public = true
rate_limit = {{ rate = 0.01, burst = 5 }}
"#,
        redis.port
    );
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, b) = (start(d1.path(), &cfg), start(d2.path(), &cfg));
    let c = testkit::Client::new();
    let mut ok = 0;
    for i in 0..10 {
        let gw = if i % 2 == 0 { &a } else { &b };
        if c.get(&gw.url("/slowly"), &[]).await.status == 200 {
            ok += 1;
        }
    }
    assert_eq!(ok, 5, "the burst of 5 must be shared by both gateways");
}

fn limits_config(http: std::net::SocketAddr, lambda: std::net::SocketAddr) -> String {
    format!(
        r#"
[server]
max_body_bytes = 1024
max_header_bytes = 8192
header_timeout_ms = 400
body_timeout_ms = 400
max_connections = 3
[log]
access = "off"
[upstreams.app]
kind = "http"
url = "http://{http}"
budget = {{ limit_usd = 0.0025, cost_per_request = 0.001, cost_per_gb_second = 0.0 }}
[upstreams.slowfn]
kind = "lambda"
endpoint = "http://{lambda}"
function = "Slow"
max_concurrency = 2
[[routes]]
id = "paid"
path = "/paid"
upstream = "app"
public = true
[upstreams.free]
kind = "http"
url = "http://{http}"
[[routes]]
id = "upload"
methods = ["POST"]
path = "/upload"
upstream = "free"
public = true
waf = {{ mode = "off" }}
[[routes]]
id = "slowfn"
path = "/slowfn"
upstream = "slowfn"
public = true
"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn budgets_concurrency_and_transport_limits() {
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let http = testkit::echo_upstream().await;
    let (lambda, _) = testkit::lambda_server().await;
    let gw = start(dir.path(), &limits_config(http, lambda));
    let c = testkit::Client::new();

    // Spend budget: 0.001 USD per call, 0.0025 USD per day: three calls, then 429.
    let codes: Vec<u16> = {
        let mut v = Vec::new();
        for _ in 0..5 {
            v.push(c.get(&gw.url("/paid"), &[]).await.status);
        }
        v
    };
    assert_eq!(codes, vec![200, 200, 200, 429, 429]);
    let r = c.get(&gw.url("/paid"), &[]).await;
    assert!(
        r.headers["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );

    // Concurrency cap of 2 on a 300 ms function: of 3 simultaneous calls one is shed.
    let mut tasks = Vec::new();
    for _ in 0..3 {
        let (c, url) = (c.clone(), gw.url("/slowfn"));
        tasks.push(tokio::spawn(async move { c.get(&url, &[]).await.status }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap());
    }
    codes.sort();
    assert_eq!(codes, vec![200, 200, 429]);

    // Body size: declared and streamed.
    assert_eq!(
        c.post(&gw.url("/upload"), &[], vec![b'a'; 2000])
            .await
            .status,
        413
    );
    assert_eq!(
        c.post(&gw.url("/upload"), &[], vec![b'a'; 1000])
            .await
            .status,
        200
    );
    let addr = gw.addr;
    let chunked = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(b"POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            .unwrap();
        for _ in 0..3 {
            let _ = s.write_all(b"200\r\n");
            let _ = s.write_all(&[b'z'; 0x200]);
            let _ = s.write_all(b"\r\n");
        }
        let _ = s.write_all(b"0\r\n\r\n");
        read_status(&mut s)
    });
    assert_eq!(chunked.await.unwrap(), Some(413));

    // Header size.
    let big = "h".repeat(20_000);
    let r = c.get(&gw.url("/paid"), &[("x-big", big.as_str())]).await;
    assert_eq!(r.status, 431);

    // Slow body: 10 of 100 declared bytes, then silence: 408.
    let slow_body = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
            .unwrap();
        read_status(&mut s)
    });
    assert_eq!(slow_body.await.unwrap(), Some(408));

    // Slow headers: the connection is cut after the header timeout.
    let slow_head = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(b"GET /paid HTTP/1.1\r\nHost: x\r\n").unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let start = Instant::now();
        let mut buf = [0u8; 1024];
        let closed = loop {
            match s.read(&mut buf) {
                Ok(0) => break true,
                Ok(_) => continue,
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut =>
                {
                    break false;
                }
                Err(_) => break true,
            }
        };
        (closed, start.elapsed())
    });
    let (closed, took) = slow_head.await.unwrap();
    assert!(
        closed && took < Duration::from_secs(3),
        "slow-header client not cut off ({took:?})"
    );

    // Connection cap of 3: a fourth connection is not served until one closes.
    let served_late = tokio::task::spawn_blocking(move || {
        let held: Vec<_> = (0..3)
            .map(|_| {
                let mut s = std::net::TcpStream::connect(addr).unwrap();
                s.write_all(b"GET /__warden/health HTTP/1.1\r\nHost: x\r\n\r\n")
                    .unwrap();
                assert_eq!(read_status(&mut s), Some(200));
                s
            })
            .collect();
        let mut fourth = std::net::TcpStream::connect(addr).unwrap();
        fourth
            .write_all(b"GET /__warden/health HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        fourth
            .set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        let mut buf = [0u8; 64];
        let early = matches!(fourth.read(&mut buf), Ok(n) if n > 0);
        drop(held);
        fourth
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        (early, read_status(&mut fourth))
    });
    let (early, late) = served_late.await.unwrap();
    assert!(!early, "fourth connection served while three were open");
    assert_eq!(late, Some(200));
}

fn read_status(s: &mut std::net::TcpStream) -> Option<u16> {
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(2).any(|w| w == b"\r\n") {
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let line = String::from_utf8_lossy(&buf);
    line.split_whitespace().nth(1)?.parse().ok()
}
