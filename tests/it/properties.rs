//! Property tests of the engine (SPEC section 6): determinism and order independence,
//! monotonicity, and time, on the embedded packs and on small random packs, over generated
//! worlds and transactions. Case counts: `INTERDICT_PROPTEST_CASES` overrides them (see
//! docs/consistency.md).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::collections::HashMap;
use std::sync::Arc;

use crate::common::generate::{self, Fragment, PackSpec, WorldSpec};
use crate::common::{cases, embedded, normal};
use interdict::eval::decision::Decision;
use interdict::eval::{Engine, EvalOptions};
use interdict::model::ruleset::RuleSet;
use interdict::model::values::Share;
use interdict::model::world::{Designation, OwnershipEdge, Transaction, World};
use interdict::model::{
    ControlBasisIdx, Disposition, IndexVec, PartyIdx, ProgramIdx, RuleIdx, TxTypeIdx,
};
use interdict::source::{Loc, SourceFile};
use proptest::prelude::*;
use proptest::sample::Index;
use rust_decimal::Decimal;

fn decide(rs: &Arc<RuleSet>, w: &World, txs: &[Transaction]) -> Vec<Decision> {
    let e = Engine::new(rs.clone(), Arc::new(w.clone()));
    txs.iter()
        .map(|t| e.evaluate(t, &EvalOptions::default()))
        .collect()
}

fn normals(rs: &RuleSet, w: &World, ds: &[Decision]) -> Vec<normal::NDecision> {
    ds.iter().map(|d| normal::engine(rs, w, d)).collect()
}

/// Each jurisdiction's disposition, per transaction.
fn dispositions(ds: &[Decision]) -> Vec<Vec<Disposition>> {
    ds.iter()
        .map(|d| d.outcomes.iter().map(|o| o.disposition).collect())
        .collect()
}

/// Every disposition of `after` is at least (`up`) or at most (`!up`) that of `before`.
fn ordered(before: &[Decision], after: &[Decision], up: bool) -> Result<(), String> {
    for (b, a) in dispositions(before).iter().zip(dispositions(after)) {
        for (x, y) in b.iter().zip(&a) {
            let ok = if up { y >= x } else { y <= x };
            if !ok {
                return Err(format!("disposition went from {x} to {y}"));
            }
        }
    }
    Ok(())
}

fn permute_world(w: &World, txs: &[Transaction], order: &[usize]) -> (World, Vec<Transaction>) {
    let mut pos = vec![0usize; order.len()];
    for (new, &old) in order.iter().enumerate() {
        pos[old] = new;
    }
    let m = |p: PartyIdx| PartyIdx::try_from_usize(pos[p.idx()]).unwrap();
    let mut out = World {
        parties: IndexVec::try_from_vec(
            order
                .iter()
                .map(|&o| w.parties.as_slice()[o].clone())
                .collect(),
        )
        .unwrap(),
        ..w.clone()
    };
    for p in &mut out.parties {
        p.branch_of = p.branch_of.map(m);
    }
    out.index = out
        .parties
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), PartyIdx::try_from_usize(i).unwrap()))
        .collect();
    for d in &mut out.designations {
        d.party = m(d.party);
    }
    for e in &mut out.ownership {
        e.owner = m(e.owner);
        e.owned = m(e.owned);
    }
    for e in &mut out.control {
        e.controller = m(e.controller);
        e.controlled = m(e.controlled);
    }
    for j in &mut out.joint_arrangements {
        j.entity = m(j.entity);
        for x in &mut j.members {
            *x = m(*x);
        }
    }
    let txs = txs
        .iter()
        .map(|t| Transaction {
            parties: t.parties.iter().map(|(r, p)| (*r, m(*p))).collect(),
            knowing: t.knowing.iter().map(|p| m(*p)).collect(),
            ..t.clone()
        })
        .collect();
    (out, txs)
}

fn permute_rules(rs: &RuleSet, order: &[usize]) -> RuleSet {
    let mut pos = vec![0usize; order.len()];
    for (new, &old) in order.iter().enumerate() {
        pos[old] = new;
    }
    let m = |r: RuleIdx| RuleIdx::try_from_usize(pos[r.idx()]).unwrap();
    let mut out = rs.clone();
    out.rules = IndexVec::try_from_vec(
        order
            .iter()
            .map(|&o| rs.rules.as_slice()[o].clone())
            .collect(),
    )
    .unwrap();
    for r in &mut out.rules {
        if let Some(v) = &mut r.defeats.rules {
            for x in v.iter_mut() {
                *x = m(*x);
            }
        }
        for x in &mut r.overrides {
            *x = m(*x);
        }
    }
    out.invariants.clear();
    out.index.rules = out
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), RuleIdx::try_from_usize(i).unwrap()))
        .collect();
    interdict::rules::lower::index_rules(&mut out);
    out
}

/// The same world over another rule set with the same names (programs, terms by id).
fn translate(
    w: &World,
    txs: &[Transaction],
    from: &RuleSet,
    to: &RuleSet,
) -> (World, Vec<Transaction>) {
    let prog = |p: ProgramIdx| to.program_by_id(&from.programs[p].id).unwrap();
    let term = |a: &[interdict::model::ruleset::Term],
                b: &[interdict::model::ruleset::Term],
                i: usize| { b.iter().position(|t| t.id == a[i].id).unwrap() };
    let (fv, tv) = (&from.vocabulary, &to.vocabulary);
    let mut out = w.clone();
    for p in &mut out.parties {
        p.categories = p
            .categories
            .iter()
            .map(|c| term(&fv.party_categories, &tv.party_categories, c))
            .collect();
    }
    for d in &mut out.designations {
        d.program = prog(d.program);
    }
    for c in &mut out.control {
        c.basis = ControlBasisIdx::try_from_usize(term(
            fv.control_bases.as_slice(),
            tv.control_bases.as_slice(),
            c.basis.idx(),
        ))
        .unwrap();
    }
    let txs = txs
        .iter()
        .map(|t| Transaction {
            tx_type: TxTypeIdx::try_from_usize(term(
                fv.transaction_types.as_slice(),
                tv.transaction_types.as_slice(),
                t.tx_type.idx(),
            ))
            .unwrap(),
            goods: t
                .goods
                .iter()
                .map(|g| term(&fv.goods, &tv.goods, g))
                .collect(),
            ..t.clone()
        })
        .collect();
    (out, txs)
}

fn world_of(spec: &WorldSpec, rs: &RuleSet, complete: bool) -> (World, Vec<Transaction>) {
    generate::build_world(spec, rs, complete)
}

/// The embedded packs without the rules that read a flag defined only for parties that are
/// not blocked (a blocked minority owner, control without ownership, undetermined ownership).
/// Those flags call for a review while a party's status is uncertain; a designation that
/// blocks the party ends them by definition, and the definite answer that replaces the review
/// may be an exemption (informational materials for a designated party, for example). The
/// monotonicity properties hold for every other rule; `flag_rules_are_the_only_exception`
/// checks that these are the only rules set aside. The rules are disabled in place (no
/// transaction type matches), so rule indices and selectors stay as they are.
fn embedded_monotone() -> Arc<RuleSet> {
    let mut rs = (*embedded()).clone();
    for r in &mut rs.rules {
        if reads_uncertainty_flag(r) {
            r.when.transaction_types = Some(interdict::model::Bits::EMPTY);
        }
    }
    Arc::new(rs)
}

fn reads_uncertainty_flag(r: &interdict::model::ruleset::Rule) -> bool {
    let flag = |c: &interdict::model::ruleset::PartyClause| {
        c.pred.blocked_minority_owner.is_some()
            || c.pred.controlled_by_blocked.is_some()
            || c.pred.ownership_undetermined.is_some()
    };
    std::iter::once(&r.when)
        .chain(r.unless.as_ref())
        .flat_map(|c| c.nested())
        .any(|c| c.parties.iter().chain(&c.no_party).any(flag))
        || r.actor.as_ref().is_some_and(flag)
}

#[test]
fn flag_rules_are_the_only_exception() {
    let rs = embedded();
    let mut set_aside: Vec<&str> = rs
        .rules
        .iter()
        .filter(|r| reads_uncertainty_flag(r))
        .map(|r| r.id.as_str())
        .collect();
    set_aside.sort_unstable();
    // Each is a review rule of an ownership doctrine or an advisory (a caution that sets no
    // disposition, issue 14), never a prohibition with a stronger disposition or an exception.
    for id in &set_aside {
        let r = rs.rules.iter().find(|r| r.id == *id).unwrap();
        let advisory = r.advisory && r.disposition.is_none();
        assert!(
            advisory || r.disposition == Some(Disposition::Review),
            "{id}"
        );
        assert_eq!(
            r.kind,
            interdict::model::ruleset::RuleKind::Prohibition,
            "{id}"
        );
    }
    assert!(
        set_aside.contains(&"us.ownership.blocked-minority-owner"),
        "{set_aside:?}"
    );
    assert!(set_aside.len() < rs.rules.len() / 10, "{set_aside:?}");
}

fn pack(spec: &PackSpec) -> Arc<RuleSet> {
    Arc::new(generate::build_pack(spec, &embedded()))
}

/// Shuffle a vector with a proptest-chosen sequence of swaps.
fn shuffled<T: Clone>(v: &[T], swaps: &[(Index, Index)]) -> Vec<T> {
    let mut out = v.to_vec();
    if out.is_empty() {
        return out;
    }
    let n = out.len();
    for (a, b) in swaps {
        out.swap(a.index(n), b.index(n));
    }
    out
}

fn swaps() -> impl Strategy<Value = Vec<(Index, Index)>> {
    prop::collection::vec((any::<Index>(), any::<Index>()), 0..24)
}

fn order(n: usize, s: &[(Index, Index)]) -> Vec<usize> {
    shuffled(&(0..n).collect::<Vec<_>>(), s)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

    /// Evaluating twice, or with a fresh engine, gives the same decisions; so do shuffled
    /// designations, edges, parties and transactions, on the embedded packs.
    #[test]
    fn decisions_are_deterministic_and_order_independent(spec in generate::world_spec(), s1 in swaps(), s2 in swaps(), s3 in swaps()) {
        let rs = embedded();
        let (w, txs) = world_of(&spec, &rs, false);
        let d = decide(&rs, &w, &txs);
        prop_assert_eq!(&d, &decide(&rs, &w, &txs));

        let mut w2 = w.clone();
        w2.designations = shuffled(&w.designations, &s1);
        w2.ownership = shuffled(&w.ownership, &s2);
        w2.control = shuffled(&w.control, &s3);
        prop_assert_eq!(&d, &decide(&rs, &w2, &txs), "shuffled designations and edges");

        let (w3, txs3) = permute_world(&w, &txs, &order(w.parties.len(), &s1));
        prop_assert_eq!(normals(&rs, &w, &d), normals(&rs, &w3, &decide(&rs, &w3, &txs3)), "shuffled parties");

        let t_order = order(txs.len(), &s2);
        let txs4: Vec<Transaction> = t_order.iter().map(|&i| txs[i].clone()).collect();
        let d4 = decide(&rs, &w, &txs4);
        for (k, &i) in t_order.iter().enumerate() {
            prop_assert_eq!(&d4[k], &d[i], "shuffled transactions");
        }
    }

    /// Shuffled rule files and shuffled rules give the same decisions, by name.
    #[test]
    fn rule_order_does_not_matter(spec in generate::world_spec(), p in generate::pack_spec(Fragment::Any), s1 in swaps(), s2 in swaps()) {
        let base = embedded();
        let (w, txs) = world_of(&spec, &base, false);
        let files = shuffled(&interdict::rules::embedded_files(), &s1);
        let rs2 = interdict::scenario::pack::load(files).unwrap().0.rules;
        let (w2, txs2) = translate(&w, &txs, &base, &rs2);
        prop_assert_eq!(
            normals(&base, &w, &decide(&base, &w, &txs)),
            normals(&rs2, &w2, &decide(&rs2, &w2, &txs2)),
            "shuffled rule files"
        );

        let rs = pack(&p);
        let rs3 = Arc::new(permute_rules(&rs, &order(rs.rules.len(), &s2)));
        prop_assert_eq!(
            normals(&rs, &w, &decide(&rs, &w, &txs)),
            normals(&rs3, &w, &decide(&rs3, &w, &txs)),
            "shuffled rules of a random pack"
        );
    }

    /// Shuffled parties give the same decisions under random packs and random ownership
    /// doctrines too (aggregating or not, control blocking or not).
    #[test]
    fn party_order_does_not_matter_under_random_doctrines(spec in generate::world_spec(), p in generate::pack_spec(Fragment::Any), s1 in swaps()) {
        let rs = pack(&p);
        let (w, txs) = world_of(&spec, &rs, false);
        let (w2, txs2) = permute_world(&w, &txs, &order(w.parties.len(), &s1));
        prop_assert_eq!(
            normals(&rs, &w, &decide(&rs, &w, &txs)),
            normals(&rs, &w2, &decide(&rs, &w2, &txs2))
        );
    }

    /// Adding a designation in force never weakens a disposition (the embedded packs but for
    /// their uncertainty flags, see `embedded_monotone`, and random packs whose conditions
    /// read statuses only positively).
    #[test]
    fn adding_a_designation_never_weakens(spec in generate::world_spec(), p in generate::pack_spec(Fragment::Monotone), who in any::<Index>(), prog in any::<Index>(), before in 0i64..400) {
        for rs in [embedded_monotone(), pack(&p)] {
            let (w, txs) = world_of(&spec, &rs, true);
            let base = decide(&rs, &w, &txs);
            let mut w2 = w.clone();
            let earliest = txs.iter().map(|t| t.date).min().unwrap();
            w2.designations.push(Designation {
                party: PartyIdx::try_from_usize(who.index(w.parties.len())).unwrap(),
                program: ProgramIdx::try_from_usize(prog.index(rs.programs.len())).unwrap(),
                listed: Some(earliest - chrono::Duration::days(before)),
                delisted: None,
                source: None,
                date_assumed: false,
                loc: Loc::default(),
            });
            let after = decide(&rs, &w2, &txs);
            prop_assert!(ordered(&base, &after, true).is_ok(), "{:?}", ordered(&base, &after, true));
        }
    }

    /// Delisting (ending a designation before the transaction) never strengthens a
    /// disposition.
    #[test]
    fn delisting_never_strengthens(spec in generate::world_spec(), p in generate::pack_spec(Fragment::Monotone), which in any::<Index>()) {
        for rs in [embedded_monotone(), pack(&p)] {
            let (w, txs) = world_of(&spec, &rs, true);
            if w.designations.is_empty() {
                continue;
            }
            let base = decide(&rs, &w, &txs);
            let mut w2 = w.clone();
            let i = which.index(w.designations.len());
            let earliest = txs.iter().map(|t| t.date).min().unwrap();
            let d = &mut w2.designations[i];
            let end = d.listed.map_or(earliest, |l| l.max(earliest).min(earliest));
            if d.listed.is_some_and(|l| l >= end) {
                w2.designations.remove(i);
            } else {
                d.delisted = Some(end);
            }
            let after = decide(&rs, &w2, &txs);
            prop_assert!(ordered(&base, &after, false).is_ok(), "{:?}", ordered(&base, &after, false));
        }
    }

    /// An ownership edge from a blocked owner never weakens a disposition.
    #[test]
    fn a_blocked_owners_edge_never_weakens(spec in generate::world_spec(), p in generate::pack_spec(Fragment::Monotone), owned in any::<Index>(), prog in any::<Index>(), half in 1u32..=200) {
        for rs in [embedded_monotone(), pack(&p)] {
            let (w, txs) = world_of(&spec, &rs, true);
            let blocking: Vec<usize> = rs.blocking_programs(interdict::model::JurisdictionIdx(0)).iter().collect();
            if blocking.is_empty() {
                continue;
            }
            // A designated owner, added first, so the only change is its edge.
            let mut w1 = w.clone();
            let owner = w1.add_party(interdict::check::party::blank_party("blocked-owner", interdict::model::PartyKind::Organization)).unwrap();
            w1.designations.push(Designation {
                party: owner,
                program: ProgramIdx::try_from_usize(blocking[prog.index(blocking.len())]).unwrap(),
                listed: None,
                delisted: None,
                source: None,
                date_assumed: true,
                loc: Loc::default(),
            });
            let target = PartyIdx::try_from_usize(owned.index(w.parties.len())).unwrap();
            if !w1.parties[target].kind.is_entity() {
                continue;
            }
            let held: Decimal = w1.ownership.iter().filter(|e| e.owned == target).map(|e| e.share.bounds().0).sum();
            let share = Decimal::new(i64::from(half) * 5, 1).min(Decimal::ONE_HUNDRED - held);
            let base = decide(&rs, &w1, &txs);
            let mut w2 = w1.clone();
            w2.ownership.push(OwnershipEdge { owner, owned: target, share: Share::Exact(share), from: None, until: None, loc: Loc::default() });
            let after = decide(&rs, &w2, &txs);
            prop_assert!(ordered(&base, &after, true).is_ok(), "{:?}", ordered(&base, &after, true));
        }
    }

    /// Adding an exemption or a license never strengthens a disposition (any pack).
    #[test]
    fn adding_an_exception_never_strengthens(spec in generate::world_spec(), p in generate::pack_spec(Fragment::Any), extra in generate::exception_spec()) {
        for rs in [embedded(), pack(&p)] {
            let (w, txs) = world_of(&spec, &rs, true);
            let base = decide(&rs, &w, &txs);
            let rs2 = Arc::new(generate::add_exception(&rs, extra.0, &extra.1));
            let after = decide(&rs2, &w, &txs);
            prop_assert!(ordered(&base, &after, false).is_ok(), "{:?}", ordered(&base, &after, false));
        }
    }

    /// Designations listed after the transaction (or the as-of date), and designations
    /// delisted on or before it, have no effect at all.
    #[test]
    fn designations_outside_their_time_have_no_effect(spec in generate::world_spec(), p in generate::pack_spec(Fragment::Any), as_of in prop::option::of(0i64..3650)) {
        for rs in [embedded(), pack(&p)] {
            let (w, txs) = world_of(&spec, &rs, false);
            let as_of = as_of.map(generate::day);
            let opts = EvalOptions { as_of, ..EvalOptions::default() };
            for t in &txs {
                let when = Engine::effective_date(t.date, as_of);
                let mut w2 = w.clone();
                w2.designations.retain(|d| d.in_force(when));
                let e1 = Engine::new(rs.clone(), Arc::new(w.clone()));
                let e2 = Engine::new(rs.clone(), Arc::new(w2));
                prop_assert_eq!(e1.evaluate(t, &opts), e2.evaluate(t, &opts));
            }
        }
    }
}

/// A fixed check of the shuffling helpers themselves (a property over shuffles is only as good
/// as the shuffles): permuting parties and back gives the same world.
#[test]
fn permutations_round_trip() {
    let w = World::clone(&crate::common::pack().reference);
    let n = w.parties.len();
    let order: Vec<usize> = (0..n).rev().collect();
    let (w2, _) = permute_world(&w, &[], &order);
    assert_ne!(w2.parties[PartyIdx(0)].id, w.parties[PartyIdx(0)].id);
    let (w3, _) = permute_world(&w2, &[], &order);
    assert_eq!(w3, w);
    let mut ids: HashMap<String, usize> = HashMap::new();
    for p in &w2.parties {
        *ids.entry(p.id.clone()).or_default() += 1;
    }
    assert!(ids.values().all(|&c| c == 1));
    let _ = SourceFile::new("x", "");
}
