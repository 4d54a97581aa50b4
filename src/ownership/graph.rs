//! The ownership and control edges in force on one date, as compressed adjacency rows.
//!
//! Built once per closure in O(V + E): a pass over the world's edges to count rows, a prefix
//! sum, a pass to fill them. Holdings are indexed by owner (the fixed points push from newly blocked owners
//! to what they hold); the lower bounds of every entity's holdings are summed per entity for
//! the 100% cap of the upper bound.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::model::ruleset::OwnershipDoctrine;
use crate::model::values::{Date, Share};
use crate::model::world::{OwnershipEdge, World};
use crate::model::{IndexVec, PartyIdx};

/// An ownership edge in force, from its owner's row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Holding {
    pub target: PartyIdx,
    pub lo: Decimal,
    pub hi: Decimal,
}

/// A control edge in force, from its controller's row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctrl {
    pub target: PartyIdx,
    /// Index into the world's control edges.
    pub edge: u32,
    /// The doctrine counts this edge's basis.
    pub counts: bool,
}

/// A holding into an entity under a joint arrangement (incoming rows are kept only for those).
#[derive(Debug, Clone, Copy)]
pub(crate) struct InHolding {
    pub owner: PartyIdx,
    pub lo: Decimal,
    pub hi: Decimal,
}

/// A joint arrangement in force.
#[derive(Debug, Clone)]
pub(crate) struct Joint {
    /// Index into the world's joint arrangements.
    pub index: usize,
    pub entity: PartyIdx,
    pub members: Vec<PartyIdx>,
    /// Holdings into `entity`.
    pub incoming: Vec<InHolding>,
}

pub(crate) struct Graph {
    own_start: Vec<u32>,
    own: Vec<Holding>,
    /// Per entity: the sum of the lower bounds of every holding in it.
    pub total_lo: IndexVec<PartyIdx, Decimal>,
    ctrl_start: Vec<u32>,
    ctrl: Vec<Ctrl>,
    pub joints: Vec<Joint>,
    /// Some share in force is a range or unknown (otherwise both bounds coincide).
    pub uncertain: bool,
}

/// Counting sort of `(row, item)` pairs into compressed rows: one pass to count, one to fill.
fn rows<T: Copy>(
    n: usize,
    items: impl Iterator<Item = (usize, T)> + Clone,
    fill: T,
) -> (Vec<u32>, Vec<T>) {
    let mut start = vec![0u32; n + 1];
    for (row, _) in items.clone() {
        if let Some(c) = start.get_mut(row + 1) {
            *c += 1;
        }
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut next = start.clone();
    let mut out = vec![fill; start.last().copied().unwrap_or(0) as usize];
    for (row, item) in items {
        if let Some(slot) = next.get_mut(row)
            && let Some(o) = out.get_mut(*slot as usize)
        {
            *o = item;
            *slot += 1;
        }
    }
    (start, out)
}

/// The ownership edges in force on `date`. Edges naming parties outside the world cannot come
/// from loading; they are ignored rather than indexed out of bounds.
fn ownership_in_force(
    world: &World,
    date: Date,
) -> impl Iterator<Item = &OwnershipEdge> + Clone + '_ {
    let n = world.parties.len();
    world
        .ownership
        .iter()
        .filter(move |e| e.owner.idx() < n && e.owned.idx() < n && e.in_force(date))
}

/// The holdings in force as rows by owner, with each entity's sum of lower bounds.
struct HoldingsByOwner {
    start: Vec<u32>,
    holdings: Vec<Holding>,
    total_lo: IndexVec<PartyIdx, Decimal>,
    uncertain: bool,
}

impl HoldingsByOwner {
    /// Two passes over the edges (they dominate the cost): count rows, sum each entity's lower
    /// bounds and note uncertain shares; then fill the rows.
    fn build(world: &World, date: Date) -> HoldingsByOwner {
        let n = world.parties.len();
        let mut start = vec![0u32; n + 1];
        let mut total_lo = IndexVec::filled_like(Decimal::ZERO, &world.parties);
        let mut uncertain = false;
        for e in ownership_in_force(world, date) {
            start[e.owner.idx() + 1] += 1;
            match e.share {
                Share::Exact(d) => total_lo[e.owned] += d,
                Share::Range(lo, _) => {
                    total_lo[e.owned] += lo;
                    uncertain = true;
                }
                Share::Unknown => uncertain = true,
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let empty = Holding {
            target: PartyIdx(0),
            lo: Decimal::ZERO,
            hi: Decimal::ZERO,
        };
        let mut holdings = vec![empty; start[n] as usize];
        for e in ownership_in_force(world, date) {
            let (lo, hi) = e.share.bounds();
            let slot = &mut next[e.owner.idx()];
            holdings[*slot as usize] = Holding {
                target: e.owned,
                lo,
                hi,
            };
            *slot += 1;
        }
        HoldingsByOwner {
            start,
            holdings,
            total_lo,
            uncertain,
        }
    }
}

/// The control edges in force as rows by controller, each marked with whether the doctrine
/// counts its basis.
fn control_rows(world: &World, date: Date, doctrine: &OwnershipDoctrine) -> (Vec<u32>, Vec<Ctrl>) {
    let n = world.parties.len();
    let live =
        world.control.iter().enumerate().filter(move |(_, e)| {
            e.controller.idx() < n && e.controlled.idx() < n && e.in_force(date)
        });
    rows(
        n,
        live.map(|(i, e)| {
            let counts =
                doctrine.control_bases.is_empty() || doctrine.control_bases.contains(e.basis.idx());
            (
                e.controller.idx(),
                Ctrl {
                    target: e.controlled,
                    edge: i as u32,
                    counts,
                },
            )
        }),
        Ctrl {
            target: PartyIdx(0),
            edge: 0,
            counts: false,
        },
    )
}

/// The joint arrangements in force, each with the holdings into its entity.
fn joints_in_force(world: &World, date: Date) -> Vec<Joint> {
    let n = world.parties.len();
    let mut joints: Vec<Joint> = world
        .joint_arrangements
        .iter()
        .enumerate()
        .filter(|(_, j)| j.entity.idx() < n && j.in_force(date))
        .map(|(index, j)| Joint {
            index,
            entity: j.entity,
            members: j.members.clone(),
            incoming: Vec::new(),
        })
        .collect();
    if joints.is_empty() {
        return joints;
    }
    // Incoming holdings of the arrangements' entities only: O(E + J) with an index.
    let mut by_entity: HashMap<PartyIdx, Vec<usize>> = HashMap::new();
    for (k, j) in joints.iter().enumerate() {
        by_entity.entry(j.entity).or_default().push(k);
    }
    for e in ownership_in_force(world, date) {
        let Some(ks) = by_entity.get(&e.owned) else {
            continue;
        };
        let (lo, hi) = e.share.bounds();
        for &k in ks {
            if let Some(j) = joints.get_mut(k) {
                j.incoming.push(InHolding {
                    owner: e.owner,
                    lo,
                    hi,
                });
            }
        }
    }
    joints
}

impl Graph {
    pub fn build(world: &World, date: Date, doctrine: &OwnershipDoctrine) -> Graph {
        let owned = HoldingsByOwner::build(world, date);
        let (ctrl_start, ctrl) = control_rows(world, date, doctrine);
        Graph {
            own_start: owned.start,
            own: owned.holdings,
            total_lo: owned.total_lo,
            ctrl_start,
            ctrl,
            joints: joints_in_force(world, date),
            uncertain: owned.uncertain,
        }
    }

    // Rows are read by direct index: every owner and controller passed here is a party of
    // the graph's world (a target of a row, or a position below `len`), and the rows are
    // prefix sums of that world's edges, so a construction bug fails a test instead of
    // quietly reading an empty row.
    pub fn holdings(&self, owner: PartyIdx) -> &[Holding] {
        let o = owner.idx();
        &self.own[self.own_start[o] as usize..self.own_start[o + 1] as usize]
    }

    pub fn controls(&self, controller: PartyIdx) -> &[Ctrl] {
        let c = controller.idx();
        &self.ctrl[self.ctrl_start[c] as usize..self.ctrl_start[c + 1] as usize]
    }

    /// The lower bounds of `target`'s holdings by owners outside the counted set, given the
    /// counted set's own lower bounds `counted_lo`.
    pub fn rest_lo(&self, target: PartyIdx, counted_lo: Decimal) -> Decimal {
        self.total_lo[target] - counted_lo
    }
}

/// The largest share a set of holders can have in an entity: the sum of their upper bounds,
/// but never more than what the other holders' lower bounds leave of 100%. Never below the
/// set's own lower bounds (which only matters for a world whose holdings already exceed 100%,
/// something loading rejects).
pub(crate) fn capped(hi_sum: Decimal, lo_sum: Decimal, rest_lo: Decimal) -> Decimal {
    let room = Decimal::ONE_HUNDRED - rest_lo;
    hi_sum.min(room).max(lo_sum)
}
