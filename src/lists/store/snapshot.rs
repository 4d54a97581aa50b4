//! Snapshots: adding a list file (the same bytes twice is a no-op that says so), listing them,
//! finding one by number or by `LIST@DATE`, and reading its records back.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension as _, Row, params};
use serde::Serialize;

use super::{Store, StoreError, import_any, sha256_hex};
use crate::lists::config::ListConfig;
use crate::lists::record::{ListImport, ListRecord};

/// Where a snapshot's publication date comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateFrom {
    /// The file says it (a header, a generation date).
    File,
    /// The person adding it said it (`--published`).
    Given,
    /// `lists update` downloaded a file that gives none: the day of the download.
    Downloaded,
}

impl DateFrom {
    fn as_str(self) -> &'static str {
        match self {
            DateFrom::File => "file",
            DateFrom::Given => "given",
            DateFrom::Downloaded => "downloaded",
        }
    }
}

/// One stored version of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    /// The snapshot's number in the store.
    pub id: i64,
    /// The list (its configuration's id).
    pub list: String,
    /// When the publisher published it.
    pub published: NaiveDate,
    /// Where `published` comes from.
    pub published_from: DateFrom,
    /// The sha256 of the file's bytes.
    pub sha256: String,
    /// When it was added to the store (RFC 3339, UTC).
    pub added_at: String,
    /// The file's name as given when it was added.
    pub file: String,
    /// How many records it holds.
    pub records: usize,
}

/// What adding a file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddOutcome {
    /// A new snapshot.
    Added(Snapshot),
    /// The same bytes of the same list were stored already: nothing changed.
    AlreadyStored(Snapshot),
}

const COLUMNS: &str = "id, list, published, published_from, sha256, added_at, file, records";

impl Store {
    /// Add a list file's bytes: a no-op when the list holds these bytes already; otherwise the
    /// import (which must refuse no record) as a new snapshot.
    pub fn add_bytes(
        &mut self,
        bytes: &[u8],
        file: &str,
        config: &ListConfig,
        published: Option<NaiveDate>,
    ) -> Result<AddOutcome, StoreError> {
        let sha = sha256_hex(bytes);
        if let Some(s) = self.find_by_hash(&config.id, &sha)? {
            return Ok(AddOutcome::AlreadyStored(s));
        }
        let import = import_any(bytes, file, config);
        self.add_import(&import, &sha, published)
    }

    /// The snapshot of `list` with these bytes, if stored.
    pub fn find_by_hash(&self, list: &str, sha256: &str) -> Result<Option<Snapshot>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM snapshot WHERE list = ?1 AND sha256 = ?2");
        let row = self
            .conn()
            .query_row(&sql, params![list, sha256], raw_snapshot)
            .optional()?;
        row.map(RawSnapshot::parse).transpose()
    }

    /// Store an import of a file whose bytes hash to `sha256` as a new snapshot. The
    /// publication date is the file's, else `published`; neither is an error, as is a date
    /// contradicting the file's, an import that refused records, or two records with one id.
    pub fn add_import(
        &mut self,
        import: &ListImport,
        sha256: &str,
        published: Option<NaiveDate>,
    ) -> Result<AddOutcome, StoreError> {
        if let Some(s) = self.find_by_hash(&import.list, sha256)? {
            return Ok(AddOutcome::AlreadyStored(s));
        }
        let (date, from) = publication_date(import, published)?;
        if let Some(first) = import.errors.first() {
            return Err(StoreError::ImportFailed {
                file: import.file.clone(),
                errors: import.errors.len(),
                first: format!("{}: {}", first.location(), first.message),
            });
        }
        let mut ids = HashSet::with_capacity(import.records.len());
        if let Some(r) = import.records.iter().find(|r| !ids.insert(r.id.as_str())) {
            return Err(StoreError::DuplicateRecord {
                file: import.file.clone(),
                id: r.id.clone(),
            });
        }
        let added_at = now_rfc3339();
        let tx = self.conn_mut().transaction()?;
        tx.execute(
            "INSERT INTO snapshot (list, published, published_from, sha256, added_at, file, records)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                import.list,
                date.to_string(),
                from.as_str(),
                sha256,
                added_at,
                import.file,
                import.records.len() as i64
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare(
                "INSERT INTO record (snapshot, record_id, body, line) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for r in &import.records {
                let body = put_body(&tx, r)?;
                insert.execute(params![id, r.id, body, r.line])?;
            }
        }
        tx.commit()?;
        Ok(AddOutcome::Added(Snapshot {
            id,
            list: import.list.clone(),
            published: date,
            published_from: from,
            sha256: sha256.to_string(),
            added_at,
            file: import.file.clone(),
            records: import.records.len(),
        }))
    }

    /// Every snapshot, by list, then publication date, then number.
    pub fn snapshots(&self) -> Result<Vec<Snapshot>, StoreError> {
        self.select(
            &format!("SELECT {COLUMNS} FROM snapshot ORDER BY list, published, id"),
            [],
        )
    }

    /// The snapshots of one list, oldest publication first.
    pub fn snapshots_of(&self, list: &str) -> Result<Vec<Snapshot>, StoreError> {
        self.select(
            &format!("SELECT {COLUMNS} FROM snapshot WHERE list = ?1 ORDER BY published, id"),
            [list],
        )
    }

    /// The snapshot a reference names: its number, or `LIST@YYYY-MM-DD` (the list's snapshot
    /// published that day).
    pub fn snapshot(&self, reference: &str) -> Result<Snapshot, StoreError> {
        let found = if let Some((list, date)) = reference.split_once('@') {
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|_| StoreError::BadReference(reference.to_string()))?;
            self.select(
                &format!(
                    "SELECT {COLUMNS} FROM snapshot WHERE list = ?1 AND published = ?2 ORDER BY id"
                ),
                [list, &date.to_string()],
            )?
        } else {
            let id: i64 = reference
                .trim()
                .parse()
                .map_err(|_| StoreError::BadReference(reference.to_string()))?;
            self.select(
                &format!("SELECT {COLUMNS} FROM snapshot WHERE id = ?1"),
                [id],
            )?
        };
        let count = found.len();
        let mut found = found.into_iter();
        match (found.next(), count) {
            (Some(s), 1) => Ok(s),
            (None, _) => Err(StoreError::UnknownSnapshot {
                reference: reference.to_string(),
                known: self.known_for_message()?,
            }),
            (Some(first), _) => {
                let ids: Vec<String> = std::iter::once(first)
                    .chain(found)
                    .map(|s| s.id.to_string())
                    .collect();
                Err(StoreError::AmbiguousSnapshot {
                    reference: reference.to_string(),
                    count,
                    ids: ids.join(", "),
                })
            }
        }
    }

    /// Record id -> stored body number, for one snapshot.
    pub fn record_bodies(&self, snapshot: i64) -> Result<BTreeMap<String, i64>, StoreError> {
        let mut st = self
            .conn()
            .prepare("SELECT record_id, body FROM record WHERE snapshot = ?1")?;
        let rows = st.query_map([snapshot], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A stored body, read back as a record (line 0).
    pub fn body(&self, body: i64) -> Result<ListRecord, StoreError> {
        let json: String =
            self.conn()
                .query_row("SELECT json FROM body WHERE id = ?1", [body], |r| r.get(0))?;
        serde_json::from_str(&json).map_err(|source| StoreError::CorruptRecord {
            id: format!("body {body}"),
            source,
        })
    }

    /// The records of a snapshot, in the file's order, with their lines.
    pub fn records(&self, snapshot: i64) -> Result<Vec<ListRecord>, StoreError> {
        let mut st = self.conn().prepare(
            "SELECT record.record_id, record.line, body.json FROM record
             JOIN body ON body.id = record.body WHERE record.snapshot = ?1
             ORDER BY record.line, record.record_id",
        )?;
        let rows = st.query_map([snapshot], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, line, json) = row?;
            let mut rec: ListRecord = serde_json::from_str(&json)
                .map_err(|source| StoreError::CorruptRecord { id, source })?;
            rec.line = line;
            out.push(rec);
        }
        Ok(out)
    }

    fn select<P: rusqlite::Params>(&self, sql: &str, p: P) -> Result<Vec<Snapshot>, StoreError> {
        let mut st = self.conn().prepare(sql)?;
        let rows = st.query_map(p, raw_snapshot)?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r?.parse()?);
        }
        Ok(out)
    }

    /// The snapshots there are, for an error message.
    fn known_for_message(&self) -> Result<String, StoreError> {
        let all = self.snapshots()?;
        if all.is_empty() {
            return Ok(" (the store holds none: add one with `interdict lists add`)".into());
        }
        let refs: Vec<String> = all
            .iter()
            .map(|s| format!("{} = {}@{}", s.id, s.list, s.published))
            .collect();
        Ok(format!(" (there are: {})", refs.join(", ")))
    }
}

/// Store a record's body once (its line apart, which moves without the record changing);
/// returns its number.
pub(crate) fn put_body(conn: &Connection, r: &ListRecord) -> Result<i64, StoreError> {
    let mut r = r.clone();
    r.line = 0;
    let json = serde_json::to_string(&r).map_err(|source| StoreError::Encode {
        id: r.id.clone(),
        source,
    })?;
    let sha = sha256_hex(json.as_bytes());
    conn.prepare_cached("INSERT INTO body (sha256, json) VALUES (?1, ?2) ON CONFLICT DO NOTHING")?
        .execute(params![sha, json])?;
    Ok(conn
        .prepare_cached("SELECT id FROM body WHERE sha256 = ?1")?
        .query_row([sha], |row| row.get(0))?)
}

/// The publication date: the file's, else the one given; the two must agree when both exist.
fn publication_date(
    import: &ListImport,
    given: Option<NaiveDate>,
) -> Result<(NaiveDate, DateFrom), StoreError> {
    match (import.published, given) {
        (Some(f), Some(g)) if f != g => Err(StoreError::PublicationDateConflict {
            file: import.file.clone(),
            in_file: f,
            given: g,
        }),
        (Some(f), _) => Ok((f, DateFrom::File)),
        (None, Some(g)) => Ok((g, DateFrom::Given)),
        (None, None) => Err(StoreError::NoPublicationDate {
            file: import.file.clone(),
        }),
    }
}

/// Now, in RFC 3339 UTC to the second.
fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0)
        .map_or_else(String::new, |t| {
            t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
}

/// A snapshot row as SQLite gives it; dates parsed after, as typed errors.
struct RawSnapshot {
    id: i64,
    list: String,
    published: String,
    published_from: String,
    sha256: String,
    added_at: String,
    file: String,
    records: i64,
}

fn raw_snapshot(r: &Row<'_>) -> rusqlite::Result<RawSnapshot> {
    Ok(RawSnapshot {
        id: r.get(0)?,
        list: r.get(1)?,
        published: r.get(2)?,
        published_from: r.get(3)?,
        sha256: r.get(4)?,
        added_at: r.get(5)?,
        file: r.get(6)?,
        records: r.get(7)?,
    })
}

impl RawSnapshot {
    fn parse(self) -> Result<Snapshot, StoreError> {
        let published = NaiveDate::parse_from_str(&self.published, "%Y-%m-%d").map_err(|_| {
            StoreError::BadValue {
                what: "publication date",
                value: self.published.clone(),
            }
        })?;
        let published_from = match self.published_from.as_str() {
            "file" => DateFrom::File,
            "given" => DateFrom::Given,
            "downloaded" => DateFrom::Downloaded,
            _ => {
                return Err(StoreError::BadValue {
                    what: "date source",
                    value: self.published_from,
                });
            }
        };
        Ok(Snapshot {
            id: self.id,
            list: self.list,
            published,
            published_from,
            sha256: self.sha256,
            added_at: self.added_at,
            file: self.file,
            records: usize::try_from(self.records).unwrap_or(0),
        })
    }
}
