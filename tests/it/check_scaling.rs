//! `check --deep` scales with the rules that interact (issue: hardening item 9).
//!
//! A standalone pack gets N independent rule pairs: a blocking program with a block rule that
//! attaches the freeze report, and a license lifting that rule for small amounts. The pairs
//! share no program, party clause or condition, so the work must grow linearly in N: the
//! groups examined and the cases enumerated, per analysis, are an exact linear function of N
//! (equal increments from 2 to 4, 4 to 6 and 6 to 8 pairs). The earlier design asked, for every
//! blocking program, every rule attaching a report until one stood (quadratic in N); this
//! test fails if that returns. Timings are measured by `benches/deep.rs`, never here.
//!
//! The same pack with a planted defect gets the same findings, to the byte, from the
//! unpartitioned analysis kept for the benchmark's baseline; and the `--progress` flag path
//! writes progress to stderr only, never with JSON diagnostics.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::collections::BTreeMap;
use std::process::Command;

use interdict::check::{DeepOptions, DeepReport, deep, deep_unpartitioned};
use interdict::model::pack::Pack;
use interdict::source::SourceFile;

const BASE: &str = r#"
[[transaction_type]]
id = "wire"
[[transaction_type]]
id = "donation"
[[goods]]
id = "medicine"
[[party_category]]
id = "ngo"
[[control_basis]]
id = "board_appointment"

[jurisdiction]
id = "xx"
name = "Example Republic"
currency = "EUR"
calendar = "xx.bank-holidays"
citation = "Example Sanctions Act 2024"

[jurisdiction.ownership]
threshold = 50
comparison = ">"
aggregation = "all"
control = "blocks"
citation = "Example Sanctions Act 2024, section 7"

[[calendar]]
id = "xx.bank-holidays"
name = "Example Republic bank holidays"
weekend = ["saturday", "sunday"]
covers_from = 2024-01-01
covers_until = 2026-12-31
holidays = [{ date = 2025-12-25, name = "Christmas Day" }]

[[person_test]]
id = "xx.person"
title = "Example Republic person"
jurisdiction = "xx"
citation = "Example Sanctions Act 2024, section 3"
any = [{ citizenship = ["FR"] }, { incorporated_in = ["FR"] }, { located_in = ["FR"] }]

[[nexus]]
id = "xx.nexus.person"
title = "An Example Republic person takes part"
jurisdiction = "xx"
citation = "Example Sanctions Act 2024, section 3"
when.party = [{ tests = ["xx.person"] }]

[[obligation]]
id = "xx.report.freeze"
title = "Report the frozen funds"
jurisdiction = "xx"
due = { business_days = 5 }
citation = "Example Sanctions Act 2024, section 12"

[[invariant]]
id = "xx.inv.freeze-reports"
kind = "disposition_requires_obligation"
jurisdiction = "xx"
dispositions = ["block"]
obligations = ["xx.report.freeze"]
citation = "Example Sanctions Act 2024, section 12"

[[invariant]]
id = "xx.inv.blocking-programs-report"
kind = "blocking_program_reports"
jurisdiction = "xx"
obligations = ["xx.report.freeze"]
citation = "Example Sanctions Act 2024, section 12"
"#;

/// Pair `i`: a blocking program, its block rule (attaching the report unless `reports` is
/// false) and a license that lifts the block below an amount of its own.
fn pair(i: usize, reports: bool) -> String {
    let obligations = if reports {
        "obligations = [\"xx.report.freeze\"]\n"
    } else {
        ""
    };
    format!(
        r#"
[[program]]
id = "xx.p{i}"
title = "Example program {i}"
jurisdiction = "xx"
authorities = ["Example Sanctions Act 2024, schedule {i}"]
blocking = true
basis = "example-act-{i}"

[[rule]]
id = "xx.p{i}.freeze"
program = "xx.p{i}"
title = "Banks freeze funds of a party listed under program {i}"
disposition = "block"
citation = "Example Sanctions Act 2024, schedule {i}"
actor = {{ roles = ["originator_bank", "beneficiary_bank"], tests = ["xx.person"] }}
when.party = [{{ roles = ["beneficiary"], blocked_under = ["xx.p{i}"] }}]
{obligations}
[[rule]]
id = "xx.p{i}.small-payments"
kind = "license"
jurisdiction = "xx"
title = "Payments below {amount} EUR under program {i} are licensed"
citation = "Example general license {i}"
defeats = {{ rules = ["xx.p{i}.freeze"] }}
when.amount_below = "{amount} EUR"
"#,
        amount = 100 * (i + 1)
    )
}

fn pack(pairs: usize, defective: usize) -> String {
    let mut text = BASE.to_string();
    for i in 0..pairs {
        text.push_str(&pair(i, true));
    }
    for i in pairs..pairs + defective {
        text.push_str(&pair(i, false));
    }
    text
}

fn load(text: String) -> Pack {
    let file = SourceFile::new("pairs.toml", text);
    match interdict::scenario::pack::load(vec![file]) {
        Ok((pack, _)) => pack,
        Err(d) => panic!("the generated pack loads: {d:?}"),
    }
}

/// Groups and cases per analysis.
type Work = BTreeMap<&'static str, (usize, usize)>;

fn work(r: &DeepReport) -> Work {
    r.stats
        .per_lint
        .iter()
        .map(|(k, s)| (*k, (s.groups, s.cases)))
        .collect()
}

#[test]
fn work_grows_linearly_with_independent_pairs() {
    let runs: Vec<(usize, Work)> = [2, 4, 6, 8]
        .into_iter()
        .map(|n| {
            let r = deep(&load(pack(n, 0)), &DeepOptions::default());
            assert!(
                r.findings.is_empty(),
                "{n} pairs: {:?}",
                r.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
            );
            (n, work(&r))
        })
        .collect();
    let (_, first) = &runs[0];
    for (lint, _) in first.iter() {
        let at = |i: usize| runs[i].1.get(lint).copied().unwrap();
        let steps: Vec<(isize, isize)> = (1..runs.len())
            .map(|i| {
                let (g1, c1) = at(i);
                let (g0, c0) = at(i - 1);
                (g1 as isize - g0 as isize, c1 as isize - c0 as isize)
            })
            .collect();
        assert!(
            steps.windows(2).all(|w| w[0] == w[1]),
            "{lint}: groups and cases per two more pairs must not grow, got {steps:?} ({:?})",
            runs.iter()
                .map(|(n, w)| (n, w.get(lint)))
                .collect::<Vec<_>>()
        );
    }
    // The blocking-program invariant asks one group per program: its own block rule.
    let inv = |i: usize| runs[i].1.get("invariants").unwrap().0;
    assert_eq!(inv(3) - inv(2), 2, "{runs:?}");
}

#[test]
fn the_unpartitioned_analysis_finds_the_same_and_asks_quadratically_more() {
    let loaded = load(pack(4, 1));
    let new = deep(&loaded, &DeepOptions::default());
    let old = deep_unpartitioned(&loaded, &DeepOptions::default());
    let show = |r: &DeepReport| -> Vec<String> {
        r.findings
            .iter()
            .map(|f| {
                format!(
                    "{} {} {}\n{}",
                    f.code.as_str(),
                    f.loc,
                    f.message,
                    f.counterexample.as_ref().map_or("", |c| c.text.as_str())
                )
            })
            .collect()
    };
    assert_eq!(show(&new), show(&old));
    // The planted pair: a blocking program whose block rule attaches no report.
    let codes: Vec<&str> = new.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(
        codes,
        vec!["INVARIANT_VIOLATED", "INVARIANT_VIOLATED"],
        "{codes:?}"
    );
    assert!(new.findings.iter().all(|f| {
        f.counterexample
            .as_ref()
            .is_some_and(|c| c.confirmed.is_ok())
    }));
    let groups = |r: &DeepReport| r.stats.per_lint.get("invariants").unwrap().groups;
    assert!(
        groups(&new) < groups(&old),
        "{} {}",
        groups(&new),
        groups(&old)
    );
}

fn run_cli(args: &[&str], pack_text: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pairs.toml"), pack_text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .arg("check")
        .arg(dir.path())
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn progress_goes_to_stderr_only_when_asked_and_never_with_json() {
    let text = pack(2, 0);
    let (code, stdout, stderr) = run_cli(&["--deep", "--progress"], &text);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("deep check: dead rule analysis (1/6); ")
            && stderr.contains("deep check: invariants analysis (6/6); ")
            && stderr.contains("deep check: done, "),
        "{stderr}"
    );
    assert!(!stdout.contains("analysis (1/6)"), "{stdout}");
    assert!(
        stdout.contains("deep check: 0 findings (0 errors, 0 warnings); examined "),
        "{stdout}"
    );
    assert!(
        stdout.contains("  conflict analysis: 0 rule groups examined (0 cases), 0 findings"),
        "{stdout}"
    );

    // Not a terminal and not asked: no progress.
    let (_, _, stderr) = run_cli(&["--deep"], &text);
    assert!(!stderr.contains("deep check:"), "{stderr}");

    // JSON diagnostics keep stderr a stream of JSON lines, even with --progress.
    let (_, _, stderr) = run_cli(&["--deep", "--progress", "--error-format", "json"], &text);
    assert!(!stderr.contains("deep check:"), "{stderr}");

    // --progress needs --deep.
    let (code, _, _) = run_cli(&["--progress"], &text);
    assert_eq!(code, 2);
}
