//! The ownership witness through the command line: `explain party` (text, JSON, options,
//! errors) and the facts of `eval` decisions, where an ownership-blocked party carries its proof.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn interdict(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interdict"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> Value {
    let out = interdict(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The reason of `rule` in the U.S. outcome of the transaction `tx`.
fn reason<'a>(report: &'a Value, tx: &str, rule: &str) -> &'a Value {
    let decisions = report["scenarios"][0]["decisions"].as_array().unwrap();
    let d = decisions.iter().find(|d| d["transaction"] == tx).unwrap();
    let us = d["jurisdictions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["jurisdiction"] == "us")
        .unwrap();
    us["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == rule)
        .unwrap_or_else(|| panic!("no reason {rule} in {tx}"))
}

#[test]
fn eval_reports_carry_the_ownership_witness_in_the_facts() {
    let report = json(&[
        "eval",
        "--format",
        "json",
        "tests/scenarios/ownership/three-level-chain.toml",
    ]);
    let r = reason(&report, "importer-pays-subsidiary", "us.sdgt.block");
    let fact = r["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["party"] == "subsidiary")
        .unwrap();
    let w = &fact["status"];
    assert_eq!(w["kind"], "owned");
    assert_eq!(w["sum"], "60%");
    let opco = &w["holdings"][0];
    assert_eq!(opco["owner"], "opco");
    // The owners' proofs are steps of `because`, each holding pointing at its owner's.
    let step = |h: &serde_json::Value| &w["because"][h["proof"].as_u64().unwrap() as usize];
    let opco_step = step(opco);
    assert_eq!(opco_step["kind"], "owned");
    assert_eq!(opco_step["party"], "opco");
    let holdco_step = step(&opco_step["holdings"][0]);
    assert_eq!(step(&holdco_step["holdings"][0])["kind"], "designated");
    // Undetermined ownership: the review names the deciding holdings.
    let report = json(&[
        "eval",
        "--format",
        "json",
        "tests/scenarios/ownership/unknown-shares.toml",
    ]);
    let r = reason(&report, "a-pays", "us.ownership.undetermined");
    let w = &r["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["party"] == "entity-a")
        .unwrap()["status"];
    assert_eq!(w["kind"], "undetermined");
    assert!(w["deciding"][0].as_str().unwrap().starts_with(
        "person-x holds unknown share (recorded at tests/scenarios/ownership/unknown-shares.toml:"
    ));
    // The text report shows the same proof.
    let out = interdict(&["eval", "tests/scenarios/ownership/unknown-shares.toml"]);
    let text = String::from_utf8(out.stdout).unwrap();
    // Read with the line wrapping undone (text written to a pipe is wrapped at 100 columns).
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("] entity-a is undetermined: blocked holdings are at least 0% and at most 100% against >= 50%; decided by person-x holds unknown share"));
}

#[test]
fn explain_party_options_and_errors() {
    // --jurisdiction selects; --as-of dates.
    let v = json(&[
        "explain",
        "party",
        "entity-a",
        "--scenario",
        "tests/scenarios/ownership/faq402-divestment.toml",
        "--as-of",
        "2025-05-31",
        "--jurisdiction",
        "us",
        "--format",
        "json",
    ]);
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["status"], "blocked");
    assert_eq!(v[0]["date"], "2025-05-31");
    let v = json(&[
        "explain",
        "party",
        "entity-a",
        "--scenario",
        "tests/scenarios/ownership/faq402-divestment.toml",
        "--as-of",
        "2025-06-01",
        "--jurisdiction",
        "us",
        "--format",
        "json",
    ]);
    assert_eq!(v[0]["status"], "not_blocked");
    assert_eq!(v[0]["witness"]["sum"], "40%");
    // A party that does not exist: a usage error with a suggestion, not a panic.
    let out = interdict(&[
        "explain",
        "party",
        "entity-z",
        "--scenario",
        "tests/scenarios/ownership/faq402-divestment.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no party `entity-z`"), "{err}");
    // The four jurisdictions' doctrines in one call.
    let v = json(&[
        "explain",
        "party",
        "joint-30-25",
        "--scenario",
        "tests/fixtures/doctrines/contrast.toml",
        "--format",
        "json",
    ]);
    let by_j: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["jurisdiction"].as_str().unwrap().to_string(),
                e["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let blocked = |j: &str| (j.to_string(), "blocked".to_string());
    assert_eq!(
        by_j,
        vec![blocked("ca"), blocked("eu"), blocked("uk"), blocked("us")]
    );
    let uk = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["jurisdiction"] == "uk")
        .unwrap();
    assert!(
        uk["witness"]["counted_as"]
            .as_str()
            .unwrap()
            .starts_with("joint arrangement of person-x, person-y")
    );
    // Without the arrangement the UK counts per person, and says so.
    let v = json(&[
        "explain",
        "party",
        "split-30-25",
        "--scenario",
        "tests/fixtures/doctrines/contrast.toml",
        "--jurisdiction",
        "uk",
        "--format",
        "json",
    ]);
    assert_eq!(v[0]["status"], "not_blocked");
    assert_eq!(v[0]["witness"]["per_person"][0]["counted_as"], "person-x");
    assert_eq!(v[0]["witness"]["per_person"][0]["sum"], "30%");
    assert_eq!(v[0]["witness"]["sum"], "30%");
}

/// Every status an ownership doctrine decided names that doctrine and its sources, and the
/// one in force on the date: the EU's changed on 3 July 2024 (issue 15, "every conclusion
/// cites its law"). A status decided by designations alone names none.
#[test]
fn explain_party_names_the_doctrine_in_force_and_its_sources() {
    let scenario = "tests/scenarios/eu/doctrine-change-3-july-2024.toml";
    let explain = |party: &str, date: &str| {
        let v = json(&[
            "explain",
            "party",
            "--scenario",
            scenario,
            party,
            "--as-of",
            date,
            "--jurisdiction",
            "eu",
            "--format",
            "json",
        ]);
        v.as_array().unwrap()[0].clone()
    };
    let before = explain("agency-es", "2024-07-02");
    let after = explain("agency-es", "2024-07-03");
    assert_eq!(before["status"], "not_blocked");
    assert_eq!(after["status"], "blocked");
    let (db, da) = (
        &before["witness"]["doctrine"],
        &after["witness"]["doctrine"],
    );
    assert_eq!(db["jurisdiction"], "eu");
    assert!(db["test"].as_str().unwrap().starts_with("more than 50%"));
    assert!(da["test"].as_str().unwrap().starts_with("50% or more"));
    assert_eq!(db["period"], "before 2024-07-03");
    assert_eq!(da["period"], "from 2024-07-03");
    // The sources are the pack's, period by period: the old Best Practices before, the
    // update after.
    let texts = |d: &Value| -> Vec<String> {
        d["citations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(texts(db).iter().any(|t| t.contains("para. 62")));
    assert!(texts(da).iter().any(|t| t.contains("3 July 2024")));
    // The designated person's own status rests on its designation alone.
    let listed = explain("official-x", "2024-07-03");
    assert_eq!(listed["status"], "blocked");
    assert!(listed["witness"].get("doctrine").is_none());

    // Text: the doctrine on its own line citing numbered sources, listed once at the end,
    // and no line of the default output over 120 characters.
    let out = interdict(&[
        "explain",
        "party",
        "--scenario",
        scenario,
        "agency-es",
        "--as-of",
        "2024-07-03",
        "--jurisdiction",
        "eu",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // The doctrine line with its wrapped continuation, up to the sources.
    let doctrine = text
        .split("doctrine (eu)")
        .nth(1)
        .and_then(|t| t.split("Sources:").next())
        .unwrap();
    assert!(
        doctrine.contains("50% or more") && doctrine.contains("[1]"),
        "{text}"
    );
    let sources = text.split("Sources:\n").nth(1).unwrap();
    // The first source, with its wrapped continuation lines.
    let first = sources.split("\n  [2] ").next().unwrap();
    assert!(
        first.trim_start().starts_with("[1] ") && first.contains("3 July 2024"),
        "{sources}"
    );
    for l in text
        .lines()
        .filter(|l| l.trim_start().starts_with("doctrine"))
    {
        assert!(l.len() <= 120, "{l}");
    }
}
