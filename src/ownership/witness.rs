//! Witnesses: the proof behind a party's status, recursively down to designations.
//!
//! A blocked party's witness lists the holdings that reached the threshold when it became
//! blocked (owners blocked in earlier fixed-point rounds), each with its owner's own witness;
//! rounds strictly decrease along the recursion, so it always ends at designations. An owner
//! explained once is not explained again in the same witness (`see_above`), which keeps a
//! witness linear in the size of the graph it covers. A party that is not blocked but has
//! blocked owners carries the sum that fell short; an undetermined one names the holdings
//! whose unknown or ranged shares decide it.

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Closure, Via, closure};
use crate::model::ruleset::{Aggregation, OwnershipDoctrine, RuleSet};
use crate::model::values::{Date, Share};
use crate::model::world::{OwnershipEdge, World};
use crate::model::{Bits, JurisdictionIdx, PartyIdx};
use crate::status::designations_on;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DesignationFact {
    pub program: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listed: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delisted: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub date_assumed: bool,
    pub blocking: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HoldingFact {
    pub owner: String,
    pub share: String,
    /// The percentage counted toward the sum (the lower bound of a range).
    pub counted: String,
    pub recorded_at: String,
    /// The owner's own status; absent when it was explained earlier in this witness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_status: Option<Box<Witness>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub see_above: bool,
}

/// The sum of the holdings counted for one designated person (non-aggregating doctrines).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnitSum {
    /// The designated person, or the members of a joint arrangement.
    pub counted_as: String,
    pub sum: String,
}

/// The proof of one party's status. In JSON, `kind` names the variant: `designated`, `owned`
/// and `controlled` are the three ways of being blocked ([`Witness::status`] maps them).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Witness {
    /// Blocked by its own designation(s).
    Designated {
        party: String,
        designations: Vec<DesignationFact>,
    },
    /// Blocked because blocked holdings reach the threshold.
    Owned {
        party: String,
        holdings: Vec<HoldingFact>,
        sum: String,
        comparison: String,
        threshold: String,
        /// For non-aggregating doctrines: whose holdings were counted together.
        #[serde(skip_serializing_if = "Option::is_none")]
        counted_as: Option<String>,
    },
    /// Blocked because a blocked person controls it.
    Controlled {
        party: String,
        controller: String,
        basis: String,
        recorded_at: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        controller_status: Option<Box<Witness>>,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        see_above: bool,
    },
    /// Not blocked; blocked persons may hold or control part of it.
    NotBlocked {
        party: String,
        designations: Vec<DesignationFact>,
        blocked_holdings: Vec<HoldingFact>,
        /// The sum compared with the threshold (for non-aggregating doctrines, the largest
        /// sum counted for one designated person or arrangement).
        sum: String,
        /// With unknown or ranged shares: the most the sum can be (upper bounds, within 100%).
        #[serde(skip_serializing_if = "Option::is_none")]
        possible_sum: Option<String>,
        comparison: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        threshold: Option<String>,
        /// Non-aggregating doctrines: the sum counted for each designated person.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        per_person: Vec<UnitSum>,
        controlled_by: Vec<String>,
    },
    /// Cannot be decided: unknown or ranged shares could reach the threshold.
    Undetermined {
        party: String,
        /// The blocked holdings at their lower bounds.
        known_sum: String,
        /// The most the blocked or possibly blocked holdings can be (upper bounds, within 100%).
        possible_sum: String,
        comparison: String,
        threshold: String,
        /// Holdings whose exact shares (or whose owners' status) would decide it, and control
        /// links whose undetermined controllers would.
        deciding: Vec<String>,
        /// Where control blocks: the undetermined controllers on a counted basis.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        undetermined_controllers: Vec<String>,
    },
}

impl Witness {
    pub fn status(&self) -> &'static str {
        match self {
            Witness::Designated { .. } | Witness::Owned { .. } | Witness::Controlled { .. } => {
                "blocked"
            }
            Witness::NotBlocked { .. } => "not_blocked",
            Witness::Undetermined { .. } => "undetermined",
        }
    }

    /// One-paragraph text: "B is blocked: A holds 40% (A is blocked: ...) + X holds 10% = 50% >= 50%".
    pub fn text(&self) -> String {
        render(self)
    }
}

fn pct(d: Decimal) -> String {
    format!("{}%", d.normalize())
}

fn designation_text(d: &DesignationFact) -> String {
    let mut s = format!("designated {}", d.program);
    match (d.listed, d.date_assumed) {
        (Some(l), true) => s.push_str(&format!(" {l} (date assumed)")),
        (Some(l), false) => s.push_str(&format!(" {l}")),
        (None, _) => s.push_str(" (listing date not given)"),
    }
    if let Some(x) = d.delisted {
        s.push_str(&format!(", delisted {x}"));
    }
    s
}

fn holding_text(h: &HoldingFact) -> String {
    let inner = match &h.owner_status {
        Some(w) => format!(" ({})", render(w)),
        None => String::new(),
    };
    format!("{} holds {}{inner}", h.owner, h.share)
}

fn render(w: &Witness) -> String {
    match w {
        Witness::Designated {
            party,
            designations,
        } => {
            let ds: Vec<String> = designations
                .iter()
                .filter(|d| d.blocking)
                .map(designation_text)
                .collect();
            format!("{party} is {}", ds.join(" and "))
        }
        Witness::Owned {
            party,
            holdings,
            sum,
            comparison,
            threshold,
            counted_as,
        } => {
            let parts: Vec<String> = holdings.iter().map(holding_text).collect();
            let unit = counted_as
                .as_ref()
                .map(|u| format!(" [{u}]"))
                .unwrap_or_default();
            format!(
                "{party} is blocked: {} = {sum} {comparison} {threshold}{unit}",
                parts.join(" + ")
            )
        }
        Witness::Controlled {
            party,
            controller,
            basis,
            controller_status,
            ..
        } => {
            let inner = controller_status
                .as_ref()
                .map(|w| format!(" ({})", render(w)))
                .unwrap_or_default();
            format!("{party} is blocked: controlled by {controller}{inner} through {basis}")
        }
        Witness::NotBlocked {
            party,
            designations,
            blocked_holdings,
            sum,
            possible_sum,
            comparison,
            threshold,
            per_person,
            controlled_by,
        } => {
            let mut s = format!("{party} is not blocked");
            let non_blocking: Vec<String> = designations.iter().map(designation_text).collect();
            if !non_blocking.is_empty() {
                s.push_str(&format!(
                    " (it is {}, under no blocking program of this jurisdiction)",
                    non_blocking.join(" and ")
                ));
            }
            if !blocked_holdings.is_empty() {
                let parts: Vec<String> = blocked_holdings.iter().map(holding_text).collect();
                let range = match possible_sum {
                    Some(hi) => format!("between {sum} and {hi}"),
                    None => sum.clone(),
                };
                let verdict = match (threshold, per_person.is_empty()) {
                    (None, _) => " (this jurisdiction has no numeric ownership test)".to_string(),
                    (Some(t), true) => format!(" = {range}, not {comparison} {t}"),
                    (Some(t), false) => {
                        let units: Vec<String> = per_person
                            .iter()
                            .map(|u| format!("{} {}", u.counted_as, u.sum))
                            .collect();
                        format!(
                            "; holdings of different designated persons are not aggregated: {}; the largest, {range}, is not {comparison} {t}",
                            units.join(", ")
                        )
                    }
                };
                s.push_str(&format!(
                    ": blocked holdings {}{verdict}",
                    parts.join(" + ")
                ));
            }
            if !controlled_by.is_empty() {
                s.push_str(&format!(
                    "; controlled by blocked {}, which does not block under this doctrine",
                    controlled_by.join(", ")
                ));
            }
            s
        }
        Witness::Undetermined {
            party,
            known_sum,
            possible_sum,
            comparison,
            threshold,
            deciding,
            ..
        } => format!(
            "{party} is undetermined: blocked holdings are at least {known_sum} and at most {possible_sum} against {comparison} {threshold}; decided by {}",
            deciding.join(", ")
        ),
    }
}

/// Explain `party`'s status in `j` on `date`, computing the doctrine's closure.
pub fn explain(
    rs: &RuleSet,
    world: &World,
    j: JurisdictionIdx,
    date: Date,
    party: PartyIdx,
) -> Witness {
    let designated = designations_on(world, date);
    let blocking = rs.blocking_programs(j);
    let result = closure(rs, world, j, date, &designated, blocking);
    explain_in(rs, world, j, date, &result, party)
}

/// Explain `party`'s status from an already computed closure of `j` on `date` (or on any date
/// of the same epoch).
pub fn explain_in(
    rs: &RuleSet,
    world: &World,
    j: JurisdictionIdx,
    date: Date,
    result: &Closure,
    party: PartyIdx,
) -> Witness {
    let Some(jur) = rs.jurisdictions.get(j.idx()) else {
        return Witness::NotBlocked {
            party: name(world, party),
            designations: Vec::new(),
            blocked_holdings: Vec::new(),
            sum: "0%".into(),
            possible_sum: None,
            comparison: String::new(),
            threshold: None,
            per_person: Vec::new(),
            controlled_by: Vec::new(),
        };
    };
    let incoming = result.incoming.get_or_init(|| incoming_index(world, date));
    let cx = Ctx {
        rs,
        world,
        date,
        blocking: rs.blocking_programs(j),
        closure: result,
        doctrine: jur.doctrine_on(date),
        incoming,
    };
    cx.witness(party, &mut HashSet::new())
}

/// Ownership edges in force, by owned entity, as compressed rows of world indices.
fn incoming_index(world: &World, date: Date) -> (Vec<u32>, Vec<u32>) {
    let n = world.parties.len();
    let live = || {
        world
            .ownership
            .iter()
            .enumerate()
            .filter(|(_, e)| e.owned.idx() < n && e.owner.idx() < n && e.in_force(date))
    };
    let mut start = vec![0u32; n + 1];
    for (_, e) in live() {
        start[e.owned.idx() + 1] += 1;
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut next = start.clone();
    let mut edges = vec![0u32; start.last().copied().unwrap_or(0) as usize];
    for (i, e) in live() {
        let slot = &mut next[e.owned.idx()];
        edges[*slot as usize] = i as u32;
        *slot += 1;
    }
    (start, edges)
}

struct Ctx<'a> {
    rs: &'a RuleSet,
    world: &'a World,
    date: Date,
    blocking: Bits,
    closure: &'a Closure,
    doctrine: &'a OwnershipDoctrine,
    incoming: &'a (Vec<u32>, Vec<u32>),
}

fn name(world: &World, p: PartyIdx) -> String {
    world
        .parties
        .get(p.idx())
        .map(|x| x.id.clone())
        .unwrap_or_default()
}

/// Does a unit list contain `root`, joined before `round`?
fn in_unit(units: &[Vec<(u32, u32)>], p: PartyIdx, root: u32, before: u32) -> bool {
    units
        .get(p.idx())
        .is_some_and(|u| u.iter().any(|&(r, at)| r == root && at < before))
}

impl Ctx<'_> {
    fn node(&self, p: PartyIdx) -> super::Node {
        self.closure
            .parties
            .get(p.idx())
            .copied()
            .unwrap_or_default()
    }

    fn designations(&self, p: PartyIdx) -> Vec<DesignationFact> {
        let mut v: Vec<DesignationFact> = self
            .world
            .designations
            .iter()
            .filter(|d| d.party == p && d.in_force(self.date))
            .map(|d| DesignationFact {
                program: self
                    .rs
                    .programs
                    .get(d.program.idx())
                    .map(|x| x.id.clone())
                    .unwrap_or_default(),
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
        self.doctrine.threshold.map(pct)
    }

    /// Ownership edges in force into `p`, in world order.
    fn incoming(&self, p: PartyIdx) -> impl Iterator<Item = &OwnershipEdge> + '_ {
        let (start, edges) = self.incoming;
        let a = start.get(p.idx()).copied().unwrap_or(0) as usize;
        let b = start.get(p.idx() + 1).copied().unwrap_or(0) as usize;
        edges
            .get(a..b)
            .unwrap_or(&[])
            .iter()
            .filter_map(|&i| self.world.ownership.get(i as usize))
    }

    /// Holdings in the order a proof reads best and independent of the input's order: owners
    /// blocked later (whose own proofs are longer) first, then by owner id.
    fn in_proof_order<'e>(&self, mut edges: Vec<&'e OwnershipEdge>) -> Vec<&'e OwnershipEdge> {
        edges.sort_by(|a, b| {
            let key = |e: &OwnershipEdge| std::cmp::Reverse(self.node(e.owner).round);
            key(a).cmp(&key(b)).then_with(|| {
                name(self.world, a.owner)
                    .cmp(&name(self.world, b.owner))
                    .then_with(|| a.from.cmp(&b.from))
            })
        });
        edges
    }

    fn holding(&self, e: &OwnershipEdge, seen: &mut HashSet<PartyIdx>) -> HoldingFact {
        let (owner_status, see_above) = self.sub(e.owner, seen);
        HoldingFact {
            owner: name(self.world, e.owner),
            share: e.share.to_string(),
            counted: pct(e.share.bounds().0),
            recorded_at: e.loc.to_string(),
            owner_status,
            see_above,
        }
    }

    /// The witness of an owner or controller, unless this witness already explains it.
    fn sub(&self, p: PartyIdx, seen: &mut HashSet<PartyIdx>) -> (Option<Box<Witness>>, bool) {
        if seen.contains(&p) {
            (None, true)
        } else {
            (Some(Box::new(self.witness(p, seen))), false)
        }
    }

    fn witness(&self, p: PartyIdx, seen: &mut HashSet<PartyIdx>) -> Witness {
        seen.insert(p);
        let node = self.node(p);
        let party = name(self.world, p);
        if node.blocked {
            return self.blocked(p, node, party, seen);
        }
        if node.undetermined {
            return self.undetermined(p, party);
        }
        self.not_blocked(p, party, seen)
    }

    fn blocked(
        &self,
        p: PartyIdx,
        node: super::Node,
        party: String,
        seen: &mut HashSet<PartyIdx>,
    ) -> Witness {
        let units = &self.closure.units_lo;
        let counts = |owner: PartyIdx| -> bool {
            let o = self.node(owner);
            match node.via {
                Via::Unit(root) => in_unit(units, owner, root.0, node.round),
                Via::Joint(ja) => self
                    .world
                    .joint_arrangements
                    .get(ja as usize)
                    .is_some_and(|j| {
                        j.members.contains(&owner)
                            || j.members.iter().any(|m| {
                                units.get(m.idx()).into_iter().flatten().any(|&(root, at)| {
                                    at < node.round && in_unit(units, owner, root, node.round)
                                })
                            })
                    }),
                _ => o.blocked && o.round < node.round,
            }
        };
        match node.via {
            Via::Control(e) => {
                if let Some(c) = self.world.control.get(e as usize) {
                    let (controller_status, see_above) = self.sub(c.controller, seen);
                    return Witness::Controlled {
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
                        controller_status,
                        see_above,
                    };
                }
                Witness::Designated {
                    party,
                    designations: self.designations(p),
                }
            }
            Via::Holdings | Via::Unit(_) | Via::Joint(_) => {
                let edges =
                    self.in_proof_order(self.incoming(p).filter(|e| counts(e.owner)).collect());
                let sum: Decimal = edges.iter().map(|e| e.share.bounds().0).sum();
                let counted_as = match node.via {
                    Via::Unit(root) => {
                        Some(format!("holdings attributed to {}", name(self.world, root)))
                    }
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
                };
                Witness::Owned {
                    party,
                    holdings: edges.iter().map(|e| self.holding(e, seen)).collect(),
                    sum: pct(sum),
                    comparison: self.doctrine.comparison_str().to_string(),
                    threshold: self.threshold().unwrap_or_default(),
                    counted_as,
                }
            }
            Via::Designated | Via::None => Witness::Designated {
                party,
                designations: self.designations(p),
            },
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
            (lo, super::graph::capped(hi, hi_lo, total_lo - hi_lo))
        };
        if self.doctrine.aggregation == Aggregation::All {
            let (lo, hi) = sum_over(&|o| self.node(o).blocked, &|o| {
                self.closure.possibly_blocked(o.idx())
            });
            return vec![(String::new(), lo, hi)];
        }
        let (ul, uh) = (&self.closure.units_lo, self.closure.units_hi());
        let roots_of =
            |units: &[Vec<(u32, u32)>], ps: &mut dyn Iterator<Item = PartyIdx>| -> Vec<u32> {
                let mut v: Vec<u32> = ps
                    .flat_map(|o| units.get(o.idx()).into_iter().flatten().map(|&(r, _)| r))
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
            out.push((name(self.world, PartyIdx(root)), lo, hi));
        }
        for j in self
            .world
            .joint_arrangements
            .iter()
            .filter(|j| j.entity == p && j.in_force(self.date))
        {
            let r_lo = roots_of(ul, &mut j.members.iter().copied());
            let r_hi = roots_of(uh, &mut j.members.iter().copied());
            if r_hi.is_empty() {
                continue;
            }
            let member = |units: &[Vec<(u32, u32)>], roots: &[u32], o: PartyIdx| {
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

    fn undetermined(&self, p: PartyIdx, party: String) -> Witness {
        let sums = self.sums(p);
        let known = sums.iter().map(|s| s.1).max().unwrap_or_default();
        let possible = sums.iter().map(|s| s.2).max().unwrap_or_default();
        let mut deciding = self
            .in_proof_order(self.incoming(p).collect())
            .into_iter()
            .filter(|e| {
                // A holding decides when it counts (its owner may be blocked, or it is a member
                // of a joint arrangement over p) and is not certain (its share or its owner).
                let o = self.node(e.owner);
                let member = self.doctrine.aggregation == Aggregation::JointArrangementOnly
                    && self.world.joint_arrangements.iter().any(|j| {
                        j.entity == p && j.in_force(self.date) && j.members.contains(&e.owner)
                    });
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
            .collect::<Vec<String>>();
        // A joint arrangement over p counts for whichever designated persons its members stand
        // for: a member whose standing is undetermined decides it too.
        if self.doctrine.aggregation == Aggregation::JointArrangementOnly {
            for j in self
                .world
                .joint_arrangements
                .iter()
                .filter(|j| j.entity == p && j.in_force(self.date))
            {
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
        }
        // Control by an undetermined person decides it too, where control blocks.
        let mut undetermined_controllers = Vec::new();
        if self.doctrine.control == crate::model::ruleset::ControlEffect::Blocks {
            for c in self
                .world
                .control
                .iter()
                .filter(|c| c.controlled == p && c.in_force(self.date))
            {
                let counts = self.doctrine.control_bases.is_empty()
                    || self.doctrine.control_bases.contains(c.basis);
                if counts && self.node(c.controller).undetermined {
                    let who = name(self.world, c.controller);
                    let basis = self
                        .rs
                        .vocabulary
                        .control_bases
                        .get(c.basis)
                        .map(|t| t.id.as_str())
                        .unwrap_or("?");
                    deciding.push(format!("{who}'s control through {basis} (recorded at {}) ({who} is itself undetermined)", c.loc));
                    undetermined_controllers.push(who);
                }
            }
        }
        Witness::Undetermined {
            party,
            known_sum: pct(known),
            possible_sum: pct(possible),
            comparison: self.doctrine.comparison_str().to_string(),
            threshold: self.threshold().unwrap_or_default(),
            deciding,
            undetermined_controllers,
        }
    }

    /// Non-aggregating doctrines: the designated persons whose holdings `p`'s may or may not
    /// count for (in their unit at the upper bounds, not at the lower bounds).
    fn uncertain_units(&self, p: PartyIdx) -> Vec<String> {
        let lo = self.closure.units_lo.get(p.idx());
        let mut v: Vec<String> = self
            .closure
            .units_hi()
            .get(p.idx())
            .into_iter()
            .flatten()
            .filter(|(r, _)| !lo.is_some_and(|l| l.iter().any(|(x, _)| x == r)))
            .map(|&(r, _)| name(self.world, PartyIdx(r)))
            .collect();
        v.sort();
        v
    }

    fn not_blocked(&self, p: PartyIdx, party: String, seen: &mut HashSet<PartyIdx>) -> Witness {
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
            .world
            .control
            .iter()
            .filter(|c| {
                c.controlled == p && c.in_force(self.date) && self.node(c.controller).blocked
            })
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
        Witness::NotBlocked {
            party,
            designations: self.designations(p),
            blocked_holdings: blocked_edges
                .iter()
                .map(|e| self.holding(e, seen))
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
