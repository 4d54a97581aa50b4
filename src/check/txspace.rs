//! The transaction dimensions of the condition space: type, goods, currency and amount, date,
//! personal use.
//!
//! Each dimension is cut into classes that the group's conditions cannot tell apart (sets are
//! partitioned by membership, amounts and dates at the thresholds that appear), one
//! representative per class is kept, and representatives that answer every condition of the
//! group alike are merged. Dimensions are independent of each other (a condition part reads one
//! dimension only), so the transaction points are the product of the merged dimensions.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::classes::{partition, subsets};
use crate::model::ruleset::{Conditions, Rule, RuleSet};
use crate::model::values::{Currency, Date, Money};
use crate::model::world::{ExchangeRate, World};
use crate::model::{Bits, JurisdictionIdx};
use crate::source::Loc;

/// Above this many goods classes or amount combinations a dimension is sampled.
pub const GOODS_CLASS_LIMIT: usize = 12;
pub const AMOUNT_COMBINATION_LIMIT: usize = 4096;

/// One concrete transaction shape (everything but its parties).
#[derive(Debug, Clone)]
pub struct TxPoint {
    pub tx_type: usize,
    pub goods: Bits,
    pub amount: Option<Money>,
    /// Exchange rates from the transaction currency, chosen so converted amounts land in the
    /// intended interval of every threshold currency.
    pub rates: Vec<(Currency, Currency, Decimal)>,
    pub date: Date,
    pub personal_use: bool,
    /// For each condition of the group: do its transaction parts hold?
    pub holds: Vec<bool>,
    /// For each rule of the group: is it in force on `date`?
    pub in_force: Vec<bool>,
}

/// The transaction points of a group, and whether any dimension had to be sampled.
pub struct TxSpace {
    pub points: Vec<TxPoint>,
    pub sampled: bool,
}

/// A dimension value: a representative and the answers of every condition part reading it.
struct Dim<V> {
    values: Vec<(V, Vec<bool>)>,
}

impl<V> Dim<V> {
    fn new() -> Self {
        Dim { values: Vec::new() }
    }
    /// Keep `v` unless an earlier representative answers every condition alike.
    fn push(&mut self, v: V, answers: Vec<bool>) {
        if !self.values.iter().any(|(_, a)| *a == answers) {
            self.values.push((v, answers));
        }
    }
}

fn part(opt: Option<bool>) -> bool {
    opt.unwrap_or(true)
}

/// Evaluate the transaction parts of `c` (everything but party clauses and cross-border).
pub fn tx_parts_hold(c: &Conditions, p: &TxPoint) -> bool {
    type_part(c, p.tx_type)
        && goods_part(c, p.goods)
        && amount_part(c, p.amount, &rates_world(&p.rates))
        && date_part(c, p.date)
        && part(c.personal_use.map(|b| b == p.personal_use))
}

fn type_part(c: &Conditions, t: usize) -> bool {
    part(c.transaction_types.map(|s| s.contains(t)))
}

fn goods_part(c: &Conditions, g: Bits) -> bool {
    part(c.goods_any.map(|s| s.intersects(g)))
        && part(c.goods_only.map(|s| !g.is_empty() && g.is_subset(s)))
}

fn date_part(c: &Conditions, d: Date) -> bool {
    part(c.date_from.map(|f| d >= f)) && part(c.date_before.map(|b| d < b))
}

/// A world holding only exchange rates, so conversions are exactly the engine's.
pub fn rates_world(rates: &[(Currency, Currency, Decimal)]) -> World {
    World {
        exchange_rates: rates
            .iter()
            .map(|&(from, to, rate)| ExchangeRate {
                from,
                to,
                rate,
                loc: Loc::builtin("counterexample"),
            })
            .collect(),
        ..World::default()
    }
}

fn amount_part(c: &Conditions, amount: Option<Money>, world: &World) -> bool {
    let conv = |cur: Currency| {
        amount
            .and_then(|m| world.convert(m, cur).ok())
            .map(|m| m.amount)
    };
    part(
        c.currencies
            .as_ref()
            .map(|cs| amount.is_some_and(|m| cs.contains(&m.currency))),
    ) && part(
        c.amount_at_least
            .map(|min| conv(min.currency).is_some_and(|a| a >= min.amount)),
    ) && part(
        c.amount_below
            .map(|max| conv(max.currency).is_some_and(|a| a < max.amount)),
    ) && part(
        c.transfers_value
            .map(|b| amount.is_some_and(|m| m.amount > Decimal::ZERO) == b),
    )
}

/// Build the transaction points for `conds` (every `when`/`unless` of the group) and the
/// validity windows of `rules`, in jurisdiction `j`.
pub fn build(
    rs: &RuleSet,
    j: JurisdictionIdx,
    conds: &[&Conditions],
    rules: &[&Rule],
    known: &[Currency],
) -> TxSpace {
    let v = &rs.vocabulary;
    let types = type_dim(conds, v.transaction_types.len());
    let (goods, goods_sampled) = goods_dim(conds, v.goods.len());
    // Currency and amount (with the exchange rates that place it).
    let (amounts, amount_sampled) = amount_dim(conds, known);
    let dates = date_dim(rs, j, conds, rules);
    let uses_personal = conds.iter().any(|c| c.personal_use.is_some());
    let personal: Vec<bool> = if uses_personal {
        vec![false, true]
    } else {
        vec![false]
    };
    let points = points(conds, rules, (&types, &goods, &amounts, &dates), &personal);
    TxSpace {
        points,
        sampled: goods_sampled || amount_sampled,
    }
}

/// Transaction types, one per class the conditions tell apart (of `count`).
fn type_dim(conds: &[&Conditions], count: usize) -> Dim<usize> {
    let type_sets: Vec<Vec<usize>> = conds
        .iter()
        .filter_map(|c| c.transaction_types)
        .map(|b| b.iter().collect())
        .collect();
    let all_types: Vec<usize> = (0..count).collect();
    let mut types = Dim::new();
    for class in partition(&all_types, &type_sets) {
        if let Some(t) = class.rep() {
            types.push(t, conds.iter().map(|c| type_part(c, t)).collect());
        }
    }
    types
}

/// Goods: a transaction carries any subset of goods classes (of `count` goods); sampled when
/// there are too many classes.
fn goods_dim(conds: &[&Conditions], count: usize) -> (Dim<Bits>, bool) {
    let goods_sets: Vec<Vec<usize>> = conds
        .iter()
        .flat_map(|c| [c.goods_any, c.goods_only])
        .flatten()
        .map(|b| b.iter().collect())
        .collect();
    let all_goods: Vec<usize> = (0..count).collect();
    let goods_classes: Vec<usize> = partition(&all_goods, &goods_sets)
        .iter()
        .filter_map(|c| c.rep())
        .collect();
    let mut goods = Dim::new();
    let sampled = goods_classes.len() > GOODS_CLASS_LIMIT;
    let subsets_of_goods: Vec<Vec<usize>> = if sampled {
        // The empty set, each class alone, and each pair: the shapes conditions distinguish
        // most often. Documented in docs/consistency.md as the sampled case.
        let n = goods_classes.len();
        let mut v: Vec<Vec<usize>> = vec![vec![]];
        v.extend((0..n).map(|i| vec![i]));
        for a in 0..n {
            for b in a + 1..n {
                v.push(vec![a, b]);
            }
        }
        v
    } else {
        subsets(goods_classes.len())
    };
    for s in subsets_of_goods {
        let g: Bits = s
            .iter()
            .filter_map(|&i| goods_classes.get(i))
            .copied()
            .collect();
        goods.push(g, conds.iter().map(|c| goods_part(c, g)).collect());
    }
    (goods, sampled)
}

/// Dates: cut at every date the group mentions (conditions and validity windows).
fn date_dim(rs: &RuleSet, j: JurisdictionIdx, conds: &[&Conditions], rules: &[&Rule]) -> Dim<Date> {
    let mut cuts: BTreeSet<Date> = BTreeSet::new();
    for c in conds {
        cuts.extend(c.date_from);
        cuts.extend(c.date_before);
    }
    for r in rules {
        cuts.extend(r.valid_from);
        cuts.extend(r.valid_until);
    }
    let preferred = preferred_date(rs, j);
    let cuts: Vec<Date> = cuts.into_iter().collect();
    let mut dates = Dim::new();
    for i in 0..=cuts.len() {
        let lo = if i == 0 {
            None
        } else {
            cuts.get(i - 1).copied()
        };
        let hi = cuts.get(i).copied();
        let d = clamp(preferred, lo, hi);
        let mut answers: Vec<bool> = conds.iter().map(|c| date_part(c, d)).collect();
        answers.extend(rules.iter().map(|r| r.in_force(d)));
        dates.push(d, answers);
    }
    dates
}

/// Every combination of the dimensions' values, kept when it answers the conditions and the
/// validity windows differently from every point before it.
fn points(
    conds: &[&Conditions],
    rules: &[&Rule],
    (types, goods, amounts, dates): (&Dim<usize>, &Dim<Bits>, &Dim<AmountValue>, &Dim<Date>),
    personal: &[bool],
) -> Vec<TxPoint> {
    let mut points = Vec::new();
    for (t, _) in &types.values {
        for (g, _) in &goods.values {
            for ((amount, rates), _) in &amounts.values {
                for (d, _) in &dates.values {
                    for &pu in personal {
                        let mut p = TxPoint {
                            tx_type: *t,
                            goods: *g,
                            amount: *amount,
                            rates: rates.clone(),
                            date: *d,
                            personal_use: pu,
                            holds: Vec::new(),
                            in_force: Vec::new(),
                        };
                        p.holds = conds.iter().map(|c| tx_parts_hold(c, &p)).collect();
                        p.in_force = rules.iter().map(|r| r.in_force(*d)).collect();
                        if !points
                            .iter()
                            .any(|q: &TxPoint| q.holds == p.holds && q.in_force == p.in_force)
                        {
                            points.push(p);
                        }
                    }
                }
            }
        }
    }
    points
}

type AmountValue = (Option<Money>, Vec<(Currency, Currency, Decimal)>);

/// The amount dimension: no amount, or an amount in a currency class, placed in one interval of
/// every threshold currency (exchange rates are free in a scenario, so intervals of different
/// currencies combine freely; intervals of one currency are ordered by the amount itself).
fn amount_dim(conds: &[&Conditions], known: &[Currency]) -> (Dim<AmountValue>, bool) {
    let mut sampled = false;
    let mut dim = Dim::new();
    let answers = |amount: Option<Money>, rates: &[(Currency, Currency, Decimal)]| -> Vec<bool> {
        let w = rates_world(rates);
        conds.iter().map(|c| amount_part(c, amount, &w)).collect()
    };
    dim.push((None, Vec::new()), answers(None, &[]));

    let thresholds = thresholds(conds);
    let uses_value = conds.iter().any(|c| c.transfers_value.is_some());
    let mut currency_sets: Vec<Vec<Currency>> =
        conds.iter().filter_map(|c| c.currencies.clone()).collect();
    currency_sets.extend(thresholds.iter().map(|(c, _)| vec![*c]));
    let mut universe = known.to_vec();
    universe.extend(unused_currency(known));
    let others_for_rates = known;

    for class in partition(&universe, &currency_sets) {
        let Some(cur) = class.rep() else { continue };
        let own: Vec<Decimal> = thresholds
            .iter()
            .find(|(c, _)| *c == cur)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let mut own_amounts: Vec<Decimal> = Vec::new();
        if uses_value {
            own_amounts.push(Decimal::ZERO);
        }
        match own.first() {
            None => own_amounts.push(Decimal::ONE_THOUSAND),
            Some(&t1) => {
                if t1 > Decimal::ZERO {
                    own_amounts.push(t1 / Decimal::TWO);
                }
                own_amounts.extend(own.iter().copied());
            }
        }
        let foreign: Vec<&(Currency, Vec<Decimal>)> =
            thresholds.iter().filter(|(c, _)| *c != cur).collect();
        let positions: Vec<Vec<Decimal>> = foreign.iter().map(|(_, v)| targets(v)).collect();
        let (combos, combos_sampled) = combinations(&positions);
        sampled |= combos_sampled;
        for &a in &own_amounts {
            for combo in &combos {
                let mut rates: Vec<(Currency, Currency, Decimal)> = Vec::new();
                for ((d, _), target) in foreign.iter().zip(combo) {
                    // A zero amount converts to zero at any rate.
                    let rate = if a.is_zero() {
                        Decimal::ONE
                    } else {
                        target.checked_div(a).unwrap_or(Decimal::ONE)
                    };
                    rates.push((cur, *d, rate));
                }
                for other in others_for_rates {
                    if *other != cur && !rates.iter().any(|(_, d, _)| d == other) {
                        rates.push((cur, *other, Decimal::ONE));
                    }
                }
                let m = Some(Money::new(a, cur));
                let ans = answers(m, &rates);
                dim.push((m, rates), ans);
            }
        }
    }
    (dim, sampled)
}

/// The amount thresholds of the conditions, by currency, sorted and each once.
fn thresholds(conds: &[&Conditions]) -> Vec<(Currency, Vec<Decimal>)> {
    let mut thresholds: Vec<(Currency, Vec<Decimal>)> = Vec::new();
    for m in conds
        .iter()
        .flat_map(|c| [c.amount_at_least, c.amount_below])
        .flatten()
    {
        match thresholds.iter_mut().find(|(c, _)| *c == m.currency) {
            Some((_, v)) => v.push(m.amount),
            None => thresholds.push((m.currency, vec![m.amount])),
        }
    }
    for (_, v) in thresholds.iter_mut() {
        v.sort();
        v.dedup();
    }
    thresholds
}

/// One position from each list, in every combination (at most `AMOUNT_COMBINATION_LIMIT`;
/// `true` when cut to it).
fn combinations(positions: &[Vec<Decimal>]) -> (Vec<Vec<Decimal>>, bool) {
    let mut sampled = false;
    let mut combos: Vec<Vec<Decimal>> = vec![Vec::new()];
    for p in positions {
        let mut next = Vec::new();
        for c in &combos {
            for t in p {
                let mut c = c.clone();
                c.push(*t);
                next.push(c);
            }
        }
        combos = next;
        if combos.len() > AMOUNT_COMBINATION_LIMIT {
            sampled = true;
            combos.truncate(AMOUNT_COMBINATION_LIMIT);
        }
    }
    (combos, sampled)
}

/// Points strictly inside each interval a list of thresholds cuts (for converted amounts, so a
/// rounding of the rate cannot move them across a threshold).
fn targets(ts: &[Decimal]) -> Vec<Decimal> {
    let mut out = Vec::new();
    if let Some(&t1) = ts.first()
        && t1 > Decimal::ZERO
    {
        out.push(t1 / Decimal::TWO);
    }
    for (i, &t) in ts.iter().enumerate() {
        match ts.get(i + 1) {
            Some(&next) => out.push((t + next) / Decimal::TWO),
            None => out.push(t * Decimal::TWO + Decimal::ONE),
        }
    }
    out
}

/// Every currency the packs mention (conditions, penalty caps, jurisdictions), so that a
/// counterexample can give a rate for each and never trip over a missing one.
pub fn known_currencies(rs: &RuleSet) -> Vec<Currency> {
    let mut out: Vec<Currency> = Vec::new();
    let mut add = |c: Currency| {
        if !out.contains(&c) {
            out.push(c);
        }
    };
    for j in &rs.jurisdictions {
        add(j.currency);
    }
    for p in &rs.penalties {
        for per in &p.periods {
            if let Some(c) = per.value.cap {
                add(c.currency);
            }
        }
    }
    let conds = rs
        .rules
        .iter()
        .flat_map(|r| std::iter::once(&r.when).chain(r.unless.as_ref()))
        .chain(
            rs.jurisdictions
                .iter()
                .flat_map(|j| j.nexus.iter().map(|n| &n.when)),
        )
        .flat_map(Conditions::nested);
    for c in conds {
        for cur in c.currencies.iter().flatten() {
            add(*cur);
        }
        for m in [c.amount_at_least, c.amount_below].into_iter().flatten() {
            add(m.currency);
        }
    }
    out
}

/// A currency code the packs never mention, standing for "any other currency".
fn unused_currency(known: &[Currency]) -> Option<Currency> {
    ["CHF", "SEK", "NOK", "JPY", "XTS"]
        .iter()
        .filter_map(|c| Currency::parse(c))
        .find(|c| !known.contains(c))
}

/// A date well inside the jurisdiction's business-day calendar, so due dates can be computed.
fn preferred_date(rs: &RuleSet, j: JurisdictionIdx) -> Date {
    let fallback = Date::from_ymd_opt(2025, 6, 2).unwrap_or_default();
    rs.jurisdictions
        .get(j)
        .and_then(|jur| rs.calendars.get(jur.calendar))
        .map_or(fallback, |c| {
            let span = (c.covers_until - c.covers_from).num_days() / 2;
            c.covers_from + chrono::Duration::days(span)
        })
}

/// The date of `[lo, hi)` nearest to `want`.
fn clamp(want: Date, lo: Option<Date>, hi: Option<Date>) -> Date {
    let mut d = want;
    if let Some(l) = lo
        && d < l
    {
        d = l;
    }
    if let Some(h) = hi
        && d >= h
    {
        d = h.pred_opt().unwrap_or(h);
    }
    d
}
