//! The evaluator: a transaction on its date, through every jurisdiction's rules.
//!
//! For each jurisdiction: the parties' statuses (designations and the ownership doctrine, from
//! the status cache), the nexus tests, every rule in force (prohibitions fire once per matching
//! actor), then defeat: an exemption or license defeats a prohibition it selects unless an
//! active override protects that prohibition from it. The disposition is the strongest
//! undefeated prohibition; with none, `permitted_licensed`/`permitted_exempt` if something was
//! defeated, `permitted` if the law reaches the transaction, `out_of_scope` if it does not.
//!
//! The engine takes `&self` everywhere and is `Send + Sync`: load once, evaluate from many
//! threads. Tracing is opt-in; with it off no trace is built.

pub mod conditions;
pub mod consequence;
pub mod decision;
pub mod dispatch;

use std::sync::Arc;

use conditions::{PartyFact, Sink, TxCtx, clause_matches, first_match, holds, person_tests};
use decision::*;
use dispatch::Candidate;

use crate::model::ruleset::{Rule, RuleKind, RuleSet};
use crate::model::values::Date;
use crate::model::world::{Transaction, World};
use crate::model::{Bits, Disposition, JurisdictionIdx, PartyIdx, RuleIdx};
use crate::ownership::status::{PartyState, StateTable, StatusCache, StatusTable};

/// How to evaluate.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Record every rule considered, with its conditions and the facts read.
    pub trace: bool,
    /// Evaluate as the law and the lists stood on this date (default: the transaction date).
    pub as_of: Option<Date>,
    /// Only these jurisdictions (default: all).
    pub jurisdictions: Option<Vec<JurisdictionIdx>>,
}

/// Buffers an evaluation reuses from one transaction to the next.
#[derive(Debug, Default)]
pub struct Scratch {
    decision: Option<Decision>,
    /// The transaction's parties with their roles, shared by every jurisdiction.
    base: Vec<PartyFact>,
    facts: Vec<PartyFact>,
    firings: Vec<(RuleIdx, Option<PartyIdx>)>,
    exceptions: Vec<RuleIdx>,
    overrides: Vec<RuleIdx>,
    /// Outcomes of the previous decision, reused with their buffers.
    spare: Vec<Outcome>,
}

/// How rules are selected for one transaction.
#[derive(Debug, Clone, Copy)]
struct Dispatch {
    /// The status epoch of the effective date.
    epoch: usize,
    /// Skip rules whose transaction types exclude the transaction's.
    by_type: bool,
    /// Skip rules needing statuses no party of the transaction has.
    by_status: bool,
    /// Knowing parties and fuzzy list matches among the parties (as dispatch flags).
    base_flags: u8,
}

fn empty_decision() -> Decision {
    Decision {
        transaction: String::new(),
        date: Date::MIN,
        as_of: Date::MIN,
        overall: Disposition::OutOfScope,
        outcomes: Vec::new(),
        trace: None,
    }
}

fn empty_outcome(j: JurisdictionIdx) -> Outcome {
    Outcome {
        jurisdiction: j,
        disposition: Disposition::OutOfScope,
        nexus: Vec::new(),
        reasons: Vec::new(),
        consequences: Vec::new(),
        issues: Vec::new(),
    }
}

/// Rule packs and a world, ready to evaluate transactions.
#[derive(Debug)]
pub struct Engine {
    rules: Arc<RuleSet>,
    world: Arc<World>,
    tests: Vec<Bits>,
    /// The same, one byte a party, for the fast nexus path (when the sets are few).
    compact_tests: Option<dispatch::CompactTests>,
    /// Parties matched to list entries only by a fuzzy name search.
    fuzzy: Vec<bool>,
    statuses: StatusCache,
    index: dispatch::RuleIndex,
}

impl Engine {
    pub fn new(rules: Arc<RuleSet>, world: Arc<World>) -> Engine {
        let tests = person_tests(&rules, &world);
        let statuses = StatusCache::new(&rules, &world);
        let index = dispatch::RuleIndex::new(&rules, &world);
        let fuzzy = world
            .parties
            .iter()
            .map(|p| !p.fuzzy_candidates.is_empty())
            .collect();
        let compact_tests = dispatch::CompactTests::new(&tests);
        Engine {
            rules,
            world,
            tests,
            compact_tests,
            fuzzy,
            statuses,
            index,
        }
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    pub fn rules_arc(&self) -> &Arc<RuleSet> {
        &self.rules
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    /// Person tests each party passes.
    pub fn party_tests(&self, p: PartyIdx) -> Bits {
        self.tests.get(p.idx()).copied().unwrap_or_default()
    }

    /// Every party's status in `j` on `date`.
    pub fn statuses(&self, j: JurisdictionIdx, date: Date) -> Arc<StatusTable> {
        self.statuses.table(&self.rules, &self.world, j, date)
    }

    /// Every party's state in `j` on `date`, in the compact form the evaluator reads (built on
    /// first use, without keeping the ownership closure).
    pub fn states(&self, j: JurisdictionIdx, date: Date) -> Option<&StateTable> {
        let epoch = self.statuses.epoch(date);
        self.statuses
            .states(&self.rules, &self.world, j, epoch, date)
    }

    /// The dates on which the world's designations or edges change (status epochs begin).
    pub fn change_dates(&self) -> &[Date] {
        self.statuses.change_dates()
    }

    /// The date the world is read at: the transaction date, or the as-of date if earlier
    /// (nothing designated after either can matter).
    pub fn effective_date(tx_date: Date, as_of: Option<Date>) -> Date {
        as_of.map_or(tx_date, |a| a.min(tx_date))
    }

    /// Evaluate into a scratch space that the caller keeps from one transaction to the next
    /// (the batch pipeline's path): with tracing off, a decision that involves nothing
    /// blocked or flagged costs no allocation.
    pub fn evaluate_with<'s>(
        &self,
        tx: &Transaction,
        opts: &EvalOptions,
        scratch: &'s mut Scratch,
    ) -> &'s Decision {
        let mut d = scratch.decision.take().unwrap_or_else(empty_decision);
        self.evaluate_into(tx, opts, true, scratch, &mut d);
        scratch.decision.insert(d)
    }

    /// Every rule in force evaluated (no dispatch index), a fresh decision per call: the
    /// benchmark's naive baseline, and an oracle for tests.
    pub fn evaluate_unindexed(&self, tx: &Transaction, opts: &EvalOptions) -> Decision {
        let mut d = empty_decision();
        self.evaluate_into(tx, opts, false, &mut Scratch::default(), &mut d);
        d
    }

    pub fn evaluate(&self, tx: &Transaction, opts: &EvalOptions) -> Decision {
        let mut d = empty_decision();
        self.evaluate_into(tx, opts, true, &mut Scratch::default(), &mut d);
        d
    }

    /// Evaluate `tx` into `d`, reusing its buffers. `indexed`: consider only the rules the
    /// dispatch index says can fire (tracing always considers every rule).
    fn evaluate_into(
        &self,
        tx: &Transaction,
        opts: &EvalOptions,
        indexed: bool,
        s: &mut Scratch,
        d: &mut Decision,
    ) {
        let as_of = opts.as_of.unwrap_or(tx.date);
        let effective = Engine::effective_date(tx.date, opts.as_of);
        let epoch = self.statuses.epoch(effective);
        let by_type = indexed && !opts.trace;
        let by_status = by_type && self.index.amount_safe(tx.amount);
        d.transaction.clone_from(&tx.id);
        d.date = tx.date;
        d.as_of = as_of;
        s.spare.append(&mut d.outcomes);
        let base_flags = self.base_facts(tx, &mut s.base);
        let mut trace = opts.trace.then(Trace::default);
        for j in 0..self.rules.jurisdictions.len() {
            let j = JurisdictionIdx::from_usize(j);
            if opts
                .jurisdictions
                .as_ref()
                .is_some_and(|js| !js.contains(&j))
            {
                continue;
            }
            let jt = trace.as_mut().map(|_| JurisdictionTrace {
                jurisdiction: j,
                nexus: Vec::new(),
                rules: Vec::new(),
            });
            let mut outcome = s.spare.pop().unwrap_or_else(|| empty_outcome(j));
            let dispatch = Dispatch {
                epoch,
                by_type,
                by_status,
                base_flags,
            };
            let jt = self.evaluate_in(j, tx, effective, as_of, dispatch, s, &mut outcome, jt);
            d.outcomes.push(outcome);
            if let (Some(t), Some(jt)) = (trace.as_mut(), jt) {
                t.jurisdictions.push(jt);
            }
        }
        d.overall = d
            .outcomes
            .iter()
            .map(|o| o.disposition)
            .max()
            .unwrap_or(Disposition::OutOfScope);
        d.trace = trace;
    }

    /// The parties of `tx` with their roles (each party once), states not yet read; returns
    /// the flags that do not depend on the jurisdiction (knowing parties, fuzzy list matches).
    fn base_facts(&self, tx: &Transaction, facts: &mut Vec<PartyFact>) -> u8 {
        facts.clear();
        for &(role, p) in &tx.parties {
            if let Some(f) = facts.iter_mut().find(|f| f.party == p) {
                f.roles.insert(role.bit());
            } else {
                facts.push(PartyFact {
                    party: p,
                    roles: Bits::single(role.bit()),
                    state: PartyState::default(),
                    knowing: tx.knowing.contains(&p),
                });
            }
        }
        facts.iter().fold(0, |n, f| {
            let fuzzy = self.fuzzy.get(f.party.idx()).copied().unwrap_or(false);
            n | dispatch::fact_flags(f, fuzzy)
        })
    }

    /// The parties of the transaction (`base`) with their states in `j`; returns the statuses
    /// present among them (knowing and fuzzy matches apart: see `base_facts`).
    fn fill_facts(
        &self,
        j: JurisdictionIdx,
        base: &[PartyFact],
        effective: Date,
        epoch: usize,
        facts: &mut Vec<PartyFact>,
    ) -> u8 {
        facts.clear();
        facts.extend_from_slice(base);
        let table = self
            .statuses
            .states(&self.rules, &self.world, j, epoch, effective);
        let mut present = 0;
        for f in facts.iter_mut() {
            let state = match table {
                Some(t) => t.get_unless_clear(f.party),
                None => Some(self.statuses(j, effective).get(f.party)),
            };
            if let Some(state) = state {
                f.state = state;
                present |= dispatch::fact_flags(f, false);
            }
        }
        present
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "the evaluation's state, passed down once"
    )]
    fn evaluate_in(
        &self,
        j: JurisdictionIdx,
        tx: &Transaction,
        effective: Date,
        as_of: Date,
        dispatch: Dispatch,
        s: &mut Scratch,
        out: &mut Outcome,
        mut jt: Option<JurisdictionTrace>,
    ) -> Option<JurisdictionTrace> {
        let rs = &*self.rules;
        let mut facts = std::mem::take(&mut s.facts);
        let present = dispatch.base_flags
            | self.fill_facts(j, &s.base, effective, dispatch.epoch, &mut facts);
        let cx = TxCtx {
            rs,
            world: &self.world,
            tx,
            j,
            facts: &facts,
            tests: &self.tests,
        };
        let mut issues = std::mem::take(&mut out.issues);
        issues.clear();

        let mut nexus = std::mem::take(&mut out.nexus);
        nexus.clear();
        if let Some(jur) = rs.jurisdictions.get(j.idx()) {
            for (i, n) in jur.nexus.iter().enumerate() {
                if dispatch.by_status {
                    let (needs, plan) = self.index.nexus(j, i);
                    if needs & !present != 0 {
                        continue;
                    }
                    if let Some(plan) = plan {
                        let held = match &self.compact_tests {
                            Some(c) => plan.holds(&facts, |p| c.get(p)),
                            None => plan
                                .holds(&facts, |p| self.tests.get(p).copied().unwrap_or_default()),
                        };
                        if held {
                            nexus.push(i);
                        }
                        continue;
                    }
                }
                let mut conds = Vec::new();
                let held = {
                    let mut sink = Sink {
                        trace: jt.as_ref().map(|_| &mut conds),
                        issues: &mut issues,
                    };
                    holds(&n.when, &cx, &mut sink)
                };
                if held {
                    nexus.push(i);
                }
                if let Some(t) = jt.as_mut() {
                    t.nexus.push(NexusTrace {
                        test: i,
                        held,
                        conditions: conds,
                    });
                }
            }
        }

        // Fire rules: those the index leaves (every rule when tracing or unindexed).
        let mut firings = std::mem::take(&mut s.firings);
        let mut exceptions = std::mem::take(&mut s.exceptions);
        let mut overrides = std::mem::take(&mut s.overrides);
        firings.clear();
        exceptions.clear();
        overrides.clear();
        // With statuses trusted, prohibitions come first; exemptions, licenses and overrides
        // are evaluated only once one fired (alone they decide nothing, and with every amount
        // convertible they cannot record an issue). Pack order holds within each list.
        let lists = self.index.candidates(j, tx.tx_type);
        let (first, second): (&[Candidate], &[Candidate]) = match lists {
            _ if !dispatch.by_type => (self.index.all(j), &[]),
            None => (self.index.all(j), &[]),
            Some(l) if !dispatch.by_status => (&l.all, &[]),
            Some(l) if present == 0 => (&l.free, &l.exceptions),
            Some(l) => (&l.prohibitions, &l.exceptions),
        };
        for (pass, c) in first
            .iter()
            .map(|c| (0, c))
            .chain(second.iter().map(|c| (1, c)))
        {
            if (pass == 1 && firings.is_empty()) || (dispatch.by_status && c.needs & !present != 0)
            {
                continue;
            }
            let r = c.rule;
            let Some(rule) = rs.rules.get(r.idx()) else {
                continue;
            };
            let in_force = rule.in_force(effective);
            let mut conds = Vec::new();
            let mut actors = Vec::new();
            let claimed = !rule.requires_claim || tx.licenses.contains(&r);
            let fired = in_force && claimed && {
                let mut sink = Sink {
                    trace: jt.as_ref().map(|_| &mut conds),
                    issues: &mut issues,
                };
                let when = holds(&rule.when, &cx, &mut sink);
                let unless = match &rule.unless {
                    Some(u) if when || jt.is_some() => {
                        if let Some(t) = sink.trace.as_deref_mut() {
                            t.push(CondTrace {
                                what: "unless all of the following:".into(),
                                held: true,
                                facts: String::new(),
                            });
                        }
                        holds(u, &cx, &mut sink)
                    }
                    _ => false,
                };
                when && !unless
            };
            if fired {
                match rule.kind {
                    RuleKind::Prohibition => match &rule.actor {
                        Some(a) => {
                            for f in facts.iter().filter(|f| clause_matches(a, f, &cx)) {
                                actors.push(f.party);
                                firings.push((r, Some(f.party)));
                            }
                        }
                        None => firings.push((r, None)),
                    },
                    RuleKind::Exemption | RuleKind::License => exceptions.push(r),
                    RuleKind::Override => overrides.push(r),
                }
            }
            if let Some(t) = jt.as_mut() {
                if !claimed && in_force {
                    conds.push(CondTrace {
                        what: "the transaction claims this license".into(),
                        held: false,
                        facts: "not claimed".into(),
                    });
                }
                let fired = fired
                    && (rule.kind != RuleKind::Prohibition
                        || rule.actor.is_none()
                        || !actors.is_empty());
                t.rules.push(RuleTrace {
                    rule: r,
                    in_force,
                    fired,
                    actors,
                    conditions: conds,
                });
            }
        }

        // Defeat.
        let mut reasons: Vec<Reason> = Vec::new();
        let mut disposition: Option<Disposition> = None;
        let mut defeated_any: Option<Disposition> = None;
        let mut exception_hits: Vec<(RuleIdx, RuleIdx)> = Vec::new();
        let mut override_hits: Vec<(RuleIdx, RuleIdx)> = Vec::new();
        let mut live: Vec<(RuleIdx, Option<PartyIdx>)> = Vec::new();
        for &(r, actor) in &firings {
            let Some(rule) = rs.rules.get(r.idx()) else {
                continue;
            };
            // Every selecting exception that no firing override protects the prohibition from
            // defeats it, and every protecting override is cited: nothing here depends on the
            // order of the packs.
            let mut defeaters: Vec<RuleIdx> = Vec::new();
            for &e in &exceptions {
                let Some(ex) = rs.rules.get(e.idx()) else {
                    continue;
                };
                if !ex.defeats.selects(r, rule, rs) {
                    continue;
                }
                let mut protected = false;
                for &o in &overrides {
                    if rs.rules.get(o.idx()).is_some_and(|ov| {
                        ov.overrides.contains(&e) && ov.defeats.selects(r, rule, rs)
                    }) {
                        override_hits.push((o, e));
                        protected = true;
                    }
                }
                if !protected {
                    defeaters.push(e);
                }
            }
            if defeaters.is_empty() {
                disposition = disposition.max(rule.disposition);
                live.push((r, actor));
                continue;
            }
            defeaters.sort();
            exception_hits.extend(defeaters.iter().map(|&e| (e, r)));
            // Where a statutory exemption applies the license is not needed: the weaker
            // permission (so adding a license never strengthens a disposition).
            let permitted = if defeaters.iter().any(|e| {
                rs.rules
                    .get(e.idx())
                    .is_some_and(|x| x.kind == RuleKind::Exemption)
            }) {
                Disposition::PermittedExempt
            } else {
                Disposition::PermittedLicensed
            };
            // Only a prohibition that would set a disposition makes the transaction "permitted
            // because exempt"; lifting a rule that only attaches consequences permits nothing.
            if rule.disposition.is_some() {
                defeated_any = defeated_any.max(Some(permitted));
            }
            reasons.push(Reason {
                kind: ReasonKind::Defeated,
                rule: r,
                actor,
                matched: matched(rule, &cx),
                related: defeaters,
            });
        }
        for &(r, actor) in &live {
            let Some(rule) = rs.rules.get(r.idx()) else {
                continue;
            };
            let kind = if rule.disposition.is_some() && rule.disposition == disposition {
                ReasonKind::Decisive
            } else {
                ReasonKind::Contributing
            };
            reasons.push(Reason {
                kind,
                rule: r,
                actor,
                matched: matched(rule, &cx),
                related: Vec::new(),
            });
        }
        for &e in &exceptions {
            let defeated: Vec<RuleIdx> = exception_hits
                .iter()
                .filter(|(x, _)| *x == e)
                .map(|(_, r)| *r)
                .collect();
            if !defeated.is_empty()
                && let Some(rule) = rs.rules.get(e.idx())
            {
                reasons.push(Reason {
                    kind: ReasonKind::Exception,
                    rule: e,
                    actor: None,
                    matched: matched(rule, &cx),
                    related: dedup(defeated),
                });
            }
        }
        for &o in &overrides {
            let stopped: Vec<RuleIdx> = override_hits
                .iter()
                .filter(|(x, _)| *x == o)
                .map(|(_, e)| *e)
                .collect();
            if !stopped.is_empty()
                && let Some(rule) = rs.rules.get(o.idx())
            {
                reasons.push(Reason {
                    kind: ReasonKind::Override,
                    rule: o,
                    actor: None,
                    matched: matched(rule, &cx),
                    related: dedup(stopped),
                });
            }
        }
        reasons.sort();
        reasons.dedup();

        // The disposition the firings decide (before evaluation issues raise it): an
        // obligation tied to a disposition (`for_dispositions`) is owed only under it.
        let decided = match (disposition, defeated_any) {
            (Some(d), _) => d,
            (None, Some(p)) => p,
            (None, None) if !nexus.is_empty() => Disposition::Permitted,
            (None, None) => Disposition::OutOfScope,
        };
        // Consequences of undefeated firings, merged per actor and duty.
        let mut consequences: Vec<Consequence> = Vec::new();
        for &(r, actor) in &live {
            let (Some(rule), Some(actor)) = (rs.rules.get(r.idx()), actor) else {
                continue;
            };
            let actor_kind = self.world.parties.get(actor.idx()).map(|p| p.kind);
            for &o in &rule.obligations {
                let Some(def) = rs.obligations.get(o.idx()) else {
                    continue;
                };
                if def
                    .for_dispositions
                    .as_ref()
                    .is_some_and(|ds| !ds.contains(&decided))
                {
                    continue;
                }
                let kind = consequence::obligation_due(rs, j, o, def, tx, as_of, &mut issues);
                add_consequence(&mut consequences, actor, kind, r);
            }
            for &p in &rule.exposures {
                let Some(def) = rs.penalties.get(p.idx()) else {
                    continue;
                };
                if !def.applies_to.is_empty()
                    && !actor_kind.is_some_and(|k| def.applies_to.contains(k.bit()))
                {
                    continue;
                }
                let kind = consequence::exposure(&self.world, p, def, tx, as_of, &mut issues);
                add_consequence(&mut consequences, actor, kind, r);
            }
        }
        consequences.sort();

        let mut disposition = decided;
        // Only an issue that left a condition unread makes the disposition uncertain; one
        // that leaves a consequence's detail unknown (an exposure's amount, a due date) is
        // shown with a complete decision.
        if issues.iter().any(Issue::leaves_disposition_open) {
            disposition = disposition.max(Disposition::Review);
        }
        issues.sort();
        *out = Outcome {
            jurisdiction: j,
            disposition,
            nexus,
            reasons,
            consequences,
            issues,
        };
        s.facts = facts;
        s.firings = firings;
        s.exceptions = exceptions;
        s.overrides = overrides;
        jt
    }
}

fn dedup(mut v: Vec<RuleIdx>) -> Vec<RuleIdx> {
    v.sort();
    v.dedup();
    v
}

/// The first party meeting each party clause of the rule's conditions.
fn matched(rule: &Rule, cx: &TxCtx) -> Vec<PartyIdx> {
    rule.when
        .parties
        .iter()
        .filter_map(|c| first_match(c, cx))
        .collect()
}

fn add_consequence(
    list: &mut Vec<Consequence>,
    actor: PartyIdx,
    kind: ConsequenceKind,
    rule: RuleIdx,
) {
    if let Some(c) = list
        .iter_mut()
        .find(|c| c.actor == actor && same_duty(&c.kind, &kind))
    {
        if !c.rules.contains(&rule) {
            c.rules.push(rule);
            c.rules.sort();
        }
    } else {
        list.push(Consequence {
            actor,
            kind,
            rules: vec![rule],
        });
    }
}

fn same_duty(a: &ConsequenceKind, b: &ConsequenceKind) -> bool {
    match (a, b) {
        (ConsequenceKind::Obligation { id: x, .. }, ConsequenceKind::Obligation { id: y, .. }) => {
            x == y
        }
        (ConsequenceKind::Exposure { id: x, .. }, ConsequenceKind::Exposure { id: y, .. }) => {
            x == y
        }
        _ => false,
    }
}
