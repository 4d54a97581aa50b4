//! A deliberately naive reference evaluator, written from docs/rule-language.md and
//! docs/ownership.md without looking at the engine's data structures: no indexes, no caches,
//! no epochs, no worklists. Statuses are fixed points computed by repeating "is anyone newly
//! blocked?" over every party until nothing changes; conditions are interpreted directly over
//! the lowered rule set and world. It shares no evaluation code with the engine (only the
//! model types and the lowering that produced them).

use std::collections::BTreeSet;

use chrono::Datelike;
use interdict::eval::decision::ReasonKind;
use interdict::model::ruleset::{
    Aggregation, Comparison, Conditions, ControlEffect, DatedBy, Due, ObligationDef, PartyClause,
    PartyPredicate, Rule, RuleKind, RuleSet, Selector,
};
use interdict::model::values::{Country, Currency, Date};
use interdict::model::world::{Party, Transaction, World};
use interdict::model::{
    Bits, Disposition, JurisdictionIdx, ObligationIdx, PartyIdx, PenaltyIdx, Role, RuleIdx,
};
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Status {
    pub designated: Bits,
    pub blocked: bool,
    pub grounds: Bits,
    pub undetermined: bool,
    pub minority: bool,
    pub controlled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RefReason {
    pub kind: ReasonKind,
    pub rule: RuleIdx,
    pub actor: Option<PartyIdx>,
    pub matched: Vec<PartyIdx>,
    pub related: Vec<RuleIdx>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Duty {
    Obligation(ObligationIdx),
    Exposure(PenaltyIdx),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefOutcome {
    pub jurisdiction: JurisdictionIdx,
    pub disposition: Disposition,
    pub nexus: Vec<usize>,
    pub reasons: Vec<RefReason>,
    pub duties: Vec<(PartyIdx, Duty)>,
    pub has_issues: bool,
}

fn in_window(from: Option<Date>, until: Option<Date>, d: Date) -> bool {
    from.is_none_or(|f| f <= d) && until.is_none_or(|u| d < u)
}

fn reaches(rs: &RuleSet, j: JurisdictionIdx, sum: Decimal) -> bool {
    let d = &rs.jurisdictions[j].doctrine;
    match (d.threshold, d.comparison) {
        (None, _) => false,
        (Some(t), Comparison::AtLeast) => sum >= t,
        (Some(t), Comparison::MoreThan) => sum > t,
    }
}

/// Blocked parties at the lower (`hi == false`) or upper share bounds, and (for a
/// non-aggregating doctrine) each designated person's unit as (root, members).
///
/// At the upper bounds, what a set of holders holds together is capped by what the other
/// holders of the same entity leave of 100% (their lower bounds).
fn blocked_set(
    rs: &RuleSet,
    w: &World,
    j: JurisdictionIdx,
    date: Date,
    direct: &[bool],
    hi: bool,
) -> (Vec<bool>, Vec<(usize, BTreeSet<usize>)>) {
    let d = &rs.jurisdictions[j].doctrine;
    let n = w.parties.len();
    let counts = |basis: usize| d.control_bases.is_empty() || d.control_bases.contains(basis);
    let control_blocks = d.control == ControlEffect::Blocks;
    let owns: Vec<_> = w
        .ownership
        .iter()
        .filter(|e| in_window(e.from, e.until, date))
        .collect();
    // What the holders `counts` accepts hold of `t` together: at the lower bounds, their sum;
    // at the upper bounds, their sum capped by what the other holders' lower bounds leave of
    // 100% (holdings in one entity never exceed 100%).
    let held = |t: usize, counts: &dyn Fn(usize) -> bool| -> Decimal {
        let mut lo_sum = Decimal::ZERO;
        let mut hi_sum = Decimal::ZERO;
        let mut rest_lo = Decimal::ZERO;
        for e in owns.iter().filter(|e| e.owned.idx() == t) {
            let (lo, h) = e.share.bounds();
            if counts(e.owner.idx()) {
                lo_sum += lo;
                hi_sum += h;
            } else {
                rest_lo += lo;
            }
        }
        if hi {
            hi_sum.min(Decimal::ONE_HUNDRED - rest_lo).max(lo_sum)
        } else {
            lo_sum
        }
    };
    let controls: Vec<_> = w
        .control
        .iter()
        .filter(|e| in_window(e.from, e.until, date))
        .collect();
    match d.aggregation {
        Aggregation::All => {
            let mut blocked = direct.to_vec();
            loop {
                let mut changed = false;
                for t in 0..n {
                    if blocked[t] {
                        continue;
                    }
                    let sum = held(t, &|o| blocked[o]);
                    let controlled = control_blocks
                        && controls.iter().any(|e| {
                            e.controlled.idx() == t
                                && blocked[e.controller.idx()]
                                && counts(e.basis.idx())
                        });
                    if reaches(rs, j, sum) || controlled {
                        blocked[t] = true;
                        changed = true;
                    }
                }
                if !changed {
                    return (blocked, Vec::new());
                }
            }
        }
        Aggregation::JointArrangementOnly => {
            // One unit per designated person: itself, and whatever the unit's holdings (or
            // counted control, where control blocks) reach; holdings of different units never
            // add up. A joint arrangement's members stand for the units they belong to: the
            // holdings of the members and of those units count together, and an entity they
            // reach joins every one of those units.
            let roots: Vec<usize> = (0..n).filter(|&i| direct[i]).collect();
            let mut units: Vec<BTreeSet<usize>> =
                roots.iter().map(|&r| BTreeSet::from([r])).collect();
            let joints: Vec<_> = w
                .joint_arrangements
                .iter()
                .filter(|a| in_window(a.from, a.until, date))
                .collect();
            loop {
                let mut changed = false;
                for unit in units.iter_mut() {
                    for t in 0..n {
                        if unit.contains(&t) {
                            continue;
                        }
                        let sum = held(t, &|o| unit.contains(&o));
                        let controlled = control_blocks
                            && controls.iter().any(|e| {
                                e.controlled.idx() == t
                                    && unit.contains(&e.controller.idx())
                                    && counts(e.basis.idx())
                            });
                        if reaches(rs, j, sum) || controlled {
                            unit.insert(t);
                            changed = true;
                        }
                    }
                }
                for a in &joints {
                    let t = a.entity.idx();
                    let stand_for: Vec<usize> = (0..units.len())
                        .filter(|&ui| a.members.iter().any(|m| units[ui].contains(&m.idx())))
                        .collect();
                    if stand_for.is_empty() {
                        continue;
                    }
                    let holder = |o: usize| {
                        a.members.iter().any(|m| m.idx() == o)
                            || stand_for.iter().any(|&ui| units[ui].contains(&o))
                    };
                    let sum = held(t, &holder);
                    if reaches(rs, j, sum) {
                        for &ui in &stand_for {
                            if units[ui].insert(t) {
                                changed = true;
                            }
                        }
                    }
                }
                if !changed {
                    let mut blocked = vec![false; n];
                    for u in &units {
                        for &p in u {
                            blocked[p] = true;
                        }
                    }
                    return (blocked, roots.into_iter().zip(units).collect());
                }
            }
        }
    }
}

pub fn statuses(rs: &RuleSet, w: &World, j: JurisdictionIdx, date: Date) -> Vec<Status> {
    let n = w.parties.len();
    let mut designated = vec![Bits::EMPTY; n];
    for d in &w.designations {
        if in_window(d.listed, d.delisted, date) {
            designated[d.party.idx()].insert(d.program.idx());
        }
    }
    let blocking: Bits = rs
        .programs
        .iter()
        .enumerate()
        .filter(|(_, p)| p.jurisdiction == j && p.blocking)
        .map(|(i, _)| i)
        .collect();
    let direct: Vec<bool> = designated.iter().map(|d| d.intersects(blocking)).collect();
    let (lo, units) = blocked_set(rs, w, j, date, &direct, false);
    let (hi, _) = blocked_set(rs, w, j, date, &direct, true);
    let d = &rs.jurisdictions[j].doctrine;
    let mut out: Vec<Status> = (0..n)
        .map(|i| Status {
            designated: designated[i],
            blocked: lo[i],
            grounds: if direct[i] {
                designated[i].intersection(blocking)
            } else {
                Bits::EMPTY
            },
            undetermined: !lo[i] && hi[i],
            minority: false,
            controlled: false,
        })
        .collect();
    let owns: Vec<_> = w
        .ownership
        .iter()
        .filter(|e| in_window(e.from, e.until, date))
        .collect();
    let controls: Vec<_> = w
        .control
        .iter()
        .filter(|e| in_window(e.from, e.until, date))
        .collect();
    // Grounds of the blocked. Aggregating doctrines: their own blocking designations, and the
    // grounds of blocked owners (with a possibly positive share) and of counted blocked
    // controllers (where control blocks), to a fixed point. Non-aggregating doctrines: their
    // own, and those of every designated person whose unit they are in.
    if d.aggregation == Aggregation::All {
        let control_blocks = d.control == ControlEffect::Blocks;
        let counts = |basis: usize| d.control_bases.is_empty() || d.control_bases.contains(basis);
        loop {
            let mut changed = false;
            for t in 0..n {
                if !lo[t] {
                    continue;
                }
                let mut g = out[t].grounds;
                for e in owns
                    .iter()
                    .filter(|e| e.owned.idx() == t && e.share.bounds().1 > Decimal::ZERO)
                {
                    if lo[e.owner.idx()] {
                        g = g.union(out[e.owner.idx()].grounds);
                    }
                }
                for e in controls.iter().filter(|e| e.controlled.idx() == t) {
                    if control_blocks && counts(e.basis.idx()) && lo[e.controller.idx()] {
                        g = g.union(out[e.controller.idx()].grounds);
                    }
                }
                if g != out[t].grounds {
                    out[t].grounds = g;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    } else {
        for (root, members) in &units {
            let g = designated[*root].intersection(blocking);
            for &m in members {
                out[m].grounds = out[m].grounds.union(g);
            }
        }
    }
    for e in &owns {
        let (o, t) = (e.owner.idx(), e.owned.idx());
        // An undetermined party raises no minority flag: its own review covers it.
        if lo[o] && !lo[t] && !out[t].undetermined && e.share.bounds().1 > Decimal::ZERO {
            out[t].minority = true;
        }
    }
    for e in &controls {
        let (c, t) = (e.controller.idx(), e.controlled.idx());
        if lo[c] && !lo[t] {
            out[t].controlled = true;
        }
    }
    out
}

/// Does party `p` pass person test `t`? (Recursion follows branch links; they are acyclic.)
fn passes(rs: &RuleSet, w: &World, p: PartyIdx, t: usize, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    rs.person_tests.as_slice()[t]
        .any
        .iter()
        .any(|alt| attributes(rs, w, alt, p, depth + 1))
}

fn has_any(want: &Option<Vec<Country>>, have: &[Country]) -> bool {
    want.as_ref()
        .is_none_or(|w| have.iter().any(|c| w.contains(c)))
}

fn attributes(rs: &RuleSet, w: &World, pred: &PartyPredicate, p: PartyIdx, depth: usize) -> bool {
    let party: &Party = &w.parties[p];
    pred.kinds.is_none_or(|k| k.contains(party.kind.bit()))
        && pred
            .categories
            .is_none_or(|c| c.intersects(party.categories))
        && has_any(&pred.citizenship, &party.citizenship)
        && has_any(&pred.permanent_residence, &party.permanent_residence)
        && has_any(&pred.residence, &party.residence)
        && has_any(&pred.incorporated_in, party.incorporated_in.as_slice())
        && has_any(&pred.located_in, party.located_in.as_slice())
        && pred
            .is_branch
            .is_none_or(|b| b == party.branch_of.is_some())
        && pred.branch_of.is_none_or(|t| {
            party
                .branch_of
                .is_some_and(|h| passes(rs, w, h, t.idx(), depth))
        })
}

/// One party of the transaction, with all its roles.
struct Fact {
    party: PartyIdx,
    roles: Bits,
    knowing: bool,
}

struct Cx<'a> {
    rs: &'a RuleSet,
    w: &'a World,
    tx: &'a Transaction,
    facts: Vec<Fact>,
    status: Vec<Status>,
    issues: bool,
    /// An amount threshold could not be read: the disposition itself is uncertain.
    open: bool,
}

impl Cx<'_> {
    fn pred(&self, pred: &PartyPredicate, f: &Fact) -> bool {
        let p = f.party;
        let s = self.status[p.idx()];
        let passed = |t: Bits| t.iter().any(|i| passes(self.rs, self.w, p, i, 0));
        attributes(self.rs, self.w, pred, p, 0)
            && pred.tests.is_none_or(passed)
            && pred.not_tests.is_none_or(|t| !passed(t))
            && pred.designated.is_none_or(|d| d.intersects(s.designated))
            && pred.blocked.is_none_or(|b| b == s.blocked)
            && pred
                .blocked_under
                .is_none_or(|b| s.blocked && b.intersects(s.grounds))
            && pred
                .ownership_undetermined
                .is_none_or(|b| b == s.undetermined)
            && pred
                .blocked_minority_owner
                .is_none_or(|b| b == (s.minority && !s.blocked))
            && pred
                .controlled_by_blocked
                .is_none_or(|b| b == (s.controlled && !s.blocked))
            && pred.knowing.is_none_or(|k| k == f.knowing)
            && pred
                .fuzzy_list_match
                .is_none_or(|b| b != self.w.parties[p].fuzzy_candidates.is_empty())
    }

    fn clause(&self, c: &PartyClause, f: &Fact) -> bool {
        (c.roles.is_empty() || c.roles.intersects(f.roles)) && self.pred(&c.pred, f)
    }

    fn first(&self, c: &PartyClause) -> Option<PartyIdx> {
        self.facts
            .iter()
            .find(|f| self.clause(c, f))
            .map(|f| f.party)
    }

    /// The amount in `to` for an amount threshold: a missing rate leaves the disposition open.
    fn threshold_amount(&mut self, to: Currency) -> Option<Decimal> {
        self.try_convert(to).unwrap_or_else(|()| {
            self.issues = true;
            self.open = true;
            None
        })
    }

    fn convert(&mut self, to: Currency) -> Option<Decimal> {
        self.try_convert(to).unwrap_or_else(|()| {
            self.issues = true;
            None
        })
    }

    /// `Err` when no rate joins the two currencies.
    fn try_convert(&self, to: Currency) -> Result<Option<Decimal>, ()> {
        let Some(m) = self.tx.amount else {
            return Ok(None);
        };
        if m.currency == to {
            return Ok(Some(m.amount));
        }
        for r in &self.w.exchange_rates {
            if r.from == m.currency && r.to == to {
                return Ok(m.amount.checked_mul(r.rate));
            }
        }
        for r in &self.w.exchange_rates {
            if r.from == to && r.to == m.currency && !r.rate.is_zero() {
                return Ok(m.amount.checked_div(r.rate).map(|a| a.round_dp(6)));
            }
        }
        Err(())
    }

    fn country(&self, role: Role) -> Option<Country> {
        let (_, p) = self.tx.parties.iter().find(|(r, _)| *r == role)?;
        let party = &self.w.parties[p];
        party
            .located_in
            .or(party.incorporated_in)
            .or(party.residence.first().copied())
    }

    /// All parts must hold; the first part that fails ends the evaluation (so an amount that
    /// would need a missing rate is an issue only when the earlier parts held).
    fn holds(&mut self, c: &Conditions) -> bool {
        let tx = self.tx;
        if let Some(t) = c.transaction_types
            && !t.contains(tx.tx_type.idx())
        {
            return false;
        }
        if let Some(g) = c.goods_any
            && !g.intersects(tx.goods)
        {
            return false;
        }
        if let Some(g) = c.goods_only
            && (tx.goods.is_empty() || !tx.goods.is_subset(g))
        {
            return false;
        }
        if let Some(cs) = &c.currencies
            && !tx.amount.is_some_and(|m| cs.contains(&m.currency))
        {
            return false;
        }
        if let Some(min) = c.amount_at_least
            && self
                .threshold_amount(min.currency)
                .is_none_or(|a| a < min.amount)
        {
            return false;
        }
        if let Some(max) = c.amount_below
            && self
                .threshold_amount(max.currency)
                .is_none_or(|a| a >= max.amount)
        {
            return false;
        }
        if let Some(d) = c.date_from
            && tx.date < d
        {
            return false;
        }
        if let Some(d) = c.date_before
            && tx.date >= d
        {
            return false;
        }
        if let Some(p) = c.personal_use
            && tx.personal_use != p
        {
            return false;
        }
        if let Some(b) = c.cross_border {
            let cb = match (
                self.country(Role::Originator),
                self.country(Role::Beneficiary),
            ) {
                (Some(a), Some(b)) => a != b,
                _ => false,
            };
            if cb != b {
                return false;
            }
        }
        if let Some(b) = c.transfers_value
            && tx.amount.is_some_and(|m| m.amount > Decimal::ZERO) != b
        {
            return false;
        }
        c.parties.iter().all(|cl| self.first(cl).is_some())
            && c.no_party.iter().all(|cl| self.first(cl).is_none())
            && (c.any.is_empty() || c.any.iter().any(|a| self.holds(a)))
    }
}

fn selects(s: &Selector, r: RuleIdx, rule: &Rule, rs: &RuleSet) -> bool {
    if let Some(rules) = &s.rules
        && !rules.contains(&r)
    {
        return false;
    }
    if let Some(ps) = s.programs
        && !rule.program.is_some_and(|p| ps.contains(p.idx()))
    {
        return false;
    }
    if let Some(bs) = &s.basis {
        let basis = rule.program.and_then(|p| rs.programs[p].basis.clone());
        if !basis.is_some_and(|b| bs.contains(&b)) {
            return false;
        }
    }
    if let Some(ds) = &s.dispositions
        && !rule.disposition.is_some_and(|d| ds.contains(&d))
    {
        return false;
    }
    true
}

/// Whether the due period of `def` in force on `as_of` counts business days beyond `j`'s
/// calendar from `date` (the engine then raises an issue).
fn due_beyond_calendar(
    rs: &RuleSet,
    j: JurisdictionIdx,
    def: &ObligationDef,
    as_of: Date,
    date: Date,
) -> bool {
    let period = def
        .due
        .iter()
        .filter(|p| p.from.is_none_or(|f| f <= as_of))
        .max_by_key(|p| p.from)
        .or(def.due.first());
    period
        .is_some_and(|p| matches!(p.value, Due::BusinessDays(n) if calendar_short(rs, j, date, n)))
}

/// Would a business-day deadline from `event` run past the calendar?
fn calendar_short(rs: &RuleSet, j: JurisdictionIdx, event: Date, n: u32) -> bool {
    let cal = &rs.calendars[rs.jurisdictions[j].calendar];
    let mut d = event;
    let mut counted = 0;
    while counted < n {
        d = d.succ_opt().unwrap();
        if d < cal.covers_from || d > cal.covers_until {
            return true;
        }
        let weekend = cal.weekend[d.weekday().num_days_from_monday() as usize];
        if !cal.holidays.contains_key(&d) && !weekend {
            counted += 1;
        }
    }
    false
}

/// Evaluate `tx` in every jurisdiction, as the law and lists stood on `as_of` (default: the
/// transaction date).
pub fn evaluate(rs: &RuleSet, w: &World, tx: &Transaction, as_of: Option<Date>) -> Vec<RefOutcome> {
    let as_of_date = as_of.unwrap_or(tx.date);
    let effective = as_of_date.min(tx.date);
    let mut out = Vec::new();
    for (ji, jur) in rs.jurisdictions.iter().enumerate() {
        let j = JurisdictionIdx::try_from_usize(ji).unwrap();
        let mut facts: Vec<Fact> = Vec::new();
        for (role, p) in &tx.parties {
            match facts.iter_mut().find(|f| f.party == *p) {
                Some(f) => f.roles.insert(role.bit()),
                None => facts.push(Fact {
                    party: *p,
                    roles: Bits::single(role.bit()),
                    knowing: tx.knowing.contains(p),
                }),
            }
        }
        let mut cx = Cx {
            rs,
            w,
            tx,
            facts,
            status: statuses(rs, w, j, effective),
            issues: false,
            open: false,
        };
        let nexus: Vec<usize> = (0..jur.nexus.len())
            .filter(|&i| cx.holds(&jur.nexus.as_slice()[i].when))
            .collect();

        let mut firings: Vec<(RuleIdx, Option<PartyIdx>)> = Vec::new();
        let mut exceptions: Vec<RuleIdx> = Vec::new();
        let mut overrides: Vec<RuleIdx> = Vec::new();
        for (ri, rule) in rs.rules.iter().enumerate() {
            let r = RuleIdx::try_from_usize(ri).unwrap();
            if rule.jurisdiction != j
                || !in_window(rule.valid_from, rule.valid_until, effective)
                || rule.requires_claim && !tx.licenses.contains(&r)
            {
                continue;
            }
            if !cx.holds(&rule.when) {
                continue;
            }
            if let Some(u) = &rule.unless
                && cx.holds(u)
            {
                continue;
            }
            match rule.kind {
                RuleKind::Prohibition => match &rule.actor {
                    None => firings.push((r, None)),
                    Some(a) => {
                        for f in &cx.facts {
                            if cx.clause(a, f) {
                                firings.push((r, Some(f.party)));
                            }
                        }
                    }
                },
                RuleKind::Exemption | RuleKind::License => exceptions.push(r),
                RuleKind::Override => overrides.push(r),
            }
        }

        let matched = |rule: &Rule, cx: &Cx| -> Vec<PartyIdx> {
            rule.when
                .parties
                .iter()
                .filter_map(|c| cx.first(c))
                .collect()
        };
        let mut reasons: Vec<RefReason> = Vec::new();
        let mut live: Vec<(RuleIdx, Option<PartyIdx>)> = Vec::new();
        // Defeated by a license: their obligations owed when licensed still attach.
        let mut licensed: Vec<(RuleIdx, Option<PartyIdx>)> = Vec::new();
        let mut defeated_best: Option<Disposition> = None;
        let mut exception_hits: Vec<(RuleIdx, RuleIdx)> = Vec::new();
        let mut override_hits: Vec<(RuleIdx, RuleIdx)> = Vec::new();
        for &(r, actor) in &firings {
            let rule = &rs.rules[r];
            // An advisory only cautions: nothing defeats it.
            if rule.advisory {
                live.push((r, actor));
                continue;
            }
            let mut defeaters: Vec<RuleIdx> = Vec::new();
            for &e in &exceptions {
                if !selects(&rs.rules[e].defeats, r, rule, rs) {
                    continue;
                }
                let protectors: Vec<RuleIdx> = overrides
                    .iter()
                    .copied()
                    .filter(|&o| {
                        let ov = &rs.rules[o];
                        ov.overrides.contains(&e) && selects(&ov.defeats, r, rule, rs)
                    })
                    .collect();
                if protectors.is_empty() {
                    defeaters.push(e);
                } else {
                    override_hits.extend(protectors.iter().map(|&o| (o, e)));
                }
            }
            if defeaters.is_empty() {
                live.push((r, actor));
                continue;
            }
            defeaters.sort();
            if defeaters
                .iter()
                .any(|e| rs.rules[e].kind == RuleKind::License)
            {
                licensed.push((r, actor));
            }
            // A statutory exemption makes the license unnecessary: the weaker permission.
            let kind = if defeaters
                .iter()
                .any(|e| rs.rules[e].kind == RuleKind::Exemption)
            {
                Disposition::PermittedExempt
            } else {
                Disposition::PermittedLicensed
            };
            if rule.disposition.is_some() {
                defeated_best = defeated_best.max(Some(kind));
            }
            exception_hits.extend(defeaters.iter().map(|&e| (e, r)));
            reasons.push(RefReason {
                kind: ReasonKind::Defeated,
                rule: r,
                actor,
                matched: matched(rule, &cx),
                related: defeaters,
            });
        }
        let strongest = live
            .iter()
            .filter_map(|(r, _)| rs.rules[r].disposition)
            .max();
        for &(r, actor) in &live {
            let rule = &rs.rules[r];
            reasons.push(RefReason {
                kind: if rule.advisory {
                    ReasonKind::Advisory
                } else if rule.disposition.is_some() && rule.disposition == strongest {
                    ReasonKind::Decisive
                } else {
                    ReasonKind::Contributing
                },
                rule: r,
                actor,
                matched: matched(rule, &cx),
                related: Vec::new(),
            });
        }
        for (list, kind, hits) in [
            (&exceptions, ReasonKind::Exception, &exception_hits),
            (&overrides, ReasonKind::Override, &override_hits),
        ] {
            for &x in list {
                let mut related: Vec<RuleIdx> = hits
                    .iter()
                    .filter(|(a, _)| *a == x)
                    .map(|(_, b)| *b)
                    .collect();
                related.sort();
                related.dedup();
                if !related.is_empty() {
                    reasons.push(RefReason {
                        kind,
                        rule: x,
                        actor: None,
                        matched: matched(&rs.rules[x], &cx),
                        related,
                    });
                }
            }
        }
        reasons.sort();
        reasons.dedup();

        let decided = match (strongest, defeated_best) {
            (Some(d), _) => d,
            (None, Some(d)) => d,
            (None, None) if !nexus.is_empty() => Disposition::Permitted,
            (None, None) => Disposition::OutOfScope,
        };
        let mut duties: Vec<(PartyIdx, Duty)> = Vec::new();
        for &(r, actor) in &licensed {
            let Some(actor) = actor else { continue };
            for &o in &rs.rules[r].obligations {
                let def = &rs.obligations[o];
                let owed = def.owed_when_licensed
                    && def
                        .for_dispositions
                        .as_ref()
                        .is_none_or(|ds| ds.contains(&decided));
                if !owed {
                    continue;
                }
                if due_beyond_calendar(rs, j, def, as_of_date, tx.date) {
                    cx.issues = true;
                }
                duties.push((actor, Duty::Obligation(o)));
            }
        }
        for &(r, actor) in &live {
            let Some(actor) = actor else { continue };
            let rule = &rs.rules[r];
            for &o in &rule.obligations {
                let def = &rs.obligations[o];
                // A duty tied to dispositions is owed only when the decision is one of them.
                if let Some(ds) = &def.for_dispositions
                    && !ds.contains(&decided)
                {
                    continue;
                }
                if due_beyond_calendar(rs, j, def, as_of_date, tx.date) {
                    cx.issues = true;
                }
                duties.push((actor, Duty::Obligation(o)));
            }
            let kind = w.parties[actor].kind;
            for &p in &rule.exposures {
                let def = &rs.penalties[p];
                if !def.applies_to.is_empty() && !def.applies_to.contains(kind.bit()) {
                    continue;
                }
                let date = match def.dated_by {
                    DatedBy::Violation => tx.date,
                    DatedBy::Assessment => as_of_date,
                };
                let period = def
                    .periods
                    .iter()
                    .filter(|x| x.from.is_none_or(|f| f <= date))
                    .max_by_key(|x| x.from);
                if let Some(per) = period
                    && per.value.multiple.is_some()
                    && let Some(m) = tx.amount
                {
                    let cur = per.value.cap.map_or(m.currency, |c| c.currency);
                    let _ = cx.convert(cur);
                }
                duties.push((actor, Duty::Exposure(p)));
            }
        }
        duties.sort();
        duties.dedup();

        let mut disposition = decided;
        if cx.open {
            disposition = disposition.max(Disposition::Review);
        }
        out.push(RefOutcome {
            jurisdiction: j,
            disposition,
            nexus,
            reasons,
            duties,
            has_issues: cx.issues,
        });
    }
    out
}

/// Do the rule's conditions hold on the transaction's facts (with `actor` meeting its actor
/// clause, if it has one)? For explanation soundness.
pub fn rule_holds(
    rs: &RuleSet,
    w: &World,
    tx: &Transaction,
    j: JurisdictionIdx,
    date: Date,
    r: RuleIdx,
    actor: Option<PartyIdx>,
) -> bool {
    let rule = &rs.rules[r];
    let mut facts: Vec<Fact> = Vec::new();
    for (role, p) in &tx.parties {
        match facts.iter_mut().find(|f| f.party == *p) {
            Some(f) => f.roles.insert(role.bit()),
            None => facts.push(Fact {
                party: *p,
                roles: Bits::single(role.bit()),
                knowing: tx.knowing.contains(p),
            }),
        }
    }
    let mut cx = Cx {
        rs,
        w,
        tx,
        facts,
        status: statuses(rs, w, j, date),
        issues: false,
        open: false,
    };
    let when = cx.holds(&rule.when);
    let unless = rule.unless.as_ref().is_some_and(|u| cx.holds(u));
    let actor_ok = match (&rule.actor, actor, rule.kind) {
        (Some(a), Some(p), RuleKind::Prohibition) => {
            cx.facts.iter().any(|f| f.party == p && cx.clause(a, f))
        }
        (Some(_), None, RuleKind::Prohibition) => false,
        _ => true,
    };
    when && !unless && actor_ok && in_window(rule.valid_from, rule.valid_until, date)
}
