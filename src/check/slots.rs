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

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

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

/// A small multiplicative hasher: the keys are integers the analysis made, not input.
#[derive(Default)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u128(&mut self, n: u128) {
        self.write_u64(n as u64);
        self.write_u64((n >> 64) as u64);
    }
}

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// A reachable state: clause bits, the countries of originator and beneficiary (0: no party
/// in the slot; 1: a party without a country; 2 + k: country class k), and whether any slot
/// is filled; packed into one integer.
fn key(bits: u64, orig: u16, benef: u16, any: bool) -> u128 {
    u128::from(bits)
        | (u128::from(orig) << 64)
        | (u128::from(benef) << 80)
        | (u128::from(any) << 96)
}

fn unkey(k: u128) -> (u64, u16, u16, bool) {
    (
        k as u64,
        (k >> 64) as u16,
        (k >> 80) as u16,
        (k >> 96) & 1 == 1,
    )
}

struct Node {
    key: u128,
    parent: u32,
    role: Role,
    witness: u32,
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
    let mut index: FastMap<u128, u32> = FastMap::default();
    index.insert(key(0, 0, 0, false), 0);
    let mut search = Search {
        space,
        clauses,
        cross_border,
        nodes: vec![Node {
            key: key(0, 0, 0, false),
            parent: u32::MAX,
            role: Role::Other,
            witness: 0,
        }],
        index,
        sampled: false,
    };
    for role in SINGLE {
        let all = 0..search.nodes.len();
        search.extend(role, all);
    }
    for role in MULTI {
        // Each round adds one more party in the role to the states the last round reached;
        // when a round reaches nothing new, more parties cannot change which clauses hold.
        let mut frontier = 0..search.nodes.len();
        while !frontier.is_empty() {
            frontier = search.extend(role, frontier);
        }
    }
    (search.points(), search.sampled)
}

/// The search over slot states: each node a state reached by filling one more slot.
struct Search<'s> {
    space: &'s PartySpace,
    clauses: &'s [Clause],
    cross_border: bool,
    nodes: Vec<Node>,
    /// Each state's node, so a state is reached once.
    index: FastMap<u128, u32>,
    /// The state limit was reached: the points are a sample.
    sampled: bool,
}

impl Search<'_> {
    /// For a slot, the distinct effects a witness can have there.
    fn effects(&self, role: Role) -> Vec<(u64, u16, u32)> {
        let mut seen: FastSet<(u64, u16)> = FastSet::default();
        let mut out = Vec::new();
        for (wi, w) in self.space.witnesses.iter().enumerate() {
            if w.roles & (1 << role.bit()) == 0 {
                continue;
            }
            let mut bits = 0u64;
            for (ci, c) in self.clauses.iter().enumerate() {
                let role_ok = c.roles.is_empty() || c.roles.contains(role.bit());
                if role_ok && w.sig & (1 << c.pred) != 0 {
                    bits |= 1 << ci;
                }
            }
            let country = if self.cross_border {
                w.country.map_or(1, |k| 2 + k as u16)
            } else {
                0
            };
            if seen.insert((bits, country)) {
                out.push((bits, country, wi as u32));
            }
        }
        out
    }

    /// Extend the nodes in `from` by one party in `role`; returns the new nodes' range.
    fn extend(&mut self, role: Role, from: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let fx = self.effects(role);
        let start = self.nodes.len();
        for i in from {
            let Some(n) = self.nodes.get(i) else { continue };
            let (bits, orig, benef, _) = unkey(n.key);
            for &(b, country, wi) in &fx {
                let o = if self.cross_border && role == Role::Originator {
                    country
                } else {
                    orig
                };
                let be = if self.cross_border && role == Role::Beneficiary {
                    country
                } else {
                    benef
                };
                let k = key(bits | b, o, be, true);
                if self.index.contains_key(&k) {
                    continue;
                }
                if self.nodes.len() >= STATE_LIMIT {
                    self.sampled = true;
                    return start..self.nodes.len();
                }
                self.index.insert(k, self.nodes.len() as u32);
                self.nodes.push(Node {
                    key: k,
                    parent: i as u32,
                    role,
                    witness: wi,
                });
            }
        }
        start..self.nodes.len()
    }

    /// The distinct points the states give, with or without a cross-border pair.
    fn points(&self) -> Vec<PartyPoint> {
        let mut points: Vec<PartyPoint> = Vec::new();
        let mut seen: FastSet<(u64, bool)> = FastSet::default();
        for (i, n) in self.nodes.iter().enumerate() {
            let (bits, orig, benef, any) = unkey(n.key);
            if !any {
                continue;
            }
            let options: Vec<(bool, bool)> = if !self.cross_border {
                vec![(false, false)]
            } else if orig >= 2 && benef >= 2 {
                if orig != benef {
                    vec![(true, false)]
                } else {
                    let class = usize::from(orig - 2);
                    let many = self
                        .space
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
                if seen.insert((bits, cb)) {
                    points.push(PartyPoint {
                        bits,
                        cross_border: cb,
                        assign: assignment(&self.nodes, i),
                        differ,
                    });
                }
            }
        }
        points
    }
}

/// The slots filled on the way to node `i`, in role order.
fn assignment(nodes: &[Node], mut i: usize) -> Vec<(Role, usize)> {
    let mut out = Vec::new();
    while let Some(n) = nodes.get(i) {
        if n.parent == u32::MAX {
            break;
        }
        out.push((n.role, n.witness as usize));
        i = n.parent as usize;
    }
    out.sort_by_key(|(r, _)| *r);
    out
}
