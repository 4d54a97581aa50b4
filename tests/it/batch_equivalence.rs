//! Decisions from `batch` equal those of the library's `eval` path on the same inputs, the
//! dispatch index changes no decision, and tracing changes no decision.
//!
//! Inputs: a small benchmark workload (the real SDN list, synthetic entities and edges, and
//! transactions of which 30% touch a blocked party, so that rules fire, exceptions defeat and
//! consequences attach), and every transaction of the scenario corpus.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use interdict::batch::input::TxRecord;
use interdict::batch::workload::{self, Pools, Spec};
use interdict::batch::{Config, InputFormat, OnError};
use interdict::eval::{Engine, EvalOptions};
use interdict::expectations::run::collect_files;
use interdict::model::pack::Pack;

fn rules() -> Pack {
    interdict::scenario::pack::load_embedded().unwrap().0
}

/// A small workload written to `dir`: the world file and its transactions as records.
/// `None` (after printing SKIPPED) when the lists folder holding the SDN snapshot is absent.
fn workload(dir: &Path, rules: &Pack, n: u64) -> Option<(PathBuf, Vec<TxRecord<'static>>)> {
    std::fs::create_dir_all(dir).unwrap();
    let shared =
        interdict::lists::dir::for_test(interdict::lists::dir::SDN_SNAPSHOT, "batch_equivalence")?;
    std::fs::copy(shared, dir.join("sdn.csv")).unwrap();
    let spec = Spec {
        seed: 11,
        entities: 3_000,
        edges: 4_500,
        transactions: n as usize,
    };
    let list = interdict::lists::load_cached(&dir.join("sdn.csv")).unwrap();
    let syn = workload::synthetic(&spec, &rules.rules, &list);
    let world = dir.join("world.toml");
    std::fs::write(&world, workload::world_toml(&spec, &syn, "sdn.csv")).unwrap();
    let loaded = interdict::batch::load_world(&world, rules).unwrap();
    let pools = Pools::new(&loaded.engine);
    workload::check_pools(&pools).unwrap();
    let txs = (0..n)
        .map(|i| workload::transaction_with(spec.seed, i, &pools, 300))
        .collect();
    Some((world, txs))
}

/// The records as `[[transaction]]` tables of a scenario file.
fn as_toml(txs: &[TxRecord]) -> String {
    let mut s = String::new();
    let list = |v: &[std::borrow::Cow<str>]| {
        v.iter()
            .map(|x| format!("{x:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for t in txs {
        let _ = writeln!(
            s,
            "[[transaction]]\nid = {:?}\ndate = {}\ntype = {:?}",
            t.id, t.date, t.tx_type
        );
        for (k, v) in [
            ("amount", &t.amount),
            ("currency", &t.currency),
            ("originator", &t.originator),
            ("originator_bank", &t.originator_bank),
            ("beneficiary_bank", &t.beneficiary_bank),
            ("beneficiary", &t.beneficiary),
        ] {
            if let Some(v) = v {
                let _ = writeln!(s, "{k} = {v:?}");
            }
        }
        for (k, v) in [
            ("goods", &t.goods),
            ("intermediaries", &t.intermediaries),
            ("knowing", &t.knowing),
        ] {
            if !v.is_empty() {
                let _ = writeln!(s, "{k} = [{}]", list(v));
            }
        }
        if let Some(p) = t.personal_use {
            let _ = writeln!(s, "personal_use = {p}");
        }
        s.push('\n');
    }
    s
}

#[test]
fn batch_records_equal_the_eval_path_on_the_same_transactions() {
    let rules = rules();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("batch-equivalence");
    let Some((world, txs)) = workload(&dir, &rules, 1_500) else {
        return;
    };

    // The batch path: NDJSON through the pipeline on two workers.
    let mut input = Vec::new();
    for t in &txs {
        interdict::batch::encode::write_ndjson(&mut input, t);
    }
    let loaded = interdict::batch::load_world(&world, &rules).unwrap();
    let mut cfg = Config::new(InputFormat::Ndjson);
    cfg.jobs = 2;
    cfg.chunk_records = 100;
    cfg.on_error = OnError::Stop;
    let mut out = Vec::new();
    let summary = interdict::batch::run(
        &loaded.engine,
        input.as_slice(),
        "t.ndjson",
        &mut out,
        &cfg,
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(summary.tally.decided, txs.len() as u64);
    assert_eq!(summary.tally.skipped, 0);

    // The eval path: the same transactions in the world file, loaded as a scenario and
    // evaluated by `expectations::run::decisions`, as `interdict eval` does.
    let mut text = std::fs::read_to_string(&world).unwrap();
    text.push_str(&as_toml(&txs));
    let scenario_path = dir.join("with-transactions.toml");
    std::fs::write(&scenario_path, text).unwrap();
    let s = interdict::scenario::load_path(&scenario_path, &rules).unwrap();
    assert_eq!(s.transactions.len(), txs.len());
    let (engine, decisions) = interdict::expectations::run::decisions(&s, &EvalOptions::default());
    let mut expected = Vec::new();
    for d in &decisions {
        interdict::batch::record::write_record(&mut expected, engine.rules(), engine.world(), d);
    }
    let got = String::from_utf8(out).unwrap();
    let want = String::from_utf8(expected).unwrap();
    for (k, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        assert_eq!(g, w, "record {k} differs");
    }
    assert_eq!(got.lines().count(), want.lines().count());

    // The workload exercises what it should: blocks, defeated prohibitions, obligations.
    assert!(
        got.contains("\"overall\":\"block\""),
        "no block in the sample"
    );
    assert!(
        got.contains("\"obligations\":["),
        "no obligation in the sample"
    );
    assert!(got.contains("\"exposures\":["), "no exposure in the sample");
    assert!(got.contains("\"overall\":\"out_of_scope\""));
}

/// Every decision of `txs` by the indexed path, the unindexed path and the traced path.
fn check_paths(engine: &Engine, txs: &[interdict::model::world::Transaction], what: &str) -> usize {
    let mut scratch = interdict::eval::Scratch::default();
    let mut checked = 0;
    for as_of in [
        None,
        interdict::model::values::parse_date("2025-01-01").ok(),
    ] {
        let opts = EvalOptions {
            as_of,
            ..EvalOptions::default()
        };
        let traced = EvalOptions {
            trace: true,
            ..opts.clone()
        };
        for tx in txs {
            let fast = engine.evaluate_with(tx, &opts, &mut scratch).clone();
            let plain = engine.evaluate(tx, &opts);
            let all = engine.evaluate_unindexed(tx, &opts);
            let mut t = engine.evaluate(tx, &traced);
            assert!(t.trace.is_some());
            t.trace = None;
            assert_eq!(fast, plain, "{what}: `{}` reused buffers change it", tx.id);
            assert_eq!(fast, all, "{what}: `{}` the index changes it", tx.id);
            assert_eq!(fast, t, "{what}: `{}` tracing changes it", tx.id);
            checked += 1;
        }
    }
    checked
}

#[test]
fn the_index_and_tracing_change_no_decision_of_the_workload() {
    let rules = rules();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("batch-paths");
    let Some((world, txs)) = workload(&dir, &rules, 1_500) else {
        return;
    };
    let loaded = interdict::batch::load_world(&world, &rules).unwrap();
    let resolver =
        interdict::batch::input::Resolver::new(loaded.engine.rules(), loaded.engine.world());
    let file: Arc<str> = Arc::from("t");
    let lowered: Vec<_> = txs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut tx = interdict::batch::input::blank_transaction();
            resolver
                .lower_into(r, i as u64 + 1, &file, &mut tx)
                .unwrap();
            tx
        })
        .collect();
    let blocked = lowered
        .iter()
        .filter(|t| {
            loaded
                .engine
                .evaluate(t, &EvalOptions::default())
                .overall
                .is_prohibitive()
        })
        .count();
    assert!(
        blocked > 100,
        "only {blocked} prohibitive decisions in the sample"
    );
    assert_eq!(
        check_paths(&loaded.engine, &lowered, "workload"),
        2 * lowered.len()
    );
}

#[test]
fn the_index_and_tracing_change_no_decision_of_the_scenario_corpus() {
    if !crate::common::lists_present(
        "batch_equivalence::the_index_and_tracing_change_no_decision_of_the_scenario_corpus",
    ) {
        return;
    }
    let rules = rules();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut checked = 0;
    for f in collect_files(&[root]) {
        let s = interdict::scenario::load_path(&f, &rules).unwrap();
        let engine = Engine::new(s.rules.clone(), s.world.clone());
        checked += check_paths(&engine, &s.transactions, &f.display().to_string());
    }
    assert!(checked > 200, "only {checked} decisions checked");
}

/// A rule skipped by the index would have recorded an issue (a missing exchange rate) before
/// failing: the index must then evaluate it, so the issue and its `review` remain.
#[test]
fn an_amount_that_cannot_be_converted_keeps_its_issue() {
    let rules = rules();
    let text = r#"
[scenario]
name = "a claimed license compares an amount no rate converts"

[[party]]
id = "us-buyer"
kind = "organization"
incorporated_in = "US"

[[party]]
id = "uk-seller"
kind = "organization"
incorporated_in = "GB"

[[license]]
id = "SDGT-2025-0042"
jurisdiction = "us"
programs = ["us.sdgt"]
when.amount_below = "50000 USD"

[[transaction]]
id = "in-pounds"
date = 2025-03-05
type = "payment"
amount = "18000"
currency = "GBP"
originator = "us-buyer"
beneficiary = "uk-seller"
licenses = ["SDGT-2025-0042"]
"#;
    let file = interdict::source::SourceFile::new("inline.toml", text);
    let s = interdict::scenario::load(file, Path::new("inline.toml"), &rules).unwrap();
    let engine = Engine::new(s.rules.clone(), s.world.clone());
    let d = engine.evaluate(&s.transactions[0], &EvalOptions::default());
    let us = s.rules.jurisdiction_by_id("us").unwrap();
    let o = d.outcome(us).unwrap();
    assert_eq!(o.disposition, interdict::model::Disposition::Review);
    assert!(o.issues[0].message().contains("GBP->USD"), "{:?}", o.issues);
    check_paths(&engine, &s.transactions, "inline");
}
