//! The step of one party: the facts behind its status, naming the proofs of the owners and
//! controllers it rests on (numbered by [`Proofs`]), never building them itself.

use rust_decimal::Decimal;

use super::pct;
use super::{DesignationFact, HoldingFact, Index, Proofs, Step, UnitSum};
use crate::model::ruleset::{Aggregation, ControlEffect, OwnershipDoctrine, RuleSet};
use crate::model::values::Share;
use crate::model::world::{ControlEdge, JointArrangement, OwnershipEdge, World};
use crate::model::{Bits, PartyIdx};
use crate::ownership::{Closure, Node, Units, Via};

pub(super) struct Ctx<'a> {
    pub rs: &'a RuleSet,
    pub world: &'a World,
    pub blocking: Bits,
    pub closure: &'a Closure,
    pub doctrine: &'a OwnershipDoctrine,
    pub index: &'a Index,
    /// The doctrine's threshold in words, written once per witness rather than once a step.
    pub threshold: Option<String>,
}

pub(super) fn name(world: &World, p: PartyIdx) -> String {
    world.parties[p].id.clone()
}

/// Does a unit list contain `root`, joined before `round`?
fn in_unit(units: &Units, p: PartyIdx, root: PartyIdx, before: u32) -> bool {
    units
        .get(p)
        .is_some_and(|u| u.iter().any(|&(r, at)| r == root && at < before))
}

impl Ctx<'_> {
    fn node(&self, p: PartyIdx) -> Node {
        self.closure.parties[p]
    }

    fn designations(&self, p: PartyIdx) -> Vec<DesignationFact> {
        let mut v: Vec<DesignationFact> = self
            .index
            .designations
            .get(p.idx())
            .iter()
            .filter_map(|&i| self.world.designations.get(i as usize))
            .map(|d| DesignationFact {
                program: self.rs.programs[d.program].id.clone(),
                listed: d.listed,
                delisted: d.delisted,
                source: d.source.clone(),
                date_assumed: d.date_assumed,
                blocking: self.blocking.contains(d.program.idx()),
            })
            .collect();
        v.sort_by(|a, b| a.program.cmp(&b.program));
        v
    }

    fn threshold(&self) -> Option<String> {
        self.threshold.clone()
    }

    /// Ownership edges in force into `p`, in world order.
    fn incoming(&self, p: PartyIdx) -> impl Iterator<Item = &OwnershipEdge> + '_ {
        self.index
            .incoming
            .get(p.idx())
            .iter()
            .filter_map(|&i| self.world.ownership.get(i as usize))
    }

    /// Control edges in force over `p`, in world order.
    fn controllers(&self, p: PartyIdx) -> impl Iterator<Item = &ControlEdge> + '_ {
        self.index
            .controllers
            .get(p.idx())
            .iter()
            .filter_map(|&i| self.world.control.get(i as usize))
    }

    /// Joint arrangements in force over `p`, in world order.
    fn joints(&self, p: PartyIdx) -> impl Iterator<Item = &JointArrangement> + '_ {
        self.index
            .joints
            .get(p.idx())
            .iter()
            .filter_map(|&i| self.world.joint_arrangements.get(i as usize))
    }

    /// Holdings in the order a proof reads best and independent of the input's order: owners
    /// blocked later (whose own proofs are longer) first, then by owner id.
    fn in_proof_order<'e>(&self, mut edges: Vec<&'e OwnershipEdge>) -> Vec<&'e OwnershipEdge> {
        edges.sort_by(|a, b| {
            let key = |e: &OwnershipEdge| std::cmp::Reverse(self.node(e.owner).round);
            key(a).cmp(&key(b)).then_with(|| {
                self.id(a.owner)
                    .cmp(self.id(b.owner))
                    .then_with(|| a.from.cmp(&b.from))
            })
        });
        edges
    }

    fn id(&self, p: PartyIdx) -> &str {
        self.world.parties[p].id.as_str()
    }

    fn holding(&self, e: &OwnershipEdge, proofs: &mut Proofs) -> HoldingFact {
        let at = proofs.proof(e.owner);
        let share = e.share.to_string();
        // An exact share is counted whole, and reads the same.
        let counted = match e.share {
            Share::Exact(_) => share.clone(),
            _ => pct(e.share.bounds().0),
        };
        HoldingFact {
            owner: name(self.world, e.owner),
            share,
            counted,
            recorded_at: e.loc.to_string(),
            proof: at.index(),
            proof_is_head: at.is_head(),
        }
    }

    /// `p`'s own step.
    pub fn step(&self, p: PartyIdx, proofs: &mut Proofs) -> Step {
        let node = self.node(p);
        let party = name(self.world, p);
        if node.blocked {
            return self.blocked(p, node, party, proofs);
        }
        if node.undetermined {
            return self.undetermined(p, party);
        }
        self.not_blocked(p, party, proofs)
    }

    fn blocked(&self, p: PartyIdx, node: Node, party: String, proofs: &mut Proofs) -> Step {
        match node.via {
            Via::Control(e) => match self.world.control.get(e as usize) {
                Some(c) => self.controlled(c, party, proofs),
                None => Step::Designated {
                    party,
                    designations: self.designations(p),
                },
            },
            Via::Holdings | Via::Unit(_) | Via::Joint(_) => self.owned(p, node, party, proofs),
            Via::Designated | Via::None => Step::Designated {
                party,
                designations: self.designations(p),
            },
        }
    }

    /// Blocked through control edge `c` by a blocked controller.
    fn controlled(&self, c: &ControlEdge, party: String, proofs: &mut Proofs) -> Step {
        let at = proofs.proof(c.controller);
        Step::Controlled {
            party,
            controller: name(self.world, c.controller),
            basis: self
                .rs
                .vocabulary
                .control_bases
                .get(c.basis)
                .map(|t| t.id.clone())
                .unwrap_or_default(),
            recorded_at: c.loc.to_string(),
            proof: at.index(),
            proof_is_head: at.is_head(),
        }
    }

    /// Blocked by holdings that reach the threshold: the holdings counted and their sum.
    fn owned(&self, p: PartyIdx, node: Node, party: String, proofs: &mut Proofs) -> Step {
        let edges = self.in_proof_order(
            self.incoming(p)
                .filter(|e| self.counts_for(node, e.owner))
                .collect(),
        );
        let sum: Decimal = edges.iter().map(|e| e.share.bounds().0).sum();
        let holdings: Vec<HoldingFact> = edges.iter().map(|e| self.holding(e, proofs)).collect();
        // One holding's sum is what it counts (written once, not formatted again).
        let sum = match &holdings[..] {
            [one] => one.counted.clone(),
            _ => pct(sum),
        };
        Step::Owned {
            party,
            holdings,
            sum,
            comparison: self.doctrine.comparison_str().to_string(),
            threshold: self.threshold().unwrap_or_default(),
            counted_as: self.counted_as(node.via),
        }
    }

    /// Does `owner`'s holding count toward a party blocked as `node` says: for a unit, an
    /// owner in it before that round; for a joint arrangement, a member or a party in a
    /// member's unit before that round; otherwise any owner blocked in an earlier round.
    fn counts_for(&self, node: Node, owner: PartyIdx) -> bool {
        let units = &self.closure.units_lo;
        match node.via {
            Via::Unit(root) => in_unit(units, owner, root, node.round),
            Via::Joint(ja) => self
                .world
                .joint_arrangements
                .get(ja as usize)
                .is_some_and(|j| {
                    j.members.contains(&owner)
                        || j.members.iter().any(|m| {
                            units.get(*m).into_iter().flatten().any(|&(root, at)| {
                                at < node.round && in_unit(units, owner, root, node.round)
                            })
                        })
                }),
            _ => {
                let o = self.node(owner);
                o.blocked && o.round < node.round
            }
        }
    }

    /// Whose holdings a block by a unit or a joint arrangement counts, in words.
    fn counted_as(&self, via: Via) -> Option<String> {
        match via {
            Via::Unit(root) => Some(format!("holdings attributed to {}", name(self.world, root))),
            Via::Joint(ja) => self.world.joint_arrangements.get(ja as usize).map(|j| {
                format!(
                    "joint arrangement of {} recorded at {}",
                    j.members
                        .iter()
                        .map(|m| name(self.world, *m))
                        .collect::<Vec<_>>()
                        .join(", "),
                    j.loc
                )
            }),
            _ => None,
        }
    }

    /// Sums of blocked holdings in `p` at the lower bounds and at the (capped) upper bounds:
    /// for aggregating doctrines one sum, otherwise one per designated person or arrangement.
    fn sums(&self, p: PartyIdx) -> Vec<(String, Decimal, Decimal)> {
        let edges: Vec<&OwnershipEdge> = self.incoming(p).collect();
        let total_lo: Decimal = edges.iter().map(|e| e.share.bounds().0).sum();
        let sum_over = |lo_in: &dyn Fn(PartyIdx) -> bool,
                        hi_in: &dyn Fn(PartyIdx) -> bool|
         -> (Decimal, Decimal) {
            let lo: Decimal = edges
                .iter()
                .filter(|e| lo_in(e.owner))
                .map(|e| e.share.bounds().0)
                .sum();
            let (hi, hi_lo) = edges
                .iter()
                .filter(|e| hi_in(e.owner))
                .fold((Decimal::ZERO, Decimal::ZERO), |(h, l), e| {
                    (h + e.share.bounds().1, l + e.share.bounds().0)
                });
            (
                lo,
                crate::ownership::graph::capped(hi, hi_lo, total_lo - hi_lo),
            )
        };
        if self.doctrine.aggregation == Aggregation::All {
            let (lo, hi) = sum_over(&|o| self.node(o).blocked, &|o| {
                self.closure.possibly_blocked(o)
            });
            return vec![(String::new(), lo, hi)];
        }
        let (ul, uh) = (&self.closure.units_lo, self.closure.units_hi());
        let roots_of = |units: &Units, ps: &mut dyn Iterator<Item = PartyIdx>| -> Vec<PartyIdx> {
            let mut v: Vec<PartyIdx> = ps
                .flat_map(|o| units.get(o).into_iter().flatten().map(|&(r, _)| r))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let mut out = Vec::new();
        for root in roots_of(uh, &mut edges.iter().map(|e| e.owner)) {
            let (lo, hi) = sum_over(&|o| in_unit(ul, o, root, u32::MAX), &|o| {
                in_unit(uh, o, root, u32::MAX)
            });
            out.push((name(self.world, root), lo, hi));
        }
        for j in self.joints(p) {
            let r_lo = roots_of(ul, &mut j.members.iter().copied());
            let r_hi = roots_of(uh, &mut j.members.iter().copied());
            if r_hi.is_empty() {
                continue;
            }
            let member = |units: &Units, roots: &[PartyIdx], o: PartyIdx| {
                j.members.contains(&o) || roots.iter().any(|&r| in_unit(units, o, r, u32::MAX))
            };
            let (lo, hi) = sum_over(&|o| !r_lo.is_empty() && member(ul, &r_lo, o), &|o| {
                member(uh, &r_hi, o)
            });
            let members: Vec<String> = j.members.iter().map(|m| name(self.world, *m)).collect();
            out.push((
                format!("joint arrangement of {}", members.join(", ")),
                lo,
                hi,
            ));
        }
        out
    }

    fn undetermined(&self, p: PartyIdx, party: String) -> Step {
        let sums = self.sums(p);
        let known = sums.iter().map(|s| s.1).max().unwrap_or_default();
        let possible = sums.iter().map(|s| s.2).max().unwrap_or_default();
        let mut deciding = self.deciding_holdings(p);
        if self.doctrine.aggregation == Aggregation::JointArrangementOnly {
            deciding.extend(self.deciding_members(p));
        }
        let mut undetermined_controllers = Vec::new();
        if self.doctrine.control == ControlEffect::Blocks {
            for (who, fact) in self.deciding_controllers(p) {
                deciding.push(fact);
                undetermined_controllers.push(who);
            }
        }
        Step::Undetermined {
            party,
            known_sum: pct(known),
            possible_sum: pct(possible),
            comparison: self.doctrine.comparison_str().to_string(),
            threshold: self.threshold().unwrap_or_default(),
            deciding,
            undetermined_controllers,
        }
    }

    /// The holdings in `p` that leave its status open, in proof order.
    fn deciding_holdings(&self, p: PartyIdx) -> Vec<String> {
        self.in_proof_order(self.incoming(p).collect())
            .into_iter()
            .filter(|e| {
                // A holding decides when it counts (its owner may be blocked, or it is a member
                // of a joint arrangement over p) and is not certain (its share or its owner).
                let o = self.node(e.owner);
                let member = self.doctrine.aggregation == Aggregation::JointArrangementOnly
                    && self.joints(p).any(|j| j.members.contains(&e.owner));
                (o.blocked || o.undetermined || member)
                    && (o.undetermined
                        || !matches!(e.share, Share::Exact(_))
                        || !self.uncertain_units(e.owner).is_empty())
            })
            .map(|e| {
                let owner = name(self.world, e.owner);
                let units = self.uncertain_units(e.owner);
                let why = if self.node(e.owner).undetermined {
                    format!(" ({owner} is itself undetermined)")
                } else if !units.is_empty() {
                    format!(
                        " (whether {owner}'s holdings count for {} is itself undetermined)",
                        units.join(", ")
                    )
                } else {
                    String::new()
                };
                format!("{owner} holds {} (recorded at {}){why}", e.share, e.loc)
            })
            .collect()
    }

    /// A joint arrangement over `p` counts for whichever designated persons its members stand
    /// for: a member whose standing is undetermined decides it too.
    fn deciding_members(&self, p: PartyIdx) -> Vec<String> {
        let mut deciding = Vec::new();
        for j in self.joints(p) {
            for &m in &j.members {
                let units = self.uncertain_units(m);
                if !units.is_empty() {
                    let who = name(self.world, m);
                    let members: Vec<String> =
                        j.members.iter().map(|x| name(self.world, *x)).collect();
                    deciding.push(format!(
                        "{who} in the joint arrangement of {} (recorded at {}) (whether {who}'s holdings count for {} is itself undetermined)",
                        members.join(", "),
                        j.loc,
                        units.join(", ")
                    ));
                }
            }
        }
        deciding
    }

    /// Control by an undetermined person on a counted basis decides `p` too (where control
    /// blocks): each such controller's name and the fact that says so.
    fn deciding_controllers(&self, p: PartyIdx) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for c in self.controllers(p) {
            let counts = self.doctrine.control_bases.is_empty()
                || self.doctrine.control_bases.contains(c.basis.idx());
            if counts && self.node(c.controller).undetermined {
                let who = name(self.world, c.controller);
                let basis = self
                    .rs
                    .vocabulary
                    .control_bases
                    .get(c.basis)
                    .map(|t| t.id.as_str())
                    .unwrap_or("?");
                let fact = format!(
                    "{who}'s control through {basis} (recorded at {}) ({who} is itself undetermined)",
                    c.loc
                );
                out.push((who, fact));
            }
        }
        out
    }

    /// Non-aggregating doctrines: the designated persons whose holdings `p`'s may or may not
    /// count for (in their unit at the upper bounds, not at the lower bounds).
    fn uncertain_units(&self, p: PartyIdx) -> Vec<String> {
        let lo = self.closure.units_lo.get(p);
        let mut v: Vec<String> = self
            .closure
            .units_hi()
            .get(p)
            .into_iter()
            .flatten()
            .filter(|(r, _)| !lo.is_some_and(|l| l.iter().any(|(x, _)| x == r)))
            .map(|&(r, _)| name(self.world, r))
            .collect();
        v.sort();
        v
    }

    fn not_blocked(&self, p: PartyIdx, party: String, proofs: &mut Proofs) -> Step {
        let blocked_edges = self.in_proof_order(
            self.incoming(p)
                .filter(|e| self.node(e.owner).blocked)
                .collect(),
        );
        let sums = self.sums(p);
        let possible = sums.iter().map(|s| s.2).max().unwrap_or_default();
        let (sum, per_person) = if self.doctrine.aggregation == Aggregation::All {
            (
                blocked_edges.iter().map(|e| e.share.bounds().0).sum(),
                Vec::new(),
            )
        } else {
            let sums: Vec<(String, Decimal, Decimal)> =
                sums.into_iter().filter(|s| s.2 > Decimal::ZERO).collect();
            let max = sums.iter().map(|s| s.1).max().unwrap_or_default();
            (
                max,
                sums.into_iter()
                    .map(|(who, lo, _)| UnitSum {
                        counted_as: who,
                        sum: pct(lo),
                    })
                    .collect(),
            )
        };
        let controlled_by = self
            .controllers(p)
            .filter(|c| self.node(c.controller).blocked)
            .map(|c| {
                let basis = self
                    .rs
                    .vocabulary
                    .control_bases
                    .get(c.basis)
                    .map(|t| t.id.as_str())
                    .unwrap_or("?");
                format!("{} through {basis}", name(self.world, c.controller))
            })
            .collect();
        Step::NotBlocked {
            party,
            designations: self.designations(p),
            blocked_holdings: blocked_edges
                .iter()
                .map(|e| self.holding(e, proofs))
                .collect(),
            sum: pct(sum),
            possible_sum: (possible > sum).then(|| pct(possible)),
            comparison: self.doctrine.comparison_str().to_string(),
            threshold: self.threshold(),
            per_person,
            controlled_by,
        }
    }
}
