//! Ownership and control doctrines: which parties are blocked because blocked persons own or
//! control them, computed to a fixed point over the whole graph as of a date.
//!
//! The doctrine is data (`[jurisdiction.ownership]` in a pack): threshold, `>=` or `>`,
//! whether holdings of different blocked persons aggregate, and what control does.
//!
//! Algorithm. Let `F(S)` be "directly blocked, or the blocked holdings in S reach the
//! threshold". `F` is monotone, so its *least* fixed point from the directly blocked set is
//! well defined, handles cycles (a ring of non-blocked companies owning each other never
//! blocks itself), and is reached by a worklist: each edge is looked at once, when its owner
//! becomes blocked. Holdings are never multiplied along a chain: a blocked intermediary's whole
//! holding counts (OFAC FAQ 401), and non-blocked intermediaries pass nothing on.
//!
//! Unknown and ranged shares: the fixed point is computed twice, once with every share at its
//! lower bound and once at its upper bound. Any exact completion of the shares lies between
//! the two (the operator is monotone in the shares), so a party blocked at the lower bounds is
//! blocked in every completion, one not blocked at the upper bounds is blocked in none, and any
//! other party is `undetermined` (each bound is itself a completion, so the answer is exact).
//!
//! Cost: building the adjacency of edges in force is O(E); each fixed point is O(V + E)
//! for aggregating doctrines, and O((V + E) * r) for non-aggregating ones, where r is the
//! number of designated "roots" whose holdings reach a party (small in practice).

pub mod witness;

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;

use crate::model::ruleset::{Aggregation, ControlEffect, OwnershipDoctrine, RuleSet};
use crate::model::values::Date;
use crate::model::world::World;
use crate::model::{Bits, JurisdictionIdx, PartyIdx};

/// How a party came to be blocked (for explanations).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Via {
    #[default]
    None,
    Designated,
    /// The aggregate of blocked holdings reached the threshold.
    Holdings,
    /// The holdings attributed to one designated person (non-aggregating doctrines).
    Unit(PartyIdx),
    /// The holdings under a joint arrangement (index into the world's arrangements).
    Joint(usize),
    /// Control by a blocked person (index into the world's control edges).
    Control(usize),
}

/// One party's result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Node {
    pub blocked: bool,
    pub undetermined: bool,
    pub grounds: Bits,
    pub minority_blocked: bool,
    pub controlled_by_blocked: bool,
    /// The fixed-point round in which the party was blocked (0: designated).
    pub round: u32,
    pub via: Via,
}

#[derive(Debug, Clone, Default)]
pub struct Closure {
    pub parties: Vec<Node>,
}

/// An edge in force, with its share bounds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Holding {
    pub target: u32,
    pub lo: Decimal,
    pub hi: Decimal,
}

/// Adjacency of the ownership and control edges in force on a date (compressed rows).
pub(crate) struct Graph {
    pub own_start: Vec<u32>,
    pub own: Vec<Holding>,
    pub ctrl_start: Vec<u32>,
    /// (controlled, control edge index, basis counts for the doctrine)
    pub ctrl: Vec<(u32, u32, bool)>,
    /// Joint arrangements in force, by entity.
    pub joint_by_entity: HashMap<u32, Vec<usize>>,
}

impl Graph {
    pub fn build(world: &World, date: Date, doctrine: &OwnershipDoctrine) -> Graph {
        let n = world.parties.len();
        let mut own_count = vec![0u32; n + 1];
        for e in world.ownership.iter().filter(|e| e.in_force(date)) {
            if let Some(c) = own_count.get_mut(e.owner.idx() + 1) {
                *c += 1;
            }
        }
        for i in 1..own_count.len() {
            own_count[i] += own_count[i - 1];
        }
        let mut fill = own_count.clone();
        let total = own_count.last().copied().unwrap_or(0) as usize;
        let mut own = vec![
            Holding {
                target: 0,
                lo: Decimal::ZERO,
                hi: Decimal::ZERO
            };
            total
        ];
        for e in world.ownership.iter().filter(|e| e.in_force(date)) {
            let (lo, hi) = e.share.bounds();
            let slot = &mut fill[e.owner.idx()];
            if let Some(h) = own.get_mut(*slot as usize) {
                *h = Holding {
                    target: e.owned.0,
                    lo,
                    hi,
                };
            }
            *slot += 1;
        }
        let mut ctrl_count = vec![0u32; n + 1];
        for e in world.control.iter().filter(|e| e.in_force(date)) {
            if let Some(c) = ctrl_count.get_mut(e.controller.idx() + 1) {
                *c += 1;
            }
        }
        for i in 1..ctrl_count.len() {
            ctrl_count[i] += ctrl_count[i - 1];
        }
        let mut cfill = ctrl_count.clone();
        let ctotal = ctrl_count.last().copied().unwrap_or(0) as usize;
        let mut ctrl = vec![(0u32, 0u32, false); ctotal];
        for (i, e) in world
            .control
            .iter()
            .enumerate()
            .filter(|(_, e)| e.in_force(date))
        {
            let counts =
                doctrine.control_bases.is_empty() || doctrine.control_bases.contains(e.basis);
            let slot = &mut cfill[e.controller.idx()];
            if let Some(c) = ctrl.get_mut(*slot as usize) {
                *c = (e.controlled.0, i as u32, counts);
            }
            *slot += 1;
        }
        let mut joint_by_entity: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, ja) in world
            .joint_arrangements
            .iter()
            .enumerate()
            .filter(|(_, j)| j.in_force(date))
        {
            joint_by_entity.entry(ja.entity.0).or_default().push(i);
        }
        Graph {
            own_start: own_count,
            own,
            ctrl_start: ctrl_count,
            ctrl,
            joint_by_entity,
        }
    }

    pub fn holdings(&self, owner: usize) -> &[Holding] {
        let a = self.own_start.get(owner).copied().unwrap_or(0) as usize;
        let b = self.own_start.get(owner + 1).copied().unwrap_or(0) as usize;
        self.own.get(a..b).unwrap_or(&[])
    }

    pub fn controls(&self, controller: usize) -> &[(u32, u32, bool)] {
        let a = self.ctrl_start.get(controller).copied().unwrap_or(0) as usize;
        let b = self.ctrl_start.get(controller + 1).copied().unwrap_or(0) as usize;
        self.ctrl.get(a..b).unwrap_or(&[])
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    Lo,
    Hi,
}

pub(crate) struct Fixpoint {
    pub blocked: Vec<bool>,
    pub round: Vec<u32>,
    pub via: Vec<Via>,
}

/// Compute the doctrine of `j` over `world` on `date`, given each party's designations.
pub fn closure(
    rs: &RuleSet,
    world: &World,
    j: JurisdictionIdx,
    date: Date,
    designated: &[Bits],
    blocking: Bits,
) -> Closure {
    let Some(jur) = rs.jurisdictions.get(j.idx()) else {
        return Closure {
            parties: vec![Node::default(); world.parties.len()],
        };
    };
    let doctrine = &jur.doctrine;
    let graph = Graph::build(world, date, doctrine);
    let direct: Vec<bool> = designated.iter().map(|d| d.intersects(blocking)).collect();
    let lo = fixpoint(doctrine, world, &graph, &direct, Bound::Lo);
    let hi = fixpoint(doctrine, world, &graph, &direct, Bound::Hi);
    let n = world.parties.len();
    let mut parties: Vec<Node> = (0..n)
        .map(|i| {
            let blocked = lo.blocked.get(i).copied().unwrap_or(false);
            Node {
                blocked,
                undetermined: !blocked && hi.blocked.get(i).copied().unwrap_or(false),
                grounds: if direct.get(i).copied().unwrap_or(false) {
                    designated
                        .get(i)
                        .copied()
                        .unwrap_or_default()
                        .intersection(blocking)
                } else {
                    Bits::EMPTY
                },
                minority_blocked: false,
                controlled_by_blocked: false,
                round: lo.round.get(i).copied().unwrap_or(0),
                via: lo.via.get(i).copied().unwrap_or_default(),
            }
        })
        .collect();
    propagate_grounds(&graph, &mut parties);
    // Flags for parties that are not blocked.
    for owner in 0..n {
        let owner_blocked = parties.get(owner).is_some_and(|p| p.blocked);
        if !owner_blocked {
            continue;
        }
        for h in graph.holdings(owner) {
            if let Some(t) = parties.get_mut(h.target as usize)
                && !t.blocked
                && h.hi > Decimal::ZERO
            {
                t.minority_blocked = true;
            }
        }
        for &(c, _, _) in graph.controls(owner) {
            if let Some(t) = parties.get_mut(c as usize)
                && !t.blocked
            {
                t.controlled_by_blocked = true;
            }
        }
    }
    Closure { parties }
}

/// Grounds of a blocked entity beyond its own designations: the programs of every blocked owner
/// or controller with a stake in it (least fixed point of the union). A designated entity keeps
/// them too: its own designation does not unblock what its owners' programs block.
fn propagate_grounds(graph: &Graph, parties: &mut [Node]) {
    let mut queue: Vec<usize> = (0..parties.len())
        .filter(|&i| parties[i].blocked && !parties[i].grounds.is_empty())
        .collect();
    while let Some(o) = queue.pop() {
        let g = parties[o].grounds;
        let targets = graph
            .holdings(o)
            .iter()
            .filter(|h| h.hi > Decimal::ZERO)
            .map(|h| h.target as usize)
            .chain(graph.controls(o).iter().map(|c| c.0 as usize));
        for t in targets.collect::<Vec<_>>() {
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

pub(crate) fn fixpoint(
    doctrine: &OwnershipDoctrine,
    world: &World,
    graph: &Graph,
    direct: &[bool],
    bound: Bound,
) -> Fixpoint {
    match doctrine.aggregation {
        Aggregation::All => fixpoint_aggregate(doctrine, graph, direct, bound),
        Aggregation::JointArrangementOnly => fixpoint_units(doctrine, world, graph, direct, bound),
    }
}

fn share(h: &Holding, bound: Bound) -> Decimal {
    match bound {
        Bound::Lo => h.lo,
        Bound::Hi => h.hi,
    }
}

/// Aggregating doctrines (U.S., EU): sum the holdings of all blocked owners.
fn fixpoint_aggregate(
    doctrine: &OwnershipDoctrine,
    graph: &Graph,
    direct: &[bool],
    bound: Bound,
) -> Fixpoint {
    let n = direct.len();
    let mut blocked = direct.to_vec();
    let mut round = vec![0u32; n];
    let mut via: Vec<Via> = direct
        .iter()
        .map(|&d| if d { Via::Designated } else { Via::None })
        .collect();
    let mut sum = vec![Decimal::ZERO; n];
    let mut layer: Vec<usize> = (0..n).filter(|&i| direct[i]).collect();
    let mut r = 0u32;
    let control_blocks = doctrine.control == ControlEffect::Blocks;
    while !layer.is_empty() {
        let mut next = Vec::new();
        for &o in &layer {
            for h in graph.holdings(o) {
                let t = h.target as usize;
                if blocked[t] {
                    continue;
                }
                sum[t] += share(h, bound);
                if doctrine.reaches(sum[t]) {
                    blocked[t] = true;
                    round[t] = r + 1;
                    via[t] = Via::Holdings;
                    next.push(t);
                }
            }
            if control_blocks {
                for &(c, edge, counts) in graph.controls(o) {
                    let c = c as usize;
                    if counts && !blocked[c] {
                        blocked[c] = true;
                        round[c] = r + 1;
                        via[c] = Via::Control(edge as usize);
                        next.push(c);
                    }
                }
            }
        }
        layer = next;
        r += 1;
    }
    Fixpoint {
        blocked,
        round,
        via,
    }
}

/// Non-aggregating doctrines (UK): holdings count per designated person ("root"), together
/// with the holdings of entities that person owns or controls, and per joint arrangement.
fn fixpoint_units(
    doctrine: &OwnershipDoctrine,
    world: &World,
    graph: &Graph,
    direct: &[bool],
    bound: Bound,
) -> Fixpoint {
    let n = direct.len();
    let mut blocked = direct.to_vec();
    let mut round = vec![0u32; n];
    let mut via: Vec<Via> = direct
        .iter()
        .map(|&d| if d { Via::Designated } else { Via::None })
        .collect();
    let mut roots: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut unit_sum: HashMap<(u32, u32), Decimal> = HashMap::new();
    let mut joint_sum: HashMap<usize, Decimal> = HashMap::new();
    let mut joint_counted: HashSet<(usize, u32)> = HashSet::new();
    let mut layer: Vec<(usize, u32)> = Vec::new();
    for i in 0..n {
        if direct[i] {
            roots[i].push(i as u32);
            layer.push((i, i as u32));
        }
    }
    let control_blocks = doctrine.control == ControlEffect::Blocks;
    let mut r = 0u32;
    while !layer.is_empty() {
        let mut next: Vec<(usize, u32)> = Vec::new();
        for &(p, root) in &layer {
            for h in graph.holdings(p) {
                let t = h.target as usize;
                let s = unit_sum.entry((root, h.target)).or_insert(Decimal::ZERO);
                *s += share(h, bound);
                if doctrine.reaches(*s) {
                    if !blocked[t] {
                        blocked[t] = true;
                        round[t] = r + 1;
                        via[t] = Via::Unit(PartyIdx(root));
                    }
                    if !roots[t].contains(&root) {
                        roots[t].push(root);
                        next.push((t, root));
                    }
                }
                if let Some(jas) = graph.joint_by_entity.get(&h.target) {
                    for &ja in jas {
                        let members = world
                            .joint_arrangements
                            .get(ja)
                            .map(|j| j.members.as_slice())
                            .unwrap_or(&[]);
                        if members.iter().any(|m| m.0 == root)
                            && joint_counted.insert((ja, p as u32))
                        {
                            let js = joint_sum.entry(ja).or_insert(Decimal::ZERO);
                            *js += share(h, bound);
                            if doctrine.reaches(*js) {
                                if !blocked[t] {
                                    blocked[t] = true;
                                    round[t] = r + 1;
                                    via[t] = Via::Joint(ja);
                                }
                                // The joint holding is every member's: the entity counts with
                                // the unit of each designated member, not only the one whose
                                // holding happened to be added last.
                                for m in members {
                                    if direct.get(m.idx()).copied().unwrap_or(false)
                                        && !roots[t].contains(&m.0)
                                    {
                                        roots[t].push(m.0);
                                        next.push((t, m.0));
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // A controlled party's holdings are attributed to its controller's roots; where
            // the doctrine says control blocks, the controlled party is blocked too.
            for &(c, edge, counts) in graph.controls(p) {
                let c = c as usize;
                if control_blocks && counts && !blocked[c] {
                    blocked[c] = true;
                    round[c] = r + 1;
                    via[c] = Via::Control(edge as usize);
                }
                if counts && control_blocks && !roots[c].contains(&root) {
                    roots[c].push(root);
                    next.push((c, root));
                }
            }
        }
        layer = next;
        r += 1;
    }
    Fixpoint {
        blocked,
        round,
        via,
    }
}
