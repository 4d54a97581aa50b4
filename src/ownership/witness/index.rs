//! What an explanation looks up per party, as compressed rows of world indices: the ownership
//! edges into it, the control edges over it, its designations and the joint arrangements over
//! it, all in force on one date. Built once per closure (on its first explanation) in
//! O(V + E), so a proof costs time in proportion to the part of the graph it covers, never a
//! scan of the world per party.

use crate::model::values::Date;
use crate::model::world::World;

/// Compressed rows: `items[start[p]..start[p + 1]]` belong to party `p`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rows {
    start: Vec<u32>,
    items: Vec<u32>,
}

impl Rows {
    /// Counting sort of `(row, item)` pairs, keeping the items' order within a row.
    fn build(n: usize, pairs: impl Iterator<Item = (usize, u32)> + Clone) -> Rows {
        let mut start = vec![0u32; n + 1];
        for (row, _) in pairs.clone() {
            if let Some(c) = start.get_mut(row + 1) {
                *c += 1;
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut items = vec![0u32; start.last().copied().unwrap_or(0) as usize];
        for (row, item) in pairs {
            if let Some(slot) = next.get_mut(row)
                && let Some(o) = items.get_mut(*slot as usize)
            {
                *o = item;
                *slot += 1;
            }
        }
        Rows { start, items }
    }

    /// Party `p`'s row. Read by direct index: `p` is a party of the world the rows were built
    /// from, so a construction bug fails a test instead of reading an empty row.
    pub fn get(&self, p: usize) -> &[u32] {
        &self.items[self.start[p] as usize..self.start[p + 1] as usize]
    }
}

/// The rows an explanation reads, for one world on one date (or any date of its epoch).
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    /// Ownership edges in force, by owned entity.
    pub incoming: Rows,
    /// Control edges in force, by controlled party.
    pub controllers: Rows,
    /// Designations in force, by party.
    pub designations: Rows,
    /// Joint arrangements in force, by entity.
    pub joints: Rows,
}

impl Index {
    pub fn build(world: &World, date: Date) -> Index {
        let n = world.parties.len();
        // Records naming parties outside the world cannot come from loading; they are left
        // out rather than indexed out of bounds.
        let incoming = world
            .ownership
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.owned.idx() < n && e.owner.idx() < n && e.in_force(date))
            .map(|(i, e)| (e.owned.idx(), i as u32));
        let controllers = world
            .control
            .iter()
            .enumerate()
            .filter(move |(_, e)| {
                e.controlled.idx() < n && e.controller.idx() < n && e.in_force(date)
            })
            .map(|(i, e)| (e.controlled.idx(), i as u32));
        let designations = world
            .designations
            .iter()
            .enumerate()
            .filter(move |(_, d)| d.in_force(date))
            .map(|(i, d)| (d.party.idx(), i as u32));
        let joints = world
            .joint_arrangements
            .iter()
            .enumerate()
            .filter(move |(_, j)| j.in_force(date))
            .map(|(i, j)| (j.entity.idx(), i as u32));
        Index {
            incoming: Rows::build(n, incoming),
            controllers: Rows::build(n, controllers),
            designations: Rows::build(n, designations),
            joints: Rows::build(n, joints),
        }
    }
}
