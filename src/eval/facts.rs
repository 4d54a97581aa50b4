//! The facts phase: the transaction's parties with their roles, then their states in one
//! jurisdiction (from the status cache).

use super::Engine;
use super::conditions::PartyFact;
use super::dispatch;
use crate::model::values::Date;
use crate::model::world::Transaction;
use crate::model::{Bits, JurisdictionIdx};
use crate::ownership::status::PartyState;

impl Engine {
    /// The parties of `tx` with their roles (each party once), states not yet read; returns
    /// the flags that do not depend on the jurisdiction (knowing parties, fuzzy list matches).
    pub(super) fn base_facts(&self, tx: &Transaction, facts: &mut Vec<PartyFact>) -> u8 {
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
            let fuzzy = self.fuzzy[f.party];
            n | dispatch::fact_flags(f, fuzzy)
        })
    }

    /// The parties of the transaction (`base`) with their states in `j`; returns the statuses
    /// present among them (knowing and fuzzy matches apart: see `base_facts`).
    pub(super) fn fill_facts(
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
}
