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

// Long: one breadth-first pass over the layers of newly blocked parties, every edge looked at
// once; the state it updates (blocked, sums, rounds, reasons) is shared by every step of the
// status computation's hot loop.
pub(crate) fn fixpoint(
    doctrine: &OwnershipDoctrine,
    graph: &Graph,
    direct: &[bool],
    bound: Bound,
) -> Fixpoint {
    let n = graph.len();
    let mut blocked: Vec<bool> = (0..n)
        .map(|i| direct.get(i).copied().unwrap_or(false))
        .collect();
    // Rounds and reasons are kept for the lower bound only (witnesses explain what is
    // certain); the upper bound needs only the blocked set.
    let record = bound == Bound::Lo;
    let mut round = if record { vec![0u32; n] } else { Vec::new() };
    let mut via: Vec<Via> = if record {
        blocked
            .iter()
            .map(|&d| if d { Via::Designated } else { Via::None })
            .collect()
    } else {
        Vec::new()
    };
    // Lower bounds of blocked holdings so far; for the upper bound also their upper bounds.
    let mut lo_sum = vec![Decimal::ZERO; n];
    let mut hi_sum = if bound == Bound::Hi {
        vec![Decimal::ZERO; n]
    } else {
        Vec::new()
    };
    let mut layer: Vec<u32> = (0..n as u32).filter(|&i| blocked[i as usize]).collect();
    let mut next: Vec<u32> = Vec::new();
    let control_blocks = doctrine.control == ControlEffect::Blocks;
    let mut r = 0u32;
    while !layer.is_empty() {
        for &o in &layer {
            for h in graph.holdings(o as usize) {
                let t = h.target as usize;
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
                    next.push(h.target);
                }
            }
            if control_blocks {
                for c in graph.controls(o as usize) {
                    let t = c.target as usize;
                    if c.counts && !blocked[t] {
                        blocked[t] = true;
                        if record {
                            round[t] = r + 1;
                            via[t] = Via::Control(c.edge);
                        }
                        next.push(c.target);
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
        units: Vec::new(),
    }
}
