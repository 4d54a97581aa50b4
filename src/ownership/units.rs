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

use super::graph::{Graph, capped};
use super::{Bound, Fixpoint, Via};
use crate::model::ruleset::{ControlEffect, OwnershipDoctrine};

struct State {
    blocked: Vec<bool>,
    round: Vec<u32>,
    via: Vec<Via>,
    units: Vec<Vec<(u32, u32)>>,
    next: Vec<(u32, u32)>,
}

impl State {
    fn in_unit(&self, p: usize, root: u32) -> bool {
        self.units
            .get(p)
            .is_some_and(|u| u.iter().any(|&(r, _)| r == root))
    }

    /// Attribute `t` to `root`'s unit (blocking it if it was not), in round `round`.
    fn join(&mut self, t: usize, root: u32, round: u32, via: Via) {
        if self.in_unit(t, root) {
            return;
        }
        if let Some(u) = self.units.get_mut(t) {
            u.push((root, round));
        }
        if !self.blocked[t] {
            self.blocked[t] = true;
            self.round[t] = round;
            self.via[t] = via;
        }
        self.next.push((t as u32, root));
    }
}

pub(crate) fn fixpoint(
    doctrine: &OwnershipDoctrine,
    graph: &Graph,
    direct: &[bool],
    bound: Bound,
) -> Fixpoint {
    let n = graph.len();
    let blocked: Vec<bool> = (0..n)
        .map(|i| direct.get(i).copied().unwrap_or(false))
        .collect();
    let mut st = State {
        round: vec![0u32; n],
        via: blocked
            .iter()
            .map(|&d| if d { Via::Designated } else { Via::None })
            .collect(),
        units: (0..n)
            .map(|i| {
                if blocked[i] {
                    vec![(i as u32, 0)]
                } else {
                    Vec::new()
                }
            })
            .collect(),
        blocked,
        next: Vec::new(),
    };
    let mut layer: Vec<(u32, u32)> = (0..n as u32)
        .filter(|&i| st.blocked[i as usize])
        .map(|i| (i, i))
        .collect();
    // (unit, entity) -> (lower, upper) sums of the unit's holdings in the entity.
    let mut sums: HashMap<(u32, u32), (Decimal, Decimal)> = HashMap::new();
    let control_blocks = doctrine.control == ControlEffect::Blocks;
    let mut r = 0u32;
    loop {
        while !layer.is_empty() {
            for &(p, root) in &layer {
                for h in graph.holdings(p as usize) {
                    let t = h.target as usize;
                    if st.in_unit(t, root) {
                        continue;
                    }
                    let s = sums
                        .entry((root, h.target))
                        .or_insert((Decimal::ZERO, Decimal::ZERO));
                    s.0 += h.lo;
                    s.1 += h.hi;
                    let sum = match bound {
                        Bound::Lo => s.0,
                        Bound::Hi => capped(s.1, s.0, graph.rest_lo(t, s.0)),
                    };
                    if doctrine.reaches(sum) {
                        st.join(t, root, r + 1, Via::Unit(super::PartyIdx(root)));
                    }
                }
                if control_blocks {
                    for c in graph.controls(p as usize) {
                        if c.counts {
                            st.join(c.target as usize, root, r + 1, Via::Control(c.edge));
                        }
                    }
                }
            }
            layer = std::mem::take(&mut st.next);
            r += 1;
        }
        // Joint arrangements, once the units are stable. Every arrangement is judged on the
        // units as they stand before this pass (joins are applied after it), so what one
        // arrangement adds in round r + 1 is never counted by another in the same round: a
        // witness counts only holders that joined in earlier rounds.
        let mut joins: Vec<(usize, u32, u32)> = Vec::new();
        for j in &graph.joints {
            let mut roots: Vec<u32> = j
                .members
                .iter()
                .filter_map(|&m| st.units.get(m as usize))
                .flat_map(|u| u.iter().map(|&(root, _)| root))
                .collect();
            roots.sort_unstable();
            roots.dedup();
            let entity = j.entity as usize;
            if roots.is_empty() || roots.iter().all(|&d| st.in_unit(entity, d)) {
                continue;
            }
            let (mut lo, mut hi) = (Decimal::ZERO, Decimal::ZERO);
            for h in &j.incoming {
                let counted = j.members.contains(&h.owner)
                    || st
                        .units
                        .get(h.owner as usize)
                        .is_some_and(|u| u.iter().any(|(d, _)| roots.binary_search(d).is_ok()));
                if counted {
                    lo += h.lo;
                    hi += h.hi;
                }
            }
            let sum = match bound {
                Bound::Lo => lo,
                Bound::Hi => capped(hi, lo, graph.rest_lo(entity, lo)),
            };
            if doctrine.reaches(sum) {
                joins.extend(roots.iter().map(|&d| (entity, d, j.index as u32)));
            }
        }
        for (entity, d, index) in joins {
            st.join(entity, d, r + 1, Via::Joint(index));
        }
        if st.next.is_empty() {
            break;
        }
        layer = std::mem::take(&mut st.next);
        r += 1;
    }
    Fixpoint {
        blocked: st.blocked,
        round: st.round,
        via: st.via,
        units: st.units,
    }
}
