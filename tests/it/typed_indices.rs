//! Indices as types: a lowering bug (an index that names nothing) fails loudly instead of
//! quietly changing a decision, and no position is truncated into an index.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;

use interdict::eval::{Engine, EvalOptions};
use interdict::model::{
    Idx, IndexOverflow, IndexVec, MAX_TABLE_LEN, ObligationIdx, PartyIdx, ProgramIdx, RuleIdx,
};

/// A scenario of the corpus whose first transaction is prohibited with consequences.
fn prohibited() -> interdict::scenario::Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios/us/cartel-financier-sdgt.toml");
    let file = interdict::source::read_source(&path, "scenario").unwrap();
    interdict::scenario::load(file, &path, &common::pack()).unwrap()
}

use super::common;

/// The rules that decided the scenario's first transaction (in some jurisdiction).
fn fired(s: &interdict::scenario::Scenario) -> Vec<RuleIdx> {
    let engine = Engine::new(s.rules.clone(), s.world.clone());
    let d = engine.evaluate(&s.transactions[0], &EvalOptions::default());
    d.outcomes
        .iter()
        .flat_map(|o| o.reasons.iter().map(|r| r.rule))
        .collect()
}

#[test]
fn a_rule_naming_an_obligation_that_does_not_exist_fails_evaluation() {
    let s = prohibited();
    let rules = fired(&s);
    assert!(
        !rules.is_empty(),
        "the scenario's transaction fires no rule"
    );
    let mut rs = (*s.rules).clone();
    // What a lowering bug could leave behind: an index past the end of the table.
    let bogus = ObligationIdx::try_from_usize(rs.obligations.len() + 7).unwrap();
    for r in &rules {
        rs.rules[*r].obligations.push(bogus);
    }
    let engine = Engine::new(Arc::new(rs), s.world.clone());
    let tx = &s.transactions[0];
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        engine.evaluate(tx, &EvalOptions::default())
    }));
    assert!(
        outcome.is_err(),
        "evaluation returned a decision although a rule names a missing obligation"
    );
}

#[test]
fn a_rule_naming_a_program_that_does_not_exist_fails_evaluation() {
    let s = prohibited();
    let mut rs = (*s.rules).clone();
    let bogus = ProgramIdx::try_from_usize(rs.programs.len() + 3).unwrap();
    // Every prohibition: the exceptions' selectors read the program of what they select.
    for r in rs.rules.iter_mut() {
        if r.program.is_some() {
            r.program = Some(bogus);
        }
    }
    let engine = Engine::new(Arc::new(rs), s.world.clone());
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        for tx in &s.transactions {
            let _ = interdict::report::build(
                &engine,
                tx,
                &engine.evaluate(tx, &EvalOptions::default()),
            );
        }
    }));
    assert!(
        outcome.is_err(),
        "a decision was reported although its rules name a missing program"
    );
}

#[test]
fn positions_beyond_an_index_are_refused() {
    assert_eq!(PartyIdx::try_from_usize(0), Ok(PartyIdx(0)));
    assert!(RuleIdx::try_from_usize(MAX_TABLE_LEN - 1).is_ok());
    assert_eq!(
        RuleIdx::try_from_usize(MAX_TABLE_LEN),
        Err(IndexOverflow {
            position: MAX_TABLE_LEN
        })
    );
    assert!(<PartyIdx as Idx>::try_from_usize(usize::MAX).is_err());
    let mut parties: IndexVec<PartyIdx, &str> = IndexVec::new();
    assert_eq!(parties.push("a"), Ok(PartyIdx(0)));
    assert_eq!(
        parties.get(PartyIdx(1)),
        None,
        "an outside index is checked"
    );
}
