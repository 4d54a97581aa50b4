//! One record through time: its version in every snapshot of its list and every operation of
//! the change log on it; and its listing date, `listed` when the publisher gives one, else
//! `first_seen`, the first date the store saw it.

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

use super::diff::field_changes;
use super::{Snapshot, Store, StoreError};
use crate::lists::record::ListRecord;

/// What a snapshot says about the record, against the snapshot before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Present, absent from every earlier snapshot.
    Appeared,
    /// Present, absent from the snapshot before (but present in an earlier one).
    Reappeared,
    /// Present, the same as in the snapshot before.
    Unchanged,
    /// Present, different from the snapshot before.
    Changed,
    /// Absent, present in the snapshot before.
    Disappeared,
    /// Absent, and absent from the snapshot before.
    Absent,
}

impl State {
    /// The state in words (`appeared`).
    pub fn as_str(self) -> &'static str {
        match self {
            State::Appeared => "appeared",
            State::Reappeared => "reappeared",
            State::Unchanged => "unchanged",
            State::Changed => "changed",
            State::Disappeared => "disappeared",
            State::Absent => "absent",
        }
    }
}

/// The record in one snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotStep {
    /// The snapshot.
    pub snapshot: Snapshot,
    /// What it says about the record.
    pub state: State,
    /// The record's name there, when present.
    pub name: Option<String>,
    /// The fields changed since the snapshot before (for `changed`).
    pub fields: Vec<String>,
}

/// One operation of a change log on the record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogStep {
    /// When the version was seen (RFC 3339, UTC).
    pub at: String,
    /// The log's id of the version.
    pub version: String,
    /// `add`, `modify` or `delete`.
    pub op: String,
    /// The record's name after the operation (none for `delete`).
    pub name: Option<String>,
    /// The fields a `modify` changed.
    pub fields: Vec<String>,
    /// The log file and line of the operation.
    pub source: String,
}

/// Where a listing date comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum ListingDate {
    /// The publisher's listing date.
    Listed {
        /// The date.
        date: NaiveDate,
    },
    /// The first date the store saw the record: its first snapshot or change-log version.
    FirstSeen {
        /// The date.
        date: NaiveDate,
        /// The snapshot or log version it was first seen in.
        seen_in: String,
        /// It was in the first snapshot or version the store holds: listed on or before
        /// `date`, perhaps long before.
        on_or_before: bool,
    },
}

/// A record's history in the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryHistory {
    /// The list.
    pub list: String,
    /// The list's id for the record.
    pub id: String,
    /// Its latest name in the store.
    pub name: Option<String>,
    /// Its listing date and where it comes from, when the store knows the record.
    pub listing: Option<ListingDate>,
    /// Every snapshot of the list, oldest first.
    pub snapshots: Vec<SnapshotStep>,
    /// Every change-log operation on it, oldest first.
    pub log: Vec<LogStep>,
}

impl Store {
    /// The lists whose snapshots or change logs know record `id`.
    pub fn lists_with(&self, id: &str) -> Result<Vec<String>, StoreError> {
        let mut st = self.conn().prepare(
            "SELECT s.list FROM record r JOIN snapshot s ON s.id = r.snapshot WHERE r.record_id = ?1
             UNION SELECT v.list FROM log_change c JOIN log_version v ON v.id = c.version
             WHERE c.record_id = ?1 ORDER BY 1",
        )?;
        let rows = st.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Record `id` of `list` through every snapshot and change-log operation.
    pub fn history(&self, list: &str, id: &str) -> Result<EntryHistory, StoreError> {
        let (snapshots, last_snap) = self.snapshot_steps(list, id)?;
        let (log, last_log) = self.log_steps(list, id)?;
        let latest = last_snap.or(last_log);
        let listing = match latest.as_ref().and_then(|r| r.listed_on) {
            Some(date) => Some(ListingDate::Listed { date }),
            None => first_seen(&snapshots, &log, self.first_log_version(list)?),
        };
        Ok(EntryHistory {
            list: list.to_string(),
            id: id.to_string(),
            name: latest.map(|r| r.name),
            listing,
            snapshots,
            log,
        })
    }

    fn snapshot_steps(
        &self,
        list: &str,
        id: &str,
    ) -> Result<(Vec<SnapshotStep>, Option<ListRecord>), StoreError> {
        let mut steps = Vec::new();
        let (mut prev, mut ever): (Option<(i64, ListRecord)>, bool) = (None, false);
        let mut last = None;
        for s in self.snapshots_of(list)? {
            let body: Option<i64> = self
                .conn()
                .prepare_cached("SELECT body FROM record WHERE snapshot = ?1 AND record_id = ?2")?
                .query_map(params![s.id, id], |r| r.get(0))?
                .next()
                .transpose()?;
            let now = match body {
                Some(b) => Some((b, self.body(b)?)),
                None => None,
            };
            let (state, fields) = match (&prev, &now) {
                (None, None) => (State::Absent, Vec::new()),
                (Some(_), None) => (State::Disappeared, Vec::new()),
                (None, Some(_)) if ever => (State::Reappeared, Vec::new()),
                (None, Some(_)) => (State::Appeared, Vec::new()),
                (Some((pb, _)), Some((nb, _))) if pb == nb => (State::Unchanged, Vec::new()),
                (Some((_, pr)), Some((_, nr))) => (State::Changed, names(field_changes(pr, nr)?)),
            };
            ever |= now.is_some();
            if let Some((_, r)) = &now {
                last = Some(r.clone());
            }
            steps.push(SnapshotStep {
                snapshot: s,
                state,
                name: now.as_ref().map(|(_, r)| r.name.clone()),
                fields,
            });
            prev = now;
        }
        Ok((steps, last))
    }

    fn log_steps(
        &self,
        list: &str,
        id: &str,
    ) -> Result<(Vec<LogStep>, Option<ListRecord>), StoreError> {
        let mut st = self.conn().prepare(
            "SELECT v.at, v.version, c.op, c.body, v.source, c.line FROM log_change c
             JOIN log_version v ON v.id = c.version
             WHERE v.list = ?1 AND c.record_id = ?2 ORDER BY v.at, v.id",
        )?;
        let rows = st.query_map(params![list, id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?;
        let mut steps = Vec::new();
        let mut prev: Option<ListRecord> = None;
        let mut last = None;
        for row in rows {
            let (at, version, op, body, source, line) = row?;
            let now = body.map(|b| self.body(b)).transpose()?;
            let fields = match (&prev, &now) {
                (Some(p), Some(n)) if op == "modify" => names(field_changes(p, n)?),
                _ => Vec::new(),
            };
            steps.push(LogStep {
                at,
                version,
                op,
                name: now.as_ref().map(|r| r.name.clone()),
                fields,
                source: format!("{source}:{line}"),
            });
            if now.is_some() {
                last.clone_from(&now);
            }
            prev = now;
        }
        Ok((steps, last))
    }

    /// The first version of `list`'s change log, if the store holds one: (id, time).
    fn first_log_version(&self, list: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT version FROM log_version WHERE list = ?1 ORDER BY at, id LIMIT 1",
                [list],
                |r| r.get(0),
            )
            .ok())
    }
}

fn names(changes: Vec<super::diff::FieldChange>) -> Vec<String> {
    changes.into_iter().map(|c| c.field).collect()
}

/// The earliest sighting: the first snapshot holding the record, or the first `add` of the
/// change log, whichever is earlier.
fn first_seen(
    snapshots: &[SnapshotStep],
    log: &[LogStep],
    first_version: Option<String>,
) -> Option<ListingDate> {
    let from_snapshots = snapshots
        .iter()
        .position(|s| matches!(s.state, State::Appeared))
        .and_then(|i| {
            let s = snapshots.get(i)?;
            Some(ListingDate::FirstSeen {
                date: s.snapshot.published,
                seen_in: format!(
                    "snapshot {} ({}@{}, {})",
                    s.snapshot.id, s.snapshot.list, s.snapshot.published, s.snapshot.file
                ),
                on_or_before: i == 0,
            })
        });
    let from_log = log.iter().find(|l| l.op == "add").and_then(|l| {
        let date = crate::lists::import::iso_date(&l.at)?;
        Some(ListingDate::FirstSeen {
            date,
            seen_in: format!(
                "change log version {} of {} ({})",
                l.version, l.at, l.source
            ),
            on_or_before: first_version.as_deref() == Some(l.version.as_str()),
        })
    });
    // The earlier date; on the same date, the sighting that saw the record arrive.
    let key = |d: &ListingDate| match d {
        ListingDate::Listed { date } => (*date, false),
        ListingDate::FirstSeen {
            date, on_or_before, ..
        } => (*date, *on_or_before),
    };
    match (from_snapshots, from_log) {
        (Some(s), Some(l)) => Some(if key(&l) < key(&s) { l } else { s }),
        (s, l) => s.or(l),
    }
}
