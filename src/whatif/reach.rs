//! The reach of a change: which parties' states differ between two worlds, per jurisdiction
//! and stretch of dates, so that only the transactions touching them are decided twice.
//!
//! A decision reads the world through three things only: the rule set, the parties (their
//! attributes, person tests, list matches) with the exchange rates, and each party's state in
//! the status tables (`eval/facts.rs` reads the states of the transaction's own parties and of
//! no one else). When two sides share the rule set and the evaluation options, and their worlds
//! have the same parties, index and rates (an overlay edits designations and holdings only),
//! a transaction none of whose parties has a different state on its date is decided alike in
//! both worlds: world B's decision is world A's, and it is not computed.
//!
//! The states that differ are the overlay's whole reach, through ownership, control and
//! agency alike, since they are read off the two worlds' own status tables (one per epoch, the
//! tables the evaluator reads anyway). Dates are cut at the change dates of both worlds, so
//! within one stretch both sides read one table each; the set of differing parties of a
//! stretch is built on first use, one bit a party.

use std::sync::{Arc, OnceLock};

use super::compare::Side;
use crate::eval::{Engine, EvalOptions};
use crate::model::values::Date;
use crate::model::world::Transaction;
use crate::model::{JurisdictionIdx, PartyIdx};

/// Parties whose state differs between two sides that otherwise decide alike.
pub struct Reach<'a> {
    a: &'a Engine,
    b: &'a Engine,
    /// The jurisdictions evaluated (both sides evaluate the same ones).
    jurisdictions: Vec<JurisdictionIdx>,
    as_of: Option<Date>,
    /// Change dates of both worlds, sorted: stretch `i` is the dates with `i` of them on or
    /// before it.
    cuts: Vec<Date>,
    /// `differs[j][stretch]`: one bit per party, set where the states differ.
    differs: Vec<Vec<OnceLock<Vec<u64>>>>,
}

impl<'a> Reach<'a> {
    /// The reach of `b` against `a`, or `None` when the sides can differ by more than party
    /// states (other rule sets, options, parties or rates): then every transaction must be
    /// decided in both worlds.
    pub fn new(a: &'a Side<'a>, b: &'a Side<'a>) -> Option<Reach<'a>> {
        let (ea, eb) = (a.engine, b.engine);
        if !Arc::ptr_eq(ea.rules_arc(), eb.rules_arc()) || !same_options(&a.options, &b.options) {
            return None;
        }
        let (wa, wb) = (ea.world(), eb.world());
        let same_world = std::ptr::eq(wa, wb)
            || (wa.parties == wb.parties
                && wa.exchange_rates == wb.exchange_rates
                && wa.index == wb.index);
        if !same_world {
            return None;
        }
        let jurisdictions: Vec<JurisdictionIdx> = match &a.options.jurisdictions {
            Some(js) => js.clone(),
            None => ea.rules().jurisdictions.indices().collect(),
        };
        let mut cuts: Vec<Date> = ea
            .change_dates()
            .iter()
            .chain(eb.change_dates())
            .copied()
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        let n = ea.rules().jurisdictions.len();
        let differs = (0..n)
            .map(|_| (0..=cuts.len()).map(|_| OnceLock::new()).collect())
            .collect();
        Some(Reach {
            a: ea,
            b: eb,
            jurisdictions,
            as_of: a.options.as_of,
            cuts,
            differs,
        })
    }

    /// Whether some party of `tx` (lowered against either world: they resolve alike) has
    /// another state in world B on the date `tx` is evaluated at, in a jurisdiction evaluated.
    pub fn touches(&self, tx: &Transaction) -> bool {
        let date = Engine::effective_date(tx.date, self.as_of);
        let stretch = self.cuts.partition_point(|c| *c <= date);
        self.jurisdictions.iter().any(|&j| {
            let bits = self.bits(j, stretch, date);
            tx.parties.iter().any(|&(_, p)| is_set(bits, p))
        })
    }

    /// Parties whose state in `j` differs on `date`, in party order.
    pub fn parties_on(&self, j: JurisdictionIdx, date: Date) -> Vec<PartyIdx> {
        let stretch = self.cuts.partition_point(|c| *c <= date);
        let bits = self.bits(j, stretch, date);
        self.a
            .world()
            .parties
            .indices()
            .filter(|&p| is_set(bits, p))
            .collect()
    }

    /// The bits of `j` in `stretch` (which contains `date`), built on first use.
    fn bits(&self, j: JurisdictionIdx, stretch: usize, date: Date) -> &[u64] {
        let Some(cell) = self.differs.get(j.idx()).and_then(|v| v.get(stretch)) else {
            return &[];
        };
        cell.get_or_init(|| self.compute(j, date))
    }

    fn compute(&self, j: JurisdictionIdx, date: Date) -> Vec<u64> {
        let parties = &self.a.world().parties;
        let mut bits = vec![0u64; parties.len().div_ceil(64)];
        let mut set = |p: PartyIdx| {
            if let Some(w) = bits.get_mut(p.idx() / 64) {
                *w |= 1 << (p.idx() % 64);
            }
        };
        match (self.a.states(j, date), self.b.states(j, date)) {
            (Some(sa), Some(sb)) => {
                for p in parties.indices() {
                    if sa.get(p) != sb.get(p) {
                        set(p);
                    }
                }
            }
            // No compact table (not a jurisdiction of the rule set): every party counts as
            // reached, so nothing is skipped on a guess.
            _ => parties.indices().for_each(set),
        }
        bits
    }
}

fn is_set(bits: &[u64], p: PartyIdx) -> bool {
    bits.get(p.idx() / 64)
        .is_some_and(|w| w & (1 << (p.idx() % 64)) != 0)
}

/// Options under which the same transaction is evaluated alike (the trace aside, which a
/// diff never asks for).
fn same_options(x: &EvalOptions, y: &EvalOptions) -> bool {
    x.as_of == y.as_of
        && x.evaluated_on == y.evaluated_on
        && x.jurisdictions == y.jurisdictions
        && x.trace == y.trace
}
