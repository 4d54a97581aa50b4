//! Each party's sanctions status in a jurisdiction on a date.
//!
//! A status table is computed once per jurisdiction and *epoch*: the world's designations and
//! ownership/control edges change only on a finite set of dates, so statuses are constant
//! between consecutive change dates. Tables are built lazily, once, and shared by every
//! evaluation that falls in the epoch.

use std::sync::{Arc, OnceLock};

use crate::model::ruleset::RuleSet;
use crate::model::values::Date;
use crate::model::world::World;
use crate::model::{Bits, JurisdictionIdx, PartyIdx};
use crate::ownership;

/// What a party is in one jurisdiction on one date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PartyState {
    /// Programs (of any jurisdiction) the party is directly designated under, in force.
    pub designated: Bits,
    /// Blocked in this jurisdiction, by designation or by its ownership/control doctrine.
    pub blocked: bool,
    /// The programs that ground the block (for ownership, those of the counted owners).
    pub grounds: Bits,
    /// Not provably blocked or unblocked: unknown or ranged shares could reach the threshold.
    pub undetermined: bool,
    /// Not blocked, but blocked persons hold part of it.
    pub minority_blocked: bool,
    /// Controlled by a blocked person without being blocked by ownership.
    pub controlled_by_blocked: bool,
}

/// Statuses of every party of a world, indexed by party, with the doctrine's closure they
/// come from (kept so explanations reuse it instead of recomputing it).
#[derive(Debug, Clone, Default)]
pub struct StatusTable {
    pub states: Vec<PartyState>,
    pub closure: ownership::Closure,
}

impl StatusTable {
    pub fn get(&self, p: PartyIdx) -> PartyState {
        self.states.get(p.idx()).copied().unwrap_or_default()
    }
}

/// Programs each party is directly designated under on `date`.
pub fn designations_on(world: &World, date: Date) -> Vec<Bits> {
    let mut out = vec![Bits::EMPTY; world.parties.len()];
    for d in &world.designations {
        if d.in_force(date)
            && let Some(slot) = out.get_mut(d.party.idx())
        {
            slot.insert(d.program.idx());
        }
    }
    out
}

/// Compute every party's status in `j` on `date`.
pub fn compute(rs: &RuleSet, world: &World, j: JurisdictionIdx, date: Date) -> StatusTable {
    let designated = designations_on(world, date);
    let blocking = rs.blocking_programs(j);
    let closure = ownership::closure(rs, world, j, date, &designated, blocking);
    let states = designated
        .iter()
        .zip(closure.parties.iter())
        .map(|(d, c)| PartyState {
            designated: *d,
            blocked: c.blocked,
            grounds: c.grounds,
            undetermined: c.undetermined,
            minority_blocked: c.minority_blocked,
            controlled_by_blocked: c.controlled_by_blocked,
        })
        .collect();
    StatusTable { states, closure }
}

/// Lazily built status tables for every jurisdiction and epoch of a world.
#[derive(Debug)]
pub struct StatusCache {
    /// Sorted dates on which something in the world changes.
    changes: Vec<Date>,
    /// `tables[j][epoch]`.
    tables: Vec<Vec<OnceLock<Arc<StatusTable>>>>,
}

impl StatusCache {
    pub fn new(rs: &RuleSet, world: &World) -> Self {
        let mut changes: Vec<Date> = Vec::new();
        for d in &world.designations {
            changes.extend(d.listed);
            changes.extend(d.delisted);
        }
        for e in &world.ownership {
            changes.extend(e.from);
            changes.extend(e.until);
        }
        for e in &world.control {
            changes.extend(e.from);
            changes.extend(e.until);
        }
        for e in &world.joint_arrangements {
            changes.extend(e.from);
            changes.extend(e.until);
        }
        changes.sort_unstable();
        changes.dedup();
        let epochs = changes.len() + 1;
        let tables = (0..rs.jurisdictions.len())
            .map(|_| (0..epochs).map(|_| OnceLock::new()).collect())
            .collect();
        StatusCache { changes, tables }
    }

    /// The epoch containing `date`: the number of change dates on or before it.
    pub fn epoch(&self, date: Date) -> usize {
        self.changes.partition_point(|c| *c <= date)
    }

    pub fn table(
        &self,
        rs: &RuleSet,
        world: &World,
        j: JurisdictionIdx,
        date: Date,
    ) -> Arc<StatusTable> {
        let epoch = self.epoch(date);
        match self.tables.get(j.idx()).and_then(|t| t.get(epoch)) {
            Some(cell) => cell
                .get_or_init(|| Arc::new(compute(rs, world, j, date)))
                .clone(),
            None => Arc::new(compute(rs, world, j, date)),
        }
    }

    pub fn change_dates(&self) -> &[Date] {
        &self.changes
    }
}
