//! Witnesses: the proof behind a party's status, recursively down to designations.
//!
//! A blocked party's witness lists the holdings that reached the threshold when it became
//! blocked (owners blocked in earlier fixed-point rounds), each with its owner's own witness,
//! so the recursion always ends at designations. A party that is not blocked but has blocked
//! owners carries the sum that fell short; an undetermined one names the edges whose unknown
//! shares decide it.

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Bound, Graph, Via, closure, fixpoint};
use crate::model::ruleset::RuleSet;
use crate::model::values::{Date, Share};
use crate::model::world::World;
use crate::model::{JurisdictionIdx, PartyIdx};
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
    pub owner_status: Box<Witness>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "status", rename_all = "snake_case")]
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
        controller_status: Box<Witness>,
    },
    /// Not blocked; blocked persons may hold or control part of it.
    NotBlocked {
        party: String,
        designations: Vec<DesignationFact>,
        blocked_holdings: Vec<HoldingFact>,
        sum: String,
        comparison: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        threshold: Option<String>,
        controlled_by: Vec<String>,
    },
    /// Cannot be decided: unknown or ranged shares could reach the threshold.
    Undetermined {
        party: String,
        known_sum: String,
        possible_sum: String,
        comparison: String,
        threshold: String,
        /// Holdings whose exact shares would decide it.
        deciding: Vec<String>,
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
        let mut seen = HashSet::new();
        render(self, &mut seen)
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

fn render(w: &Witness, seen: &mut HashSet<String>) -> String {
    match w {
        Witness::Designated {
            party,
            designations,
        } => {
            seen.insert(party.clone());
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
            seen.insert(party.clone());
            let parts: Vec<String> = holdings
                .iter()
                .map(|h| {
                    let inner = if seen.contains(&h.owner) {
                        String::new()
                    } else {
                        format!(" ({})", render(&h.owner_status, seen))
                    };
                    format!("{} holds {}{inner}", h.owner, h.share)
                })
                .collect();
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
            seen.insert(party.clone());
            let inner = if seen.contains(controller) {
                String::new()
            } else {
                format!(" ({})", render(controller_status, seen))
            };
            format!("{party} is blocked: controlled by {controller}{inner} through {basis}")
        }
        Witness::NotBlocked {
            party,
            designations,
            blocked_holdings,
            sum,
            comparison,
            threshold,
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
                let parts: Vec<String> = blocked_holdings
                    .iter()
                    .map(|h| format!("{} holds {}", h.owner, h.share))
                    .collect();
                let verdict = match threshold {
                    Some(t) => format!(" = {sum}, not {comparison} {t}"),
                    None => " (this jurisdiction has no numeric ownership test)".to_string(),
                };
                s.push_str(&format!(
                    ": blocked holdings {}{verdict}",
                    parts.join(" + ")
                ));
            }
            if !controlled_by.is_empty() {
                s.push_str(&format!(
                    "; controlled by blocked {} (control alone does not block here)",
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
        } => format!(
            "{party} is undetermined: blocked holdings are at least {known_sum} and at most {possible_sum} against {comparison} {threshold}; decided by {}",
            deciding.join(", ")
        ),
    }
}

/// Explain `party`'s status in `j` on `date`.
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
    let Some(jur) = rs.jurisdictions.get(j.idx()) else {
        return Witness::NotBlocked {
            party: name(world, party),
            designations: Vec::new(),
            blocked_holdings: Vec::new(),
            sum: "0%".into(),
            comparison: String::new(),
            threshold: None,
            controlled_by: Vec::new(),
        };
    };
    let doctrine = &jur.doctrine;
    let graph = Graph::build(world, date, doctrine);
    let direct: Vec<bool> = designated.iter().map(|d| d.intersects(blocking)).collect();
    let hi = fixpoint(doctrine, world, &graph, &direct, Bound::Hi);
    let cx = Ctx {
        rs,
        world,
        date,
        blocking,
        nodes: &result.parties,
        hi_blocked: &hi.blocked,
        doctrine,
    };
    cx.witness(party, 0)
}

struct Ctx<'a> {
    rs: &'a RuleSet,
    world: &'a World,
    date: Date,
    blocking: crate::model::Bits,
    nodes: &'a [super::Node],
    hi_blocked: &'a [bool],
    doctrine: &'a crate::model::ruleset::OwnershipDoctrine,
}

fn name(world: &World, p: PartyIdx) -> String {
    world
        .parties
        .get(p.idx())
        .map(|x| x.id.clone())
        .unwrap_or_default()
}

impl Ctx<'_> {
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
    fn incoming(&self, p: PartyIdx) -> impl Iterator<Item = &crate::model::world::OwnershipEdge> {
        self.world
            .ownership
            .iter()
            .filter(move |e| e.owned == p && e.in_force(self.date))
    }

    fn attributed_to(&self, p: PartyIdx, root: PartyIdx, depth: u32) -> bool {
        if p == root {
            return true;
        }
        if depth > 64 {
            return false;
        }
        match self.nodes.get(p.idx()).map(|n| n.via) {
            Some(Via::Unit(r)) => r == root,
            Some(Via::Control(e)) => self
                .world
                .control
                .get(e)
                .is_some_and(|c| self.attributed_to(c.controller, root, depth + 1)),
            _ => false,
        }
    }

    fn holding(&self, e: &crate::model::world::OwnershipEdge, depth: u32) -> HoldingFact {
        HoldingFact {
            owner: name(self.world, e.owner),
            share: e.share.to_string(),
            counted: pct(e.share.bounds().0),
            recorded_at: e.loc.to_string(),
            owner_status: Box::new(self.witness(e.owner, depth + 1)),
        }
    }

    fn witness(&self, p: PartyIdx, depth: u32) -> Witness {
        let node = self.nodes.get(p.idx()).copied().unwrap_or_default();
        let party = name(self.world, p);
        if node.blocked && depth < 64 {
            match node.via {
                Via::Designated | Via::None => {
                    return Witness::Designated {
                        party,
                        designations: self.designations(p),
                    };
                }
                Via::Control(e) => {
                    if let Some(c) = self.world.control.get(e) {
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
                            controller_status: Box::new(self.witness(c.controller, depth + 1)),
                        };
                    }
                }
                Via::Holdings | Via::Unit(_) | Via::Joint(_) => {
                    let counts = |owner: PartyIdx| -> bool {
                        let o = self.nodes.get(owner.idx()).copied().unwrap_or_default();
                        if !o.blocked || o.round >= node.round {
                            return false;
                        }
                        match node.via {
                            Via::Unit(root) => self.attributed_to(owner, root, 0),
                            Via::Joint(ja) => {
                                self.world.joint_arrangements.get(ja).is_some_and(|j| {
                                    j.members.iter().any(|m| self.attributed_to(owner, *m, 0))
                                })
                            }
                            _ => true,
                        }
                    };
                    let edges: Vec<_> = self.incoming(p).filter(|e| counts(e.owner)).collect();
                    let sum: Decimal = edges.iter().map(|e| e.share.bounds().0).sum();
                    let counted_as = match node.via {
                        Via::Unit(root) => {
                            Some(format!("holdings attributed to {}", name(self.world, root)))
                        }
                        Via::Joint(ja) => self.world.joint_arrangements.get(ja).map(|j| {
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
                    return Witness::Owned {
                        party,
                        holdings: edges.iter().map(|e| self.holding(e, depth)).collect(),
                        sum: pct(sum),
                        comparison: self.doctrine.comparison_str().to_string(),
                        threshold: self.threshold().unwrap_or_default(),
                        counted_as,
                    };
                }
            }
        }
        if node.undetermined {
            let known: Decimal = self
                .incoming(p)
                .filter(|e| self.nodes.get(e.owner.idx()).is_some_and(|o| o.blocked))
                .map(|e| e.share.bounds().0)
                .sum();
            let possible: Decimal = self
                .incoming(p)
                .filter(|e| self.hi_blocked.get(e.owner.idx()).copied().unwrap_or(false))
                .map(|e| e.share.bounds().1)
                .sum();
            let deciding = self
                .incoming(p)
                .filter(|e| {
                    let hi = self.hi_blocked.get(e.owner.idx()).copied().unwrap_or(false);
                    let lo = self.nodes.get(e.owner.idx()).is_some_and(|o| o.blocked);
                    hi && (!lo || !matches!(e.share, Share::Exact(_)))
                })
                .map(|e| {
                    let owner = name(self.world, e.owner);
                    let why = if self
                        .nodes
                        .get(e.owner.idx())
                        .is_some_and(|o| o.undetermined)
                    {
                        format!(" ({owner} is itself undetermined)")
                    } else {
                        String::new()
                    };
                    format!("{owner} holds {} (recorded at {}){why}", e.share, e.loc)
                })
                .collect();
            return Witness::Undetermined {
                party,
                known_sum: pct(known),
                possible_sum: pct(possible),
                comparison: self.doctrine.comparison_str().to_string(),
                threshold: self.threshold().unwrap_or_default(),
                deciding,
            };
        }
        let blocked_edges: Vec<_> = self
            .incoming(p)
            .filter(|e| self.nodes.get(e.owner.idx()).is_some_and(|o| o.blocked))
            .collect();
        let sum: Decimal = blocked_edges.iter().map(|e| e.share.bounds().0).sum();
        let controlled_by = self
            .world
            .control
            .iter()
            .filter(|c| {
                c.controlled == p
                    && c.in_force(self.date)
                    && self
                        .nodes
                        .get(c.controller.idx())
                        .is_some_and(|o| o.blocked)
            })
            .map(|c| name(self.world, c.controller))
            .collect();
        Witness::NotBlocked {
            party,
            designations: self.designations(p),
            blocked_holdings: blocked_edges
                .iter()
                .map(|e| self.holding(e, depth))
                .collect(),
            sum: pct(sum),
            comparison: self.doctrine.comparison_str().to_string(),
            threshold: self.threshold(),
            controlled_by,
        }
    }
}
