//! Replay as of a date: `--as-of D` evaluates as the law and the lists stood on D. Rule
//! validity windows, designation and delisting dates, penalty schedules and obligation periods
//! are each read as of the right date:
//!
//! - statuses and rules in force: the transaction date, or D if earlier (nothing designated
//!   or enacted after D is known);
//! - penalties dated by assessment and obligation periods: D (default: the transaction date);
//! - penalties dated by violation: the transaction date, or D if earlier.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, OnceLock};

use interdict::eval::decision::{ConsequenceKind, Decision, DueDate, Outcome};
use interdict::eval::{Engine, EvalOptions};
use interdict::model::values::parse_date;
use interdict::model::{Disposition, JurisdictionIdx};
use interdict::scenario::Scenario;
use interdict::source::SourceFile;

/// Test-only additions to the embedded packs: a general license with a validity window and a
/// penalty dated by violation whose amount changes on 2025-03-01.
const PACK: &str = r#"
[[rule]]
id = "test.license.wind-down"
kind = "license"
jurisdiction = "us"
title = "General license: winding down contracts with a newly designated party"
citation = "Test general license 1"
valid_from = 2025-03-01
valid_until = 2025-04-01
defeats = { programs = ["us.sdgt"], dispositions = ["block", "prohibited"] }
when.transaction_type = ["contract"]

[[penalty]]
id = "test.violation-dated"
title = "A penalty whose schedule is read on the violation date"
kind = "civil"
jurisdiction = "us"
dated_by = "violation"
citation = "Test schedule"
[[penalty.period]]
cap = "1000 USD"
[[penalty.period]]
from = 2025-03-01
cap = "2000 USD"

[[rule]]
id = "test.services-exposure"
jurisdiction = "us"
title = "Services by a U.S. person carry a test exposure"
citation = "Test rule"
actor = { roles = ["originator"], tests = ["us.person"] }
when.transaction_type = ["services"]
exposures = ["test.violation-dated"]
"#;

const WORLD: &str = r#"
[scenario]
name = "replay"

[[party]]
id = "us-co"
kind = "organization"
incorporated_in = "US"

[[party]]
id = "ny-bank"
kind = "financial_institution"
incorporated_in = "US"

[[party]]
id = "listed-co"
kind = "organization"
incorporated_in = "MX"

[[designation]]
party = "listed-co"
program = "us.sdgt"
listed = 2025-01-10
delisted = 2025-06-01

[[transaction]]
id = "contract-payment"
date = 2025-03-10
type = "contract"
amount = "5000"
currency = "USD"
originator = "us-co"
beneficiary = "listed-co"

[[transaction]]
id = "after-delisting"
date = 2025-07-01
type = "wire"
amount = "5000"
currency = "USD"
originator = "us-co"
originator_bank = "ny-bank"
beneficiary = "listed-co"

[[transaction]]
id = "before-listing"
date = 2025-01-05
type = "wire"
amount = "5000"
currency = "USD"
originator = "us-co"
originator_bank = "ny-bank"
beneficiary = "listed-co"

[[transaction]]
id = "listed-2024"
date = 2024-06-03
type = "wire"
amount = "1000"
currency = "USD"
originator = "us-co"
originator_bank = "ny-bank"
beneficiary = "cjng"

[[transaction]]
id = "records-early-march"
date = 2025-03-03
type = "wire"
amount = "1000"
currency = "USD"
originator = "us-co"
originator_bank = "ny-bank"
beneficiary = "cjng"

[[transaction]]
id = "records-late-march"
date = 2025-03-20
type = "wire"
amount = "1000"
currency = "USD"
originator = "us-co"
originator_bank = "ny-bank"
beneficiary = "cjng"

[[transaction]]
id = "consulting"
date = 2025-03-10
type = "services"
amount = "100"
currency = "USD"
originator = "us-co"
beneficiary = "listed-co"
"#;

fn scenario() -> Scenario {
    let mut files = interdict::rules::embedded_files();
    files.push(SourceFile::new("replay-pack.toml", PACK));
    let rules = match interdict::scenario::pack::load(files) {
        Ok((rs, _)) => Arc::new(rs),
        Err(d) => panic!("{:?}", d.into_vec()),
    };
    match interdict::scenario::load(
        SourceFile::new("replay.toml", WORLD),
        Path::new("replay.toml"),
        &rules,
    ) {
        Ok(s) => s,
        Err(d) => panic!("{:?}", d.into_vec()),
    }
}

fn decide(s: &Scenario, tx: &str, as_of: Option<&str>) -> Decision {
    let engine = Engine::new(s.rules.clone(), s.world.clone());
    let t = s.transactions.iter().find(|t| t.id == tx).unwrap();
    engine.evaluate(
        t,
        &EvalOptions {
            as_of: as_of.map(|d| parse_date(d).unwrap()),
            ..EvalOptions::default()
        },
    )
}

/// The U.S. outcome (the packs hold other jurisdictions too).
fn us_outcome(d: &Decision) -> &Outcome {
    static US: OnceLock<JurisdictionIdx> = OnceLock::new();
    let us = *US.get_or_init(|| scenario().rules.jurisdiction_by_id("us").unwrap());
    d.outcome(us).unwrap()
}

fn us(d: &Decision) -> Disposition {
    us_outcome(d).disposition
}

/// The maximum amount of exposure `id` for any actor, as text.
fn amount(s: &Scenario, d: &Decision, id: &str) -> String {
    us_outcome(d)
        .consequences
        .iter()
        .find_map(|c| match &c.kind {
            ConsequenceKind::Exposure {
                id: p, max_amount, ..
            } if s.rules.penalties[p].id == id => max_amount.map(|m| m.to_string()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no exposure {id} in {d:?}"))
}

fn retain_until(s: &Scenario, d: &Decision) -> String {
    us_outcome(d)
        .consequences
        .iter()
        .find_map(|c| match &c.kind {
            ConsequenceKind::Obligation {
                id,
                due: DueDate::RetainUntil(x),
            } if s.rules.obligations[id].id == "us.records" => Some(x.to_string()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no record keeping in {d:?}"))
}

#[test]
fn rule_validity_windows_are_read_as_of_the_date() {
    let s = scenario();
    // The license is in force for transactions dated 2025-03-01 to 2025-03-31.
    assert_eq!(
        us(&decide(&s, "contract-payment", None)),
        Disposition::PermittedLicensed
    );
    // As the law stood on 2025-02-25, the license did not exist yet.
    assert_eq!(
        us(&decide(&s, "contract-payment", Some("2025-02-25"))),
        Disposition::Prohibited
    );
    // Replayed after it lapsed, it still covers a transaction dated inside its window.
    assert_eq!(
        us(&decide(&s, "contract-payment", Some("2025-04-15"))),
        Disposition::PermittedLicensed
    );
}

#[test]
fn designations_and_delistings_are_read_as_of_the_date() {
    let s = scenario();
    assert_eq!(
        us(&decide(&s, "after-delisting", None)),
        Disposition::Permitted
    );
    // On 2025-05-15 the designation was in force and its end not known: block.
    let d = decide(&s, "after-delisting", Some("2025-05-15"));
    assert_eq!(us(&d), Disposition::Block);
    assert_eq!(d.as_of.to_string(), "2025-05-15");
    // A transaction before the listing stays clear whenever it is replayed.
    assert_eq!(
        us(&decide(&s, "before-listing", Some("2025-06-15"))),
        Disposition::Permitted
    );
    assert_eq!(
        us(&decide(&s, "before-listing", None)),
        Disposition::Permitted
    );
}

#[test]
fn penalty_amounts_are_read_from_the_schedule_in_force() {
    let s = scenario();
    // IEEPA civil maxima are dated by assessment: the as-of date picks the adjustment.
    let tx = "listed-2024";
    assert_eq!(
        amount(&s, &decide(&s, tx, None), "us.ieepa.civil"),
        "368,136 USD"
    );
    assert_eq!(
        amount(&s, &decide(&s, tx, Some("2025-02-01")), "us.ieepa.civil"),
        "377,700 USD"
    );
    assert_eq!(
        amount(&s, &decide(&s, tx, Some("2023-06-01")), "us.ieepa.civil"),
        "356,579 USD"
    );
    assert_eq!(
        amount(&s, &decide(&s, tx, Some("2025-02-01")), "us.kingpin.civil"),
        "1,876,699 USD"
    );
    // A schedule dated by violation is read on the transaction date, unless the law is
    // replayed as of an earlier date, when a later period was not yet known.
    let tx = "consulting";
    assert_eq!(
        amount(&s, &decide(&s, tx, None), "test.violation-dated"),
        "2,000 USD"
    );
    assert_eq!(
        amount(
            &s,
            &decide(&s, tx, Some("2025-12-01")),
            "test.violation-dated"
        ),
        "2,000 USD"
    );
    assert_eq!(
        amount(
            &s,
            &decide(&s, tx, Some("2025-02-15")),
            "test.violation-dated"
        ),
        "1,000 USD"
    );
}

#[test]
fn obligation_periods_are_read_as_of_the_date() {
    let s = scenario();
    // Records: 5 years before 2025-03-12, 10 years from then (31 CFR 501.601 as amended).
    let early = "records-early-march";
    assert_eq!(retain_until(&s, &decide(&s, early, None)), "2030-03-03");
    assert_eq!(
        retain_until(&s, &decide(&s, early, Some("2025-04-01"))),
        "2035-03-03"
    );
    let late = "records-late-march";
    assert_eq!(retain_until(&s, &decide(&s, late, None)), "2035-03-20");
    assert_eq!(
        retain_until(&s, &decide(&s, late, Some("2025-03-01"))),
        "2030-03-20"
    );
}

#[test]
fn the_command_line_replays_the_same_way() {
    let run = |args: &[&str]| -> serde_json::Value {
        let o = Command::new(env!("CARGO_BIN_EXE_interdict"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let seed = "tests/scenarios/whatif/cartels-2025-study.toml";
    let now = run(&["eval", "--format", "json", seed]);
    let then = run(&["eval", "--format", "json", "--as-of", "2025-02-19", seed]);
    let find = |v: &serde_json::Value, id: &str| -> serde_json::Value {
        v["scenarios"][0]["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["transaction"] == id)
            .unwrap()
            .clone()
    };
    // Carteles Unidos was on no list on 2025-02-19: the donation was not yet prohibited.
    assert_eq!(find(&now, "medicine-donation")["overall"], "prohibited");
    assert_eq!(find(&then, "medicine-donation")["overall"], "permitted");
    assert_eq!(find(&then, "medicine-donation")["as_of"], "2025-02-19");
    // The blocking already in force under the Kingpin Act is the same either way.
    assert_eq!(find(&then, "sinaloa-wire-apr-02")["overall"], "block");
}
