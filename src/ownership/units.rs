//! Non-aggregating doctrines (UK, OFSI General Guidance 4.14): holdings of different
//! designated persons are not added up, unless they are subject to a joint arrangement or one
//! person controls the other's rights.
//!
//! Each designated person `d` is a *unit*. `U(d)`, the parties whose holdings count as `d`'s,
//! is the least set such that:
//!
//! 1. `d` is in `U(d)`;
//! 2. (ownership) if the holdings in `t` of the parties in `U(d)` reach the threshold, `t` is
//!    blocked and in `U(d)`: a person holds indirectly what the entities it owns hold (a chain
//!    of majority stakes; the whole holding counts, never a product along the chain);
//! 3. (control) where the doctrine says control blocks, a party controlled on a counted basis
//!    by a member of `U(d)` is blocked and in `U(d)`: its rights are exercised for `d`;
//! 4. (joint arrangement) for an arrangement in force between members `M` over entity `t`,
//!    let `R` be the designated persons whose units contain a member. If `R` is not empty and
//!    the holdings in `t` of `M` and of every unit of `R` reach the threshold, `t` is blocked
//!    and in `U(d)` for every `d` in `R` (each member is treated as holding the combined
//!    shares).
//!
//! Every rule is monotone in the sets, so the least fixed point exists and is computed by a
//! worklist over (party, unit) pairs, each processed once, followed by a pass over the (few)
//! joint arrangements, repeated until nothing changes. Cost: O((V + E) * u) where u is the
//! number of units a party belongs to (1 or 2 in practice), plus O(J * in-degree) per pass.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::graph::{Graph, Joint, capped};
use super::{Bound, Fixpoint, Via};
use crate::model::ruleset::{ControlEffect, OwnershipDoctrine};
use crate::model::{IndexVec, PartyIdx};

/// The units as they grow: which parties are blocked, when and why, and the (party, unit)
/// pairs that joined in the current round.
struct State {
    blocked: IndexVec<PartyIdx, bool>,
    round: IndexVec<PartyIdx, u32>,
    via: IndexVec<PartyIdx, Via>,
    /// Per party: the units (their designated roots) it belongs to, with the round it joined.
    units: super::Units,
    /// The (party, unit root) pairs that joined in the current round.
    next: Vec<(PartyIdx, PartyIdx)>,
}

impl State {
    /// Every designated person blocked in round 0, alone in its own unit.
    fn designated(direct: &IndexVec<PartyIdx, bool>) -> State {
        State {
            round: IndexVec::filled_like(0u32, direct),
            via: direct.map(|&d| if d { Via::Designated } else { Via::None }),
            units: direct.map_enumerated(|i, &d| if d { vec![(i, 0)] } else { Vec::new() }),
            blocked: direct.clone(),
            next: Vec::new(),
        }
    }

    /// The first layer: each designated person as the root of its unit.
    fn roots(&self) -> Vec<(PartyIdx, PartyIdx)> {
        self.blocked
            .indices()
            .filter(|&i| self.blocked[i])
            .map(|i| (i, i))
            .collect()
    }

    fn in_unit(&self, p: PartyIdx, root: PartyIdx) -> bool {
        self.units[p].iter().any(|&(r, _)| r == root)
    }

    /// Attribute `t` to `root`'s unit (blocking it if it was not), in round `round`.
    fn join(&mut self, t: PartyIdx, root: PartyIdx, round: u32, via: Via) {
        if self.in_unit(t, root) {
            return;
        }
        self.units[t].push((root, round));
        if !self.blocked[t] {
            self.blocked[t] = true;
            self.round[t] = round;
            self.via[t] = via;
        }
        self.next.push((t, root));
    }

    fn into_fixpoint(self) -> Fixpoint {
        Fixpoint {
            blocked: self.blocked,
            round: self.round,
            via: self.via,
            units: self.units,
        }
    }
}

/// What the rules read while the units grow: the doctrine, the edges in force, the bound
/// computed, and each unit's running sums.
struct Rules<'a> {
    doctrine: &'a OwnershipDoctrine,
    graph: &'a Graph,
    bound: Bound,
    control_blocks: bool,
    /// (unit, entity) -> (lower, upper) sums of the unit's holdings in the entity.
    sums: HashMap<(PartyIdx, PartyIdx), (Decimal, Decimal)>,
}

pub(crate) fn fixpoint(
    doctrine: &OwnershipDoctrine,
    graph: &Graph,
    direct: &IndexVec<PartyIdx, bool>,
    bound: Bound,
) -> Fixpoint {
    let mut st = State::designated(direct);
    let mut rules = Rules {
        doctrine,
        graph,
        bound,
        control_blocks: doctrine.control == ControlEffect::Blocks,
        sums: HashMap::new(),
    };
    let mut layer = st.roots();
    let mut r = 0u32;
    loop {
        r = rules.ownership_and_control(&mut st, layer, r);
        rules.joint_arrangements(&mut st, r);
        if st.next.is_empty() {
            break;
        }
        layer = std::mem::take(&mut st.next);
        r += 1;
    }
    st.into_fixpoint()
}

impl Rules<'_> {
    /// Rules 2 and 3, layer after layer from `layer` (joined in round `r`) until no party
    /// joins a unit; returns the last round.
    fn ownership_and_control(
        &mut self,
        st: &mut State,
        mut layer: Vec<(PartyIdx, PartyIdx)>,
        mut r: u32,
    ) -> u32 {
        while !layer.is_empty() {
            for &(p, root) in &layer {
                self.holdings(st, p, root, r);
                if self.control_blocks {
                    for c in self.graph.controls(p) {
                        if c.counts {
                            st.join(c.target, root, r + 1, Via::Control(c.edge));
                        }
                    }
                }
            }
            layer = std::mem::take(&mut st.next);
            r += 1;
        }
        r
    }

    /// Rule 2: add `p`'s holdings to `root`'s sums; a target they bring to the threshold
    /// joins the unit in round `r + 1`.
    fn holdings(&mut self, st: &mut State, p: PartyIdx, root: PartyIdx, r: u32) {
        for h in self.graph.holdings(p) {
            let t = h.target;
            if st.in_unit(t, root) {
                continue;
            }
            let s = self
                .sums
                .entry((root, t))
                .or_insert((Decimal::ZERO, Decimal::ZERO));
            s.0 += h.lo;
            s.1 += h.hi;
            let sum = match self.bound {
                Bound::Lo => s.0,
                Bound::Hi => capped(s.1, s.0, self.graph.rest_lo(t, s.0)),
            };
            if self.doctrine.reaches(sum) {
                st.join(t, root, r + 1, Via::Unit(root));
            }
        }
    }

    /// Rule 4, once the units are stable. Every arrangement is judged on the units as they
    /// stand before this pass (joins are applied after it), so what one arrangement adds in
    /// round r + 1 is never counted by another in the same round: a witness counts only
    /// holders that joined in earlier rounds.
    fn joint_arrangements(&self, st: &mut State, r: u32) {
        let mut joins: Vec<(PartyIdx, PartyIdx, u32)> = Vec::new();
        for j in &self.graph.joints {
            if let Some(roots) = self.joint_reaches(st, j) {
                joins.extend(roots.iter().map(|&d| (j.entity, d, j.index as u32)));
            }
        }
        for (entity, d, index) in joins {
            st.join(entity, d, r + 1, Via::Joint(index));
        }
    }

    /// The designated persons `R` an arrangement's entity joins, when the holdings of its
    /// members and of their units reach the threshold and some unit of `R` lacks it.
    fn joint_reaches(&self, st: &State, j: &Joint) -> Option<Vec<PartyIdx>> {
        let mut roots: Vec<PartyIdx> = j
            .members
            .iter()
            .filter_map(|&m| st.units.get(m))
            .flat_map(|u| u.iter().map(|&(root, _)| root))
            .collect();
        roots.sort_unstable();
        roots.dedup();
        let entity = j.entity;
        if roots.is_empty() || roots.iter().all(|&d| st.in_unit(entity, d)) {
            return None;
        }
        let (mut lo, mut hi) = (Decimal::ZERO, Decimal::ZERO);
        for h in &j.incoming {
            let counted = j.members.contains(&h.owner)
                || st
                    .units
                    .get(h.owner)
                    .is_some_and(|u| u.iter().any(|(d, _)| roots.binary_search(d).is_ok()));
            if counted {
                lo += h.lo;
                hi += h.hi;
            }
        }
        let sum = match self.bound {
            Bound::Lo => lo,
            Bound::Hi => capped(hi, lo, self.graph.rest_lo(entity, lo)),
        };
        self.doctrine.reaches(sum).then_some(roots)
    }
}
