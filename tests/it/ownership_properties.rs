//! Property tests of the ownership doctrines on random graphs with cycles, against an
//! independent brute-force reference written here.
//!
//! The reference shares no code with the engine: its own graph type, shares as integer basis
//! points (1% = 100) instead of decimals, and each doctrine's definition transcribed directly
//! (docs/ownership.md) and iterated naively from the designated set until nothing changes
//! (Kleene iteration of a monotone operator: its least fixed point). Unknown and ranged shares
//! are handled by enumerating every completion on a grid (each entity's holdings at most 100%).
//!
//! Properties, for every doctrine configuration (threshold none/25/50, `>=`/`>`, aggregation
//! all/joint_arrangement_only, control flag/blocks, every basis or one):
//! 1. exact shares: statuses, grounds and flags equal the reference's;
//! 2. unknown and ranged shares: `blocked` is blocked in every completion, `not_blocked` in
//!    none, `undetermined` in some and not others (exact, not merely sound);
//! 3. monotonicity: adding a designation, or a holding of a blocked owner, never unblocks;
//! 4. order independence: shuffled parties and edges give the same statuses;
//! 5. witnesses prove their statuses (sums, thresholds, blocked owners, recursively).
//!
//! Property 5 found two bugs, described next to the code that fixes them: the joint-arrangement
//! pass in `units.rs` (a witness could miss a holder joined in the same round) and what decides
//! an undetermined status in `witness.rs` (control, unit membership, arrangement members). The
//! 100% cap of the upper bound (`graph.rs`) was found by reading the code; removing it makes
//! property 2 fail.
//!
//! Case counts: the defaults keep `cargo test` short. Set `INTERDICT_OWNERSHIP_CASES=N` to run
//! N cases per property (for example 20000 for a long run).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]
#![allow(
    clippy::needless_range_loop,
    reason = "party indices are the subject: one index reads several tables"
)]

use crate::common;

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;

use crate::common::{dec, rules};
use interdict::model::ruleset::{
    Aggregation, Comparison, ControlEffect, OwnershipDoctrine, RuleSet,
};
use interdict::model::values::Share;
use interdict::model::world::{ControlEdge, Designation, JointArrangement, OwnershipEdge, World};
use interdict::model::{PartyIdx, PartyKind};
use interdict::source::Loc;

fn cases(default: u32) -> u32 {
    std::env::var("INTERDICT_OWNERSHIP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------------------------------
// The reference's own world.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RShare {
    Exact(i64),
    Range(i64, i64),
    Unknown,
}

impl RShare {
    fn lo(self) -> i64 {
        match self {
            RShare::Exact(v) | RShare::Range(v, _) => v,
            RShare::Unknown => 0,
        }
    }
    fn hi(self) -> i64 {
        match self {
            RShare::Exact(v) | RShare::Range(_, v) => v,
            RShare::Unknown => 10_000,
        }
    }
}

#[derive(Debug, Clone)]
struct RWorld {
    persons: usize,
    n: usize,
    /// Per party: blocking programs it is designated under (bit 0: sdgt, bit 1: glomag).
    designated: Vec<u8>,
    own: Vec<(usize, usize, RShare)>,
    /// (controller, controlled, basis: 0 board_appointment, 1 signatory)
    ctrl: Vec<(usize, usize, usize)>,
    joints: Vec<(Vec<usize>, usize)>,
}

#[derive(Debug, Clone, Copy)]
struct RDoctrine {
    threshold: Option<i64>,
    at_least: bool,
    aggregate: bool,
    control_blocks: bool,
    /// Counted bases: `None` every basis, `Some(b)` only basis b.
    basis: Option<usize>,
}

impl RDoctrine {
    fn reaches(&self, sum: i64) -> bool {
        match self.threshold {
            None => false,
            Some(t) => {
                if self.at_least {
                    sum >= t
                } else {
                    sum > t
                }
            }
        }
    }
    fn counts(&self, basis: usize) -> bool {
        self.basis.is_none_or(|b| b == basis)
    }
}

fn all_doctrines() -> Vec<RDoctrine> {
    let mut v = Vec::new();
    for threshold in [None, Some(2_500), Some(5_000)] {
        for at_least in [true, false] {
            for aggregate in [true, false] {
                for control_blocks in [false, true] {
                    for basis in [None, Some(0)] {
                        v.push(RDoctrine {
                            threshold,
                            at_least,
                            aggregate,
                            control_blocks,
                            basis,
                        });
                    }
                }
            }
        }
    }
    v
}

/// Reference statuses of one exact completion: (blocked, grounds).
fn reference_exact(w: &RWorld, shares: &[i64], d: &RDoctrine) -> (Vec<bool>, Vec<u8>) {
    let direct: Vec<bool> = w.designated.iter().map(|&g| g != 0).collect();
    if d.aggregate {
        // blocked(t) <=> designated, or sum of holdings of blocked owners reaches the
        // threshold, or (control blocks) a blocked person controls t on a counted basis.
        let mut blocked = direct.clone();
        loop {
            let mut changed = false;
            for t in 0..w.n {
                if blocked[t] {
                    continue;
                }
                let sum: i64 = w
                    .own
                    .iter()
                    .zip(shares)
                    .filter(|((o, x, _), _)| *x == t && blocked[*o])
                    .map(|(_, s)| *s)
                    .sum();
                let controlled = d.control_blocks
                    && w.ctrl
                        .iter()
                        .any(|&(c, x, b)| x == t && blocked[c] && d.counts(b));
                if d.reaches(sum) || controlled {
                    blocked[t] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // grounds(t) = its own designations, and the union of the grounds of blocked owners
        // with a non-zero share and of counted blocked controllers (least fixed point).
        let mut grounds = w.designated.clone();
        loop {
            let mut changed = false;
            for t in 0..w.n {
                if !blocked[t] {
                    continue;
                }
                let mut g = grounds[t];
                for (i, &(o, x, s)) in w.own.iter().enumerate() {
                    let _ = i;
                    if x == t && blocked[o] && s.hi() > 0 {
                        g |= grounds[o];
                    }
                }
                for &(c, x, b) in &w.ctrl {
                    if x == t && blocked[c] && d.control_blocks && d.counts(b) {
                        g |= grounds[c];
                    }
                }
                if g != grounds[t] {
                    grounds[t] = g;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        (blocked, grounds)
    } else {
        // U(d) for each designated d: d; entities whose holdings by U(d) reach the threshold;
        // entities controlled on a counted basis by a member (control blocks); entities of a
        // joint arrangement whose members stand for d, when the holdings of the members and
        // of those persons' units reach the threshold.
        let roots: Vec<usize> = (0..w.n).filter(|&i| direct[i]).collect();
        let mut unit: Vec<BTreeSet<usize>> = roots.iter().map(|&r| BTreeSet::from([r])).collect();
        loop {
            let mut changed = false;
            for u in unit.iter_mut() {
                for t in 0..w.n {
                    if u.contains(&t) {
                        continue;
                    }
                    let sum: i64 = w
                        .own
                        .iter()
                        .zip(shares)
                        .filter(|((o, x, _), _)| *x == t && u.contains(o))
                        .map(|(_, s)| *s)
                        .sum();
                    let controlled = d.control_blocks
                        && w.ctrl
                            .iter()
                            .any(|&(c, x, b)| x == t && u.contains(&c) && d.counts(b));
                    if d.reaches(sum) || controlled {
                        u.insert(t);
                        changed = true;
                    }
                }
            }
            for (members, e) in &w.joints {
                let stand_for: Vec<usize> = (0..roots.len())
                    .filter(|&k| members.iter().any(|m| unit[k].contains(m)))
                    .collect();
                if stand_for.is_empty() {
                    continue;
                }
                let holders = |o: usize| {
                    members.contains(&o) || stand_for.iter().any(|&k| unit[k].contains(&o))
                };
                let sum: i64 = w
                    .own
                    .iter()
                    .zip(shares)
                    .filter(|((o, x, _), _)| x == e && holders(*o))
                    .map(|(_, s)| *s)
                    .sum();
                if d.reaches(sum) {
                    for &k in &stand_for {
                        changed |= unit[k].insert(*e);
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let blocked: Vec<bool> = (0..w.n)
            .map(|t| direct[t] || unit.iter().any(|u| u.contains(&t)))
            .collect();
        // A party's grounds: its own designations, and those of every designated person whose
        // unit it belongs to (a designated party can belong to another person's unit too).
        let grounds: Vec<u8> = (0..w.n)
            .map(|t| {
                roots
                    .iter()
                    .zip(&unit)
                    .filter(|(_, u)| u.contains(&t))
                    .fold(w.designated[t], |g, (&r, _)| g | w.designated[r])
            })
            .collect();
        (blocked, grounds)
    }
}

/// Every completion of the uncertain shares on a grid of `step` basis points, each entity's
/// holdings at most 100%.
fn completions(w: &RWorld, step: i64) -> Vec<Vec<i64>> {
    let mut out = vec![Vec::new()];
    for &(_, _, s) in &w.own {
        let values: Vec<i64> = match s {
            RShare::Exact(v) => vec![v],
            _ => (s.lo()..=s.hi()).filter(|v| v % step == 0).collect(),
        };
        out = out
            .into_iter()
            .flat_map(|prefix| {
                values
                    .iter()
                    .map(move |&v| [prefix.clone(), vec![v]].concat())
            })
            .collect();
    }
    out.retain(|c| {
        (0..w.n).all(|t| {
            w.own
                .iter()
                .zip(c)
                .filter(|((_, x, _), _)| *x == t)
                .map(|(_, s)| *s)
                .sum::<i64>()
                <= 10_000
        })
    });
    out
}

// ---------------------------------------------------------------------------------------
// Building the engine's world and doctrine from the reference's.

struct Engine {
    rs: RuleSet,
    programs: [usize; 2],
    bases: [interdict::model::ControlBasisIdx; 2],
}

impl Engine {
    fn new() -> Engine {
        let rs = rules();
        let programs = [
            rs.program_by_id("us.sdgt").unwrap().idx(),
            rs.program_by_id("us.glomag").unwrap().idx(),
        ];
        let bases = [
            common::basis(&rs, "board_appointment"),
            common::basis(&rs, "signatory"),
        ];
        Engine {
            rs,
            programs,
            bases,
        }
    }

    fn doctrine(&self, d: &RDoctrine) -> OwnershipDoctrine {
        OwnershipDoctrine {
            threshold: d.threshold.map(|t| Decimal::new(t, 2)),
            comparison: if d.at_least {
                Comparison::AtLeast
            } else {
                Comparison::MoreThan
            },
            aggregation: if d.aggregate {
                Aggregation::All
            } else {
                Aggregation::JointArrangementOnly
            },
            control: if d.control_blocks {
                ControlEffect::Blocks
            } else {
                ControlEffect::Flag
            },
            control_bases: d.basis.map(|b| self.bases[b].idx()).into_iter().collect(),
            citations: Vec::new(),
            note: None,
        }
    }

    fn world(&self, w: &RWorld, order: &[usize]) -> World {
        // `order[i]` is the engine index of reference party i.
        let mut world = World::default();
        let mut inverse = vec![0; w.n];
        for (i, &o) in order.iter().enumerate() {
            inverse[o] = i;
        }
        for &i in &inverse {
            let kind = if i < w.persons {
                PartyKind::Individual
            } else {
                PartyKind::Organization
            };
            common::party(&mut world, &format!("p{i}"), kind);
        }
        let at = |i: usize| PartyIdx(order[i] as u32);
        let loc = || Loc::builtin("prop");
        for (i, &g) in w.designated.iter().enumerate() {
            for (bit, &program) in self.programs.iter().enumerate() {
                if g & (1 << bit) != 0 {
                    world.designations.push(Designation {
                        party: at(i),
                        program: interdict::model::ProgramIdx(program as u32),
                        listed: None,
                        delisted: None,
                        source: None,
                        date_assumed: true,
                        loc: loc(),
                    });
                }
            }
        }
        for &(o, x, s) in &w.own {
            let share = match s {
                RShare::Exact(v) => Share::Exact(Decimal::new(v, 2)),
                RShare::Range(a, b) => Share::Range(Decimal::new(a, 2), Decimal::new(b, 2)),
                RShare::Unknown => Share::Unknown,
            };
            world.ownership.push(OwnershipEdge {
                owner: at(o),
                owned: at(x),
                share,
                from: None,
                until: None,
                loc: loc(),
            });
        }
        for &(c, x, b) in &w.ctrl {
            world.control.push(ControlEdge {
                controller: at(c),
                controlled: at(x),
                basis: self.bases[b],
                from: None,
                until: None,
                loc: loc(),
            });
        }
        for (m, e) in &w.joints {
            world.joint_arrangements.push(JointArrangement {
                members: m.iter().map(|&i| at(i)).collect(),
                entity: at(*e),
                from: None,
                until: None,
                loc: loc(),
            });
        }
        world
    }

    fn closure(&self, w: &RWorld, d: &RDoctrine, order: &[usize]) -> interdict::ownership::Closure {
        let rs = common::with_doctrine(&self.rs, self.doctrine(d));
        let world = self.world(w, order);
        common::statuses(&rs, &world, common::date("2025-03-03"))
    }

    fn grounds(&self, g: interdict::model::Bits) -> u8 {
        (g.contains(self.programs[0]) as u8) | ((g.contains(self.programs[1]) as u8) << 1)
    }
}

fn identity(n: usize) -> Vec<usize> {
    (0..n).collect()
}

// ---------------------------------------------------------------------------------------
// Random worlds.

/// Shares for exact worlds: thresholds, just below and above them, and thirds.
const EXACT_BP: &[i64] = &[
    0, 1_000, 2_000, 2_499, 2_500, 2_501, 3_000, 3_333, 4_000, 4_999, 5_000, 5_001, 6_000, 6_667,
    10_000,
];
/// Shares for interval worlds: multiples of 10%. Then every completion that decides a status
/// lies on the 10% enumeration grid: the lowest completion, and the one filling each entity's
/// free share (100% less the lower bounds, a multiple of 10%) owner by owner up to the upper
/// bounds. (A 75% holding would leave 25% free, off the grid: the first version of this test
/// had one, and reported `undetermined` as wrong where the deciding completion was 25%.)
const GRID_BP: &[i64] = &[0, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 10_000];

fn share_strategy(palette: &'static [i64], uncertain: bool) -> BoxedStrategy<RShare> {
    let exact = proptest::sample::select(palette).prop_map(RShare::Exact);
    if !uncertain {
        return exact.boxed();
    }
    // Two distinct palette entries, lower first (no rejection sampling: long runs would hit
    // proptest's limit on local rejects).
    let range = (0..palette.len() - 1)
        .prop_flat_map(move |i| (Just(i), i + 1..palette.len()))
        .prop_map(move |(i, j)| RShare::Range(palette[i], palette[j]));
    prop_oneof![3 => exact, 1 => range, 1 => Just(RShare::Unknown)].boxed()
}

fn world_strategy(
    palette: &'static [i64],
    uncertain: bool,
    max_uncertain: usize,
) -> impl Strategy<Value = RWorld> {
    (1usize..=3, 2usize..=7)
        .prop_flat_map(move |(persons, entities)| {
            let n = persons + entities;
            let designated = proptest::collection::vec(
                prop_oneof![2 => Just(0u8), 2 => Just(1u8), 1 => Just(2u8), 1 => Just(3u8)],
                n,
            );
            let own = proptest::collection::vec(
                (0..n, persons..n, share_strategy(palette, uncertain)),
                0..=16,
            );
            let ctrl = proptest::collection::vec((0..n, persons..n, 0usize..2), 0..=3);
            // Joint arrangements mostly between persons (who are often designated) and the
            // first entities (often owned by them), so that they matter often.
            // Each member holds a share of the arrangement's entity, so they matter often.
            let joints = proptest::collection::vec(
                (
                    proptest::collection::vec(0..(persons + 2).min(n), 2..=3),
                    persons..n,
                    proptest::collection::vec(share_strategy(palette, uncertain), 3),
                ),
                0..=2,
            );
            (Just(persons), Just(n), designated, own, ctrl, joints)
        })
        .prop_map(move |(persons, n, mut designated, mut own, ctrl, joints)| {
            let joints: Vec<(Vec<usize>, usize)> = joints
                .into_iter()
                .map(|(m, e, shares)| {
                    own.extend(m.iter().zip(shares).map(|(&o, s)| (o, e, s)));
                    (m, e)
                })
                .collect();
            // Entities are designated less often than persons.
            for (i, d) in designated.iter_mut().enumerate() {
                if i >= persons && i % 3 != 0 {
                    *d = 0;
                }
            }
            // Valid worlds only: no self-ownership, each entity's lower bounds within 100%, at
            // most `max_uncertain` uncertain shares.
            let mut lo_sum = vec![0i64; n];
            let mut uncertain_left = max_uncertain;
            let mut kept = Vec::new();
            for (o, x, s) in own {
                if o == x {
                    continue;
                }
                let s = match s {
                    RShare::Exact(v) => RShare::Exact(v.min(10_000 - lo_sum[x])),
                    other if uncertain_left > 0 && lo_sum[x] + other.lo() <= 10_000 => {
                        uncertain_left -= 1;
                        other
                    }
                    _ => continue,
                };
                lo_sum[x] += s.lo();
                kept.push((o, x, s));
            }
            let ctrl = ctrl.into_iter().filter(|(c, x, _)| c != x).collect();
            let joints = joints
                .into_iter()
                .map(|(mut m, e)| {
                    // Distinct members, never the entity itself (loading rejects both).
                    m.sort_unstable();
                    m.dedup();
                    m.retain(|&x| x != e);
                    (m, e)
                })
                .filter(|(m, _)| m.len() >= 2)
                .collect();
            RWorld {
                persons,
                n,
                designated,
                own: kept,
                ctrl,
                joints,
            }
        })
}

fn status(c: &interdict::ownership::Closure, i: usize, order: &[usize]) -> (bool, bool) {
    let node = c.parties[pi(order[i])];
    (node.blocked, node.undetermined)
}

// ---------------------------------------------------------------------------------------
// 1. Exact shares: the engine equals the reference, for every doctrine.

#[test]
fn exact_shares_agree_with_the_reference_for_every_doctrine() {
    let e = Engine::new();
    let doctrines = all_doctrines();
    let mut runner = TestRunner::new(Config {
        cases: cases(512),
        ..Config::default()
    });
    runner
        .run(&world_strategy(EXACT_BP, false, 0), |w| {
            let shares: Vec<i64> = w.own.iter().map(|(_, _, s)| s.lo()).collect();
            let order = identity(w.n);
            for d in &doctrines {
                let (blocked, grounds) = reference_exact(&w, &shares, d);
                let c = e.closure(&w, d, &order);
                for i in 0..w.n {
                    let node = c.parties[pi(i)];
                    prop_assert_eq!(
                        node.blocked,
                        blocked[i],
                        "blocked of p{} under {:?} in {:?}",
                        i,
                        d,
                        w
                    );
                    prop_assert!(!node.undetermined, "exact shares are never undetermined");
                    if node.blocked {
                        prop_assert_eq!(
                            e.grounds(node.grounds),
                            grounds[i],
                            "grounds of p{} under {:?} in {:?}",
                            i,
                            d,
                            w
                        );
                    }
                    // Flags: a blocked owner with a non-zero share, or a blocked controller.
                    let minority = !blocked[i]
                        && w.own
                            .iter()
                            .any(|&(o, x, s)| x == i && blocked[o] && s.hi() > 0);
                    let controlled =
                        !blocked[i] && w.ctrl.iter().any(|&(c, x, _)| x == i && blocked[c]);
                    prop_assert_eq!(
                        node.minority_blocked,
                        minority,
                        "minority flag of p{} under {:?}",
                        i,
                        d
                    );
                    prop_assert_eq!(
                        node.controlled_by_blocked,
                        controlled,
                        "control flag of p{} under {:?}",
                        i,
                        d
                    );
                }
            }
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------------------
// 2. Unknown and ranged shares: statuses are exact over every completion.

fn interval_property(max_uncertain: usize, default_cases: u32) {
    let e = Engine::new();
    let doctrines = all_doctrines();
    let mut runner = TestRunner::new(Config {
        cases: cases(default_cases),
        ..Config::default()
    });
    let strategy = (
        world_strategy(GRID_BP, true, max_uncertain),
        0..doctrines.len(),
    );
    runner
        .run(&strategy, |(w, k)| {
            let d = &doctrines[k];
            let all = completions(&w, 1_000);
            prop_assert!(!all.is_empty(), "the lower bounds are always a completion");
            let outcomes: Vec<Vec<bool>> =
                all.iter().map(|c| reference_exact(&w, c, d).0).collect();
            let c = e.closure(&w, d, &identity(w.n));
            for i in 0..w.n {
                let always = outcomes.iter().all(|o| o[i]);
                let never = outcomes.iter().all(|o| !o[i]);
                let (blocked, undetermined) = status(&c, i, &identity(w.n));
                let want = if always {
                    "blocked"
                } else if never {
                    "not_blocked"
                } else {
                    "undetermined"
                };
                let got = if blocked {
                    "blocked"
                } else if undetermined {
                    "undetermined"
                } else {
                    "not_blocked"
                };
                prop_assert_eq!(
                    got,
                    want,
                    "p{} under {:?} over {} completions of {:?}",
                    i,
                    d,
                    all.len(),
                    w
                );
            }
            // Grounds and flags come from the blocked set (the lowest completion) and from
            // which holdings may be non-zero (their upper bounds).
            let lowest: Vec<i64> = w.own.iter().map(|(_, _, s)| s.lo()).collect();
            let (blocked, grounds) = reference_exact(&w, &lowest, d);
            for i in 0..w.n {
                let node = c.parties[pi(i)];
                if node.blocked {
                    prop_assert_eq!(
                        e.grounds(node.grounds),
                        grounds[i],
                        "grounds of p{} under {:?} in {:?}",
                        i,
                        d,
                        w
                    );
                }
                let minority = !blocked[i]
                    && !node.undetermined
                    && w.own
                        .iter()
                        .any(|&(o, x, s)| x == i && blocked[o] && s.hi() > 0);
                let controlled =
                    !blocked[i] && w.ctrl.iter().any(|&(c, x, _)| x == i && blocked[c]);
                prop_assert_eq!(
                    node.minority_blocked,
                    minority,
                    "minority flag of p{} under {:?} in {:?}",
                    i,
                    d,
                    w
                );
                prop_assert_eq!(
                    node.controlled_by_blocked,
                    controlled,
                    "control flag of p{} under {:?}",
                    i,
                    d
                );
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn interval_statuses_are_exact_with_up_to_two_uncertain_shares() {
    interval_property(2, 512);
}

#[test]
fn interval_statuses_are_exact_with_up_to_four_uncertain_shares() {
    interval_property(4, 128);
}

// ---------------------------------------------------------------------------------------
// 3. Monotonicity.

#[test]
fn adding_a_designation_or_a_blocked_owners_holding_never_unblocks() {
    let e = Engine::new();
    let doctrines = all_doctrines();
    let mut runner = TestRunner::new(Config {
        cases: cases(512),
        ..Config::default()
    });
    let strategy = (
        world_strategy(GRID_BP, true, 3),
        0..doctrines.len(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        share_strategy(GRID_BP, true),
    );
    runner
        .run(&strategy, |(w, k, pick, target, share)| {
            let d = &doctrines[k];
            let order = identity(w.n);
            let before = e.closure(&w, d, &order);
            // A new designation.
            let mut more = w.clone();
            let p = pick.index(w.n);
            more.designated[p] |= 1;
            let after = e.closure(&more, d, &order);
            for i in 0..w.n {
                prop_assert!(
                    !before.parties[pi(i)].blocked || after.parties[pi(i)].blocked,
                    "designating p{} unblocked p{} under {:?}",
                    p,
                    i,
                    d
                );
                prop_assert!(
                    !before.possibly_blocked(pi(i)) || after.possibly_blocked(pi(i)),
                    "designating p{} made p{} certainly unblocked under {:?}",
                    p,
                    i,
                    d
                );
            }
            // A new holding of a blocked owner (within 100%).
            let blocked: Vec<usize> = (0..w.n)
                .filter(|&i| before.parties[pi(i)].blocked)
                .collect();
            if blocked.is_empty() {
                return Ok(());
            }
            let owner = blocked[pick.index(blocked.len())];
            let x = w.persons + target.index(w.n - w.persons);
            let room = 10_000
                - w.own
                    .iter()
                    .filter(|(_, t, _)| *t == x)
                    .map(|(_, _, s)| s.lo())
                    .sum::<i64>();
            if owner == x || share.lo() > room {
                return Ok(());
            }
            let mut more = w.clone();
            more.own.push((owner, x, share));
            let after = e.closure(&more, d, &order);
            for i in 0..w.n {
                prop_assert!(
                    !before.parties[pi(i)].blocked || after.parties[pi(i)].blocked,
                    "p{}'s holding in p{} unblocked p{} under {:?}",
                    owner,
                    x,
                    i,
                    d
                );
                // Under aggregating doctrines the possibly blocked set grows too. (Not under
                // non-aggregating ones: a blocked person's new 50% caps another person's
                // unknown share at 50%, which may no longer be enough on its own.)
                if d.aggregate {
                    prop_assert!(
                        !before.possibly_blocked(pi(i)) || after.possibly_blocked(pi(i)),
                        "p{}'s holding in p{} made p{} certainly unblocked",
                        owner,
                        x,
                        i
                    );
                }
            }
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------------------
// 4. Order independence.

#[test]
fn shuffled_parties_and_edges_give_the_same_statuses() {
    let e = Engine::new();
    let doctrines = all_doctrines();
    let mut runner = TestRunner::new(Config {
        cases: cases(512),
        ..Config::default()
    });
    let strategy = world_strategy(GRID_BP, true, 3).prop_flat_map(move |w| {
        let n = w.n;
        let m = w.own.len();
        let c = w.ctrl.len();
        (
            Just(w),
            Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
            Just((0..m).collect::<Vec<_>>()).prop_shuffle(),
            Just((0..c).collect::<Vec<_>>()).prop_shuffle(),
            0..doctrines_len(),
        )
    });
    runner
        .run(&strategy, |(w, order, own_order, ctrl_order, k)| {
            let d = &doctrines[k];
            let mut shuffled = w.clone();
            shuffled.own = own_order.iter().map(|&i| w.own[i]).collect();
            shuffled.ctrl = ctrl_order.iter().map(|&i| w.ctrl[i]).collect();
            shuffled.joints.reverse();
            let a = e.closure(&w, d, &identity(w.n));
            let b = e.closure(&shuffled, d, &order);
            for i in 0..w.n {
                let (x, y) = (a.parties[pi(i)], b.parties[pi(order[i])]);
                prop_assert_eq!(
                    (
                        x.blocked,
                        x.undetermined,
                        x.grounds,
                        x.minority_blocked,
                        x.controlled_by_blocked
                    ),
                    (
                        y.blocked,
                        y.undetermined,
                        y.grounds,
                        y.minority_blocked,
                        y.controlled_by_blocked
                    ),
                    "p{} under {:?}",
                    i,
                    d
                );
            }
            Ok(())
        })
        .unwrap();
}

fn doctrines_len() -> usize {
    all_doctrines().len()
}

#[test]
fn the_reference_knows_the_official_examples() {
    // Sanity of the reference itself, on FAQ 401 example 3 and the non-blocked intermediary.
    let w = RWorld {
        persons: 1,
        n: 3,
        designated: vec![1, 0, 0],
        own: vec![
            (0, 1, RShare::Exact(5_000)),
            (0, 2, RShare::Exact(1_000)),
            (1, 2, RShare::Exact(4_000)),
        ],
        ctrl: Vec::new(),
        joints: Vec::new(),
    };
    let us = RDoctrine {
        threshold: Some(5_000),
        at_least: true,
        aggregate: true,
        control_blocks: false,
        basis: None,
    };
    assert_eq!(
        reference_exact(&w, &[5_000, 1_000, 4_000], &us).0,
        vec![true, true, true]
    );
    let w = RWorld {
        persons: 1,
        n: 4,
        designated: vec![1, 0, 0, 0],
        own: vec![
            (0, 1, RShare::Exact(2_500)),
            (0, 2, RShare::Exact(2_500)),
            (1, 3, RShare::Exact(5_000)),
            (2, 3, RShare::Exact(5_000)),
        ],
        ctrl: Vec::new(),
        joints: Vec::new(),
    };
    assert_eq!(
        reference_exact(&w, &[2_500, 2_500, 5_000, 5_000], &us).0,
        vec![true, false, false, false]
    );
    let _ = dec("1");
}

// ---------------------------------------------------------------------------------------
// 5. Witnesses prove their statuses.

fn pct(s: &str) -> Decimal {
    dec(s.trim_end_matches('%'))
}

/// Checks a witness, every step of it; returns the number of steps (each party's at most once).
fn check_witness(
    w: &interdict::ownership::witness::Witness,
    d: &RDoctrine,
) -> Result<usize, TestCaseError> {
    let mut parties = std::collections::HashSet::new();
    for step in std::iter::once(&w.head).chain(&w.because) {
        prop_assert!(
            parties.insert(step.party().to_string()),
            "{} is explained twice",
            step.party()
        );
        check_step(step, w, d)?;
    }
    Ok(1 + w.because.len())
}

/// The proof a holding (or a control link) points at: step `k` of `w`'s `because`, or the
/// head when the graph cycles back to the party explained; it is `owner`'s. Returns its status.
fn proof_of(
    w: &interdict::ownership::witness::Witness,
    k: Option<u32>,
    is_head: bool,
    owner: &str,
) -> Result<&'static str, TestCaseError> {
    let step = if is_head {
        prop_assert!(
            k.is_none(),
            "a proof of {} is both the head and {:?}",
            owner,
            k
        );
        &w.head
    } else {
        let k = k.ok_or_else(|| TestCaseError::fail(format!("no proof of {owner}")))?;
        w.because
            .get(k as usize)
            .ok_or_else(|| TestCaseError::fail(format!("proof {k} of {owner} out of range")))?
    };
    prop_assert_eq!(
        step.party(),
        owner,
        "a proof index points at its owner's step"
    );
    Ok(step.status())
}

/// Checks one step's arithmetic and the status of the proofs it points at.
fn check_step(
    step: &interdict::ownership::witness::Step,
    w: &interdict::ownership::witness::Witness,
    d: &RDoctrine,
) -> Result<(), TestCaseError> {
    use interdict::ownership::witness::Step as Witness;
    let threshold = d.threshold.map(|t| Decimal::new(t, 2));
    let reaches = |s: Decimal| match threshold {
        None => false,
        Some(t) => {
            if d.at_least {
                s >= t
            } else {
                s > t
            }
        }
    };
    match step {
        Witness::Designated { designations, .. } => {
            prop_assert!(
                designations.iter().any(|x| x.blocking),
                "a designated witness names a blocking designation"
            );
        }
        Witness::Owned {
            holdings,
            sum,
            counted_as,
            ..
        } => {
            let total: Decimal = holdings.iter().map(|h| pct(&h.counted)).sum();
            prop_assert_eq!(total, pct(sum), "the sum is the sum of the holdings shown");
            prop_assert!(reaches(total), "{} does not reach the threshold", sum);
            // Under a joint arrangement a member's holding counts whether or not the member is
            // blocked (each member holds the combined shares); elsewhere owners are blocked.
            let joint = counted_as
                .as_deref()
                .is_some_and(|c| c.starts_with("joint arrangement"));
            for h in holdings {
                let status = proof_of(w, h.proof, h.proof_is_head, &h.owner)?;
                if !joint {
                    prop_assert_eq!(status, "blocked", "a counted owner is blocked");
                }
            }
        }
        Witness::Controlled {
            controller,
            proof,
            proof_is_head,
            ..
        } => {
            prop_assert!(d.control_blocks);
            prop_assert_eq!(proof_of(w, *proof, *proof_is_head, controller)?, "blocked");
        }
        Witness::NotBlocked {
            sum,
            possible_sum,
            per_person,
            blocked_holdings,
            ..
        } => {
            prop_assert!(
                !reaches(pct(sum)),
                "a not-blocked sum {} reaches the threshold",
                sum
            );
            if let Some(p) = possible_sum {
                prop_assert!(
                    !reaches(pct(p)),
                    "a not-blocked possible sum {} reaches the threshold",
                    p
                );
            }
            for u in per_person {
                prop_assert!(!reaches(pct(&u.sum)));
            }
            for h in blocked_holdings {
                prop_assert_eq!(proof_of(w, h.proof, h.proof_is_head, &h.owner)?, "blocked");
            }
        }
        Witness::Undetermined {
            known_sum,
            possible_sum,
            deciding,
            undetermined_controllers,
            ..
        } => {
            prop_assert!(
                !reaches(pct(known_sum)),
                "undetermined, yet {} reaches",
                known_sum
            );
            prop_assert!(
                reaches(pct(possible_sum)) || !undetermined_controllers.is_empty(),
                "undetermined, yet {} cannot reach and no undetermined controller decides it",
                possible_sum
            );
            prop_assert!(
                !deciding.is_empty(),
                "an undetermined witness names what decides it"
            );
        }
    }
    Ok(())
}

/// Explains every party of `w` under `d` and checks each witness.
fn witnesses_hold(e: &Engine, w: &RWorld, d: &RDoctrine) -> Result<(), TestCaseError> {
    let rs = common::with_doctrine(&e.rs, e.doctrine(d));
    let world = e.world(w, &identity(w.n));
    let on = common::date("2025-03-03");
    let c = common::statuses(&rs, &world, on);
    for i in 0..w.n {
        let wit = interdict::ownership::witness::explain_in(
            &rs,
            &world,
            common::us(&rs),
            on,
            &c,
            PartyIdx(i as u32),
        );
        let want = if c.parties[pi(i)].blocked {
            "blocked"
        } else if c.parties[pi(i)].undetermined {
            "undetermined"
        } else {
            "not_blocked"
        };
        prop_assert_eq!(
            wit.status(),
            want,
            "p{} under {:?}: {}",
            i,
            d,
            interdict::report::witness::text(&wit)
        );
        let nodes = check_witness(&wit, d).map_err(|e| {
            TestCaseError::fail(format!(
                "{e} in the witness of p{i} under {d:?}: {} for {w:?}",
                interdict::report::witness::text(&wit)
            ))
        })?;
        prop_assert!(
            nodes <= 2 * w.n + 1,
            "a witness explains each party at most once"
        );
    }
    Ok(())
}

#[test]
fn witnesses_prove_their_statuses() {
    let e = Engine::new();
    let doctrines = all_doctrines();
    let mut runner = TestRunner::new(Config {
        cases: cases(512),
        ..Config::default()
    });
    let strategy = (world_strategy(GRID_BP, true, 3), 0..doctrines.len());
    runner
        .run(&strategy, |(w, k)| witnesses_hold(&e, &w, &doctrines[k]))
        .unwrap();
}

/// Found by `witnesses_prove_their_statuses`: p1 is blocked through the joint arrangement of
/// p0 and p2; p2's step (a member's) lists p1's blocked holding in p2, whose proof is the
/// head. The flat witness left that holding without any proof.
#[test]
fn a_cycle_back_through_a_joint_arrangement_points_at_the_head() {
    let e = Engine::new();
    let w = RWorld {
        persons: 1,
        n: 3,
        designated: vec![1, 0, 0],
        own: vec![
            (1, 2, RShare::Exact(0)),
            (2, 1, RShare::Exact(3_000)),
            (0, 1, RShare::Range(0, 1_000)),
        ],
        ctrl: Vec::new(),
        joints: vec![(vec![0, 2], 1)],
    };
    let d = RDoctrine {
        threshold: Some(2_500),
        at_least: true,
        aggregate: false,
        control_blocks: false,
        basis: None,
    };
    witnesses_hold(&e, &w, &d).unwrap();
    // And the head is named as such: p2's step points back at p1, the party explained.
    let rs = common::with_doctrine(&e.rs, e.doctrine(&d));
    let world = e.world(&w, &identity(w.n));
    let on = common::date("2025-03-03");
    let wit = interdict::ownership::witness::explain(&rs, &world, common::us(&rs), on, PartyIdx(1));
    assert_eq!(
        wit.status(),
        "blocked",
        "{}",
        interdict::report::witness::text(&wit)
    );
    let back: Vec<_> = wit
        .because
        .iter()
        .filter_map(|s| match s {
            interdict::ownership::witness::Step::NotBlocked {
                blocked_holdings, ..
            } => Some(blocked_holdings),
            _ => None,
        })
        .flatten()
        .filter(|h| h.owner == "p1")
        .collect();
    assert_eq!(back.len(), 1, "{wit:?}");
    assert!(back[0].proof_is_head && back[0].proof.is_none(), "{wit:?}");
}

/// The same kind of cycle closed by control: p1 is blocked through the joint arrangement of
/// p0 and p2; p2 is not blocked, but lists the holding of p3, which is blocked because p1
/// controls it; p3's step names p1's proof, the head.
#[test]
fn a_cycle_back_through_control_points_at_the_head() {
    let e = Engine::new();
    let w = RWorld {
        persons: 1,
        n: 4,
        designated: vec![1, 0, 0, 0],
        own: vec![
            (0, 1, RShare::Exact(1_000)),
            (2, 1, RShare::Exact(3_000)),
            (3, 2, RShare::Exact(1_000)),
        ],
        ctrl: vec![(1, 3, 0)],
        joints: vec![(vec![0, 2], 1)],
    };
    let d = RDoctrine {
        threshold: Some(2_500),
        at_least: true,
        aggregate: false,
        control_blocks: true,
        basis: None,
    };
    witnesses_hold(&e, &w, &d).unwrap();
    let rs = common::with_doctrine(&e.rs, e.doctrine(&d));
    let world = e.world(&w, &identity(w.n));
    let on = common::date("2025-03-03");
    let wit = interdict::ownership::witness::explain(&rs, &world, common::us(&rs), on, PartyIdx(1));
    assert_eq!(
        wit.status(),
        "blocked",
        "{}",
        interdict::report::witness::text(&wit)
    );
    let closes = wit.because.iter().any(|s| {
        matches!(
            s,
            interdict::ownership::witness::Step::Controlled {
                controller,
                proof: None,
                proof_is_head: true,
                ..
            } if controller == "p1"
        )
    });
    assert!(closes, "{wit:#?}");
}

/// Found by `witnesses_prove_their_statuses` with the head left without a proof: p1 is blocked
/// through the joint arrangement of p0 and p2, and p2, a member, is blocked because p1 controls
/// it: the member's step names the head directly.
#[test]
fn a_joint_member_controlled_by_the_party_explained_points_at_the_head() {
    let e = Engine::new();
    let w = RWorld {
        persons: 1,
        n: 3,
        designated: vec![1, 0, 0],
        own: vec![
            (0, 1, RShare::Exact(1_000)),
            (2, 1, RShare::Range(5_000, 6_000)),
        ],
        ctrl: vec![(1, 2, 0)],
        joints: vec![(vec![0, 2], 1)],
    };
    let d = RDoctrine {
        threshold: Some(5_000),
        at_least: false,
        aggregate: false,
        control_blocks: true,
        basis: None,
    };
    witnesses_hold(&e, &w, &d).unwrap();
}

/// The party at a position of the reference model (whose parties are positions).
fn pi(i: usize) -> PartyIdx {
    PartyIdx::try_from_usize(i).expect("a test world fits the index")
}
