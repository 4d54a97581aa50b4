//! Round trips: rule packs and scenarios written back to TOML and read again are equal (the
//! model ignores locations in equality). The shipped packs are written from their raw records;
//! random packs and random worlds are written from lowered model values by name.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::Path;
use std::sync::Arc;

use crate::common::generate::{self, Fragment};
use crate::common::{cases, embedded, write};
use interdict::diagnostic::Diagnostics;
use interdict::model::ruleset::RuleSet;
use interdict::rules::lower::read_file;
use interdict::source::SourceFile;
use proptest::prelude::*;

/// Field-by-field equality of two rule sets (indices included), with the first difference.
fn same(a: &RuleSet, b: &RuleSet) -> Result<(), String> {
    macro_rules! field {
        ($f:ident) => {
            if a.$f != b.$f {
                return Err(format!(
                    "`{}` differs:\n{:#?}\nvs\n{:#?}",
                    stringify!($f),
                    a.$f,
                    b.$f
                ));
            }
        };
    }
    field!(vocabulary);
    field!(jurisdictions);
    field!(calendars);
    field!(person_tests);
    field!(programs);
    field!(rules);
    field!(obligations);
    field!(penalties);
    field!(invariants);
    field!(rules_by_jurisdiction);
    Ok(())
}

fn records(f: &SourceFile) -> interdict::rules::lower::FileRecords {
    let mut d = Diagnostics::new();
    let r = read_file(f.clone(), &mut d).unwrap();
    assert!(!d.has_errors(), "{:?}", d.into_vec());
    r
}

/// The shipped packs, file by file, written from their raw records and read again: the same
/// records, and the same rule set.
#[test]
fn the_shipped_packs_round_trip() {
    let files = interdict::rules::embedded_files();
    let before = interdict::scenario::pack::load(files.clone()).unwrap().0;
    let mut rewritten = Vec::new();
    for f in &files {
        let raw = write::rule_file(&records(f));
        let text = write::to_toml(&raw);
        let again = SourceFile::new(f.name().to_string(), text.clone());
        assert_eq!(
            write::rule_file(&records(&again)),
            raw,
            "{}:\n{text}",
            f.name()
        );
        rewritten.push(again);
    }
    let after = interdict::scenario::pack::load(rewritten).unwrap().0;
    same(&before.rules, &after.rules).unwrap();
    assert!(
        before.reference == after.reference,
        "the reference world differs"
    );
}

/// The shipped files with their rules, program overrides and invariants taken out and their
/// jurisdictions' doctrines replaced by those of `rs`.
fn base_files(rs: &RuleSet) -> Vec<SourceFile> {
    interdict::rules::embedded_files()
        .iter()
        .map(|f| {
            let mut raw = write::rule_file(&records(f));
            raw.rule.clear();
            raw.invariant.clear();
            for p in &mut raw.program {
                p.overrides.clear();
            }
            for j in &mut raw.jurisdiction {
                if let Some(m) = rs.jurisdictions.iter().find(|x| x.id == *j.id.get_ref()) {
                    j.ownership = write::raw_doctrine(rs, &m.doctrine);
                    j.ownership.period = write::raw_doctrine_periods(rs, &m.doctrine_periods);
                }
            }
            SourceFile::new(f.name().to_string(), write::to_toml(&raw))
        })
        .collect()
}

/// Drop the condition parts lowering refuses as impossible (a date window that ends before it
/// starts, an amount below less than an amount at least in the same currency): the generator
/// may produce them, and the round trip is about what lowering accepts.
fn accepted_by_lowering(rs: &mut RuleSet) {
    for r in &mut rs.rules {
        for c in std::iter::once(&mut r.when).chain(r.unless.as_mut()) {
            if c.date_from.zip(c.date_before).is_some_and(|(f, b)| b <= f) {
                c.date_before = None;
            }
            if c.amount_at_least
                .zip(c.amount_below)
                .is_some_and(|(lo, hi)| lo.currency == hi.currency && hi.amount <= lo.amount)
            {
                c.amount_below = None;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

    /// A random pack (lowered model) written as `[[rule]]` tables and read again is the same
    /// rule set.
    #[test]
    fn random_packs_round_trip(p in generate::pack_spec(Fragment::Any)) {
        let mut rs = generate::build_pack(&p, &embedded());
        accepted_by_lowering(&mut rs);
        let mut files = base_files(&rs);
        let generated = write::RuleFile {
            rule: rs.rules.iter().map(|r| write::raw_rule(&rs, r)).collect(),
            ..write::RuleFile::default()
        };
        let text = write::to_toml(&generated);
        files.push(SourceFile::new("generated.toml", text.clone()));
        let again = match interdict::scenario::pack::load(files) {
            Ok((r, _)) => r.rules,
            Err(d) => return Err(TestCaseError::fail(format!("{text}\n{:?}", d.into_vec()))),
        };
        let r = same(&rs, &again);
        prop_assert!(r.is_ok(), "{}\n{text}", r.unwrap_err());
    }

    /// A random world and its transactions written as a scenario and read again are the
    /// same world and transactions.
    #[test]
    fn random_scenarios_round_trip(spec in generate::world_spec(), complete in any::<bool>()) {
        let rs: Arc<RuleSet> = embedded();
        let (w, txs) = generate::build_world(&spec, &rs, complete);
        let pack = crate::common::pack();
        let file = write::scenario(&rs, &w, &pack.reference, &txs);
        let text = interdict::check::emit::render("", &file).unwrap();
        let s = match interdict::scenario::load(SourceFile::new("s.toml", text.clone()), Path::new("s.toml"), &pack) {
            Ok(s) => s,
            Err(d) => return Err(TestCaseError::fail(format!("{text}\n{:?}", d.into_vec()))),
        };
        prop_assert_eq!(&*s.world, &w, "{}", text);
        prop_assert_eq!(&s.transactions, &txs, "{}", text);
    }
}
