//! Which combinations of party clauses a transaction can meet at once.
//!
//! A clause holds when some party of the transaction plays one of its roles and meets its
//! predicate. A scenario's transaction has at most one party in each of the roles originator,
//! originator bank, beneficiary bank, beneficiary, signatory, agent, shipper, vessel and
//! aircraft, and any number of intermediaries and others. Each slot is filled with no party or
//! with one witness party (parties are independent of each other: each gets its own owners
//! and designations), and the reachable sets of true clauses are computed slot by slot (a
//! breadth-first closure, so the first assignment found for a set uses the fewest parties).
//! Cross-border conditions also need the countries of originator and beneficiary.

use std::collections::HashMap;

use super::party::PartySpace;
use crate::model::{Bits, Role};

/// Above this many reachable states the closure stops growing and the space is sampled.
pub const STATE_LIMIT: usize = 1 << 16;

/// A party clause of the group: roles (empty: any) and the index of its predicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clause {
    pub roles: Bits,
    pub pred: usize,
}

/// One reachable combination, with the parties that reach it.
#[derive(Debug, Clone)]
pub struct PartyPoint {
    /// Bit i: clause i holds.
    pub bits: u64,
    pub cross_border: bool,
    /// The witness party in each filled slot, in role order.
    pub assign: Vec<(Role, usize)>,
    /// Originator and beneficiary are in the same country class and must get different
    /// countries of it.
    pub differ: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct State {
    bits: u64,
    /// 0: no party in the slot; 1: a party without a country; 2 + k: country class k.
    orig: u16,
    benef: u16,
    any: bool,
}

const SINGLE: [Role; 9] = [
    Role::Originator,
    Role::OriginatorBank,
    Role::BeneficiaryBank,
    Role::Beneficiary,
    Role::Signatory,
    Role::Agent,
    Role::Shipper,
    Role::Vessel,
    Role::Aircraft,
];
const MULTI: [Role; 2] = [Role::Intermediary, Role::Other];

pub fn build(
    space: &PartySpace,
    clauses: &[Clause],
    cross_border: bool,
) -> (Vec<PartyPoint>, bool) {
    let mut sampled = false;
    let mut states: HashMap<State, Vec<(Role, usize)>> = HashMap::new();
    let mut order: Vec<State> = Vec::new();
    let start = State {
        bits: 0,
        orig: 0,
        benef: 0,
        any: false,
    };
    states.insert(start, Vec::new());
    order.push(start);

    // For each slot, the distinct effects a witness can have there.
    let effects = |role: Role| -> Vec<(u64, u16, usize)> {
        let mut out: Vec<(u64, u16, usize)> = Vec::new();
        for (wi, w) in space.witnesses.iter().enumerate() {
            let mut bits = 0u64;
            for (ci, c) in clauses.iter().enumerate() {
                let role_ok = c.roles.is_empty() || c.roles.contains(role.bit());
                if role_ok && w.sig & (1 << c.pred) != 0 {
                    bits |= 1 << ci;
                }
            }
            let country = if cross_border {
                w.country.map_or(1, |k| 2 + k as u16)
            } else {
                0
            };
            if !out.iter().any(|(b, c, _)| *b == bits && *c == country) {
                out.push((bits, country, wi));
            }
        }
        out
    };

    let step = |role: Role,
                states: &mut HashMap<State, Vec<(Role, usize)>>,
                order: &mut Vec<State>,
                sampled: &mut bool|
     -> bool {
        let fx = effects(role);
        let mut grew = false;
        let current: Vec<State> = order.clone();
        for s in current {
            let Some(assign) = states.get(&s).cloned() else {
                continue;
            };
            for &(bits, country, wi) in &fx {
                let mut n = State {
                    bits: s.bits | bits,
                    any: true,
                    ..s
                };
                if cross_border && role == Role::Originator {
                    n.orig = country;
                }
                if cross_border && role == Role::Beneficiary {
                    n.benef = country;
                }
                if states.contains_key(&n) {
                    continue;
                }
                if states.len() >= STATE_LIMIT {
                    *sampled = true;
                    return grew;
                }
                let mut a = assign.clone();
                a.push((role, wi));
                states.insert(n, a);
                order.push(n);
                grew = true;
            }
        }
        grew
    };

    for role in SINGLE {
        step(role, &mut states, &mut order, &mut sampled);
    }
    for role in MULTI {
        // Each round adds one more party in the role; a round that reaches no new state
        // means more parties cannot change which clauses hold.
        for _ in 0..=clauses.len() + 1 {
            if !step(role, &mut states, &mut order, &mut sampled) {
                break;
            }
        }
    }

    let mut points: Vec<PartyPoint> = Vec::new();
    for s in &order {
        if !s.any {
            continue;
        }
        let Some(assign) = states.get(s) else {
            continue;
        };
        let mut assign = assign.clone();
        assign.sort_by_key(|(r, _)| *r);
        let options: Vec<(bool, bool)> = if !cross_border {
            vec![(false, false)]
        } else if s.orig >= 2 && s.benef >= 2 {
            if s.orig != s.benef {
                vec![(true, false)]
            } else {
                let class = usize::from(s.orig - 2);
                let many = space
                    .countries
                    .get(class)
                    .is_some_and(|c| c.members.len() > 1);
                if many {
                    vec![(false, false), (true, true)]
                } else {
                    vec![(false, false)]
                }
            }
        } else {
            vec![(false, false)]
        };
        for (cb, differ) in options {
            if !points
                .iter()
                .any(|p| p.bits == s.bits && p.cross_border == cb)
            {
                points.push(PartyPoint {
                    bits: s.bits,
                    cross_border: cb,
                    assign: assign.clone(),
                    differ,
                });
            }
        }
    }
    (points, sampled)
}
