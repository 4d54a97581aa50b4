//! Every rule of the shipped packs is exercised: it appears among the reasons (of any kind:
//! decisive, contributing, exception, override, defeated) of some decision in the scenario
//! corpus. A rule no scenario exercises is a rule nobody has checked against the law.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use interdict::eval::EvalOptions;
use interdict::expectations::run::{collect_files, decisions};

/// Jurisdictions whose coverage another test enforces (none: every pack is checked here).
const ELSEWHERE: &[&str] = &[];

#[test]
fn every_rule_of_every_pack_is_exercised_by_a_scenario() {
    if !crate::common::lists_present(
        "pack_coverage::every_rule_of_every_pack_is_exercised_by_a_scenario",
    ) {
        return;
    }
    let (pack, _) = interdict::scenario::pack::load_embedded().unwrap();
    let rs = &pack.rules;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for f in collect_files(&[root]) {
        let s = interdict::scenario::load_path(&f, &pack)
            .unwrap_or_else(|d| panic!("{} does not load: {:?}", f.display(), d));
        let opts = EvalOptions {
            as_of: s.as_of,
            ..EvalOptions::default()
        };
        let (_, ds) = decisions(&s, &opts);
        for d in ds {
            for o in &d.outcomes {
                for r in &o.reasons {
                    seen.insert(s.rules.rules[r.rule].id.clone());
                    // An exception named by an override that stopped it was evaluated too.
                    for x in &r.related {
                        seen.insert(s.rules.rules[x].id.clone());
                    }
                }
            }
        }
    }
    let missing: Vec<&str> = rs
        .rules
        .iter()
        .filter(|r| !ELSEWHERE.contains(&rs.jurisdictions[r.jurisdiction].id.as_str()))
        .map(|r| r.id.as_str())
        .filter(|id| !seen.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "{} rule(s) no scenario exercises:\n  {}",
        missing.len(),
        missing.join("\n  ")
    );
}
