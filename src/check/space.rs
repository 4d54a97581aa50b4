//! The condition space of a group of rules, and the engine's semantics evaluated on it.
//!
//! A group is a handful of rules of one jurisdiction (a rule alone; a prohibition with the
//! exceptions and overrides that can touch it; ...). Its space is the product of its
//! transaction points (`txspace.rs`) and the sets of party clauses a transaction can meet
//! (`party.rs`, `slots.rs`). On each point the group's rules fire or not exactly as the
//! evaluator decides (in force on the date, `when` holds, `unless` does not, and for a
//! prohibition with an actor, some party meets the actor clause), and defeat is decided as the
//! evaluator decides it, by the same code (`eval::defeat`): an exception defeats a prohibition
//! it selects unless a firing override that names it protects that prohibition.

use super::cache::Shared;
use super::party::{self, PartySpace};
use super::slots::{self, Clause, PartyPoint};
use super::txspace::{self, TxPoint, TxSpace};
use crate::eval::defeat;
use crate::model::ruleset::{Conditions, PartyPredicate, Rule, RuleKind, RuleSet};
use crate::model::world::World;
use crate::model::{Bits, JurisdictionIdx, RuleIdx};

/// A condition compiled against the group's tables.
#[derive(Debug, Clone)]
struct Compiled {
    /// Index into the transaction points' `holds`.
    tx: usize,
    parties: Vec<usize>,
    no_party: Vec<usize>,
    cross_border: Option<bool>,
    /// Alternatives: at least one must hold (none: no alternative is required).
    any: Vec<Compiled>,
}

#[derive(Debug, Clone)]
struct GroupRule {
    idx: RuleIdx,
    when: Compiled,
    unless: Option<Compiled>,
    /// The actor clause of a prohibition (it fires only if some party meets it).
    actor: Option<usize>,
}

/// An extra party clause every point of the space must meet (or must not meet).
#[derive(Debug, Clone)]
pub struct Assumption {
    pub roles: Bits,
    pub pred: PartyPredicate,
    pub holds: bool,
}

pub struct Space<'a> {
    pub rs: &'a RuleSet,
    pub j: JurisdictionIdx,
    rules: Vec<GroupRule>,
    pub tx: TxSpace,
    pub party: PartySpace,
    pub clauses: Vec<Clause>,
    pub points: Vec<PartyPoint>,
    pub sampled: bool,
}

/// One point of the space with the group's firings evaluated.
pub struct Point<'s, 'a> {
    pub space: &'s Space<'a>,
    pub tx: usize,
    pub party: usize,
    fired: Vec<bool>,
}

impl<'a> Space<'a> {
    /// The space of `rules` of jurisdiction `j` (others are ignored), under `assumptions`.
    /// `reference` is the packs' reference world (its parties' countries are enumerated).
    pub fn new(
        rs: &'a RuleSet,
        reference: &World,
        j: JurisdictionIdx,
        rules: &[RuleIdx],
        assumptions: &[Assumption],
    ) -> Space<'a> {
        let shared = Shared::unmemoized(rs, reference);
        Space::build(rs, j, rules, assumptions, &shared)
    }

    /// The same, with what groups share taken from `shared` (made for `rs`).
    pub fn build(
        rs: &'a RuleSet,
        j: JurisdictionIdx,
        rules: &[RuleIdx],
        assumptions: &[Assumption],
        shared: &Shared,
    ) -> Space<'a> {
        let mut list: Vec<RuleIdx> = Vec::new();
        for r in rules {
            if !list.contains(r) && rs.rules.get(*r).is_some_and(|x| x.jurisdiction == j) {
                list.push(*r);
            }
        }
        let defs: Vec<&Rule> = list.iter().filter_map(|r| rs.rules.get(*r)).collect();

        let assumed_preds: Vec<PartyPredicate> =
            assumptions.iter().map(|a| a.pred.clone()).collect();
        let mut conds: Vec<&Conditions> = Vec::new();
        let mut preds: Vec<&PartyPredicate> = Vec::new();
        let mut clauses: Vec<Clause> = Vec::new();
        let mut compiled: Vec<GroupRule> = Vec::new();
        for (r, def) in list.iter().zip(&defs) {
            let when = compile(&def.when, &mut conds, &mut preds, &mut clauses);
            let unless = def
                .unless
                .as_ref()
                .map(|u| compile(u, &mut conds, &mut preds, &mut clauses));
            let actor = match (&def.actor, def.kind) {
                (Some(a), RuleKind::Prohibition) => {
                    Some(intern(a.roles, &a.pred, &mut preds, &mut clauses))
                }
                _ => None,
            };
            compiled.push(GroupRule {
                idx: *r,
                when,
                unless,
                actor,
            });
        }
        let assumed: Vec<(usize, bool)> = assumptions
            .iter()
            .zip(&assumed_preds)
            .map(|(a, p)| (intern(a.roles, p, &mut preds, &mut clauses), a.holds))
            .collect();

        let cross_border = conds.iter().any(|c| c.cross_border.is_some());
        let tx = txspace::build(rs, j, &conds, &defs, &shared.known_currencies);
        let party = party::build(rs, j, &preds, cross_border, shared);
        let (mut points, slots_sampled) = slots::build(&party, &clauses, cross_border);
        points.retain(|p| {
            assumed
                .iter()
                .all(|&(c, want)| (p.bits & (1 << c) != 0) == want)
        });
        let sampled = tx.sampled || party.sampled || slots_sampled;
        Space {
            rs,
            j,
            rules: compiled,
            tx,
            party,
            clauses,
            points,
            sampled,
        }
    }

    /// How many cases the space holds (transaction points times party combinations).
    pub fn cases(&self) -> usize {
        self.tx.points.len() * self.points.len()
    }

    fn point(&self, tx: usize, party: usize) -> Point<'_, 'a> {
        let (Some(t), Some(p)) = (self.tx.points.get(tx), self.points.get(party)) else {
            return Point {
                space: self,
                tx,
                party,
                fired: vec![false; self.rules.len()],
            };
        };
        let fired = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, g)| fires(self.rs, g, i, t, p))
            .collect();
        Point {
            space: self,
            tx,
            party,
            fired,
        }
    }

    /// The first point (in enumeration order) where `f` holds.
    pub fn find(&self, mut f: impl FnMut(&Point) -> bool) -> Option<Point<'_, 'a>> {
        for pi in 0..self.points.len() {
            for ti in 0..self.tx.points.len() {
                let p = self.point(ti, pi);
                if f(&p) {
                    return Some(p);
                }
            }
        }
        None
    }

    pub fn tx_point(&self, i: usize) -> Option<&TxPoint> {
        self.tx.points.get(i)
    }

    pub fn party_point(&self, i: usize) -> Option<&PartyPoint> {
        self.points.get(i)
    }
}

fn compile<'p>(
    c: &'p Conditions,
    conds: &mut Vec<&'p Conditions>,
    preds: &mut Vec<&'p PartyPredicate>,
    clauses: &mut Vec<Clause>,
) -> Compiled {
    conds.push(c);
    Compiled {
        tx: conds.len() - 1,
        parties: c
            .parties
            .iter()
            .map(|x| intern(x.roles, &x.pred, preds, clauses))
            .collect(),
        no_party: c
            .no_party
            .iter()
            .map(|x| intern(x.roles, &x.pred, preds, clauses))
            .collect(),
        cross_border: c.cross_border,
        any: c
            .any
            .iter()
            .map(|a| compile(a, conds, preds, clauses))
            .collect(),
    }
}

/// Index of the clause `(roles, pred)`, adding it (and its predicate) if new.
fn intern<'p>(
    roles: Bits,
    pred: &'p PartyPredicate,
    preds: &mut Vec<&'p PartyPredicate>,
    clauses: &mut Vec<Clause>,
) -> usize {
    let pi = match preds.iter().position(|p| *p == pred) {
        Some(i) => i,
        None => {
            preds.push(pred);
            preds.len() - 1
        }
    };
    let c = Clause { roles, pred: pi };
    match clauses.iter().position(|x| *x == c) {
        Some(i) => i,
        None => {
            clauses.push(c);
            clauses.len() - 1
        }
    }
}

fn holds(c: &Compiled, t: &TxPoint, p: &PartyPoint) -> bool {
    t.holds.get(c.tx).copied().unwrap_or(false)
        && c.parties.iter().all(|&i| p.bits & (1 << i) != 0)
        && c.no_party.iter().all(|&i| p.bits & (1 << i) == 0)
        && c.cross_border.is_none_or(|b| b == p.cross_border)
        && (c.any.is_empty() || c.any.iter().any(|a| holds(a, t, p)))
}

fn fires(rs: &RuleSet, g: &GroupRule, pos: usize, t: &TxPoint, p: &PartyPoint) -> bool {
    let claimed = rs.rules.get(g.idx).is_some_and(|r| !r.requires_claim);
    claimed
        && t.in_force.get(pos).copied().unwrap_or(false)
        && holds(&g.when, t, p)
        && !g.unless.as_ref().is_some_and(|u| holds(u, t, p))
        && g.actor.is_none_or(|a| p.bits & (1 << a) != 0)
}

impl Point<'_, '_> {
    pub fn fired(&self, r: RuleIdx) -> bool {
        self.space
            .rules
            .iter()
            .position(|g| g.idx == r)
            .and_then(|i| self.fired.get(i).copied())
            .unwrap_or(false)
    }

    /// Firing rules of the group of `kind` (exceptions when `None`).
    fn firing(&self, kind: Option<RuleKind>) -> impl Iterator<Item = RuleIdx> {
        self.space
            .rules
            .iter()
            .zip(&self.fired)
            .filter(|&(_, &fired)| fired)
            .map(|(g, _)| g.idx)
            .filter(move |&r| {
                self.space.rs.rules.get(r).is_some_and(|x| match kind {
                    Some(k) => x.kind == k,
                    None => x.kind.is_exception(),
                })
            })
    }

    /// Firing overrides that protect prohibition `p` from exception `e`.
    pub fn protectors(&self, p: RuleIdx, e: RuleIdx) -> Vec<RuleIdx> {
        defeat::protectors(self.space.rs, self, p, e).collect()
    }

    /// Firing exceptions of the group that select prohibition `p`.
    pub fn selecting(&self, p: RuleIdx) -> Vec<RuleIdx> {
        defeat::selecting(self.space.rs, self, p).collect()
    }

    /// Firing exceptions that defeat prohibition `p` here (selected and not protected); empty
    /// when `p` does not fire.
    pub fn defeaters(&self, p: RuleIdx) -> Vec<RuleIdx> {
        if !self.fired(p) {
            return Vec::new();
        }
        defeat::defeaters(self.space.rs, self, p)
    }

    /// Prohibition `p` fires and nothing defeats it.
    pub fn stands(&self, p: RuleIdx) -> bool {
        self.fired(p) && self.defeaters(p).is_empty()
    }

    /// Prohibition `p` fires and is defeated.
    pub fn defeated(&self, p: RuleIdx) -> bool {
        self.fired(p) && !self.defeaters(p).is_empty()
    }
}

/// What fired at a point, in the group's order: defeat reads it as it reads the evaluator's.
impl defeat::Firings for Point<'_, '_> {
    fn exceptions(&self) -> impl Iterator<Item = RuleIdx> {
        self.firing(None)
    }

    fn overrides(&self) -> impl Iterator<Item = RuleIdx> {
        self.firing(Some(RuleKind::Override))
    }
}
