//! Deep-check scaling benchmark: `cargo bench --bench deep`.
//!
//! Adds N independent rule pairs to the embedded packs (each a blocking U.S. program with a
//! block rule that attaches the blocking report, and a general license lifting that rule below
//! an amount of its own: no two pairs share a program, a party clause or a threshold), then
//! times `check --deep` on them, and in the same run the unpartitioned analysis it replaced
//! (`check::deep_unpartitioned`: closures recomputed per question, the blocking-program
//! invariant asking every rule that attaches a report, person tests evaluated afresh in every
//! group). Both must report the same findings. Reported per N: time, rule groups and cases of
//! each, the ratio, and the cost of each extra pair (linear growth means a constant cost).
//!
//! Options (environment): `BENCH_PAIRS` (default `20,40,80`), `BENCH_BASELINE` (`0` skips the
//! baseline).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "benchmark code"
)]

use std::time::{Duration, Instant};

use interdict::check::{DeepOptions, DeepReport, deep, deep_unpartitioned};
use interdict::model::pack::Pack;
use interdict::source::SourceFile;

/// Pair `i`: a blocking program, its block rule and a license for small payments.
fn pair(i: usize) -> String {
    format!(
        r#"
[[program]]
id = "bench.p{i}"
title = "Benchmark program {i}"
jurisdiction = "us"
authorities = ["Generated for benches/deep.rs"]
blocking = true
basis = "bench-act-{i}"

[[rule]]
id = "bench.p{i}.block"
program = "bench.p{i}"
title = "Block property of a party listed under benchmark program {i}"
disposition = "block"
citation = "Generated {i}"
actor = {{ roles = ["originator_bank", "beneficiary_bank"], tests = ["us.person"] }}
when.party = [{{ roles = ["beneficiary"], blocked_under = ["bench.p{i}"] }}]
obligations = ["us.report.blocking"]

[[rule]]
id = "bench.p{i}.license"
kind = "license"
jurisdiction = "us"
title = "License for payments below {amount} USD under benchmark program {i}"
citation = "Generated {i}"
defeats = {{ rules = ["bench.p{i}.block"] }}
when.amount_below = "{amount} USD"
"#,
        amount = 100 * (i + 1)
    )
}

fn pack(pairs: usize) -> Pack {
    let text: String = (0..pairs).map(pair).collect();
    let mut files = interdict::rules::embedded_files();
    files.push(SourceFile::new("<bench>/pairs.toml", text));
    let (pack, _) = interdict::scenario::pack::load(files).expect("the generated pairs load");
    pack
}

fn findings(r: &DeepReport) -> Vec<String> {
    r.findings
        .iter()
        .map(|f| format!("{} {} {}", f.code.as_str(), f.loc, f.message))
        .collect()
}

fn timed(f: impl FnOnce() -> DeepReport) -> (Duration, DeepReport) {
    let t = Instant::now();
    let r = f();
    (t.elapsed(), r)
}

fn main() {
    let pairs: Vec<usize> = std::env::var("BENCH_PAIRS")
        .unwrap_or_else(|_| "20,40,80".into())
        .split(',')
        .map(|s| {
            s.trim()
                .parse()
                .expect("BENCH_PAIRS: numbers separated by commas")
        })
        .collect();
    let baseline = std::env::var("BENCH_BASELINE").as_deref() != Ok("0");
    let opts = DeepOptions::default();
    println!("check --deep on the embedded packs plus N independent rule pairs");
    let mut last: Option<(usize, Duration, Option<Duration>)> = None;
    for n in pairs {
        let pack = pack(n);
        let rs = &pack.rules;
        let (t_new, new) = timed(|| deep(&pack, &opts));
        let tn = new.stats.total();
        println!(
            "N = {n:3} ({} rules): partitioned   {:8.2} s, {:5} rule groups, {:8} cases, {} findings",
            rs.rules.len(),
            t_new.as_secs_f64(),
            tn.groups,
            tn.cases,
            new.findings.len()
        );
        let mut t_base = None;
        if baseline {
            let (t_old, old) = timed(|| deep_unpartitioned(&pack, &opts));
            assert_eq!(findings(&new), findings(&old), "the two analyses disagree");
            let to = old.stats.total();
            println!(
                "                   unpartitioned {:8.2} s, {:5} rule groups, {:8} cases (same findings); ratio {:.1}x",
                t_old.as_secs_f64(),
                to.groups,
                to.cases,
                t_old.as_secs_f64() / t_new.as_secs_f64().max(1e-9)
            );
            t_base = Some(t_old);
        }
        if let Some((m, tm, bm)) = last {
            let per = |a: Duration, b: Duration| {
                (a.as_secs_f64() - b.as_secs_f64()) * 1000.0 / (n - m) as f64
            };
            let base = match (t_base, bm) {
                (Some(a), Some(b)) => format!(", unpartitioned {:.0} ms", per(a, b)),
                _ => String::new(),
            };
            println!(
                "                   each extra pair from N = {m} to {n}: partitioned {:.0} ms{base}",
                per(t_new, tm)
            );
        }
        last = Some((n, t_new, t_base));
    }
}
