//! The evaluator: a transaction on its date, through every jurisdiction's rules.
//!
//! For each jurisdiction: the parties' statuses (designations and the ownership doctrine, from
//! the status cache), the nexus tests, every rule in force (prohibitions fire once per matching
//! actor), then defeat: an exemption or license defeats a prohibition it selects unless an
//! active override protects that prohibition from it. The disposition is the strongest
//! undefeated prohibition; with none, `permitted_licensed`/`permitted_exempt` if something was
//! defeated, `permitted` if the law reaches the transaction, `out_of_scope` if it does not.
//!
//! `Engine::evaluate_in` runs one jurisdiction in phases, each in its file: facts (`facts.rs`),
//! nexus (`nexus.rs`), firing (`firing.rs`), defeat and disposition (`disposition.rs`, which
//! asks `defeat.rs`, the one copy of defeat that `check` reads too), obligations and exposures
//! (`consequence.rs`). Party status is `conditions::status_holds`, also shared with `check`.
//!
//! The engine takes `&self` everywhere and is `Send + Sync`: load once, evaluate from many
//! threads. Tracing is opt-in; with it off no trace is built.

pub(crate) mod conditions;
pub(crate) mod consequence;
pub mod decision;
pub(crate) mod defeat;
pub(crate) mod dispatch;
mod disposition;
mod facts;
mod firing;
mod nexus;

use std::sync::Arc;

use conditions::{PartyFact, TxCtx, person_tests};
use decision::*;
use firing::Fired;

use crate::model::ruleset::RuleSet;
use crate::model::values::Date;
use crate::model::world::{Transaction, World};
use crate::model::{Bits, Disposition, IndexVec, JurisdictionIdx, PartyIdx};
use crate::ownership::status::{StatusCache, StatusTable};

/// How to evaluate.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Record every rule considered, with its conditions and the facts read.
    pub trace: bool,
    /// Evaluate as the law and the lists stood on this date (default: the transaction date).
    pub as_of: Option<Date>,
    /// The day the evaluation is made, apart from the transaction's date: an exposure whose
    /// limitation period ended before it is barred (default: none, not judged).
    pub evaluated_on: Option<Date>,
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
    fired: Fired,
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

/// One transaction's evaluation, the same in every jurisdiction.
#[derive(Debug, Clone, Copy)]
struct Occasion<'t> {
    tx: &'t Transaction,
    /// The date the world is read at (see `Engine::effective_date`).
    effective: Date,
    /// The date the law is read at (a duty's schedule as it stands when performed).
    as_of: Date,
    dispatch: Dispatch,
}

/// One transaction in one jurisdiction: what every phase reads.
struct Evaluation<'a> {
    engine: &'a Engine,
    cx: TxCtx<'a>,
    at: &'a Occasion<'a>,
    /// Statuses, knowing parties and fuzzy list matches present among the parties (as
    /// dispatch flags).
    present: u8,
}

/// What the phases of one jurisdiction's evaluation record besides their results.
struct Findings {
    /// Evaluation issues (a condition or a consequence that could not be read).
    issues: Vec<Issue>,
    /// The trace, when tracing.
    trace: Option<JurisdictionTrace>,
}

fn empty_decision() -> Decision {
    Decision {
        transaction: String::new(),
        date: Date::MIN,
        as_of: Date::MIN,
        evaluated_on: None,
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
    tests: IndexVec<PartyIdx, Bits>,
    /// The same, one byte a party, for the fast nexus path (when the sets are few).
    compact_tests: Option<dispatch::CompactTests>,
    /// Parties matched to list entries only by a fuzzy name search.
    fuzzy: IndexVec<PartyIdx, bool>,
    statuses: StatusCache,
    index: dispatch::RuleIndex,
}

impl Engine {
    /// An engine for `rules` over `world`: it computes which person tests each party passes
    /// and indexes the rules by what can make them fire; party statuses are computed per
    /// jurisdiction and period on first use and kept. Share it (`Arc`) between threads.
    pub fn new(rules: Arc<RuleSet>, world: Arc<World>) -> Engine {
        let tests = person_tests(&rules, &world);
        let statuses = StatusCache::new(&rules, &world);
        let index = dispatch::RuleIndex::new(&rules, &world);
        let fuzzy = world.parties.map(|p| !p.fuzzy_candidates.is_empty());
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

    /// The rule set it applies.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The rule set it applies, shared.
    pub fn rules_arc(&self) -> &Arc<RuleSet> {
        &self.rules
    }

    /// The world it judges transactions against.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Person tests each party passes (`p` must be a party of the engine's world).
    pub fn party_tests(&self, p: PartyIdx) -> Bits {
        self.tests[p]
    }

    /// Every party's status in `j` on `date`.
    pub fn statuses(&self, j: JurisdictionIdx, date: Date) -> Arc<StatusTable> {
        self.statuses.table(&self.rules, &self.world, j, date)
    }

    /// Every party's state in `j` on `date`, in the compact form the evaluator reads (built on
    /// first use, without keeping the ownership closure).
    pub fn states(
        &self,
        j: JurisdictionIdx,
        date: Date,
    ) -> Option<&crate::ownership::status::StateTable> {
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

    /// Decide `tx`: every jurisdiction's disposition, its reasons, and the obligations and
    /// exposures that follow (with a trace when `opts.trace`).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use interdict::{Disposition, Engine, EvalOptions, TransactionBuilder, WorldBuilder};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let (pack, _) = interdict::load_embedded_packs()?;
    /// let mut w = WorldBuilder::new();
    /// w.party("bank", "financial_institution").incorporated_in("US");
    /// w.party("cartel", "organization").incorporated_in("MX");
    /// w.designation("cartel", "us.sdgt").listed("2025-02-20");
    /// let world = Arc::new(w.build(&pack)?);
    /// let mut t = TransactionBuilder::new("wire-1", "2025-03-01", "wire");
    /// t.amount("10000", "USD").party("originator", "bank").party("beneficiary", "cartel");
    /// let tx = t.build(&pack.rules, &world)?;
    ///
    /// let engine = Engine::new(Arc::clone(&pack.rules), world);
    /// let decision = engine.evaluate(&tx, &EvalOptions::default());
    /// assert!(decision.overall >= Disposition::Review);
    /// # Ok(())
    /// # }
    /// ```
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
        d.evaluated_on = opts.evaluated_on;
        s.spare.append(&mut d.outcomes);
        let at = Occasion {
            tx,
            effective,
            as_of,
            dispatch: Dispatch {
                epoch,
                by_type,
                by_status,
                base_flags: self.base_facts(tx, &mut s.base),
            },
        };
        let mut trace = opts.trace.then(Trace::default);
        for j in self.rules.jurisdictions.indices() {
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
            let jt = self.evaluate_in(j, &at, s, &mut outcome, jt);
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

    /// One jurisdiction's outcome, in phases: facts, nexus, firing, defeat and disposition,
    /// obligations, exposures. The outcome's buffers (and the scratch's) are reused.
    fn evaluate_in(
        &self,
        j: JurisdictionIdx,
        at: &Occasion,
        s: &mut Scratch,
        out: &mut Outcome,
        trace: Option<JurisdictionTrace>,
    ) -> Option<JurisdictionTrace> {
        // The scratch's fields are borrowed apart: the phases read the facts while firing
        // writes its lists, with nothing moved in and out.
        let present = at.dispatch.base_flags
            | self.fill_facts(j, &s.base, at.effective, at.dispatch.epoch, &mut s.facts);
        let ev = Evaluation {
            engine: self,
            cx: TxCtx {
                rs: &self.rules,
                world: &self.world,
                tx: at.tx,
                j,
                facts: &s.facts,
                tests: &self.tests,
            },
            at,
            present,
        };
        let mut found = Findings {
            issues: std::mem::take(&mut out.issues),
            trace,
        };
        found.issues.clear();
        let mut nexus = std::mem::take(&mut out.nexus);
        nexus.clear();
        ev.nexus(&mut nexus, &mut found);
        // A license claimed without an id is never accepted: where the law reaches the
        // transaction, it is held for review with the claim in the note.
        if let Some(claim) = &at.tx.license_claim
            && !nexus.is_empty()
        {
            found.issues.push(Issue::UnidentifiedLicense {
                claim: claim.clone(),
            });
        }
        let fired = &mut s.fired;
        fired.clear();
        ev.fire(fired, &mut found);
        let judged = ev.judge(fired, !nexus.is_empty());
        let mut consequences = Vec::new();
        ev.obligations(&judged, &mut consequences, &mut found.issues);
        ev.exposures(&judged.live, &mut consequences, &mut found.issues);
        consequences.sort();
        // Only an issue that left a condition unread makes the disposition uncertain; one
        // that leaves a consequence's detail unknown (an exposure's amount, a due date) is
        // shown with a complete decision.
        let mut disposition = judged.decided;
        if found.issues.iter().any(Issue::leaves_disposition_open) {
            disposition = disposition.max(Disposition::Review);
        }
        found.issues.sort();
        *out = Outcome {
            jurisdiction: j,
            disposition,
            nexus,
            reasons: judged.reasons,
            consequences,
            issues: found.issues,
        };
        found.trace
    }
}
