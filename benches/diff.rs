//! What-if benchmark: `cargo bench --bench diff`.
//!
//! Writes the benchmark workload with `interdict workload` (seed 1: the SDN snapshot of the
//! lists folder, 100,000 entities, 150,000 edges, 1,000,000 transactions; `BENCH_SEED`,
//! `BENCH_ENTITIES`, `BENCH_EDGES`, `BENCH_TRANSACTIONS` change it; `BENCH_DIR` is where, default
//! `target/bench-diff`, reused when present), then in the same run, each as a child process of
//! the release binary:
//!
//! - the baseline: `interdict batch` over the transactions (one world, every decision written);
//! - `interdict diff` over the same transactions with one designation overlay (the first
//!   transaction's originating bank designated under `us.sdgt`): both worlds, the changed
//!   decisions and the summary written.
//!
//! It prints each command's wall time and peak memory (`/usr/bin/time`, maximum resident set
//! size), the ratio of the two times (target: at most 2), and the diff's summary. Timings are
//! never asserted.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "benchmark code"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_interdict");

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// A run of the binary: wall time in seconds, peak memory in MB (when `/usr/bin/time` is
/// there), exit code, and the last line of its standard output.
struct Run {
    seconds: f64,
    peak_mb: Option<f64>,
    code: Option<i32>,
    last_line: String,
}

/// Run `interdict ARGS` with its standard output to `out`, measured.
fn run(args: &[&str], out: &Path) -> Run {
    let time = Path::new("/usr/bin/time");
    let report = out.with_extension("time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg("-o").arg(&report).arg(BIN);
        c
    } else {
        Command::new(BIN)
    };
    cmd.args(args)
        .stdout(std::fs::File::create(out).unwrap())
        .stderr(std::process::Stdio::null());
    let started = Instant::now();
    let status = cmd.status().expect("the binary runs");
    let seconds = started.elapsed().as_secs_f64();
    let peak_mb = std::fs::read_to_string(&report)
        .ok()
        .and_then(|s| s.lines().last()?.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    let text = std::fs::read_to_string(out).unwrap_or_default();
    Run {
        seconds,
        peak_mb,
        code: status.code(),
        last_line: text.lines().last().unwrap_or_default().to_string(),
    }
}

/// The workload's files, written once (an existing directory with both files is reused).
fn workload(dir: &Path) -> (PathBuf, PathBuf) {
    let (world, txs) = (dir.join("world.toml"), dir.join("transactions.ndjson"));
    if world.exists() && txs.exists() {
        println!("workload: reusing {}", dir.display());
        return (world, txs);
    }
    let started = Instant::now();
    let status = Command::new(BIN)
        .args(["workload", "--seed", &env_or("BENCH_SEED", "1")])
        .args(["--entities", &env_or("BENCH_ENTITIES", "100000")])
        .args(["--edges", &env_or("BENCH_EDGES", "150000")])
        .args(["--transactions", &env_or("BENCH_TRANSACTIONS", "1000000")])
        .arg("--out")
        .arg(dir)
        .status()
        .expect("interdict workload runs");
    assert!(status.success(), "interdict workload failed");
    println!(
        "workload: written in {:.1} s to {}",
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    (world, txs)
}

/// The originating bank of the first transaction: a party the designation reaches in many
/// transactions.
fn first_bank(txs: &Path) -> String {
    let text = std::fs::read_to_string(txs).unwrap();
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    first["originator_bank"]
        .as_str()
        .or(first["originator"].as_str())
        .unwrap()
        .to_string()
}

fn show(name: &str, r: &Run) {
    println!(
        "  {name:<6} {:>7.2} s, peak memory {}, exit {:?}",
        r.seconds,
        r.peak_mb
            .map_or("unknown".to_string(), |m| format!("{m:.0} MB")),
        r.code
    );
}

fn main() {
    let dir = PathBuf::from(env_or("BENCH_DIR", "target/bench-diff"));
    std::fs::create_dir_all(&dir).unwrap();
    let (world, txs) = workload(&dir);
    let bank = first_bank(&txs);
    let overlay = format!("{bank}=us.sdgt");
    let (world, txs) = (world.to_str().unwrap(), txs.to_str().unwrap());
    println!(
        "diff benchmark: {txs}, overlay --designate {overlay}; {} cores; load average {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        loadavg()
    );
    let decisions = dir.join("decisions.ndjson");
    let batch = run(
        &["batch", "--world", world, "--transactions", txs, "--quiet"],
        &decisions,
    );
    let changes = dir.join("changes.ndjson");
    let diff = run(
        &[
            "diff",
            world,
            "--transactions",
            txs,
            "--designate",
            &overlay,
        ],
        &changes,
    );
    show("batch", &batch);
    show("diff", &diff);
    println!(
        "  ratio: diff takes {:.2}x the time of batch [target <= 2x]; peak memory {} [target < 500 MB]",
        diff.seconds / batch.seconds,
        diff.peak_mb
            .map_or("unknown".to_string(), |m| format!("{m:.0} MB"))
    );
    println!("  diff summary: {}", diff.last_line);
    println!("load average at the end {}", loadavg());
}
