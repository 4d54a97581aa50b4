//! The command line end to end: outputs, exit codes, diffs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::process::{Command, Output};

fn interdict(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const SEED: &str = "tests/scenarios/us/seed-cartels-2025.toml";

#[test]
fn eval_prints_the_seed_decisions_with_citations() {
    let o = interdict(&["eval", SEED]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let section = |id: &str| -> String {
        let start = out
            .find(&format!("Transaction {id} "))
            .unwrap_or_else(|| panic!("no {id} in {out}"));
        let rest = &out[start + 1..];
        let end = rest.find("\nTransaction ").map_or(rest.len(), |e| e + 1);
        rest[..end].to_string()
    };
    assert!(section("wire-before").contains("OVERALL: PERMITTED"));
    let after = section("wire-after");
    assert!(after.contains("OVERALL: BLOCK"));
    assert!(after.contains("31 CFR 594.201(a)"));
    assert!(after.contains("by 2025-03-10"));
    let donation = section("medicine-donation");
    assert!(donation.contains("OVERALL: PROHIBITED"));
    assert!(donation.contains("EO 13224 section 4"));
}

#[test]
fn eval_json_is_machine_readable() {
    let o = interdict(&["eval", "--format", "json", SEED]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON on stdout");
    let decisions = v["scenarios"][0]["decisions"].as_array().unwrap();
    let overall: Vec<&str> = decisions
        .iter()
        .map(|d| d["overall"].as_str().unwrap())
        .collect();
    assert_eq!(overall, ["permitted", "block", "prohibited"]);
    let us = decisions[1]["jurisdictions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["jurisdiction"] == "us")
        .unwrap();
    let blocking = us["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["obligation"] == "us.report.blocking")
        .unwrap();
    assert_eq!(blocking["due"]["date"], "2025-03-10");
    assert_eq!(blocking["actor"], "hudson-trust");
}

#[test]
fn as_of_before_the_designation_replays_the_old_answer() {
    let o = interdict(&["eval", "--format", "json", "--as-of", "2025-02-19", SEED]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["scenarios"][0]["decisions"][1]["overall"], "permitted",
        "as the lists stood on 2025-02-19"
    );
}

#[test]
fn a_wrong_expectation_fails_with_a_diff_and_exit_code_4() {
    let o = interdict(&["test", "tests/failing/wrong-expectation.toml"]);
    assert_eq!(o.status.code(), Some(4));
    let out = stdout(&o);
    assert!(out.contains("FAIL"), "{out}");
    assert!(
        out.contains("disposition: expected permitted, got block"),
        "{out}"
    );
    assert!(out.contains("missing obligation `us.report.blocking` for `ny-bank` due 2025-03-14; obligations were: ["), "{out}");
    assert!(
        out.contains("us.report.blocking for ny-bank due 2025-03-17"),
        "{out}"
    );
    assert!(out.contains("1 failed"), "{out}");
}

#[test]
fn the_corpus_passes_through_the_cli() {
    if !crate::common::lists_present("cli::the_corpus_passes_through_the_cli") {
        return;
    }
    let o = interdict(&["test"]);
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains(" 0 failed, 0 invalid"));
}

#[test]
fn check_accepts_the_embedded_packs() {
    let o = interdict(&["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("ok"));
    let o = interdict(&["check", "rules"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn usage_errors_and_missing_files_have_their_own_codes() {
    assert_eq!(interdict(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(interdict(&["eval"]).status.code(), Some(2));
    let o = interdict(&["eval", "--jurisdiction", "usa", SEED]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `us`?"));
    // A file that cannot be read is 1 for every command (tests/it/io_cli.rs checks them all).
    let o = interdict(&["eval", "no/such/file.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[NOT_FOUND]"));
    assert_eq!(interdict(&["test", "no/such/dir"]).status.code(), Some(1));
}

#[test]
fn help_teaches_with_examples() {
    let o = interdict(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("Examples:") && out.contains("Exit codes:"));
    let o = interdict(&["eval", "--help"]);
    assert!(stdout(&o).contains("interdict eval tests/scenarios/us/seed-cartels-2025.toml"));
}

#[test]
fn explain_transaction_shows_the_trace() {
    let o = interdict(&["explain", "transaction", "wire-after", "--scenario", SEED]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Trace:"));
    assert!(
        out.contains("us.sdgt.block fired for hudson-trust"),
        "{out}"
    );
    assert!(
        out.contains("us.ieepa.exempt.donations did not fire"),
        "{out}"
    );
}

#[test]
fn a_missing_exchange_rate_for_an_exposure_is_flagged_naming_the_pair() {
    let o = interdict(&[
        "eval",
        "--jurisdiction",
        "uk",
        "tests/scenarios/uk/missing-exchange-rate.toml",
    ]);
    // The decision is complete but for the exposure's amount: flagged, and the run stands
    // (a batch caller would otherwise drop every valid result of the run).
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning[MISSING_EXCHANGE_RATE]") && err.contains("USD->GBP"),
        "{err}"
    );
    let out = stdout(&o);
    assert!(out.contains("UNITED KINGDOM") || out.contains("United Kingdom"));
    assert!(
        !out.contains("up to 1,000,000 GBP"),
        "the maximum must not be guessed from the cap alone: {out}"
    );
}
