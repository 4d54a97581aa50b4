//! Ownership closure benchmark: `cargo bench --bench ownership`.
//!
//! Builds a deterministic random world (xorshift, fixed seed) of 1,000,000 entities and
//! 2,000,000 ownership edges (5% of them ranged or unknown, each entity's holdings within
//! 100%), 20,000 control edges and 5,000 designated seeds, then times computing every party's
//! status in one jurisdiction on one date: `status::compute`, which builds the graph of edges
//! in force, runs both fixed points (lower and upper share bounds), and derives grounds and
//! flags. Next to it, in the same run, a naive baseline computes the same two bounds by
//! sweeping over every edge until nothing changes; the two must agree. Reported: the best and
//! the median of several runs, and the ratio to the baseline.
//!
//! Options (environment): `BENCH_ENTITIES`, `BENCH_EDGES`, `BENCH_SEEDS`, `BENCH_RUNS`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "benchmark code"
)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;

use interdict::model::ruleset::{Aggregation, Comparison, ControlEffect, RuleSet};
use interdict::model::values::{Date, Share};
use interdict::model::world::{ControlEdge, Designation, OwnershipEdge, Party, World};
use interdict::model::{Bits, JurisdictionIdx, PartyIdx, PartyKind};
use interdict::source::Loc;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Shares in percent, weighted toward the small stakes real registers show, with enough
/// majorities and exact halves for blocking to cascade several levels deep.
const SHARES: &[i64] = &[
    5, 10, 10, 15, 20, 20, 25, 25, 30, 33, 40, 49, 50, 50, 51, 60, 75, 100,
];

fn build_world(rs: &RuleSet, entities: usize, edges: usize, seeds: usize) -> World {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let loc = Loc::builtin("bench");
    let mut w = World::default();
    w.parties.reserve(entities);
    for i in 0..entities {
        w.parties
            .push(Party {
                id: format!("e{i}"),
                name: String::new(),
                kind: PartyKind::Organization,
                citizenship: Vec::new(),
                permanent_residence: Vec::new(),
                residence: Vec::new(),
                incorporated_in: None,
                located_in: None,
                branch_of: None,
                categories: Bits::EMPTY,
                aliases: Vec::new(),
                list_entry: None,
                fuzzy_candidates: Vec::new(),
                loc: loc.clone(),
            })
            .unwrap();
    }
    let programs = [
        rs.program_by_id("us.sdgt").unwrap(),
        rs.program_by_id("us.glomag").unwrap(),
    ];
    for k in 0..seeds {
        let p = rng.below(entities as u64) as u32;
        w.designations.push(Designation {
            party: PartyIdx(p),
            program: programs[k % 2],
            listed: None,
            delisted: None,
            source: None,
            date_assumed: true,
            loc: loc.clone(),
        });
    }
    let mut room = vec![100i64; entities];
    w.ownership.reserve(edges);
    while w.ownership.len() < edges {
        let owner = rng.below(entities as u64) as usize;
        let owned = rng.below(entities as u64) as usize;
        if owner == owned || room[owned] == 0 {
            continue;
        }
        let pct = SHARES[rng.below(SHARES.len() as u64) as usize].min(room[owned]);
        let share = match rng.below(40) {
            0 => Share::Unknown,
            1 => Share::Range(Decimal::from(pct / 2), Decimal::from(pct)),
            _ => Share::Exact(Decimal::from(pct)),
        };
        room[owned] -= share.bounds().0.mantissa() as i64 / 10i64.pow(share.bounds().0.scale());
        w.ownership.push(OwnershipEdge {
            owner: PartyIdx(owner as u32),
            owned: PartyIdx(owned as u32),
            share,
            from: None,
            until: None,
            loc: loc.clone(),
        });
    }
    let board = rs
        .vocabulary
        .control_bases
        .iter_enumerated()
        .find(|(_, b)| b.id == "board_appointment")
        .map(|(i, _)| i)
        .unwrap();
    for _ in 0..edges / 100 {
        let a = rng.below(entities as u64) as u32;
        let b = rng.below(entities as u64) as u32;
        if a != b {
            w.control.push(ControlEdge {
                controller: PartyIdx(a),
                controlled: PartyIdx(b),
                basis: board,
                from: None,
                until: None,
                loc: loc.clone(),
            });
        }
    }
    w
}

/// The naive baseline: sweep every edge, recompute every sum, block what reaches the
/// threshold, until a sweep changes nothing. For the upper bound, a holding counts at its
/// upper share but never beyond what other holders' lower bounds leave of 100%.
fn naive(rs: &RuleSet, w: &World, j: JurisdictionIdx, on: Date, upper: bool) -> (Vec<bool>, usize) {
    let d = &rs.jurisdictions[j].doctrine;
    let blocking = rs.blocking_programs(j);
    let n = w.parties.len();
    let mut blocked = vec![false; n];
    for x in &w.designations {
        if x.in_force(on) && blocking.contains(x.program.idx()) {
            blocked[x.party.idx()] = true;
        }
    }
    let mut total_lo = vec![Decimal::ZERO; n];
    for e in w.ownership.iter().filter(|e| e.in_force(on)) {
        total_lo[e.owned.idx()] += e.share.bounds().0;
    }
    let mut sweeps = 0;
    let mut lo = vec![Decimal::ZERO; n];
    let mut hi = vec![Decimal::ZERO; n];
    loop {
        sweeps += 1;
        lo.iter_mut().for_each(|s| *s = Decimal::ZERO);
        hi.iter_mut().for_each(|s| *s = Decimal::ZERO);
        for e in w.ownership.iter().filter(|e| e.in_force(on)) {
            if blocked[e.owner.idx()] {
                let (a, b) = e.share.bounds();
                lo[e.owned.idx()] += a;
                hi[e.owned.idx()] += b;
            }
        }
        let mut changed = false;
        for t in 0..n {
            let sum = if upper {
                hi[t]
                    .min(Decimal::ONE_HUNDRED - (total_lo[t] - lo[t]))
                    .max(lo[t])
            } else {
                lo[t]
            };
            if !blocked[t] && d.reaches(sum) {
                blocked[t] = true;
                changed = true;
            }
        }
        if d.control == ControlEffect::Blocks {
            for c in w.control.iter().filter(|c| c.in_force(on)) {
                let counts = d.control_bases.is_empty() || d.control_bases.contains(c.basis.idx());
                if counts && blocked[c.controller.idx()] && !blocked[c.controlled.idx()] {
                    blocked[c.controlled.idx()] = true;
                    changed = true;
                }
            }
        }
        if !changed {
            return (blocked, sweeps);
        }
    }
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn bench_doctrine(label: &str, rs: &RuleSet, w: &World, runs: usize, with_baseline: bool) {
    let j = rs.jurisdiction_by_id("us").unwrap();
    let on = interdict::model::values::parse_date("2025-03-03").unwrap();
    let mut times = Vec::new();
    let mut table = None;
    for _ in 0..runs {
        let (t, d) = time(|| interdict::ownership::status::compute(rs, w, j, on));
        times.push(d);
        table = Some(t);
    }
    times.sort();
    let table = table.unwrap();
    let blocked = table.states.iter().filter(|s| s.blocked).count();
    let undetermined = table.states.iter().filter(|s| s.undetermined).count();
    let rounds = table
        .closure
        .parties
        .iter()
        .map(|p| p.round)
        .max()
        .unwrap_or(0);
    let best = times[0];
    let median = times[times.len() / 2];
    println!("{label}");
    println!(
        "  every status (graph build + both bounds + grounds and flags): best {}, median {} of {runs} runs",
        ms(best),
        ms(median)
    );
    println!(
        "  blocked {blocked} ({} by the doctrine), undetermined {undetermined}, deepest chain {rounds} rounds",
        blocked
            - table
                .states
                .iter()
                .filter(|s| s.designated.intersects(rs.blocking_programs(j)))
                .count()
    );
    if with_baseline {
        let ((lo, sweeps_lo), d_lo) = time(|| naive(rs, w, j, on, false));
        let ((hi, sweeps_hi), d_hi) = time(|| naive(rs, w, j, on, true));
        let baseline = d_lo + d_hi;
        for (i, s) in table.states.iter().enumerate() {
            assert_eq!(
                s.blocked, lo[i],
                "baseline and engine disagree on party {i} (lower bounds)"
            );
            assert_eq!(
                s.blocked || s.undetermined,
                hi[i],
                "baseline and engine disagree on party {i} (upper bounds)"
            );
        }
        println!(
            "  naive baseline (sweep every edge until nothing changes; {sweeps_lo} + {sweeps_hi} sweeps): {} (statuses agree)",
            ms(baseline)
        );
        println!(
            "  ratio: the engine is {:.1}x faster than the baseline (best run)",
            baseline.as_secs_f64() / best.as_secs_f64()
        );
    }
}

fn main() {
    let entities = env("BENCH_ENTITIES", 1_000_000);
    let edges = env("BENCH_EDGES", 2_000_000);
    let seeds = env("BENCH_SEEDS", 5_000);
    let runs = env("BENCH_RUNS", 5).max(1);
    let rs = interdict::model::ruleset::RuleSet::clone(
        &interdict::scenario::pack::load_embedded()
            .expect("embedded packs load")
            .0
            .rules,
    );
    let (w, build) = time(|| build_world(&rs, entities, edges, seeds));
    println!(
        "ownership closure benchmark: {} entities, {} ownership edges ({} ranged or unknown), {} control edges, {} designated seeds (world built in {})",
        w.parties.len(),
        w.ownership.len(),
        w.ownership
            .iter()
            .filter(|e| !matches!(e.share, Share::Exact(_)))
            .count(),
        w.control.len(),
        w.designations.len(),
        ms(build)
    );
    let w = Arc::new(w);
    bench_doctrine(
        "U.S. doctrine (>= 50%, aggregated, control flags):",
        &rs,
        &w,
        runs,
        true,
    );
    let mut eu = rs.clone();
    let j = eu.jurisdiction_by_id("us").unwrap();
    eu.jurisdictions[j].doctrine.comparison = Comparison::MoreThan;
    eu.jurisdictions[j].doctrine.control = ControlEffect::Blocks;
    bench_doctrine(
        "EU-style doctrine (> 50%, aggregated, control blocks):",
        &eu,
        &w,
        runs,
        true,
    );
    let mut uk = eu.clone();
    uk.jurisdictions[j].doctrine.aggregation = Aggregation::JointArrangementOnly;
    bench_doctrine(
        "UK-style doctrine (> 50% per designated person, control blocks):",
        &uk,
        &w,
        runs,
        false,
    );
}
