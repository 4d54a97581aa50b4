//! Reading a log back (`log show`, `log replay`, `log prune`), whichever database holds it.

use super::postgres::PgLog;
use super::record::{ListSnapshot, Origin, parse_time};
use super::sqlite::SqliteLog;
use super::{AuditError, AuditOptions, AuditTarget, DecisionRecord, queue::Sink};

/// What pruning needs of a record: its id, when it was recorded and its result (whose
/// obligations may keep it longer).
#[derive(Debug, Clone)]
pub struct Prunable {
    /// The decision's id.
    pub decision_id: String,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// The decision JSON.
    pub result: String,
}

/// An open log, for reading and pruning.
#[derive(Debug)]
pub enum AuditStore {
    /// One SQLite file.
    Sqlite(SqliteLog),
    /// A PostgreSQL database.
    Postgres(PgLog),
}

impl AuditStore {
    /// Open the log `target` names (created when absent, like `AuditLog::open`).
    pub fn open(target: &AuditTarget, opts: &AuditOptions) -> Result<AuditStore, AuditError> {
        Ok(match target {
            AuditTarget::Sqlite(p) => AuditStore::Sqlite(SqliteLog::open(p, opts.durability)?),
            AuditTarget::Postgres(url) => AuditStore::Postgres(PgLog::open(url, opts.durability)?),
        })
    }

    /// The record with this id, if the log holds it.
    pub fn get(&mut self, id: &str) -> Result<Option<DecisionRecord>, AuditError> {
        match self {
            AuditStore::Sqlite(s) => s.get(id),
            AuditStore::Postgres(p) => p.get(id),
        }
    }

    /// How many records the log holds.
    pub fn count(&mut self) -> Result<u64, AuditError> {
        match self {
            AuditStore::Sqlite(s) => s.count(),
            AuditStore::Postgres(p) => p.count(),
        }
    }

    /// Every record recorded before `before` (RFC 3339 text, UTC), oldest first.
    pub fn recorded_before(
        &mut self,
        before: &str,
        each: &mut dyn FnMut(Prunable) -> Result<(), AuditError>,
    ) -> Result<(), AuditError> {
        match self {
            AuditStore::Sqlite(s) => s.recorded_before(before, each),
            AuditStore::Postgres(p) => p.recorded_before(before, each),
        }
    }

    /// Delete these records; how many there were.
    pub fn delete(&mut self, ids: &[String]) -> Result<u64, AuditError> {
        match self {
            AuditStore::Sqlite(s) => s.delete(ids),
            AuditStore::Postgres(p) => p.delete(ids),
        }
    }
}

impl Sink for AuditStore {
    fn write(&mut self, records: &[DecisionRecord]) -> Result<(), AuditError> {
        match self {
            AuditStore::Sqlite(s) => s.write(records),
            AuditStore::Postgres(p) => p.write(records),
        }
    }
}

/// A record from its stored columns (in the order of `schema::COLUMNS`).
pub(super) fn row_record(
    cols: Vec<String>,
    state_id: Option<String>,
) -> Result<DecisionRecord, AuditError> {
    let mut it = cols.into_iter();
    let mut next = || it.next().unwrap_or_default();
    let decision_id = next();
    let at = next();
    let recorded_at = parse_time(&at).ok_or(AuditError::BadValue {
        what: "time",
        value: at,
    })?;
    let origin_text = next();
    let origin = Origin::parse(&origin_text).ok_or(AuditError::BadValue {
        what: "origin",
        value: origin_text,
    })?;
    let input = next();
    let input_sha256 = next();
    let result = next();
    let engine_version = next();
    let pack_digest = next();
    let lists = next();
    let list_snapshots: Vec<ListSnapshot> =
        serde_json::from_str(&lists).map_err(|_| AuditError::BadValue {
            what: "list of snapshots",
            value: lists,
        })?;
    Ok(DecisionRecord {
        decision_id,
        recorded_at,
        origin,
        input,
        input_sha256,
        result,
        engine_version,
        pack_digest,
        list_snapshots,
        state_id,
    })
}
