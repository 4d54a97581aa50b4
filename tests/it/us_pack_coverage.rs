//! Every rule of the embedded U.S. pack must be exercised by the scenario library: each U.S.
//! prohibition, exemption, license and override must appear among the reasons of some decision
//! (as a decisive, contributing, defeated, exception or override reason, or as the exemption an
//! override stopped). A rule no scenario reaches is either dead or untested.
//!
//! The scenarios under `tests/scenarios/us/` carry the pack. Pack files written with their own
//! scenario libraries (`rules/us/ownership.toml` with `tests/scenarios/ownership/`,
//! `rules/us/list-matching.toml` with `tests/scenarios/lists/`) may be exercised there instead.

use std::collections::BTreeSet;
use std::path::PathBuf;

use interdict::eval::EvalOptions;
use interdict::expectations::run::{collect_files, decisions};

/// Scenario directories whose decisions count, relative to `tests/scenarios`.
const LIBRARIES: &[&str] = &["us", "ownership", "lists"];

#[test]
fn every_us_rule_is_exercised_by_a_scenario() {
    if !crate::common::lists_present("us_pack_coverage::every_us_rule_is_exercised_by_a_scenario") {
        return;
    }
    let (pack, _) = interdict::scenario::pack::load_embedded().expect("embedded packs load");
    let rules = &*pack.rules;
    let us = rules
        .jurisdiction_by_id("us")
        .expect("the U.S. jurisdiction is embedded");
    let wanted: BTreeSet<String> = rules
        .rules
        .iter()
        .filter(|r| r.jurisdiction == us)
        .map(|r| r.id.clone())
        .collect();
    assert!(!wanted.is_empty(), "the embedded U.S. pack has no rules");

    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let us_files = collect_files(&[root.join("us")]);
    assert!(
        us_files.len() >= 40,
        "the U.S. scenario library has {} files; at least 40 are expected",
        us_files.len()
    );
    let dirs: Vec<PathBuf> = LIBRARIES
        .iter()
        .map(|d| root.join(d))
        .filter(|d| d.is_dir())
        .collect();
    let files = collect_files(&dirs);

    let mut exercised: BTreeSet<String> = BTreeSet::new();
    let mut unloadable = Vec::new();
    for f in &files {
        let scenario = match interdict::scenario::load_path(f, &pack) {
            Ok(s) => s,
            Err(d) => {
                unloadable.push(format!("{}: {} error(s)", f.display(), d.error_count()));
                continue;
            }
        };
        let opts = EvalOptions {
            as_of: scenario.as_of,
            ..EvalOptions::default()
        };
        let (_, ds) = decisions(&scenario, &opts);
        for d in &ds {
            for o in d.outcomes.iter().filter(|o| o.jurisdiction == us) {
                for r in &o.reasons {
                    for idx in std::iter::once(r.rule).chain(r.related.iter().copied()) {
                        if let Some(rule) = scenario.rules.rules.get(idx) {
                            exercised.insert(rule.id.clone());
                        }
                    }
                }
            }
        }
    }
    assert!(
        unloadable.is_empty(),
        "scenarios that do not load:\n{}",
        unloadable.join("\n")
    );

    let missing: Vec<&String> = wanted
        .iter()
        .filter(|id| !exercised.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} U.S. rules are exercised by no scenario; unexercised:\n  {}",
        missing.len(),
        wanted.len(),
        missing
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  ")
    );
    eprintln!(
        "{} U.S. rules, all exercised by {} scenario files",
        wanted.len(),
        files.len()
    );
}
