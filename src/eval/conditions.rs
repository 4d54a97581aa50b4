//! Evaluating conditions against a transaction's facts, with an optional trace sink.
//!
//! One evaluator serves both the fast path and tracing: with no sink, it only computes the
//! boolean; with a sink, it records each part (what it asked, whether it held, the facts read).

use crate::eval::decision::{CondTrace, Issue};
use crate::model::ruleset::{Conditions, PartyClause, PartyPredicate, RuleSet};
use crate::model::values::Country;
use crate::model::world::{Party, Transaction, World};
use crate::model::{Bits, JurisdictionIdx, PartyIdx, Role};
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
    pub tests: &'a [Bits],
}

/// Where trace records and evaluation issues go.
pub struct Sink<'a> {
    pub trace: Option<&'a mut Vec<CondTrace>>,
    pub issues: &'a mut Vec<Issue>,
}

impl Sink<'_> {
    fn record(
        &mut self,
        what: impl FnOnce() -> String,
        held: bool,
        facts: impl FnOnce() -> String,
    ) {
        if let Some(t) = self.trace.as_deref_mut() {
            t.push(CondTrace {
                what: what(),
                held,
                facts: facts(),
            });
        }
    }
}

/// Person tests each party passes, from attributes alone (computed once per world).
pub fn person_tests(rs: &RuleSet, world: &World) -> Vec<Bits> {
    let mut passed = vec![Bits::EMPTY; world.parties.len()];
    // A test may look at the head office's tests (`branch_of`) and at nothing else computed
    // here, so one pass with every head office before its branches settles all of them,
    // however long the chain of branches.
    for i in heads_first(world) {
        let Some(p) = world.parties.get(i) else {
            continue;
        };
        let mut mine = Bits::EMPTY;
        for (t, test) in rs.person_tests.iter().enumerate() {
            if test
                .any
                .iter()
                .any(|pred| attributes_match(pred, p, &passed))
            {
                mine.insert(t);
            }
        }
        if let Some(b) = passed.get_mut(i) {
            *b = mine;
        }
    }
    passed
}

/// Party indices, every head office before its branches (in O(n): each party is put in
/// place once). A cycle of branches, which loading rejects, is cut where the walk meets it.
fn heads_first(world: &World) -> Vec<usize> {
    let n = world.parties.len();
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut path = Vec::new();
    for start in 0..n {
        let mut cur = Some(start);
        while let Some(i) = cur.filter(|&i| i < n && !placed[i]) {
            placed[i] = true;
            path.push(i);
            cur = world
                .parties
                .get(i)
                .and_then(|p| p.branch_of)
                .map(|h| h.idx());
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
pub fn attributes_match(pred: &PartyPredicate, p: &Party, tests: &[Bits]) -> bool {
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
        && pred.branch_of.is_none_or(|t| {
            p.branch_of
                .and_then(|h| tests.get(h.idx()))
                .is_some_and(|ht| ht.contains(t.idx()))
        })
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
    let party = || cx.world.parties.get(f.party.idx());
    let fuzzy =
        pred.fuzzy_list_match.is_some() && party().is_some_and(|p| !p.fuzzy_candidates.is_empty());
    if !status_holds(pred, &f.state, f.knowing, fuzzy) {
        return false;
    }
    if pred.tests.is_some() || pred.not_tests.is_some() {
        let tests = cx.tests.get(f.party.idx()).copied().unwrap_or_default();
        if !(pred.tests.is_none_or(|t| t.intersects(tests))
            && pred.not_tests.is_none_or(|t| !t.intersects(tests)))
        {
            return false;
        }
    }
    party().is_some_and(|p| attributes_match(pred, p, cx.tests))
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
pub fn holds(c: &Conditions, cx: &TxCtx, sink: &mut Sink) -> bool {
    let tracing = sink.trace.is_some();
    let mut all = true;
    let tx = cx.tx;
    let v = &cx.rs.vocabulary;

    macro_rules! part {
        ($cond:expr, $what:expr, $facts:expr) => {
            let held = $cond;
            sink.record(|| $what, held, || $facts);
            all &= held;
            if !all && !tracing {
                return false;
            }
        };
    }

    if let Some(t) = c.transaction_types {
        part!(
            t.contains(tx.tx_type),
            format!(
                "transaction type in [{}]",
                cx.rs.term_names(&v.transaction_types, t).join(", ")
            ),
            v.transaction_types
                .get(tx.tx_type)
                .map(|x| x.id.clone())
                .unwrap_or_default()
        );
    }
    if let Some(g) = c.goods_any {
        part!(
            g.intersects(tx.goods),
            format!(
                "some goods in [{}]",
                cx.rs.term_names(&v.goods, g).join(", ")
            ),
            goods_text(cx)
        );
    }
    if let Some(g) = c.goods_only {
        part!(
            !tx.goods.is_empty() && tx.goods.is_subset(g),
            format!(
                "all goods in [{}]",
                cx.rs.term_names(&v.goods, g).join(", ")
            ),
            goods_text(cx)
        );
    }
    if let Some(cs) = &c.currencies {
        part!(
            tx.amount.is_some_and(|m| cs.contains(&m.currency)),
            format!(
                "currency in [{}]",
                cs.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
            ),
            tx.amount
                .map(|m| m.currency.to_string())
                .unwrap_or_else(|| "no amount".into())
        );
    }
    if let Some(min) = c.amount_at_least {
        let v = amount_in(cx, min.currency, sink);
        part!(
            v.is_some_and(|a| a >= min.amount),
            format!("amount at least {min}"),
            amount_text(cx)
        );
    }
    if let Some(max) = c.amount_below {
        let v = amount_in(cx, max.currency, sink);
        part!(
            v.is_some_and(|a| a < max.amount),
            format!("amount below {max}"),
            amount_text(cx)
        );
    }
    if let Some(d) = c.date_from {
        part!(
            tx.date >= d,
            format!("dated on or after {d}"),
            tx.date.to_string()
        );
    }
    if let Some(d) = c.date_before {
        part!(
            tx.date < d,
            format!("dated before {d}"),
            tx.date.to_string()
        );
    }
    if let Some(p) = c.personal_use {
        part!(
            tx.personal_use == p,
            format!("personal use is {p}"),
            tx.personal_use.to_string()
        );
    }
    if let Some(b) = c.cross_border {
        part!(
            cross_border(cx) == b,
            format!("cross-border is {b}"),
            cross_border(cx).to_string()
        );
    }
    if let Some(b) = c.transfers_value {
        let moves = tx
            .amount
            .is_some_and(|m| m.amount > rust_decimal::Decimal::ZERO);
        part!(
            moves == b,
            format!("transfers something of value is {b}"),
            amount_text(cx)
        );
    }
    for clause in &c.parties {
        let m = first_match(clause, cx);
        part!(
            m.is_some(),
            format!("some party {}", describe_clause(clause, cx.rs)),
            facts_text(clause, cx)
        );
    }
    for clause in &c.no_party {
        let m = first_match(clause, cx);
        part!(
            m.is_none(),
            format!("no party {}", describe_clause(clause, cx.rs)),
            facts_text(clause, cx)
        );
    }
    if !c.any.is_empty() {
        let (held, what, facts) = any_of(&c.any, cx, sink);
        part!(held, what, facts);
    }
    all
}

/// Alternatives: the first that holds decides. When tracing, every alternative is evaluated
/// and described as the list of its parts.
fn any_of(alts: &[Conditions], cx: &TxCtx, sink: &mut Sink) -> (bool, String, String) {
    let tracing = sink.trace.is_some();
    let mut first = None;
    let mut described = Vec::new();
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
            let list: Vec<&str> = parts.iter().map(|p| p.what.as_str()).collect();
            described.push(format!("({}) {}", i + 1, list.join(" and ")));
        }
        if held && first.is_none() {
            first = Some(i + 1);
            if !tracing {
                break;
            }
        }
    }
    let facts = match first {
        Some(i) => format!("alternative {i} holds"),
        None => "no alternative holds".to_string(),
    };
    (
        first.is_some(),
        format!("one of: {}", described.join("; ")),
        facts,
    )
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
            .and_then(|p| cx.world.parties.get(p.idx()))
            .and_then(party_country)
    };
    match (country(Role::Originator), country(Role::Beneficiary)) {
        (Some(a), Some(b)) => a != b,
        _ => false,
    }
}

fn goods_text(cx: &TxCtx) -> String {
    let names = cx.rs.term_names(&cx.rs.vocabulary.goods, cx.tx.goods);
    if names.is_empty() {
        "no goods".into()
    } else {
        names.join(", ")
    }
}

fn amount_text(cx: &TxCtx) -> String {
    cx.tx
        .amount
        .map(|m| m.to_string())
        .unwrap_or_else(|| "no amount".into())
}

/// "in \[beneficiary\] that is blocked under \[us.sdgt\]"
pub fn describe_clause(c: &PartyClause, rs: &RuleSet) -> String {
    let mut parts = Vec::new();
    if !c.roles.is_empty() {
        let roles: Vec<&str> = Role::ALL
            .iter()
            .filter(|r| c.roles.contains(r.bit()))
            .map(|r| r.as_str())
            .collect();
        parts.push(format!("in [{}]", roles.join(", ")));
    }
    parts.extend(describe_predicate(&c.pred, rs));
    parts.join(" ")
}

pub fn describe_predicate(p: &PartyPredicate, rs: &RuleSet) -> Vec<String> {
    let mut v = Vec::new();
    let countries = |c: &Vec<Country>| c.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(", ");
    let tests = |b: Bits| {
        rs.person_tests
            .iter()
            .enumerate()
            .filter(|(i, _)| b.contains(*i))
            .map(|(_, t)| t.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(k) = p.kinds {
        let kinds: Vec<&str> = crate::model::PartyKind::ALL
            .iter()
            .filter(|x| k.contains(x.bit()))
            .map(|x| x.as_str())
            .collect();
        v.push(format!("of kind [{}]", kinds.join(", ")));
    }
    if let Some(c) = p.categories {
        v.push(format!(
            "in category [{}]",
            rs.term_names(&rs.vocabulary.party_categories, c).join(", ")
        ));
    }
    if let Some(c) = &p.citizenship {
        v.push(format!("a citizen of [{}]", countries(c)));
    }
    if let Some(c) = &p.permanent_residence {
        v.push(format!("a permanent resident of [{}]", countries(c)));
    }
    if let Some(c) = &p.residence {
        v.push(format!("resident in [{}]", countries(c)));
    }
    if let Some(c) = &p.incorporated_in {
        v.push(format!("incorporated in [{}]", countries(c)));
    }
    if let Some(c) = &p.located_in {
        v.push(format!("located in [{}]", countries(c)));
    }
    if let Some(t) = p.branch_of {
        v.push(format!(
            "a branch of a {}",
            rs.person_tests
                .get(t.idx())
                .map(|x| x.id.as_str())
                .unwrap_or("?")
        ));
    }
    if let Some(b) = p.is_branch {
        v.push(if b {
            "a branch".into()
        } else {
            "not a branch".into()
        });
    }
    if let Some(t) = p.tests {
        v.push(format!("passing [{}]", tests(t)));
    }
    if let Some(t) = p.not_tests {
        v.push(format!("passing none of [{}]", tests(t)));
    }
    if let Some(d) = p.designated {
        v.push(format!(
            "designated under [{}]",
            rs.program_names(d).join(", ")
        ));
    }
    if let Some(b) = p.blocked {
        v.push(if b {
            "blocked".into()
        } else {
            "not blocked".into()
        });
    }
    if let Some(d) = p.blocked_under {
        v.push(format!(
            "blocked under [{}]",
            rs.program_names(d).join(", ")
        ));
    }
    let flag = |name: &str, b: Option<bool>, v: &mut Vec<String>| {
        if let Some(b) = b {
            v.push(if b {
                name.to_string()
            } else {
                format!("not {name}")
            });
        }
    };
    flag(
        "of undetermined ownership",
        p.ownership_undetermined,
        &mut v,
    );
    flag(
        "with a blocked minority owner",
        p.blocked_minority_owner,
        &mut v,
    );
    flag(
        "controlled by a blocked person",
        p.controlled_by_blocked,
        &mut v,
    );
    flag("knowing", p.knowing, &mut v);
    flag(
        "matched to a list only by a fuzzy name search",
        p.fuzzy_list_match,
        &mut v,
    );
    v
}

/// The parties the clause could look at, with their relevant status.
fn facts_text(c: &PartyClause, cx: &TxCtx) -> String {
    let mut out = Vec::new();
    for f in cx
        .facts
        .iter()
        .filter(|f| c.roles.is_empty() || c.roles.intersects(f.roles))
    {
        let Some(p) = cx.world.parties.get(f.party.idx()) else {
            continue;
        };
        let roles: Vec<&str> = Role::ALL
            .iter()
            .filter(|r| f.roles.contains(r.bit()))
            .map(|r| r.as_str())
            .collect();
        let mut s = format!("{} ({})", p.id, roles.join("/"));
        let st = f.state;
        if st.blocked {
            s.push_str(&format!(
                ": blocked under {}",
                cx.rs.program_names(st.grounds).join(", ")
            ));
        } else if st.undetermined {
            s.push_str(": ownership undetermined");
        } else if !st.designated.is_empty() {
            s.push_str(&format!(
                ": designated {}",
                cx.rs.program_names(st.designated).join(", ")
            ));
        } else {
            s.push_str(": not blocked");
        }
        let matched = clause_matches(c, f, cx);
        s.push_str(if matched { " [meets it]" } else { "" });
        out.push(s);
    }
    if out.is_empty() {
        "no party in those roles".into()
    } else {
        out.join("; ")
    }
}
