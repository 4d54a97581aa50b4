//! Evaluating conditions against a transaction's facts, with an optional trace sink.
//!
//! One evaluator serves both the fast path and tracing: with no sink, it only computes the
//! boolean; with a sink, it records each part (which part, whether it held, the facts read) as
//! data: [`crate::report`] puts it into words.

use crate::eval::decision::{CondFacts, CondPart, CondTrace, Issue, PartyReading};
use crate::model::ruleset::{Conditions, PartyClause, PartyPredicate, RuleSet};
use crate::model::values::Country;
use crate::model::world::{Party, Transaction, World};
use crate::model::{Bits, IndexVec, JurisdictionIdx, PartyIdx, Role};
use crate::ownership::status::PartyState;

/// What the evaluator knows about one party of the transaction, in one jurisdiction.
#[derive(Debug, Clone, Copy)]
pub struct PartyFact {
    pub party: PartyIdx,
    pub roles: Bits,
    pub state: PartyState,
    pub knowing: bool,
}

/// Everything a condition can read.
pub struct TxCtx<'a> {
    pub rs: &'a RuleSet,
    pub world: &'a World,
    pub tx: &'a Transaction,
    pub j: JurisdictionIdx,
    pub facts: &'a [PartyFact],
    /// Person tests passed by every party of the world.
    pub tests: &'a IndexVec<PartyIdx, Bits>,
}

/// Where trace records and evaluation issues go.
pub struct Sink<'a> {
    pub trace: Option<&'a mut Vec<CondTrace>>,
    pub issues: &'a mut Vec<Issue>,
}

impl Sink<'_> {
    fn record(
        &mut self,
        part: impl FnOnce() -> CondPart,
        held: bool,
        facts: impl FnOnce() -> CondFacts,
    ) {
        if let Some(t) = self.trace.as_deref_mut() {
            t.push(CondTrace {
                part: part(),
                held,
                facts: facts(),
            });
        }
    }
}

/// Person tests each party passes, from attributes alone (computed once per world).
pub fn person_tests(rs: &RuleSet, world: &World) -> IndexVec<PartyIdx, Bits> {
    let mut passed = IndexVec::filled_like(Bits::EMPTY, &world.parties);
    // A test may look at the head office's tests (`branch_of`) and at nothing else computed
    // here, so one pass with every head office before its branches settles all of them,
    // however long the chain of branches.
    for i in heads_first(world) {
        let p = &world.parties[i];
        let mut mine = Bits::EMPTY;
        for (t, test) in rs.person_tests.iter_enumerated() {
            if test
                .any
                .iter()
                .any(|pred| attributes_match(pred, p, &passed))
            {
                mine.insert(t.idx());
            }
        }
        passed[i] = mine;
    }
    passed
}

/// Party indices, every head office before its branches (in O(n): each party is put in
/// place once). A cycle of branches, which loading rejects, is cut where the walk meets it.
fn heads_first(world: &World) -> Vec<PartyIdx> {
    let mut placed = IndexVec::filled_like(false, &world.parties);
    let mut order = Vec::with_capacity(world.parties.len());
    let mut path = Vec::new();
    for start in world.parties.indices() {
        let mut cur = Some(start);
        while let Some(i) = cur.filter(|&i| !placed[i]) {
            placed[i] = true;
            path.push(i);
            cur = world.parties[i].branch_of;
        }
        order.extend(path.drain(..).rev());
    }
    order
}

fn any_country(want: &Option<Vec<Country>>, have: impl IntoIterator<Item = Country>) -> bool {
    match want {
        None => true,
        Some(w) => have.into_iter().any(|c| w.contains(&c)),
    }
}

/// The attribute parts of a predicate (everything that does not depend on date or list).
pub fn attributes_match(
    pred: &PartyPredicate,
    p: &Party,
    tests: &IndexVec<PartyIdx, Bits>,
) -> bool {
    pred.kinds.is_none_or(|k| k.contains(p.kind.bit()))
        && pred.categories.is_none_or(|c| c.intersects(p.categories))
        && any_country(&pred.citizenship, p.citizenship.iter().copied())
        && any_country(
            &pred.permanent_residence,
            p.permanent_residence.iter().copied(),
        )
        && any_country(&pred.residence, p.residence.iter().copied())
        && any_country(&pred.incorporated_in, p.incorporated_in)
        && any_country(&pred.located_in, p.located_in)
        && pred.is_branch.is_none_or(|b| b == p.branch_of.is_some())
        && pred
            .branch_of
            .is_none_or(|t| p.branch_of.is_some_and(|h| tests[h].contains(t.idx())))
}

/// Does the status part of `pred` hold for a party in state `s`, `knowing` of the
/// transaction, matched to a list entry only by a fuzzy name search (`fuzzy`)? The one copy of
/// party status, read by the evaluator and by `check`.
pub fn status_holds(pred: &PartyPredicate, s: &PartyState, knowing: bool, fuzzy: bool) -> bool {
    pred.designated.is_none_or(|d| d.intersects(s.designated))
        && pred.blocked.is_none_or(|b| b == s.blocked)
        && pred
            .blocked_under
            .is_none_or(|b| s.blocked && b.intersects(s.grounds))
        && pred
            .ownership_undetermined
            .is_none_or(|b| b == s.undetermined)
        && pred
            .blocked_minority_owner
            .is_none_or(|b| b == (s.minority_blocked && !s.blocked))
        && pred
            .controlled_by_blocked
            .is_none_or(|b| b == (s.controlled_by_blocked && !s.blocked))
        && pred.knowing.is_none_or(|k| k == knowing)
        && pred.fuzzy_list_match.is_none_or(|b| b == fuzzy)
}

/// Does the party fact meet the whole predicate? The parts are pure, so their order is free:
/// the status parts (read from the fact) come first, the attributes (read from the party, a
/// likely cache miss in a large world) last; the party is read for the status part only when
/// the predicate asks about fuzzy list matches.
pub fn predicate_matches(pred: &PartyPredicate, f: &PartyFact, cx: &TxCtx) -> bool {
    let party = || &cx.world.parties[f.party];
    let fuzzy = pred.fuzzy_list_match.is_some() && !party().fuzzy_candidates.is_empty();
    if !status_holds(pred, &f.state, f.knowing, fuzzy) {
        return false;
    }
    if pred.tests.is_some() || pred.not_tests.is_some() {
        let tests = cx.tests[f.party];
        if !(pred.tests.is_none_or(|t| t.intersects(tests))
            && pred.not_tests.is_none_or(|t| !t.intersects(tests)))
        {
            return false;
        }
    }
    attributes_match(pred, party(), cx.tests)
}

pub fn clause_matches(c: &PartyClause, f: &PartyFact, cx: &TxCtx) -> bool {
    (c.roles.is_empty() || c.roles.intersects(f.roles)) && predicate_matches(&c.pred, f, cx)
}

/// The first party that meets the clause.
pub fn first_match(c: &PartyClause, cx: &TxCtx) -> Option<PartyIdx> {
    cx.facts
        .iter()
        .find(|f| clause_matches(c, f, cx))
        .map(|f| f.party)
}

/// Evaluate conditions. Every part is evaluated (and traced) when tracing; otherwise the
/// evaluation stops at the first part that fails.
// Long: one `part!` per field of `Conditions`, in order; the macro returns from this function
// at the first part that fails (the evaluator's hot path), which helpers would have to thread
// back out.
pub fn holds(c: &Conditions, cx: &TxCtx, sink: &mut Sink) -> bool {
    let tracing = sink.trace.is_some();
    let mut all = true;
    let tx = cx.tx;

    macro_rules! part {
        ($cond:expr, $part:expr, $facts:expr) => {
            let held = $cond;
            sink.record(|| $part, held, || $facts);
            all &= held;
            if !all && !tracing {
                return false;
            }
        };
    }

    if let Some(t) = c.transaction_types {
        part!(
            t.contains(tx.tx_type.idx()),
            CondPart::TransactionTypes,
            CondFacts::TransactionType(tx.tx_type)
        );
    }
    if let Some(g) = c.goods_any {
        part!(
            g.intersects(tx.goods),
            CondPart::GoodsAny,
            CondFacts::Goods(tx.goods)
        );
    }
    if let Some(g) = c.goods_only {
        part!(
            !tx.goods.is_empty() && tx.goods.is_subset(g),
            CondPart::GoodsOnly,
            CondFacts::Goods(tx.goods)
        );
    }
    if let Some(cs) = &c.currencies {
        part!(
            tx.amount.is_some_and(|m| cs.contains(&m.currency)),
            CondPart::Currencies,
            CondFacts::Amount(tx.amount)
        );
    }
    if let Some(min) = c.amount_at_least {
        let v = amount_in(cx, min.currency, sink);
        part!(
            v.is_some_and(|a| a >= min.amount),
            CondPart::AmountAtLeast,
            CondFacts::Amount(tx.amount)
        );
    }
    if let Some(max) = c.amount_below {
        let v = amount_in(cx, max.currency, sink);
        part!(
            v.is_some_and(|a| a < max.amount),
            CondPart::AmountBelow,
            CondFacts::Amount(tx.amount)
        );
    }
    if let Some(d) = c.date_from {
        part!(tx.date >= d, CondPart::DateFrom, CondFacts::Date(tx.date));
    }
    if let Some(d) = c.date_before {
        part!(tx.date < d, CondPart::DateBefore, CondFacts::Date(tx.date));
    }
    if let Some(p) = c.personal_use {
        part!(
            tx.personal_use == p,
            CondPart::PersonalUse,
            CondFacts::Flag(tx.personal_use)
        );
    }
    if let Some(b) = c.cross_border {
        let crosses = cross_border(cx);
        part!(
            crosses == b,
            CondPart::CrossBorder,
            CondFacts::Flag(crosses)
        );
    }
    if let Some(b) = c.transfers_value {
        let moves = tx
            .amount
            .is_some_and(|m| m.amount > rust_decimal::Decimal::ZERO);
        part!(
            moves == b,
            CondPart::TransfersValue,
            CondFacts::Amount(tx.amount)
        );
    }
    for (i, clause) in c.parties.iter().enumerate() {
        let m = first_match(clause, cx);
        part!(m.is_some(), CondPart::Party(i), party_readings(clause, cx));
    }
    for (i, clause) in c.no_party.iter().enumerate() {
        let m = first_match(clause, cx);
        part!(
            m.is_none(),
            CondPart::NoParty(i),
            party_readings(clause, cx)
        );
    }
    if !c.any.is_empty() {
        let (first, alternatives) = any_of(&c.any, cx, sink);
        part!(
            first.is_some(),
            CondPart::Any(alternatives),
            CondFacts::Alternative(first)
        );
    }
    all
}

/// Alternatives: the first that holds decides. When tracing, every alternative is evaluated
/// and traced part by part. Gives the index of the first that holds, and the traces.
fn any_of(
    alts: &[Conditions],
    cx: &TxCtx,
    sink: &mut Sink,
) -> (Option<usize>, Vec<Vec<CondTrace>>) {
    let tracing = sink.trace.is_some();
    let mut first = None;
    let mut traced = Vec::new();
    for (i, alt) in alts.iter().enumerate() {
        let mut parts = Vec::new();
        let held = {
            let mut inner = Sink {
                trace: tracing.then_some(&mut parts),
                issues: &mut *sink.issues,
            };
            holds(alt, cx, &mut inner)
        };
        if tracing {
            traced.push(parts);
        }
        if held && first.is_none() {
            first = Some(i);
            if !tracing {
                break;
            }
        }
    }
    (first, traced)
}

/// The transaction amount in `currency`; a missing rate is an issue, never a guess.
fn amount_in(
    cx: &TxCtx,
    currency: crate::model::values::Currency,
    sink: &mut Sink,
) -> Option<rust_decimal::Decimal> {
    let m = cx.tx.amount?;
    match cx.world.convert(m, currency) {
        Ok(c) => Some(c.amount),
        Err(e) => {
            let issue = crate::eval::consequence::conversion_issue(
                m,
                currency,
                e,
                crate::eval::decision::NEEDED_FOR_THRESHOLD.into(),
            );
            if !sink.issues.contains(&issue) {
                sink.issues.push(issue);
            }
            None
        }
    }
}

fn party_country(p: &Party) -> Option<Country> {
    p.located_in
        .or(p.incorporated_in)
        .or_else(|| p.residence.first().copied())
}

/// Originator and beneficiary sit in different countries (unknown countries: not shown).
pub fn cross_border(cx: &TxCtx) -> bool {
    let country = |role: Role| {
        cx.tx
            .parties_in(role)
            .next()
            .and_then(|p| party_country(&cx.world.parties[p]))
    };
    match (country(Role::Originator), country(Role::Beneficiary)) {
        (Some(a), Some(b)) => a != b,
        _ => false,
    }
}

/// The parties the clause could look at (those in its roles), with their status and whether
/// each meets it.
fn party_readings(c: &PartyClause, cx: &TxCtx) -> CondFacts {
    CondFacts::Parties(
        cx.facts
            .iter()
            .filter(|f| c.roles.is_empty() || c.roles.intersects(f.roles))
            .map(|f| PartyReading {
                party: f.party,
                roles: f.roles,
                state: f.state,
                meets: clause_matches(c, f, cx),
            })
            .collect(),
    )
}
