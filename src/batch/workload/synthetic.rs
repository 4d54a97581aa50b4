//! The synthetic parties and holdings of a workload: banks, individuals and organizations in
//! weighted countries, then holdings in five kinds (SDN-owned chains, aggregation, cycles,
//! control, minority holdings) up to the edge budget.

use std::collections::HashSet;

use rust_decimal::Decimal;

use super::{COUNTRIES, EDGE_DATES, Rng, Spec, date};
use crate::model::PartyKind;
use crate::model::ruleset::RuleSet;
use crate::model::values::{Date, Share};

/// A synthetic party.
#[derive(Debug, Clone)]
pub struct SynParty {
    /// The party's id (`w000042`).
    pub id: String,
    /// Individual, organization or bank.
    pub kind: PartyKind,
    /// The ISO 3166 code of its country.
    pub country: &'static str,
    /// A branch of this party (by index among the synthetic parties).
    pub branch_of: Option<usize>,
}

/// An ownership or control edge between parties named by id.
#[derive(Debug, Clone)]
pub struct SynEdge {
    /// The owner's or controller's party id.
    pub owner: String,
    /// The owned or controlled party's id.
    pub owned: String,
    /// `None`: a control edge (board appointment).
    pub share: Option<Share>,
    /// The first day of the edge; `None`: from the start of time.
    pub from: Option<Date>,
    /// The day it ends; `None`: open-ended.
    pub until: Option<Date>,
}

/// Everything synthetic in the world, before it is written or built.
#[derive(Debug, Clone)]
pub struct Synthetic {
    /// The synthetic parties, in id order.
    pub parties: Vec<SynParty>,
    /// Their ownership and control edges.
    pub edges: Vec<SynEdge>,
}

/// Ids of the SDN parties the workload uses as owners, split by whether the U.S. packs block
/// them (a tag mapped to a blocking program).
fn sdn_owners(rs: &RuleSet, list: &crate::lists::SdnList) -> Vec<String> {
    list.entries
        .iter()
        .filter(|e| {
            e.tags.iter().any(|t| {
                rs.index.list_tags.get(t).is_some_and(|ps| {
                    ps.iter()
                        .any(|p| rs.programs.get(*p).is_some_and(|x| x.blocking))
                })
            })
        })
        .map(|e| e.id())
        .collect()
}

/// The synthetic parties and edges of a workload.
pub fn synthetic(spec: &Spec, rs: &RuleSet, list: &crate::lists::SdnList) -> Synthetic {
    let mut rng = Rng::new(spec.seed);
    let sdn = sdn_owners(rs, list);
    let parties = parties(spec.entities, &mut rng);
    let entities: Vec<usize> = (0..spec.entities)
        .filter(|&i| parties.get(i).is_some_and(|p| p.kind.is_entity()))
        .collect();
    let mut h = Holdings {
        rng,
        sdn,
        entities,
        next_entity: 0,
        room: vec![100u32; spec.entities],
        edges: Vec::with_capacity(spec.edges),
        seen: HashSet::new(),
        budget: spec.edges,
        parties: spec.entities,
    };
    // The kinds of holdings in a fixed order: the random stream, and so the workload, depends
    // on it.
    h.sdn_chains();
    h.aggregation();
    h.cycles();
    h.board_control();
    h.minority_holdings();
    Synthetic {
        parties,
        edges: h.edges,
    }
}

fn id(i: usize) -> String {
    format!("w{i:06}")
}

/// `n` parties: every 50th a bank, then a few individuals, the rest organizations; a few banks
/// are foreign branches of U.S. banks (U.S. persons wherever they sit).
fn parties(n: usize, rng: &mut Rng) -> Vec<SynParty> {
    let mut parties = Vec::with_capacity(n);
    for i in 0..n {
        let kind = match i % 50 {
            0 => PartyKind::FinancialInstitution,
            1..=5 => PartyKind::Individual,
            _ => PartyKind::Organization,
        };
        let country = COUNTRIES
            .get(rng.below(COUNTRIES.len()))
            .copied()
            .unwrap_or("US");
        parties.push(SynParty {
            id: id(i),
            kind,
            country,
            branch_of: None,
        });
    }
    let us_banks: Vec<usize> = (0..n)
        .step_by(50)
        .filter(|&i| parties.get(i).is_some_and(|p| p.country == "US"))
        .collect();
    for i in (0..n).step_by(50 * 17) {
        if let (Some(&head), Some(p)) = (rng.pick(&us_banks), parties.get_mut(i))
            && head != i
            && p.country != "US"
        {
            p.branch_of = Some(head);
        }
    }
    parties
}

/// The holdings as they are drawn: what each kind of holding shares with the next.
struct Holdings {
    rng: Rng,
    /// Ids of the SDN parties that own.
    sdn: Vec<String>,
    /// Indices of the synthetic entities (organizations and banks).
    entities: Vec<usize>,
    /// Position in `entities`: the structured kinds use each entity once.
    next_entity: usize,
    /// Percent of each party not yet held by someone (at the lower bound of its holdings).
    room: Vec<u32>,
    edges: Vec<SynEdge>,
    /// Holdings between two synthetic parties: never a second one between the same two (the
    /// world file would refuse it).
    seen: HashSet<(usize, usize)>,
    budget: usize,
    /// How many synthetic parties there are.
    parties: usize,
}

impl Holdings {
    /// The next entity not yet used by a structured kind.
    fn take(&mut self) -> Option<usize> {
        let e = self.entities.get(self.next_entity).copied();
        self.next_entity += 1;
        e
    }

    /// `owner` holds `share` of `owned`, of which `pct` percent at least.
    fn push(&mut self, owner: String, owned: usize, pct: u32, share: Share) {
        if let Some(r) = self.room.get_mut(owned) {
            *r = r.saturating_sub(pct);
        }
        self.edges.push(SynEdge {
            owner,
            owned: id(owned),
            share: Some(share),
            from: None,
            until: None,
        });
    }

    /// Owned by one SDN party at 50-100%: blocked by the U.S. doctrine (and by the EU/UK ones
    /// above 50%), then chains below them, 1 to 8 levels deep.
    fn sdn_chains(&mut self) {
        let seeds = (self.budget / 100).max(1);
        for s in 0..seeds {
            if self.edges.len() >= self.budget {
                break;
            }
            let (Some(owner), Some(top)) = (self.rng.pick(&self.sdn).cloned(), self.take()) else {
                break;
            };
            let pct = [50u32, 51, 60, 75, 100][s % 5];
            self.push(owner, top, pct, exact(pct));
            let depth = self.rng.below(8);
            let mut above = top;
            for _ in 0..depth {
                let Some(next) = self.take() else { break };
                let pct = [50u32, 55, 70, 100][self.rng.below(4)];
                self.push(id(above), next, pct, exact(pct));
                self.seen.insert((above, next));
                above = next;
            }
        }
    }

    /// Aggregation: two or three SDN owners of 20-30% each.
    fn aggregation(&mut self) {
        for _ in 0..(self.budget / 300).max(1) {
            let Some(owned) = self.take() else { break };
            for _ in 0..2 + self.rng.below(2) {
                if let Some(owner) = self.rng.pick(&self.sdn).cloned() {
                    let pct = 20 + 5 * self.rng.below(3) as u32;
                    self.push(owner, owned, pct, exact(pct));
                }
            }
        }
    }

    /// Cycles of two to four entities holding 10-40% of each other; some of them hang under an
    /// SDN owner that holds 50% of one member.
    fn cycles(&mut self) {
        for c in 0..(self.budget / 100).max(1) {
            let len = 2 + self.rng.below(3);
            let members: Vec<usize> = (0..len).filter_map(|_| self.take()).collect();
            if members.len() < 2 {
                break;
            }
            for (m, &a) in members.iter().enumerate() {
                let b = members.get((m + 1) % members.len()).copied().unwrap_or(a);
                let pct = 10 + 10 * self.rng.below(4) as u32;
                self.push(id(a), b, pct, exact(pct));
                self.seen.insert((a, b));
            }
            if c % 5 == 0
                && let (Some(owner), Some(&first)) =
                    (self.rng.pick(&self.sdn).cloned(), members.first())
            {
                self.push(owner, first, 50, exact(50));
            }
        }
    }

    /// Control by board appointment from SDN parties.
    fn board_control(&mut self) {
        for _ in 0..(self.budget / 500).max(1) {
            if let (Some(owner), Some(&owned)) = (
                self.rng.pick(&self.sdn).cloned(),
                self.rng.pick(&self.entities),
            ) {
                self.edges.push(SynEdge {
                    owner,
                    owned: id(owned),
                    share: None,
                    from: None,
                    until: None,
                });
            }
        }
    }

    /// Minority holdings between random parties up to the edge budget: mostly exact, some
    /// ranged or unknown, some beginning or ending on a date.
    fn minority_holdings(&mut self) {
        let mut attempts = 0usize;
        while self.edges.len() < self.budget && attempts < self.budget * 20 {
            attempts += 1;
            let Some(&owned) = self.rng.pick(&self.entities) else {
                break;
            };
            let owner = self.rng.below(self.parties);
            let free = self.room.get(owned).copied().unwrap_or(0);
            if owner == owned || free < 5 || !self.seen.insert((owner, owned)) {
                continue;
            }
            let pct = (1 + self.rng.below(45) as u32).min(free);
            let share = match self.rng.below(100) {
                0 => Share::Unknown,
                1 => Share::Range(Decimal::from(pct / 2), Decimal::from(pct)),
                _ => exact(pct),
            };
            let lower = match share {
                Share::Exact(_) => pct,
                Share::Range(..) => pct / 2,
                Share::Unknown => 0,
            };
            self.push(id(owner), owned, lower, share);
            if self.rng.chance(10) {
                self.date_last_holding();
            }
        }
    }

    /// The holding just drawn begins (rarely) or ends on one of the workload's dates.
    fn date_last_holding(&mut self) {
        let Some(e) = self.edges.last_mut() else {
            return;
        };
        let d = date(
            EDGE_DATES
                .get(self.rng.below(EDGE_DATES.len()))
                .copied()
                .unwrap_or("2025-01-01"),
        );
        if self.rng.chance(500) {
            e.from = Some(d);
        } else {
            e.until = Some(d);
        }
    }
}

fn exact(pct: u32) -> Share {
    Share::Exact(Decimal::from(pct))
}
