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
use crate::model::{Bits, IndexVec, JurisdictionIdx, PartyIdx};
use crate::ownership;

/// What a party is in one jurisdiction on one date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
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
    /// Each party's state, indexed by party.
    pub states: IndexVec<PartyIdx, PartyState>,
    /// The closure the states come from.
    pub closure: ownership::Closure,
}

impl StatusTable {
    /// The state of `p`, a party of the table's world.
    pub fn get(&self, p: PartyIdx) -> PartyState {
        self.states[p]
    }
}

impl PartyState {
    /// No status at all: not designated, blocked, undetermined or flagged.
    #[inline]
    pub fn is_clear(&self) -> bool {
        *self == PartyState::default()
    }
}

/// The evaluator's view of one epoch's statuses: each party's state as an index into the few
/// distinct states that occur (index 0 is the clear state, which most parties have). One byte a
/// party when there are at most 256 distinct states (four otherwise), and no closure: every epoch
/// of a large world stays in memory, and the states a batch reads stay in cache.
#[derive(Debug, Clone, Default)]
pub struct StateTable {
    ids: Ids,
    palette: Vec<PartyState>,
}

#[derive(Debug, Clone)]
enum Ids {
    Narrow(IndexVec<PartyIdx, u8>),
    Wide(IndexVec<PartyIdx, u32>),
}

impl Default for Ids {
    fn default() -> Ids {
        Ids::Narrow(IndexVec::new())
    }
}

impl StateTable {
    /// The compact table of `states` (one entry per party).
    pub fn new(states: &IndexVec<PartyIdx, PartyState>) -> StateTable {
        let mut palette = vec![PartyState::default()];
        let mut seen: std::collections::HashMap<PartyState, u32> =
            std::collections::HashMap::from([(PartyState::default(), 0)]);
        let wide: IndexVec<PartyIdx, u32> = states.map(|s| {
            if s.is_clear() {
                return 0;
            }
            *seen.entry(*s).or_insert_with(|| {
                palette.push(*s);
                (palette.len() - 1) as u32
            })
        });
        let ids = if palette.len() <= 256 {
            Ids::Narrow(wide.map(|&i| i as u8))
        } else {
            Ids::Wide(wide)
        };
        StateTable { ids, palette }
    }

    #[inline]
    fn id(&self, p: PartyIdx) -> usize {
        match &self.ids {
            Ids::Narrow(v) => usize::from(v[p]),
            Ids::Wide(v) => v[p] as usize,
        }
    }

    /// The state of `p`, a party of the table's world (every id names a state of the palette).
    #[inline]
    pub fn get(&self, p: PartyIdx) -> PartyState {
        self.palette[self.id(p)]
    }

    /// The party's state, or `None` when it is clear (the common case, told without reading
    /// the state).
    #[inline]
    pub fn get_unless_clear(&self, p: PartyIdx) -> Option<PartyState> {
        match self.id(p) {
            0 => None,
            i => Some(self.palette[i]),
        }
    }

    /// Distinct states in the epoch (the clear state included).
    pub fn distinct(&self) -> usize {
        self.palette.len()
    }
}

/// Compute every party's status in `j` on `date`.
pub fn compute(rs: &RuleSet, world: &World, j: JurisdictionIdx, date: Date) -> StatusTable {
    let designated = world.designations_on(date);
    let blocking = rs.blocking_programs(j);
    let closure = ownership::closure(rs, world, j, date, designated.as_slice(), blocking);
    // The closure has a node for every party of the world.
    let states = designated.map_enumerated(|p, d| {
        let c = &closure.parties[p];
        PartyState {
            designated: *d,
            blocked: c.blocked,
            grounds: c.grounds,
            undetermined: c.undetermined,
            minority_blocked: c.minority_blocked,
            controlled_by_blocked: c.controlled_by_blocked,
        }
    });
    StatusTable { states, closure }
}

/// Lazily built status tables for every jurisdiction and epoch of a world.
#[derive(Debug)]
pub struct StatusCache {
    /// Sorted dates on which something in the world changes.
    changes: Vec<Date>,
    /// `tables[j][epoch]`.
    tables: Vec<Vec<OnceLock<Arc<StatusTable>>>>,
    /// `states[j][epoch]`: what the evaluator reads, built without keeping the closure.
    states: Vec<Vec<OnceLock<StateTable>>>,
}

impl StatusCache {
    /// An empty cache for `world`: its change dates (designations, holdings and control
    /// starting or ending) cut time into epochs.
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
        changes.extend(doctrine_changes(rs));
        changes.sort_unstable();
        changes.dedup();
        let epochs = changes.len() + 1;
        let tables = (0..rs.jurisdictions.len())
            .map(|_| (0..epochs).map(|_| OnceLock::new()).collect())
            .collect();
        let states = (0..rs.jurisdictions.len())
            .map(|_| (0..epochs).map(|_| OnceLock::new()).collect())
            .collect();
        StatusCache {
            changes,
            tables,
            states,
        }
    }

    /// The compact states of `j` in `epoch`, which contains `date` (computed on first use, on
    /// that date: nothing changes within an epoch).
    pub fn states(
        &self,
        rs: &RuleSet,
        world: &World,
        j: JurisdictionIdx,
        epoch: usize,
        date: Date,
    ) -> Option<&StateTable> {
        let cell = self.states.get(j.idx())?.get(epoch)?;
        Some(cell.get_or_init(|| {
            // A full table already built (for a report) is reused; otherwise the closure is
            // computed and dropped once the states are read off it.
            match self
                .tables
                .get(j.idx())
                .and_then(|t| t.get(epoch))
                .and_then(OnceLock::get)
            {
                Some(full) => StateTable::new(&full.states),
                None => StateTable::new(&compute(rs, world, j, date).states),
            }
        }))
    }

    /// The epoch containing `date`: the number of change dates on or before it.
    pub fn epoch(&self, date: Date) -> usize {
        self.changes.partition_point(|c| *c <= date)
    }

    /// Every party's status in `j` on `date`, computed on first use per epoch.
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

    /// The days on which the world changes, sorted.
    pub fn change_dates(&self) -> &[Date] {
        &self.changes
    }
}

/// The dates on which a jurisdiction's ownership doctrine changes: an epoch boundary, so that
/// each status table is computed under one doctrine.
fn doctrine_changes(rs: &RuleSet) -> impl Iterator<Item = Date> + '_ {
    rs.jurisdictions.iter().flat_map(|j| j.doctrine_changes())
}
