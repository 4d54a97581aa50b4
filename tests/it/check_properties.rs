//! `check --deep` against the evaluator on random packs: the analysis never panics, every
//! counterexample it emits is confirmed by the evaluator, and what it proves impossible never
//! happens on random worlds (a rule called dead never fires; an exception called shadowed or
//! always overridden never defeats anything; a prohibition called always defeated never
//! stands; an override called ineffective never stops anything).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::sync::Arc;

use crate::common::generate::{self, Fragment};
use crate::common::{cases, embedded};
use interdict::check::{DeepOptions, deep};
use interdict::diagnostic::Code;
use interdict::eval::decision::ReasonKind;
use interdict::eval::{Engine, EvalOptions};
use interdict::model::RuleIdx;
use interdict::model::pack::Pack;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(32), ..ProptestConfig::default() })]

    #[test]
    fn the_deep_check_is_confirmed_by_the_evaluator(p in generate::pack_spec(Fragment::Any), worlds in prop::collection::vec(generate::world_spec(), 1..=3)) {
        let pack = Pack { rules: Arc::new(generate::build_pack(&p, &embedded())), reference: crate::common::pack().reference, digest: Default::default() };
        let rs = &pack.rules;
        let report = deep(&pack, &DeepOptions::default());
        for f in &report.findings {
            if let Some(c) = &f.counterexample {
                prop_assert!(c.confirmed.is_ok(), "{}: {:?}\n{}", f.message, c.confirmed, c.text);
            }
        }
        let of = |code: Code| -> Vec<RuleIdx> {
            report.findings.iter().filter(|f| f.code == code).filter_map(|f| f.rules.first().copied()).collect()
        };
        let (dead, shadowed, overridden, defeated, ineffective) = (
            of(Code::DeadRule),
            of(Code::ShadowedException),
            of(Code::AlwaysOverridden),
            of(Code::AlwaysDefeated),
            of(Code::IneffectiveOverride),
        );
        for spec in &worlds {
            let (w, txs) = generate::build_world(spec, rs, true);
            let e = Engine::new(rs.clone(), Arc::new(w));
            for t in &txs {
                let d = e.evaluate(t, &EvalOptions { trace: true, ..EvalOptions::default() });
                for jt in &d.trace.as_ref().unwrap().jurisdictions {
                    for rt in &jt.rules {
                        prop_assert!(!(rt.fired && dead.contains(&rt.rule)), "dead rule `{}` fired", rs.rules[rt.rule].id);
                    }
                }
                for o in &d.outcomes {
                    for r in &o.reasons {
                        let id = &rs.rules[r.rule].id;
                        match r.kind {
                            ReasonKind::Exception => prop_assert!(!shadowed.contains(&r.rule) && !overridden.contains(&r.rule), "`{id}` defeated something"),
                            ReasonKind::Decisive | ReasonKind::Contributing => prop_assert!(!defeated.contains(&r.rule), "`{id}` stood"),
                            ReasonKind::Override => prop_assert!(!ineffective.contains(&r.rule), "`{id}` stopped something"),
                            ReasonKind::Defeated | ReasonKind::Advisory => {}
                        }
                    }
                }
            }
        }
    }
}
