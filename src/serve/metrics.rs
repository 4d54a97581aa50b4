//! Counters for `/metrics`, written in the Prometheus text format: requests by route and
//! status, their latency, decisions by disposition, reloads, and the decision log's backlog.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// The service's counters. Latency is kept in whole microseconds (no float accumulates).
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    /// Count per bucket of [`BUCKETS`], then the overflow bucket.
    latency_buckets: [AtomicU64; BUCKETS.len() + 1],
    latency_micros: AtomicU64,
    latency_count: AtomicU64,
    decisions: Mutex<BTreeMap<String, u64>>,
    reloads_ok: AtomicU64,
    reloads_failed: AtomicU64,
}

impl Metrics {
    /// Count one answered request.
    pub fn request(&self, route: &str, status: u16, took: Duration) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((route.to_string(), status)).or_default() += 1;
        }
        let secs = took.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|b| secs <= *b)
            .unwrap_or(BUCKETS.len());
        if let Some(b) = self.latency_buckets.get(bucket) {
            b.fetch_add(1, Ordering::Relaxed);
        }
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.latency_micros.fetch_add(micros, Ordering::Relaxed);
        self.latency_count.fetch_add(1, Ordering::Relaxed);
    }

    /// Count one decision by its overall disposition.
    pub fn decision(&self, disposition: &str) {
        if let Ok(mut m) = self.decisions.lock() {
            match m.get_mut(disposition) {
                Some(n) => *n += 1,
                None => {
                    m.insert(disposition.to_string(), 1);
                }
            }
        }
    }

    /// Count a reload that succeeded or failed.
    pub fn reload(&self, ok: bool) {
        let c = if ok {
            &self.reloads_ok
        } else {
            &self.reloads_failed
        };
        c.fetch_add(1, Ordering::Relaxed);
    }

    /// Reloads so far: (succeeded, failed).
    pub fn reloads(&self) -> (u64, u64) {
        (
            self.reloads_ok.load(Ordering::Relaxed),
            self.reloads_failed.load(Ordering::Relaxed),
        )
    }

    /// The Prometheus text of every counter; `backlog` is the decision log's.
    pub fn render(&self, backlog: u64) -> String {
        let mut out = String::new();
        out.push_str("# HELP interdict_requests_total HTTP requests answered, by route and status.\n# TYPE interdict_requests_total counter\n");
        if let Ok(m) = self.requests.lock() {
            for ((route, status), n) in m.iter() {
                let _ = writeln!(
                    out,
                    "interdict_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        out.push_str("# HELP interdict_request_duration_seconds Time from a request's arrival to its answer.\n# TYPE interdict_request_duration_seconds histogram\n");
        let mut cumulative = 0u64;
        for (i, b) in self.latency_buckets.iter().enumerate() {
            cumulative += b.load(Ordering::Relaxed);
            let le = BUCKETS.get(i).map_or("+Inf".to_string(), |x| x.to_string());
            let _ = writeln!(
                out,
                "interdict_request_duration_seconds_bucket{{le=\"{le}\"}} {cumulative}"
            );
        }
        let micros = self.latency_micros.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "interdict_request_duration_seconds_sum {}.{:06}",
            micros / 1_000_000,
            micros % 1_000_000
        );
        let _ = writeln!(
            out,
            "interdict_request_duration_seconds_count {}",
            self.latency_count.load(Ordering::Relaxed)
        );
        out.push_str("# HELP interdict_decisions_total Decisions made, by overall disposition.\n# TYPE interdict_decisions_total counter\n");
        if let Ok(m) = self.decisions.lock() {
            for (d, n) in m.iter() {
                let _ = writeln!(
                    out,
                    "interdict_decisions_total{{disposition=\"{}\"}} {n}",
                    escape(d)
                );
            }
        }
        let (ok, failed) = self.reloads();
        let _ = write!(
            out,
            "# HELP interdict_reloads_total Reloads of the rule packs, world and lists, by result.\n# TYPE interdict_reloads_total counter\n\
interdict_reloads_total{{result=\"ok\"}} {ok}\ninterdict_reloads_total{{result=\"failed\"}} {failed}\n\
# HELP interdict_decision_log_backlog Decisions handed to the decision log and not yet stored.\n# TYPE interdict_decision_log_backlog gauge\n\
interdict_decision_log_backlog {backlog}\n"
        );
        out
    }
}

/// A label value with `\`, `"` and newlines escaped.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
