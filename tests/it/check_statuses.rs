//! The deep check enumerates the statuses a party can have (designations, blocked, grounds, the
//! ownership and control flags) with a recipe for each. Every enumerated status must be one a
//! world really produces: each recipe is written as a scenario, loaded, and the engine's status
//! of the party is compared with the enumerated one, under random ownership doctrines.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::Path;
use std::sync::Arc;

use crate::common::generate::{self, DoctrineSpec, PackSpec};
use crate::common::{cases, embedded};
use interdict::check::concrete::status_scenario;
use interdict::check::emit::render;
use interdict::check::status::statuses;
use interdict::eval::Engine;
use interdict::model::pack::Pack;
use interdict::model::ruleset::PartyPredicate;
use interdict::model::{Bits, JurisdictionIdx, PartyKind};
use interdict::source::SourceFile;
use proptest::prelude::*;
use proptest::sample::Index;

fn doctrine() -> impl Strategy<Value = DoctrineSpec> {
    (
        prop::option::weighted(0.85, prop::sample::select(vec![25u32, 50, 51, 75, 100])),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(any::<Index>(), 0..=2),
    )
        .prop_map(
            |(threshold, more_than, joint_only, control_blocks, bases)| DoctrineSpec {
                threshold,
                more_than,
                joint_only,
                control_blocks,
                bases,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(24), ..ProptestConfig::default() })]

    #[test]
    fn every_enumerated_status_is_produced_by_its_recipe(d in doctrine(), first in 0usize..5) {
        let rs = Arc::new(generate::build_pack(&PackSpec { doctrine: d, rules: Vec::new() }, &embedded()));
        let j = JurisdictionIdx(0);
        // Predicates that read every part of a status, over a few programs.
        let programs: Vec<usize> = (first..(first + 3).min(rs.programs.len())).collect();
        let mut preds: Vec<PartyPredicate> = Vec::new();
        for &p in &programs {
            preds.push(PartyPredicate { designated: Some(Bits::single(p)), ..PartyPredicate::default() });
            preds.push(PartyPredicate { blocked_under: Some(Bits::single(p)), ..PartyPredicate::default() });
        }
        preds.push(PartyPredicate { blocked: Some(true), ..PartyPredicate::default() });
        preds.push(PartyPredicate { ownership_undetermined: Some(true), ..PartyPredicate::default() });
        preds.push(PartyPredicate { blocked_minority_owner: Some(true), ..PartyPredicate::default() });
        preds.push(PartyPredicate { controlled_by_blocked: Some(true), ..PartyPredicate::default() });
        let refs: Vec<&PartyPredicate> = preds.iter().collect();
        let (witnesses, sampled) = statuses(&rs, j, &refs);
        prop_assert!(!sampled);
        prop_assert!(!witnesses.is_empty());
        let date = generate::day(2000);
        for w in &witnesses {
            let kind = if w.entity { PartyKind::Organization } else { PartyKind::Individual };
            let file = status_scenario(&rs, &crate::common::pack().reference, j, date, kind, &w.recipe).unwrap();
            let text = render("", &file).unwrap();
            let s = interdict::scenario::load(SourceFile::new("s.toml", text.clone()), Path::new("s.toml"), &Pack { rules: rs.clone(), reference: crate::common::pack().reference, digest: Default::default() })
                .map_err(|d| TestCaseError::fail(format!("{text}\n{:?}", d.into_vec())))?;
            let e = Engine::new(s.rules.clone(), s.world.clone());
            let p = s.world.party_by_id("cx-party").unwrap();
            let got = e.statuses(j, date).get(p);
            prop_assert_eq!(got, w.state, "recipe {:?}\n{}", w.recipe, text);
        }
    }
}
