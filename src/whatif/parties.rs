//! Parties whose status differs between two worlds, with their witnesses before and after.
//!
//! Statuses are looked at on the dates the transactions were evaluated at (and on the as-of
//! dates of a replay), per jurisdiction. The engines cache one status table per epoch (the
//! stretch of dates over which a world does not change), so date pairs falling in the same
//! pair of epochs are compared once: the cost is one scan of the parties per distinct pair
//! of epochs, plus a witness for each party that changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use serde::Serialize;

use super::compare::Side;
use super::view::{Namer, StatusView};
use crate::model::values::Date;
use crate::model::world::Transaction;
use crate::model::{IndexVec, JurisdictionIdx, PartyIdx};
use crate::ownership::status::{PartyState, StateTable, StatusTable};
use crate::ownership::witness::{Witness, explain_reported};

/// The date world A and world B were read at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct DatePair {
    /// World A's date.
    pub a: Date,
    /// World B's date.
    pub b: Date,
}

/// A party's status on one side, with its proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartySide {
    /// The party's status in the jurisdiction (blocked or not, and on what grounds).
    #[serde(flatten)]
    pub status: StatusView,
    /// One paragraph: the path and the sum, or the designations.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub explanation: String,
    /// The ownership or control path that proves the status, if it comes from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness: Option<Witness>,
}

/// A party whose status in a jurisdiction differs between the worlds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyChange {
    /// The jurisdiction's id.
    pub jurisdiction: String,
    /// The party's id.
    pub party: String,
    /// The dates (per world) on which it differs in this way, sorted.
    pub dates: Vec<DatePair>,
    /// Its status in world A.
    pub before: PartySide,
    /// Its status in world B.
    pub after: PartySide,
}

/// A jurisdiction both worlds have (when filtered: one the options ask for).
struct Shared {
    id: String,
    a: JurisdictionIdx,
    b: JurisdictionIdx,
}

/// Party statuses of two worlds, paired by party id, per jurisdiction both worlds have.
pub(crate) struct StatusComparer<'a> {
    a: &'a Side<'a>,
    b: &'a Side<'a>,
    na: Namer<'a>,
    nb: Namer<'a>,
    /// For each party of A, the same party (by id) in B.
    a_to_b: IndexVec<PartyIdx, Option<PartyIdx>>,
    /// Parties only B has.
    b_only: Vec<PartyIdx>,
    jurisdictions: Vec<Shared>,
    /// Both worlds use one rule set, so program indices mean the same on both sides.
    same_rules: bool,
}

impl<'a> StatusComparer<'a> {
    pub fn new(a: &'a Side<'a>, b: &'a Side<'a>) -> Self {
        let (wa, wb) = (a.engine.world(), b.engine.world());
        // Worlds with the same parties in the same order (one load edited, or one world read
        // on two dates) pair by position, without looking up every id.
        let same_parties = wa.parties.len() == wb.parties.len()
            && wa
                .parties
                .iter()
                .zip(&wb.parties)
                .all(|(x, y)| x.id == y.id);
        let (a_to_b, b_only): (IndexVec<PartyIdx, Option<PartyIdx>>, Vec<PartyIdx>) =
            if same_parties {
                (wa.parties.map_enumerated(|i, _| Some(i)), Vec::new())
            } else {
                (
                    wa.parties.map(|p| wb.party_by_id(&p.id)),
                    wb.parties
                        .iter_enumerated()
                        .filter(|(_, p)| wa.party_by_id(&p.id).is_none())
                        .map(|(i, _)| i)
                        .collect(),
                )
            };
        let (ra, rb) = (a.engine.rules(), b.engine.rules());
        let wanted = |side: &Side, j: JurisdictionIdx| {
            side.options
                .jurisdictions
                .as_ref()
                .is_none_or(|js| js.contains(&j))
        };
        let mut jurisdictions: Vec<Shared> = ra
            .jurisdictions
            .iter_enumerated()
            .filter_map(|(ja, j)| {
                let jb = rb.jurisdiction_by_id(&j.id)?;
                (wanted(a, ja) && wanted(b, jb)).then(|| Shared {
                    id: j.id.clone(),
                    a: ja,
                    b: jb,
                })
            })
            .collect();
        jurisdictions.sort_by(|x, y| x.id.cmp(&y.id));
        StatusComparer {
            a,
            b,
            na: Namer { rs: ra, world: wa },
            nb: Namer { rs: rb, world: wb },
            a_to_b,
            b_only,
            jurisdictions,
            same_rules: Arc::ptr_eq(a.engine.rules_arc(), b.engine.rules_arc()),
        }
    }

    fn tables(&self, j: &Shared, d: DatePair) -> (Arc<StatusTable>, Arc<StatusTable>) {
        (
            self.a.engine.statuses(j.a, d.a),
            self.b.engine.statuses(j.b, d.b),
        )
    }

    fn views(
        &self,
        j: &Shared,
        (sa, sb): (Option<PartyState>, Option<PartyState>),
    ) -> (StatusView, StatusView) {
        let va = sa.map_or(StatusView::ABSENT, |s| self.na.status(&s, j.a));
        let vb = sb.map_or(StatusView::ABSENT, |s| self.nb.status(&s, j.b));
        (va, vb)
    }

    /// The compact states of both sides on `d` (what the evaluator reads: no closure kept).
    fn states(&self, j: &Shared, d: DatePair) -> Option<(&StateTable, &StateTable)> {
        Some((
            self.a.engine.states(j.a, d.a)?,
            self.b.engine.states(j.b, d.b)?,
        ))
    }

    /// Ids of `tx`'s parties (of world A) whose status in jurisdiction `jid` differs.
    pub fn changed_parties_of(&self, jid: &str, tx: &Transaction, d: DatePair) -> Vec<String> {
        let Some(j) = self.jurisdictions.iter().find(|j| j.id == jid) else {
            return Vec::new();
        };
        let Some((ta, tb)) = self.states(j, d) else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        for &(_, p) in &tx.parties {
            let pb = self.a_to_b[p];
            let (va, vb) = self.views(j, (Some(ta.get(p)), pb.map(|q| tb.get(q))));
            let id = self.na.party(p);
            if va != vb && !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }

    /// How many (jurisdiction, party) pairs differ in status on any of `dates` (a party whose
    /// change differs from one date to another counts once, where `all_changes` lists each),
    /// read off the compact tables without building a witness.
    pub fn changed_count(&self, dates: &BTreeSet<DatePair>) -> usize {
        let mut seen: BTreeSet<(usize, Option<PartyIdx>, Option<PartyIdx>)> = BTreeSet::new();
        for (n, j) in self.jurisdictions.iter().enumerate() {
            let mut done: BTreeSet<(*const StateTable, *const StateTable)> = BTreeSet::new();
            for &d in dates {
                let Some((ta, tb)) = self.states(j, d) else {
                    continue;
                };
                if !done.insert((std::ptr::from_ref(ta), std::ptr::from_ref(tb))) {
                    continue;
                }
                for (pa, pb, _, _) in self.changed(j, |p| ta.get(p), |p| tb.get(p)) {
                    seen.insert((n, pa, pb));
                }
            }
        }
        seen.len()
    }

    /// Every party whose status differs on any of `dates`, with witnesses; changes that are
    /// identical on several dates are reported once with all of them.
    pub fn all_changes(&self, dates: &BTreeSet<DatePair>) -> Vec<PartyChange> {
        let mut out: Vec<PartyChange> = Vec::new();
        for j in &self.jurisdictions {
            // Date pairs whose tables are the same pair of cached epochs compare alike.
            let mut groups: Vec<(Arc<StatusTable>, Arc<StatusTable>, Vec<DatePair>)> = Vec::new();
            let mut group_of: HashMap<(*const StatusTable, *const StatusTable), usize> =
                HashMap::new();
            for &d in dates {
                let (ta, tb) = self.tables(j, d);
                let key = (Arc::as_ptr(&ta), Arc::as_ptr(&tb));
                match group_of.get(&key).and_then(|&i| groups.get_mut(i)) {
                    Some(g) => g.2.push(d),
                    None => {
                        group_of.insert(key, groups.len());
                        groups.push((ta, tb, vec![d]));
                    }
                }
            }
            // (party, before, after) -> dates
            let mut found: BTreeMap<String, Vec<PartyChange>> = BTreeMap::new();
            for (ta, tb, ds) in &groups {
                let Some(&first) = ds.first() else {
                    continue;
                };
                let changed = self.changed(j, |p| ta.get(p), |p| tb.get(p));
                // A changed party's witness names the other changed parties it rests on
                // without explaining them again: they are reported with their own.
                let (reported_a, reported_b) = (
                    reported(changed.iter().filter_map(|c| c.0), ta.states.len()),
                    reported(changed.iter().filter_map(|c| c.1), tb.states.len()),
                );
                for (pa, pb, va, vb) in changed {
                    let party = match (pa, pb) {
                        (Some(p), _) => self.na.party(p),
                        (None, Some(p)) => self.nb.party(p),
                        (None, None) => continue,
                    };
                    let change = PartyChange {
                        jurisdiction: j.id.clone(),
                        party: party.clone(),
                        dates: ds.clone(),
                        before: self.side(&self.na, j.a, (first.a, ta), pa, va, &reported_a),
                        after: self.side(&self.nb, j.b, (first.b, tb), pb, vb, &reported_b),
                    };
                    let list = found.entry(party).or_default();
                    match list
                        .iter_mut()
                        .find(|c| c.before == change.before && c.after == change.after)
                    {
                        Some(c) => c.dates.extend(change.dates),
                        None => list.push(change),
                    }
                }
            }
            for (_, mut list) in found {
                for c in &mut list {
                    c.dates.sort();
                    c.dates.dedup();
                }
                list.sort_by(|x, y| x.dates.cmp(&y.dates));
                out.extend(list);
            }
        }
        out
    }

    /// The parties (of A, of B) whose status in `j` differs between the two tables, with
    /// their views, in party order (A's, then those only B has).
    #[allow(clippy::type_complexity)]
    fn changed(
        &self,
        j: &Shared,
        state_a: impl Fn(PartyIdx) -> PartyState,
        state_b: impl Fn(PartyIdx) -> PartyState,
    ) -> Vec<(Option<PartyIdx>, Option<PartyIdx>, StatusView, StatusView)> {
        let pairs = self
            .a_to_b
            .iter_enumerated()
            .map(|(i, pb)| (Some(i), *pb))
            .chain(self.b_only.iter().map(|&pb| (None, Some(pb))));
        let mut out = Vec::new();
        for (pa, pb) in pairs {
            // Under one rule set a view is a function of the raw state: equal states need no
            // naming (the common case, and the cheap one on large worlds).
            let (sa, sb) = (pa.map(&state_a), pb.map(&state_b));
            if let (true, Some(x), Some(y)) = (self.same_rules, sa, sb)
                && j.a == j.b
                && x == y
            {
                continue;
            }
            let (va, vb) = self.views(j, (sa, sb));
            if va != vb {
                out.push((pa, pb, va, vb));
            }
        }
        out
    }

    /// A party's side of a change: its status and its witness, from the side's cached closure
    /// (`at`: the date and the status table read), leaving out the proofs of `reported` parties.
    fn side(
        &self,
        n: &Namer,
        j: JurisdictionIdx,
        at: (Date, &StatusTable),
        p: Option<PartyIdx>,
        status: StatusView,
        reported: &[bool],
    ) -> PartySide {
        let (date, table) = at;
        let is_reported = |q: PartyIdx| reported.get(q.idx()).copied().unwrap_or(false);
        let witness =
            p.map(|p| explain_reported(n.rs, n.world, j, date, &table.closure, p, &is_reported));
        PartySide {
            status,
            explanation: witness
                .as_ref()
                .map(crate::report::witness::text)
                .unwrap_or_default(),
            witness,
        }
    }
}

/// Membership of `parties` among `n`, by party index.
fn reported(parties: impl Iterator<Item = PartyIdx>, n: usize) -> Vec<bool> {
    let mut v = vec![false; n];
    for p in parties {
        if let Some(slot) = v.get_mut(p.idx()) {
            *slot = true;
        }
    }
    v
}
