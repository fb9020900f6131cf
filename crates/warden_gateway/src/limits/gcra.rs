//! GCRA (generic cell rate algorithm), the exact form of a token bucket: one atomic "theoretical
//! arrival time" per key, refilled lazily by comparing it to the clock, updated with a
//! compare-and-swap loop (lock-free).

use std::sync::atomic::{AtomicU64, Ordering};

/// Parameters in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// Time between two admissions at the sustained rate (`1 / rate`).
    pub emission_ns: u64,
    /// How far ahead of the clock the TAT may run (`(burst - 1) * emission`).
    pub tolerance_ns: u64,
}

impl Params {
    /// `rate` per second with `burst` admitted at once.
    pub fn new(rate: f64, burst: u32) -> Self {
        let emission_ns = (1e9 / rate).round().max(1.0) as u64;
        Self {
            emission_ns,
            tolerance_ns: emission_ns.saturating_mul(u64::from(burst.max(1)) - 1),
        }
    }
}

/// Outcome of one check: admitted, or the time until the next admission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny { retry_after_ns: u64 },
}

/// Admits or denies one request against a TAT cell at time `now_ns`.
pub fn check(cell: &AtomicU64, p: Params, now_ns: u64) -> Decision {
    let mut tat = cell.load(Ordering::Acquire);
    loop {
        let base = tat.max(now_ns);
        if base - now_ns > p.tolerance_ns {
            return Decision::Deny {
                retry_after_ns: base - now_ns - p.tolerance_ns,
            };
        }
        let next = base + p.emission_ns;
        match cell.compare_exchange_weak(tat, next, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => return Decision::Allow,
            Err(actual) => tat = actual,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_burst_then_rate() {
        let p = Params::new(10.0, 3);
        let cell = AtomicU64::new(0);
        let t0 = 1_000_000_000;
        for _ in 0..3 {
            assert_eq!(check(&cell, p, t0), Decision::Allow);
        }
        assert!(matches!(check(&cell, p, t0), Decision::Deny { .. }));
        // 100 ms later exactly one more token.
        assert_eq!(check(&cell, p, t0 + 100_000_000), Decision::Allow);
        assert!(matches!(
            check(&cell, p, t0 + 100_000_000),
            Decision::Deny { .. }
        ));
    }

    #[test]
    fn exact_count_over_a_simulated_second() {
        let p = Params::new(1000.0, 1);
        let cell = AtomicU64::new(0);
        let start = 5_000_000_000u64;
        let mut admitted = 0;
        // A request every 100 microseconds for one second.
        for i in 0..10_000u64 {
            if check(&cell, p, start + i * 100_000) == Decision::Allow {
                admitted += 1;
            }
        }
        assert_eq!(admitted, 1000);
    }

    #[test]
    fn concurrent_threads_never_over_admit() {
        let p = Params::new(1.0, 100);
        let cell = std::sync::Arc::new(AtomicU64::new(0));
        let now = 10_000_000_000;
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let c = cell.clone();
                std::thread::spawn(move || {
                    (0..1000)
                        .filter(|_| check(&c, p, now) == Decision::Allow)
                        .count()
                })
            })
            .collect();
        let total: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
        assert_eq!(total, 100);
    }
}
