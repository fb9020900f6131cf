//! Starts the real `warden gateway` binary on a loopback port chosen by the OS, for the
//! gateway integration tests (`gateway_*.rs`).
#![allow(clippy::unwrap_used, dead_code)]

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub use warden_gateway::testkit;

/// A running gateway process.
pub struct Gw {
    pub child: Child,
    pub addr: SocketAddr,
    pub admin: Option<SocketAddr>,
    pub dir: PathBuf,
}

/// Writes `config` to `dir/gateway.toml` and starts the gateway on 127.0.0.1:0.
pub fn start(dir: &Path, config: &str) -> Gw {
    start_env(dir, config, &[])
}

pub fn start_env(dir: &Path, config: &str, env: &[(&str, &str)]) -> Gw {
    let cfg = dir.join("gateway.toml");
    std::fs::write(&cfg, config).unwrap();
    let cfg = cfg.to_string_lossy().into_owned();
    start_args(dir, &["--config", &cfg], env)
}

/// Starts `warden gateway ARGS --listen 127.0.0.1:0` (e.g. `--from TEMPLATE ...`).
pub fn start_args(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Gw {
    let stderr = std::fs::File::create(dir.join("stderr.log")).unwrap();
    let stdout = std::fs::File::create(dir.join("stdout.log")).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_warden"));
    cmd.arg("gateway")
        .args(args)
        .args(["--listen", "127.0.0.1:0"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut gw = Gw {
        child,
        addr: "127.0.0.1:0".parse().unwrap(),
        admin: None,
        dir: dir.to_path_buf(),
    };
    loop {
        let text = gw.stderr();
        // Only complete lines: the process may be halfway through writing one.
        for line in text
            .split_inclusive('\n')
            .filter(|l| l.ends_with('\n'))
            .map(str::trim_end)
        {
            if let Some(rest) = line.strip_prefix("warden gateway listening on ") {
                let a = rest
                    .trim_start_matches("http://")
                    .trim_start_matches("https://");
                gw.addr = a.parse().unwrap();
            }
            if let Some(rest) = line.strip_prefix("warden gateway admin on http://") {
                gw.admin = Some(rest.parse().unwrap());
            }
        }
        if gw.addr.port() != 0 {
            return gw;
        }
        if let Ok(Some(status)) = gw.child.try_wait() {
            panic!("gateway exited early ({status}): {text}");
        }
        assert!(Instant::now() < deadline, "gateway did not start: {text}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Gw {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn admin_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.admin.unwrap())
    }

    pub fn stderr(&self) -> String {
        read(&self.dir.join("stderr.log"))
    }

    pub fn stdout(&self) -> String {
        read(&self.dir.join("stdout.log"))
    }

    /// SIGTERM, then wait for exit.
    pub fn stop(&mut self) -> ExitStatus {
        signal(self.child.id(), "-TERM");
        wait(&mut self.child, Duration::from_secs(20))
    }

    /// SIGKILL, then wait.
    pub fn kill9(&mut self) -> ExitStatus {
        signal(self.child.id(), "-KILL");
        wait(&mut self.child, Duration::from_secs(20))
    }
}

impl Drop for Gw {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn signal(pid: u32, sig: &str) {
    let ok = Command::new("kill")
        .arg(sig)
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(ok.success());
}

fn wait(child: &mut Child, max: Duration) -> ExitStatus {
    let deadline = Instant::now() + max;
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(Instant::now() < deadline, "gateway did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn read(p: &Path) -> String {
    let mut s = String::new();
    if let Ok(mut f) = std::fs::File::open(p) {
        let _ = f.read_to_string(&mut s);
    }
    s
}

/// Runs `warden` with arguments; returns (exit code, stdout, stderr).
pub fn warden(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Waits until `f` is true or `max` passes.
pub async fn eventually(max: Duration, mut f: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + max;
    while Instant::now() < deadline {
        if f() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    f()
}
