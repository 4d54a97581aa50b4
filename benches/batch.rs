//! Batch benchmark: `cargo bench --bench batch`.
//!
//! Builds the benchmark workload (`interdict::batch::workload`, seed 1 by default): the real
//! SDN snapshot of 3 May 2024 from the lists folder (`INTERDICT_LISTS_DIR`, default
//! `../shared/data/lists`), 100,000 synthetic entities, 150,000 ownership and control
//! edges, 1,000,000 transactions of mixed types of which about 2% touch a blocked party. In one
//! run it reports:
//!
//! - the world build: list load, the world (in memory, and from the world file as `batch`
//!   loads it), the person tests, and the ownership closure of every status table the
//!   transactions need (every jurisdiction, every epoch of their dates);
//! - decisions per second with tracing off, on one thread and on `BENCH_THREADS` threads
//!   (default: every core), against the naive baseline (`Engine::evaluate_unindexed`: a plain
//!   loop evaluating every rule in force, a fresh decision per call) measured in the same run;
//! - the whole `batch` pipeline (read NDJSON, lower, decide, write records) on 1 and N jobs;
//! - how the cost grows with the number of rules (jurisdictions evaluated);
//! - peak memory (VmHWM from /proc/self/status) after each stage.
//!
//! Transactions are generated in rounds (untimed) and decided in rounds (timed): the clock
//! runs only while every thread decides its part of a round, so generation is never counted
//! and memory stays the same whatever the number of transactions.
//!
//! Options (environment): `BENCH_SEED`, `BENCH_ENTITIES`, `BENCH_EDGES`, `BENCH_TRANSACTIONS`,
//! `BENCH_THREADS`, `BENCH_ROUND` (transactions per thread and round), `BENCH_NAIVE_TRANSACTIONS`
//! (how many the naive baseline decides, default 200,000). `BENCH_PROFILE=N` only decides the
//! first 20,000 transactions N times, for a profiler:
//! `BENCH_PROFILE=2 valgrind --tool=callgrind --toggle-collect='*evaluate_with*' target/release/deps/batch-* --bench`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "benchmark code"
)]

use std::path::PathBuf;
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use interdict::batch::input::{Resolver, blank_transaction};
use interdict::batch::workload::{self, Pools, Spec};
use interdict::batch::{Config, InputFormat};
use interdict::eval::decision::Decision;
use interdict::eval::{Engine, EvalOptions, Scratch};
use interdict::model::world::Transaction;
use interdict::model::{Disposition, JurisdictionIdx};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let v = f();
    (v, t.elapsed())
}

/// Peak resident memory of this process so far (VmHWM), in MB.
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Time this thread has spent on a CPU (ns, /proc/thread-self/schedstat): what it cost,
/// whatever else the machine ran meanwhile.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// How a transaction is decided in a measurement.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Path {
    /// `Engine::evaluate_with` and a reused scratch space: the engine's fast path.
    Engine,
    /// `Engine::evaluate_unindexed`: every rule in force, a fresh decision per call.
    Naive,
}

struct Measured {
    decisions: u64,
    elapsed: Duration,
    /// CPU time the deciding threads spent deciding, all threads together.
    cpu_ns: u64,
    /// Overall dispositions counted, to check both paths decide alike.
    counts: [u64; 8],
}

impl Measured {
    fn rate(&self) -> f64 {
        self.decisions as f64 / self.elapsed.as_secs_f64()
    }
    /// CPU time per decision (ns).
    fn cpu_per(&self) -> f64 {
        self.cpu_ns as f64 / self.decisions as f64
    }
}

/// Decide transactions `0..total` on `threads` threads, in rounds of `round` per thread.
#[allow(
    clippy::too_many_arguments,
    reason = "one measurement's parameters, named at each call"
)]
fn measure(
    engine: &Engine,
    pools: &Pools,
    seed: u64,
    total: u64,
    threads: usize,
    round: usize,
    path: Path,
    opts: &EvalOptions,
) -> Measured {
    let barrier = Barrier::new(threads + 1);
    let counts = Mutex::new([0u64; 8]);
    let cpu = std::sync::atomic::AtomicU64::new(0);
    let per_round = (threads * round) as u64;
    let rounds = total.div_ceil(per_round);
    let mut elapsed = Duration::ZERO;
    std::thread::scope(|s| {
        for t in 0..threads {
            let (barrier, counts, cpu) = (&barrier, &counts, &cpu);
            s.spawn(move || {
                let resolver = Resolver::new(engine.rules(), engine.world());
                let file: Arc<str> = Arc::from("workload");
                let mut scratch = Scratch::default();
                let mut local = [0u64; 8];
                let mut txs: Vec<Transaction> = Vec::with_capacity(round);
                for r in 0..rounds {
                    // Generate this thread's part of the round (not timed).
                    txs.clear();
                    let start = r * per_round + (t * round) as u64;
                    for i in start..(start + round as u64).min(total) {
                        let rec = workload::transaction(seed, i, pools);
                        let mut tx = blank_transaction();
                        resolver.lower_into(&rec, i + 1, &file, &mut tx).unwrap();
                        txs.push(tx);
                    }
                    barrier.wait(); // everyone generated: the clock starts
                    let cpu_start = thread_cpu_ns();
                    for tx in &txs {
                        let overall = match path {
                            Path::Engine => engine.evaluate_with(tx, opts, &mut scratch).overall,
                            Path::Naive => {
                                let d: Decision = engine.evaluate_unindexed(tx, opts);
                                d.overall
                            }
                        };
                        local[overall as usize] += 1;
                    }
                    cpu.fetch_add(
                        thread_cpu_ns().saturating_sub(cpu_start),
                        std::sync::atomic::Ordering::Relaxed,
                    );
                    barrier.wait(); // everyone decided: the clock stops
                }
                let mut c = counts.lock().unwrap();
                for (a, b) in c.iter_mut().zip(local) {
                    *a += b;
                }
            });
        }
        for _ in 0..rounds {
            barrier.wait();
            let t = Instant::now();
            barrier.wait();
            elapsed += t.elapsed();
        }
    });
    Measured {
        decisions: total,
        elapsed,
        cpu_ns: cpu.into_inner(),
        counts: counts.into_inner().unwrap(),
    }
}

fn counts_text(c: &[u64; 8]) -> String {
    Disposition::ALL
        .iter()
        .rev()
        .zip(c.iter().rev())
        .filter(|(_, n)| **n > 0)
        .map(|(d, n)| format!("{} {n}", d.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn main() {
    if let Ok(path) = std::env::var("BENCH_CHILD_LOAD") {
        let rules = Arc::new(interdict::scenario::pack::load_embedded().unwrap().0);
        let (w, t) =
            time(|| interdict::batch::load_world(std::path::Path::new(&path), &rules).unwrap());
        println!(
            "load_ms {:.1} peak_mb {:.0} parties {}",
            t.as_secs_f64() * 1e3,
            peak_mb(),
            w.engine.world().parties.len()
        );
        return;
    }
    let spec = Spec {
        seed: env("BENCH_SEED", 1) as u64,
        entities: env("BENCH_ENTITIES", 100_000),
        edges: env("BENCH_EDGES", 150_000),
        transactions: env("BENCH_TRANSACTIONS", 1_000_000),
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = env("BENCH_THREADS", cores).max(1);
    let round = env("BENCH_ROUND", 20_000).max(1);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // The list is copied next to the world file, as `interdict workload` does, so that the
    // world in memory and the world file name the same list file.
    let dir = root.join("target/bench-batch");
    std::fs::create_dir_all(&dir).unwrap();
    let sdn = dir.join("sdn.csv");
    let Some(shared) =
        interdict::lists::dir::for_test(interdict::lists::dir::SDN_SNAPSHOT, "bench batch")
    else {
        return;
    };
    std::fs::copy(shared, &sdn).unwrap();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_default();
    println!(
        "batch benchmark: seed {}, {} entities, {} edges, {} transactions; {} cores ({cpu}), {} threads; load average {}",
        spec.seed,
        spec.entities,
        spec.edges,
        spec.transactions,
        cores,
        threads,
        loadavg()
    );

    // The world.
    let rules = Arc::new(interdict::scenario::pack::load_embedded().unwrap().0);
    let (list, list_time) = time(|| interdict::lists::load_cached(&sdn).unwrap());
    let (syn, syn_time) = time(|| workload::synthetic(&spec, &rules.rules, &list));
    let (scenario, world_time) = time(|| workload::build_world(&spec, &syn, &rules, &sdn).unwrap());
    let world = scenario.world.clone();
    let (engine, engine_time) = time(|| Engine::new(scenario.rules.clone(), world.clone()));
    let (pools, _) = time(|| Pools::new(&engine));
    // Pools::new has computed every table the transactions need; a second engine measures
    // the closures alone.
    let engine2 = Engine::new(scenario.rules.clone(), world.clone());
    let first = interdict::model::values::parse_date("2024-01-01").unwrap();
    let last = interdict::model::values::parse_date("2025-12-31").unwrap();
    let mut dates = vec![first];
    dates.extend(
        engine2
            .change_dates()
            .iter()
            .copied()
            .filter(|d| *d > first && *d <= last),
    );
    let (_, closure_time) = time(|| {
        for j in scenario.rules.jurisdictions.indices() {
            for d in &dates {
                let _ = engine2.states(j, *d);
            }
        }
    });
    let (_, one_closure) = time(|| {
        let engine3 = Engine::new(scenario.rules.clone(), world.clone());
        let us = scenario.rules.jurisdiction_by_id("us").unwrap();
        let _ = engine3.states(us, dates[0]);
    });
    drop(engine2);
    println!(
        "world: {} parties ({} from the SDN list and the packs), {} designations, {} ownership and {} control edges",
        world.parties.len(),
        world.parties.len() - syn.parties.len(),
        world.designations.len(),
        world.ownership.len(),
        world.control.len()
    );
    println!(
        "  list load (read, decode, parse remarks, index): {}",
        ms(list_time)
    );
    println!(
        "  world in memory (list entries as parties, synthetic parties and edges): {}",
        ms(world_time)
    );
    println!("  person tests (Engine::new): {}", ms(engine_time));
    println!(
        "  ownership closure, one table (U.S., one date, engine included): {}",
        ms(one_closure)
    );
    println!(
        "  ownership closure, every table the transactions need ({} jurisdictions x {} epochs): {}",
        scenario.rules.jurisdictions.len(),
        dates.len(),
        ms(closure_time)
    );
    let build = list_time + world_time + engine_time + one_closure;
    println!(
        "  world built (list load + world + person tests + one closure): {}   [target < 300 ms]",
        ms(build)
    );
    println!(
        "  (synthetic parties and edges generated in {}, not counted)",
        ms(syn_time)
    );
    let world_file = dir.join("world.toml");
    std::fs::write(&world_file, workload::world_toml(&spec, &syn, "sdn.csv")).unwrap();
    drop(syn);
    // The world file is loaded in a child process, so that its peak memory (the TOML parse
    // of a 16 MB file) is measured apart from this run's (tests/it/batch_workload.rs checks that
    // it gives the same world as the one built in memory).
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .env("BENCH_CHILD_LOAD", &world_file)
        .output()
        .unwrap();
    let child_out = String::from_utf8_lossy(&child.stdout);
    let field = |name: &str| -> f64 {
        child_out
            .split_whitespace()
            .skip_while(|w| *w != name)
            .nth(1)
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    println!(
        "  the same world from its file as `batch` loads it (TOML parse and checks, list included), in a child process: {:.1} ms, peak memory {:.0} MB",
        field("load_ms"),
        field("peak_mb")
    );
    println!("  peak memory after the world: {:.0} MB", peak_mb());
    println!(
        "  transaction pools: {} clean customers, {} clean banks, {} blocked parties",
        pools.customers.len(),
        pools.banks.len(),
        pools.blocked.len() + pools.blocked_banks.len()
    );

    // Profiling aid: decide the first 20,000 transactions BENCH_PROFILE times, nothing else
    // (run under perf or callgrind).
    let opts = EvalOptions::default();
    if let Some(times) = std::env::var("BENCH_PROFILE")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let resolver = Resolver::new(engine.rules(), engine.world());
        let file: Arc<str> = Arc::from("workload");
        let txs: Vec<Transaction> = (0..20_000u64)
            .map(|i| {
                let mut tx = blank_transaction();
                let rec = workload::transaction(spec.seed, i, &pools);
                resolver.lower_into(&rec, i + 1, &file, &mut tx).unwrap();
                tx
            })
            .collect();
        let mut scratch = Scratch::default();
        for tx in &txs {
            let _ = engine.evaluate(tx, &opts); // every status table the pool needs
        }
        let t = Instant::now();
        let mut n = 0u64;
        for _ in 0..times {
            for tx in &txs {
                n += engine.evaluate_with(tx, &opts, &mut scratch).outcomes.len() as u64;
            }
        }
        println!(
            "profile: {} decisions in {} ({n} outcomes)",
            times * txs.len(),
            ms(t.elapsed())
        );
        return;
    }

    // Decisions.
    let total = spec.transactions as u64;
    let st = measure(
        &engine,
        &pools,
        spec.seed,
        total,
        1,
        round,
        Path::Engine,
        &opts,
    );
    println!(
        "decisions, tracing off, every jurisdiction ({} rules):",
        scenario.rules.rules.len()
    );
    println!("  dispositions: {}", counts_text(&st.counts));
    let touched: u64 = st.counts[Disposition::Review as usize..].iter().sum();
    println!(
        "  review or stronger: {} of {} ({:.2}%)",
        touched,
        total,
        touched as f64 * 100.0 / total as f64
    );
    let naive_total = total.min(env("BENCH_NAIVE_TRANSACTIONS", 200_000) as u64);
    let naive_st = measure(
        &engine,
        &pools,
        spec.seed,
        naive_total,
        1,
        round,
        Path::Naive,
        &opts,
    );
    let check = measure(
        &engine,
        &pools,
        spec.seed,
        naive_total,
        1,
        round,
        Path::Engine,
        &opts,
    );
    assert_eq!(
        check.counts, naive_st.counts,
        "the engine and the naive baseline decide differently"
    );
    println!(
        "  1 thread:  {:>10.0} decisions/s ({:.0} ns each) [target >= 1,000,000/s]",
        st.rate(),
        1e9 / st.rate()
    );
    println!(
        "             naive baseline {:>10.0} decisions/s on the first {} (same dispositions): the engine is {:.1}x faster",
        naive_st.rate(),
        naive_total,
        st.rate() / naive_st.rate()
    );
    if threads > 1 {
        let mt = measure(
            &engine,
            &pools,
            spec.seed,
            total,
            threads,
            round,
            Path::Engine,
            &opts,
        );
        assert_eq!(mt.counts, st.counts);
        let naive_mt = measure(
            &engine,
            &pools,
            spec.seed,
            naive_total,
            threads,
            round,
            Path::Naive,
            &opts,
        );
        println!(
            "  {} threads: {:>10.0} decisions/s, {:.2}x one thread [target >= 1.8x]",
            threads,
            mt.rate(),
            mt.rate() / st.rate()
        );
        println!(
            "             CPU time per decision {:.0} ns (one thread: {:.0} ns): with {} free cores, {:.2}x one thread",
            mt.cpu_per(),
            st.cpu_per(),
            threads,
            threads as f64 * st.cpu_per() / mt.cpu_per()
        );
        println!(
            "             naive baseline {:>10.0} decisions/s ({:.2}x its one thread): the engine is {:.1}x faster",
            naive_mt.rate(),
            naive_mt.rate() / naive_st.rate(),
            mt.rate() / naive_mt.rate()
        );
    }
    println!("  peak memory after deciding: {:.0} MB", peak_mb());

    // Rules: the cost by the jurisdictions evaluated.
    println!("cost by rules evaluated (first {naive_total} transactions, 1 thread):");
    let mut names: Vec<&str> = vec!["us"];
    for extra in ["eu", "uk", "ca"] {
        let subset: Vec<JurisdictionIdx> = names
            .iter()
            .filter_map(|n| scenario.rules.jurisdiction_by_id(n))
            .collect();
        let rules_in: usize = subset
            .iter()
            .map(|j| scenario.rules.rules_by_jurisdiction[j].len())
            .sum();
        let o = EvalOptions {
            jurisdictions: Some(subset),
            ..EvalOptions::default()
        };
        let m = measure(
            &engine,
            &pools,
            spec.seed,
            naive_total,
            1,
            round,
            Path::Engine,
            &o,
        );
        let n = measure(
            &engine,
            &pools,
            spec.seed,
            naive_total,
            1,
            round,
            Path::Naive,
            &o,
        );
        println!(
            "  {:<12} {:>3} rules: {:>10.0} decisions/s ({:.0} ns); naive {:>9.0}/s ({:.0} ns)",
            names.join("+"),
            rules_in,
            m.rate(),
            1e9 / m.rate(),
            n.rate(),
            1e9 / n.rate()
        );
        names.push(extra);
    }

    // The whole pipeline, from an NDJSON file.
    let tx_file = dir.join("transactions.ndjson");
    {
        use std::io::Write as _;
        let mut out = std::io::BufWriter::new(std::fs::File::create(&tx_file).unwrap());
        let mut line = Vec::new();
        for i in 0..total {
            line.clear();
            interdict::batch::encode::write_ndjson(
                &mut line,
                &workload::transaction(spec.seed, i, &pools),
            );
            out.write_all(&line).unwrap();
        }
        out.flush().unwrap();
    }
    println!("batch pipeline (read NDJSON, lower, decide, write records to a sink):");
    let mut one = 0.0;
    for jobs in [1, threads] {
        if jobs == 1 && one > 0.0 {
            continue;
        }
        let mut cfg = Config::new(InputFormat::Ndjson);
        cfg.jobs = jobs;
        let input = std::fs::File::open(&tx_file).unwrap();
        let mut sink = std::io::sink();
        let summary = interdict::batch::run(
            &engine,
            input,
            "transactions.ndjson",
            &mut sink,
            &cfg,
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(summary.tally.decided, total);
        assert_eq!(summary.tally.overall, st.counts);
        let rate = summary.decisions_per_second();
        if jobs == 1 {
            one = rate;
            println!(
                "  1 job:  {:>10.0} records/s ({:.2} s)",
                rate,
                summary.elapsed.as_secs_f64()
            );
        } else {
            println!(
                "  {} jobs: {:>10.0} records/s ({:.2} s), {:.2}x one job",
                jobs,
                rate,
                summary.elapsed.as_secs_f64(),
                rate / one
            );
        }
    }
    let _ = std::fs::remove_file(&tx_file);
    println!(
        "peak memory of the whole run (VmHWM): {:.0} MB [target < 500 MB]; load average {}",
        peak_mb(),
        loadavg()
    );
}
