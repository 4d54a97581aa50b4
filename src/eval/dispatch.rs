//! Rule dispatch: which rules can fire on a transaction, from facts known before any condition
//! is evaluated.
//!
//! Two facts select candidates. The transaction type: a rule whose `when.transaction_type`
//! excludes it is never a candidate (the type is the first part evaluated, so the rule would
//! fail before reading anything else). And the statuses present among the transaction's
//! parties: a rule whose `when.party` clauses need a blocked, designated, undetermined or
//! flagged party (or a knowing one, or a fuzzy list match) cannot fire when no party of the
//! transaction has that status. Most transactions involve no party with any status, so most
//! rules are skipped.
//!
//! Skipping must not change a decision. A skipped rule would have failed, but its amount
//! conditions, evaluated before its party clauses, could have recorded an issue (a missing
//! exchange rate); so the status filter applies only when every conversion the rules can ask
//! for is known to succeed ([`RuleIndex::amount_safe`]). Tracing evaluates every rule.

use rust_decimal::Decimal;

use crate::eval::conditions::PartyFact;
use crate::model::ruleset::{Conditions, PartyClause, RuleKind, RuleSet};
use crate::model::values::{Currency, Money};
use crate::model::world::World;
use crate::model::{IndexVec, JurisdictionIdx, NexusIdx, PartyIdx, RuleIdx, TxTypeIdx};

pub const BLOCKED: u8 = 1;
pub const DESIGNATED: u8 = 1 << 1;
pub const UNDETERMINED: u8 = 1 << 2;
pub const MINORITY: u8 = 1 << 3;
pub const CONTROLLED: u8 = 1 << 4;
pub const KNOWING: u8 = 1 << 5;
pub const FUZZY: u8 = 1 << 6;

/// The statuses a party clause needs some party to have.
pub fn clause_needs(c: &PartyClause) -> u8 {
    let p = &c.pred;
    let mut n = 0;
    if p.blocked == Some(true) || p.blocked_under.is_some() {
        n |= BLOCKED;
    }
    if p.designated.is_some() {
        n |= DESIGNATED;
    }
    if p.ownership_undetermined == Some(true) {
        n |= UNDETERMINED;
    }
    if p.blocked_minority_owner == Some(true) {
        n |= MINORITY;
    }
    if p.controlled_by_blocked == Some(true) {
        n |= CONTROLLED;
    }
    if p.knowing == Some(true) {
        n |= KNOWING;
    }
    if p.fuzzy_list_match == Some(true) {
        n |= FUZZY;
    }
    n
}

/// The statuses one party brings to a transaction (`fuzzy`: it has fuzzy list candidates).
#[inline]
pub fn fact_flags(f: &PartyFact, fuzzy: bool) -> u8 {
    let s = &f.state;
    let mut n = 0;
    if s.blocked {
        n |= BLOCKED;
    }
    if !s.designated.is_empty() {
        n |= DESIGNATED;
    }
    if s.undetermined {
        n |= UNDETERMINED;
    }
    // The predicates compare these flags with `blocked` cleared; a party that has them at all
    // may meet a clause asking for them.
    if s.minority_blocked {
        n |= MINORITY;
    }
    if s.controlled_by_blocked {
        n |= CONTROLLED;
    }
    if f.knowing {
        n |= KNOWING;
    }
    if fuzzy {
        n |= FUZZY;
    }
    n
}

/// A rule that may fire on some transaction type, and the statuses it needs.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    pub rule: RuleIdx,
    pub needs: u8,
}

/// Candidates per jurisdiction and transaction type, in pack order.
/// The candidates of one jurisdiction and transaction type, in pack order.
#[derive(Debug, Clone, Default)]
pub struct TypeRules {
    /// Every candidate (tracing is off but amounts cannot be trusted to convert).
    pub all: Vec<Candidate>,
    /// Prohibitions.
    pub prohibitions: Vec<Candidate>,
    /// Prohibitions that need no status: all that can fire when no party has one.
    pub free: Vec<Candidate>,
    /// Exemptions, licenses and overrides: they matter only once a prohibition fired.
    pub exceptions: Vec<Candidate>,
}

/// A nexus test reduced to what it reads, when it reads little: "for each clause, some party in
/// one of these roles passes one of these person tests". Most nexus tests are of this form
/// ("a U.S. person takes part"), and every transaction evaluates every nexus test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestsOnly(pub Vec<(crate::model::Bits, crate::model::Bits)>);

impl TestsOnly {
    /// The plan of `c`, if it has that form (anything else is evaluated in full).
    pub fn of(c: &Conditions) -> Option<TestsOnly> {
        let only_parties = Conditions {
            parties: Vec::new(),
            ..c.clone()
        };
        if c.parties.is_empty() || !only_parties.is_empty() {
            return None;
        }
        c.parties
            .iter()
            .map(|clause| {
                let tests = clause.pred.tests?;
                let rest = crate::model::ruleset::PartyPredicate {
                    tests: None,
                    ..clause.pred.clone()
                };
                (rest == crate::model::ruleset::PartyPredicate::default())
                    .then_some((clause.roles, tests))
            })
            .collect::<Option<Vec<_>>>()
            .map(TestsOnly)
    }

    /// Does it hold? `tests` gives the person tests a party passes.
    #[inline]
    pub fn holds(
        &self,
        facts: &[PartyFact],
        tests: impl Fn(PartyIdx) -> crate::model::Bits,
    ) -> bool {
        self.0.iter().all(|&(roles, want)| {
            facts.iter().any(|f| {
                (roles.is_empty() || roles.intersects(f.roles)) && want.intersects(tests(f.party))
            })
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct RuleIndex {
    by_type: IndexVec<JurisdictionIdx, IndexVec<TxTypeIdx, TypeRules>>,
    /// For each jurisdiction, the statuses each nexus test needs, and its plan if it has one.
    nexus: IndexVec<JurisdictionIdx, IndexVec<NexusIdx, (u8, Option<TestsOnly>)>>,
    /// Every rule of each jurisdiction, in pack order (tracing and the unindexed path).
    all: IndexVec<JurisdictionIdx, Vec<Candidate>>,
    /// Conversions that always succeed for amounts below [`SAFE_AMOUNT`]: `(from, to)` pairs
    /// with a usable rate, for every currency rules compare amounts in.
    needed: Vec<Currency>,
    convertible: Vec<(Currency, Currency)>,
}

/// Below this amount (10^18), converting at a rate between 10^-9 and 10^9 cannot overflow.
const SAFE_AMOUNT: i64 = 1_000_000_000_000_000_000;

impl RuleIndex {
    pub fn new(rs: &RuleSet, world: &World) -> RuleIndex {
        let types = &rs.vocabulary.transaction_types;
        let mut needed = Vec::new();
        let mut all = IndexVec::filled_like(Vec::new(), &rs.rules_by_jurisdiction);
        let by_type = rs.rules_by_jurisdiction.map_enumerated(|j, rules| {
            let mut lists = IndexVec::filled_like(TypeRules::default(), types);
            let mut every = Vec::new();
            for &r in rules {
                let rule = &rs.rules[r];
                collect_currencies(&rule.when, &mut needed);
                if let Some(u) = &rule.unless {
                    collect_currencies(u, &mut needed);
                }
                // A prohibition with an actor fires once per party meeting the actor
                // clause: with none, it fires for nobody, so the actor's needs count too.
                let actor = match (&rule.actor, rule.kind) {
                    (Some(a), RuleKind::Prohibition) => clause_needs(a),
                    _ => 0,
                };
                let c = Candidate {
                    rule: r,
                    needs: conditions_needs(&rule.when) | actor,
                };
                every.push(c);
                for (t, list) in lists.iter_enumerated_mut() {
                    if rule
                        .when
                        .transaction_types
                        .is_none_or(|ts| ts.contains(t.idx()))
                    {
                        list.all.push(c);
                        if rule.kind == RuleKind::Prohibition {
                            list.prohibitions.push(c);
                            if c.needs == 0 {
                                list.free.push(c);
                            }
                        } else {
                            list.exceptions.push(c);
                        }
                    }
                }
            }
            all[j] = every;
            lists
        });
        let nexus = rs.jurisdictions.map(|jur| {
            jur.nexus.map(|n| {
                collect_currencies(&n.when, &mut needed);
                (conditions_needs(&n.when), TestsOnly::of(&n.when))
            })
        });
        needed.sort();
        needed.dedup();
        let sane = |r: Decimal| r >= Decimal::new(1, 9) && r <= Decimal::from(1_000_000_000i64);
        // A pair is safe when some rate links it and every rate given for it (either
        // direction) is within bounds, whichever of them `World::convert` picks.
        let mut convertible: Vec<(Currency, Currency)> = Vec::new();
        for x in &world.exchange_rates {
            convertible.push((x.from, x.to));
            convertible.push((x.to, x.from));
        }
        for x in world.exchange_rates.iter().filter(|x| !sane(x.rate)) {
            convertible.retain(|&(a, b)| !((a, b) == (x.from, x.to) || (a, b) == (x.to, x.from)));
        }
        convertible.sort();
        convertible.dedup();
        RuleIndex {
            by_type,
            nexus,
            all,
            needed,
            convertible,
        }
    }

    /// Rules of `j` that can fire on a transaction of type `t` (in pack order).
    #[inline]
    /// `None` for a type the vocabulary lacks (a world built without one): then every rule
    /// is a candidate, which only costs time.
    pub fn candidates(&self, j: JurisdictionIdx, t: TxTypeIdx) -> Option<&TypeRules> {
        self.by_type[j].get(t)
    }

    /// The statuses nexus test `i` of `j` needs, and its plan if it has one.
    #[inline]
    pub fn nexus(&self, j: JurisdictionIdx, i: NexusIdx) -> (u8, Option<&TestsOnly>) {
        let (needs, plan) = &self.nexus[j][i];
        (*needs, plan.as_ref())
    }

    /// Every rule of `j`, in pack order.
    #[inline]
    pub fn all(&self, j: JurisdictionIdx) -> &[Candidate] {
        &self.all[j]
    }

    /// Can no amount condition of any rule record an issue for this amount? Then a rule that
    /// fails on its party clauses fails without a trace, and may be skipped. True when the
    /// amount is below 10^18 and a rate between 10^-9 and 10^9 links its currency to every
    /// currency the rules compare in: such a conversion neither lacks a rate nor overflows.
    pub fn amount_safe(&self, amount: Option<Money>) -> bool {
        let Some(m) = amount else { return true };
        // |amount| <= |mantissa|: a cheap bound, never too small.
        if m.amount.mantissa().unsigned_abs() >= SAFE_AMOUNT as u128 {
            return false;
        }
        self.needed
            .iter()
            .all(|&c| c == m.currency || self.convertible.contains(&(m.currency, c)))
    }
}

/// The statuses conditions need some party to have: those of each party clause, and those
/// every alternative of `any` needs.
pub fn conditions_needs(c: &Conditions) -> u8 {
    let own = c.parties.iter().fold(0, |n, p| n | clause_needs(p));
    let alternatives = c
        .any
        .iter()
        .map(conditions_needs)
        .reduce(|a, b| a & b)
        .unwrap_or(0);
    own | alternatives
}

fn collect_currencies(c: &Conditions, out: &mut Vec<Currency>) {
    out.extend(c.amount_at_least.map(|m| m.currency));
    out.extend(c.amount_below.map(|m| m.currency));
    for alt in &c.any {
        collect_currencies(alt, out);
    }
}

/// The person tests each party passes, one byte a party (an index into the distinct sets of
/// tests) when there are at most 256 distinct sets: the fast nexus path reads it for every party
/// of every transaction, and 16 bytes a party would not stay in cache.
#[derive(Debug, Clone, Default)]
pub struct CompactTests {
    ids: IndexVec<PartyIdx, u8>,
    sets: Vec<crate::model::Bits>,
}

impl CompactTests {
    /// `None` when there are more than 256 distinct sets (then the full table is read).
    pub fn new(tests: &IndexVec<PartyIdx, crate::model::Bits>) -> Option<CompactTests> {
        let mut sets: Vec<crate::model::Bits> = Vec::new();
        let mut ids = IndexVec::filled_like(0, tests);
        for (p, t) in tests.iter_enumerated() {
            let i = match sets.iter().position(|s| s == t) {
                Some(i) => i,
                None => {
                    sets.push(*t);
                    sets.len() - 1
                }
            };
            ids[p] = u8::try_from(i).ok()?;
        }
        Some(CompactTests { ids, sets })
    }

    #[inline]
    pub fn get(&self, p: PartyIdx) -> crate::model::Bits {
        // Every id was handed out for a set pushed beside it.
        self.sets[usize::from(self.ids[p])]
    }
}
