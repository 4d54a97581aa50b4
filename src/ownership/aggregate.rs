//! Aggregating doctrines (U.S., EU): the holdings of every blocked owner add up.
//!
//! `blocked(t)` holds when `t` is directly blocked, when the holdings in `t` of blocked owners
//! reach the threshold, or (where the doctrine says control blocks) when a blocked person
//! controls `t` on a basis the doctrine counts. A blocked intermediary's whole holding counts;
//! percentages are never multiplied along a chain; non-blocked owners pass nothing on.
//!
//! The least fixed point is reached by a layered worklist: when an owner becomes blocked, each
//! of its holdings is added once to its target's running sum, and a target whose sum reaches
//! the threshold joins the next layer. Every edge is looked at at most once: O(V + E).

use rust_decimal::Decimal;

use super::graph::{Graph, capped};
use super::{Bound, Fixpoint, Via};
use crate::model::ruleset::{ControlEffect, OwnershipDoctrine};
use crate::model::{IndexVec, PartyIdx};

// Long: one breadth-first pass over the layers of newly blocked parties, every edge looked at
// once; the state it updates (blocked, sums, rounds, reasons) is shared by every step of the
// status computation's hot loop.
pub(crate) fn fixpoint(
    doctrine: &OwnershipDoctrine,
    graph: &Graph,
    direct: &IndexVec<PartyIdx, bool>,
    bound: Bound,
) -> Fixpoint {
    let mut blocked = direct.clone();
    // Rounds and reasons are kept for the lower bound only (witnesses explain what is
    // certain); the upper bound needs only the blocked set.
    let record = bound == Bound::Lo;
    let mut round = if record {
        IndexVec::filled_like(0u32, direct)
    } else {
        IndexVec::new()
    };
    let mut via: IndexVec<PartyIdx, Via> = if record {
        blocked.map(|&d| if d { Via::Designated } else { Via::None })
    } else {
        IndexVec::new()
    };
    // Lower bounds of blocked holdings so far; for the upper bound also their upper bounds.
    let mut lo_sum = IndexVec::filled_like(Decimal::ZERO, direct);
    let mut hi_sum = if bound == Bound::Hi {
        IndexVec::filled_like(Decimal::ZERO, direct)
    } else {
        IndexVec::new()
    };
    let mut layer: Vec<PartyIdx> = blocked.indices().filter(|&i| blocked[i]).collect();
    let mut next: Vec<PartyIdx> = Vec::new();
    let control_blocks = doctrine.control == ControlEffect::Blocks;
    let mut r = 0u32;
    while !layer.is_empty() {
        for &o in &layer {
            for h in graph.holdings(o) {
                let t = h.target;
                if blocked[t] {
                    continue;
                }
                lo_sum[t] += h.lo;
                let sum = match bound {
                    Bound::Lo => lo_sum[t],
                    Bound::Hi => {
                        hi_sum[t] += h.hi;
                        capped(hi_sum[t], lo_sum[t], graph.rest_lo(t, lo_sum[t]))
                    }
                };
                if doctrine.reaches(sum) {
                    blocked[t] = true;
                    if record {
                        round[t] = r + 1;
                        via[t] = Via::Holdings;
                    }
                    next.push(t);
                }
            }
            if control_blocks {
                for c in graph.controls(o) {
                    let t = c.target;
                    if c.counts && !blocked[t] {
                        blocked[t] = true;
                        if record {
                            round[t] = r + 1;
                            via[t] = Via::Control(c.edge);
                        }
                        next.push(t);
                    }
                }
            }
        }
        std::mem::swap(&mut layer, &mut next);
        next.clear();
        r += 1;
    }
    Fixpoint {
        blocked,
        round,
        via,
        units: IndexVec::new(),
    }
}
