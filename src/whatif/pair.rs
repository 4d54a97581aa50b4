//! One transaction under two worlds: the unit of a diff, whether the transactions come as a
//! list (`compare`) or as a stream of records on many threads (`interdict diff --transactions`).
//!
//! World A always decides. World B decides only when its decision can differ: when the sides
//! differ by party states alone ([`Reach`]), a transaction none of whose parties is reached
//! keeps world A's decision, which is what world B would decide. Otherwise (other rule packs,
//! as-of dates or parties) every transaction is decided twice.

use std::collections::BTreeSet;

use super::change::{Change, TxChange};
use super::compare::{EvalIssue, Side, outcome_changes, push_issues, same_frame};
use super::parties::{DatePair, PartyChange, StatusComparer};
use super::reach::Reach;
use super::view::Namer;
use crate::eval::{Engine, Scratch};
use crate::model::world::Transaction;

/// Compares the decisions of two sides one transaction at a time; shared by every thread.
pub struct PairDiffer<'a> {
    a: &'a Side<'a>,
    b: &'a Side<'a>,
    na: Namer<'a>,
    nb: Namer<'a>,
    /// Same packs and parties: decisions compare as raw values.
    same_frame: bool,
    statuses: StatusComparer<'a>,
    /// Set when world B's decision can differ from A's only through party states.
    reach: Option<Reach<'a>>,
}

/// The buffers one thread's comparisons reuse (a decision per world).
#[derive(Debug, Default)]
pub struct PairScratch {
    a: Scratch,
    b: Scratch,
}

/// What comparing one pair found.
#[derive(Debug)]
pub struct PairResult {
    /// The change, when the decisions differ.
    pub change: Option<TxChange>,
    /// Evaluation problems of either world.
    pub issues: Vec<EvalIssue>,
    /// The dates the worlds were read at.
    pub evaluated: DatePair,
    /// Whether world B decided (false: A's decision stands for B).
    pub decided_twice: bool,
}

impl<'a> PairDiffer<'a> {
    /// A differ of `a` against `b`, deciding under B only what can change.
    pub fn new(a: &'a Side<'a>, b: &'a Side<'a>) -> PairDiffer<'a> {
        PairDiffer {
            a,
            b,
            na: Namer {
                rs: a.engine.rules(),
                world: a.engine.world(),
            },
            nb: Namer {
                rs: b.engine.rules(),
                world: b.engine.world(),
            },
            same_frame: same_frame(a, b),
            statuses: StatusComparer::new(a, b),
            reach: Reach::new(a, b),
        }
    }

    /// The same differ deciding every transaction in both worlds (the reference the reach is
    /// tested against).
    pub fn deciding_all_twice(mut self) -> PairDiffer<'a> {
        self.reach = None;
        self
    }

    /// The two sides compared.
    pub fn sides(&self) -> (&'a Side<'a>, &'a Side<'a>) {
        (self.a, self.b)
    }

    /// The parties reached, when the sides differ by party states alone.
    pub fn reach(&self) -> Option<&Reach<'a>> {
        self.reach.as_ref()
    }

    /// Compare the decisions of `ta` (lowered against world A) and `tb` (the same record
    /// lowered against world B).
    pub fn pair(&self, s: &mut PairScratch, ta: &Transaction, tb: &Transaction) -> PairResult {
        let (a, b) = (self.a, self.b);
        let evaluated = DatePair {
            a: Engine::effective_date(ta.date, a.options.as_of),
            b: Engine::effective_date(tb.date, b.options.as_of),
        };
        let mut issues = Vec::new();
        let da = a.engine.evaluate_with(ta, &a.options, &mut s.a);
        push_issues(&mut issues, "A", &self.na, ta, da);
        if self.reach.as_ref().is_some_and(|r| !r.touches(ta)) {
            // World B decides exactly as A: its issues are A's.
            push_issues(&mut issues, "B", &self.nb, tb, da);
            return PairResult {
                change: None,
                issues,
                evaluated,
                decided_twice: false,
            };
        }
        let db = b.engine.evaluate_with(tb, &b.options, &mut s.b);
        push_issues(&mut issues, "B", &self.nb, tb, db);
        let unchanged = PairResult {
            change: None,
            issues: Vec::new(),
            evaluated,
            decided_twice: true,
        };
        if self.same_frame && da.outcomes == db.outcomes {
            return PairResult {
                issues,
                ..unchanged
            };
        }
        let jurisdictions = outcome_changes(&self.na, &self.nb, da, db, |j| {
            self.statuses.changed_parties_of(j, ta, evaluated)
        });
        if jurisdictions.is_empty() {
            return PairResult {
                issues,
                ..unchanged
            };
        }
        let change = TxChange {
            transaction: ta.id.clone(),
            date: ta.date,
            tx_type: self
                .na
                .rs
                .vocabulary
                .transaction_types
                .get(ta.tx_type)
                .map(|t| t.id.clone())
                .unwrap_or_default(),
            amount: ta.amount,
            evaluated,
            overall: Change {
                before: da.overall,
                after: db.overall,
            },
            jurisdictions,
        };
        PairResult {
            change: Some(change),
            issues,
            ..unchanged
        }
    }

    /// Every party whose status differs on any of `dates`, with witnesses.
    pub fn party_changes(&self, dates: &BTreeSet<DatePair>) -> Vec<PartyChange> {
        self.statuses.all_changes(dates)
    }

    /// How many (jurisdiction, party) pairs differ in status on any of `dates`, without
    /// witnesses (what a stream's summary counts).
    pub fn party_change_count(&self, dates: &BTreeSet<DatePair>) -> usize {
        self.statuses.changed_count(dates)
    }
}
