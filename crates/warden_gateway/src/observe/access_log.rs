//! The structured JSON access log: one line per request, written by a background thread that
//! batches writes (a line is on disk within about 5 ms), so requests never wait on disk.

use crate::config::LogSink;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

enum Msg {
    Line(String),
    Flush(SyncSender<()>),
}

/// Handle to the access log writer.
#[derive(Clone)]
pub struct AccessLog {
    tx: Option<SyncSender<Msg>>,
    dropped: std::sync::Arc<AtomicU64>,
}

impl std::fmt::Debug for AccessLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessLog")
    }
}

impl AccessLog {
    pub fn open(sink: &LogSink) -> Result<Self, String> {
        let out: Box<dyn Write + Send> = match sink {
            LogSink::Off => {
                return Ok(Self {
                    tx: None,
                    dropped: Default::default(),
                });
            }
            LogSink::Stdout => Box::new(std::io::stdout()),
            LogSink::File(p) => Box::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)
                    .map_err(|e| format!("access log {}: {e}", p.display()))?,
            ),
        };
        let (tx, rx) = sync_channel(65_536);
        std::thread::Builder::new()
            .name("warden-access-log".into())
            .spawn(move || writer(out, rx))
            .map_err(|e| e.to_string())?;
        Ok(Self {
            tx: Some(tx),
            dropped: Default::default(),
        })
    }

    pub fn enabled(&self) -> bool {
        self.tx.is_some()
    }

    /// Queues one line (without newline); drops it if the writer is saturated.
    pub fn line(&self, line: String) {
        if let Some(tx) = &self.tx {
            if let Err(TrySendError::Full(_)) = tx.try_send(Msg::Line(line)) {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Lines dropped because the writer could not keep up.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Waits until queued lines are written.
    pub fn flush(&self) {
        if let Some(tx) = &self.tx {
            let (d, r) = sync_channel(1);
            if tx.send(Msg::Flush(d)).is_ok() {
                let _ = r.recv_timeout(std::time::Duration::from_secs(5));
            }
        }
    }
}

fn writer(out: Box<dyn Write + Send>, rx: Receiver<Msg>) {
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, out);
    let handle = |msg: Msg, w: &mut std::io::BufWriter<Box<dyn Write + Send>>| match msg {
        Msg::Line(l) => {
            let _ = w.write_all(l.as_bytes());
            let _ = w.write_all(b"\n");
        }
        Msg::Flush(done) => {
            let _ = w.flush();
            let _ = done.send(());
        }
    };
    while let Ok(msg) = rx.recv() {
        let flush_asked = matches!(msg, Msg::Flush(_));
        handle(msg, &mut w);
        // Under load, let lines accumulate for a few milliseconds: one write per batch instead
        // of one wake-up and one write per request.
        if !flush_asked {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        while let Ok(more) = rx.try_recv() {
            handle(more, &mut w);
        }
        let _ = w.flush();
    }
}
