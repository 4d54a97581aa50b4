//! Ownership and control doctrines: which parties are blocked because blocked persons own or
//! control them, computed to a fixed point over the whole graph as of a date.
//!
//! The doctrine is data (`[jurisdiction.ownership]` in a pack): a threshold (or none), `>=` or
//! `>`, whether holdings of different blocked persons aggregate (`all`) or count per designated
//! person (`joint_arrangement_only`), whether control blocks or is only a flag, and which
//! control bases count. docs/ownership.md documents each parameter with its sources.
//!
//! Fixed point. Let `F(S)` be "directly blocked, or the blocked holdings in S reach the
//! threshold (or control by a member of S blocks)". `F` is monotone, so its *least* fixed point
//! from the directly blocked set is well defined and handles cycles: a ring of non-blocked
//! companies owning each other never blocks itself. Holdings are never multiplied along a
//! chain: a blocked intermediary's whole holding counts (OFAC FAQ 401), and non-blocked
//! intermediaries pass nothing on. `aggregate.rs` and `units.rs` compute it by worklists.
//!
//! Unknown and ranged shares. The fixed point is computed twice: with every share at its lower
//! bound, and with every blocked holding at its upper bound capped by what the other holders'
//! lower bounds leave of 100% (a holder of an unknown share next to a 60% holder holds at
//! most 40%). Every valid completion of the shares (each within its bounds, each entity's
//! holdings at most 100%) lies between the two, because the operator is monotone in the shares;
//! so a party blocked at the lower bounds is blocked in every completion, one not blocked at
//! the upper bounds is blocked in none, and any other party is `undetermined`. For aggregating
//! doctrines the answer is exact: the lower bounds are a completion, and filling each entity's
//! free share in the order its owners became blocked is a completion reaching the upper fixed
//! point. Where every share is exact the two coincide and the second pass is skipped.
//!
//! Cost: building the graph is O(V + E); each fixed point is O(V + E) for aggregating
//! doctrines and O((V + E) * u) for non-aggregating ones, u being the number of designated
//! persons a party's holdings count for (1 or 2 in practice); grounds and flags are O(V + E).
//! Status tables are computed once per world, jurisdiction and epoch (`status.rs`).

mod aggregate;
mod graph;
pub mod status;
mod units;
pub mod witness;

use std::sync::OnceLock;

use rust_decimal::Decimal;

use crate::model::ruleset::{Aggregation, ControlEffect, OwnershipDoctrine, RuleSet};
use crate::model::values::Date;
use crate::model::world::World;
use crate::model::{Bits, IndexVec, JurisdictionIdx, PartyIdx};
use graph::Graph;

/// How a party came to be blocked (for explanations).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Via {
    /// Not blocked.
    #[default]
    None,
    /// By its own designation.
    Designated,
    /// The aggregate of blocked holdings reached the threshold.
    Holdings,
    /// The holdings attributed to one designated person (non-aggregating doctrines).
    Unit(PartyIdx),
    /// The holdings under a joint arrangement (index into the world's arrangements).
    Joint(u32),
    /// Control by a blocked person (index into the world's control edges).
    Control(u32),
}

/// Per party: the designated persons whose units it belongs to (non-aggregating doctrines),
/// each with the fixed-point round in which it joined.
pub(crate) type Units = IndexVec<PartyIdx, Vec<(PartyIdx, u32)>>;

/// One party's result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Node {
    /// Blocked in every completion of the shares (designated, or caught by the doctrine).
    pub blocked: bool,
    /// Blocked in some completions of unknown or ranged shares and not in others.
    pub undetermined: bool,
    /// The blocking programs that ground the block (see [`closure`]).
    pub grounds: Bits,
    /// Neither blocked nor undetermined, and a blocked person holds a (possibly) non-zero
    /// share of it: below the threshold in every completion.
    pub minority_blocked: bool,
    /// Not blocked, and a blocked person controls it (on any basis).
    pub controlled_by_blocked: bool,
    /// The fixed-point round in which the party was blocked (0: designated).
    pub round: u32,
    /// How it came to be blocked.
    pub via: Via,
}

/// Every party's result in one jurisdiction on one date.
#[derive(Debug, Clone, Default)]
pub struct Closure {
    /// Each party's result.
    pub parties: IndexVec<PartyIdx, Node>,
    /// Non-aggregating doctrines: for each party, the designated persons whose holdings it
    /// counts for, with the round it joined, at the lower and at the upper bounds. Empty for
    /// aggregating doctrines.
    pub(crate) units_lo: Units,
    units_hi: Units,
    /// What explanations look up per party, built on the first explanation.
    pub(crate) index: OnceLock<witness::Index>,
}

impl Closure {
    /// The units at the upper bounds (the lower bounds' when every share is exact).
    pub(crate) fn units_hi(&self) -> &Units {
        if self.units_hi.is_empty() {
            &self.units_lo
        } else {
            &self.units_hi
        }
    }

    /// Blocked at the upper bounds (blocked or undetermined).
    pub fn possibly_blocked(&self, p: PartyIdx) -> bool {
        self.parties
            .get(p)
            .is_some_and(|n| n.blocked || n.undetermined)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Bound {
    Lo,
    Hi,
}

pub(crate) struct Fixpoint {
    pub blocked: IndexVec<PartyIdx, bool>,
    /// Lower bound only (empty for the upper bound).
    pub round: IndexVec<PartyIdx, u32>,
    /// Lower bound only (empty for the upper bound).
    pub via: IndexVec<PartyIdx, Via>,
    /// Non-aggregating doctrines only: see [`Closure`].
    pub units: Units,
}

fn fixpoint(
    doctrine: &OwnershipDoctrine,
    graph: &Graph,
    direct: &IndexVec<PartyIdx, bool>,
    bound: Bound,
) -> Fixpoint {
    match doctrine.aggregation {
        Aggregation::All => aggregate::fixpoint(doctrine, graph, direct, bound),
        Aggregation::JointArrangementOnly => units::fixpoint(doctrine, graph, direct, bound),
    }
}

/// Compute the doctrine of `j` over `world` on `date`, given each party's designations in
/// force (`designated`, by party) and the programs of `j` that block.
///
/// Grounds: a designated party's are its own blocking programs. A party blocked by an
/// aggregating doctrine takes the grounds of every blocked owner with a non-zero (upper-bound)
/// share in it and, where control blocks, of every blocked controller on a counted basis
/// (least fixed point of the union). A party blocked by a non-aggregating doctrine takes the
/// grounds of the designated persons whose unit it belongs to.
pub fn closure(
    rs: &RuleSet,
    world: &World,
    j: JurisdictionIdx,
    date: Date,
    designated: &[Bits],
    blocking: Bits,
) -> Closure {
    let jur = &rs.jurisdictions[j];
    let doctrine = jur.doctrine_on(date);
    let graph = Graph::build(world, date, doctrine);
    let direct = world.parties.map_enumerated(|i, _| {
        designated
            .get(i.idx())
            .is_some_and(|d| d.intersects(blocking))
    });
    let lo = fixpoint(doctrine, &graph, &direct, Bound::Lo);
    let hi = graph
        .uncertain
        .then(|| fixpoint(doctrine, &graph, &direct, Bound::Hi));
    let hi_blocked = hi.as_ref().map_or(&lo.blocked, |h| &h.blocked);
    let mut parties = direct.map_enumerated(|i, &d| {
        let blocked = lo.blocked[i];
        Node {
            blocked,
            undetermined: !blocked && hi_blocked[i],
            grounds: if d {
                designated
                    .get(i.idx())
                    .copied()
                    .unwrap_or_default()
                    .intersection(blocking)
            } else {
                Bits::EMPTY
            },
            minority_blocked: false,
            controlled_by_blocked: false,
            round: lo.round[i],
            via: lo.via[i],
        }
    });
    match doctrine.aggregation {
        Aggregation::All => propagate_grounds(doctrine, &graph, &mut parties),
        Aggregation::JointArrangementOnly => unit_grounds(&lo.units, &mut parties),
    }
    flag_minorities(&graph, &mut parties);
    // Without uncertain shares the bounds coincide: `units_hi` stays empty and readers use
    // `units_lo` (see `Closure::units_hi`).
    let units_hi = hi.map(|h| h.units).unwrap_or_default();
    Closure {
        parties,
        units_lo: lo.units,
        units_hi,
        index: OnceLock::new(),
    }
}

/// Aggregating doctrines: the union of the grounds of blocked owners and counted controllers.
fn propagate_grounds(
    doctrine: &OwnershipDoctrine,
    graph: &Graph,
    parties: &mut IndexVec<PartyIdx, Node>,
) {
    let control_blocks = doctrine.control == ControlEffect::Blocks;
    // Every blocked party, designated or not, takes the grounds of its blocked owners with a
    // stake and of its counted blocked controllers: an SDN under Global Magnitsky that a
    // Kingpin target also owns holds property in which the Kingpin target has an interest.
    let mut queue: Vec<PartyIdx> = parties
        .indices()
        .filter(|&i| parties[i].blocked && !parties[i].grounds.is_empty())
        .collect();
    while let Some(o) = queue.pop() {
        let g = parties[o].grounds;
        let owned = graph
            .holdings(o)
            .iter()
            .filter(|h| h.hi > Decimal::ZERO)
            .map(|h| h.target);
        let controlled = graph
            .controls(o)
            .iter()
            .filter(|c| control_blocks && c.counts)
            .map(|c| c.target);
        for t in owned.chain(controlled) {
            if let Some(node) = parties.get_mut(t)
                && node.blocked
                && !g.is_subset(node.grounds)
            {
                node.grounds = node.grounds.union(g);
                queue.push(t);
            }
        }
    }
}

/// Non-aggregating doctrines: the grounds of the designated persons a party counts for.
fn unit_grounds(units: &Units, parties: &mut IndexVec<PartyIdx, Node>) {
    // The designated persons' own grounds, read before any party gains others: a designated
    // party whose holdings also count for another designated person is blocked under that
    // person's programs too.
    let direct = parties.map(|p| p.grounds);
    for (i, node) in parties.iter_enumerated_mut() {
        if !node.blocked {
            continue;
        }
        let g = units
            .get(i)
            .into_iter()
            .flatten()
            .filter_map(|&(root, _)| direct.get(root).copied())
            .fold(Bits::EMPTY, Bits::union);
        node.grounds = node.grounds.union(g);
    }
}

/// Flags on parties that are not blocked: a blocked person holds part of them (only where the
/// holdings are below the threshold in every completion; undetermined is its own status) or
/// controls them.
fn flag_minorities(graph: &Graph, parties: &mut IndexVec<PartyIdx, Node>) {
    for owner in parties.indices() {
        if !parties[owner].blocked {
            continue;
        }
        for h in graph.holdings(owner) {
            if let Some(t) = parties.get_mut(h.target)
                && !t.blocked
                && !t.undetermined
                && h.hi > Decimal::ZERO
            {
                t.minority_blocked = true;
            }
        }
        for c in graph.controls(owner) {
            if let Some(t) = parties.get_mut(c.target)
                && !t.blocked
            {
                t.controlled_by_blocked = true;
            }
        }
    }
}
