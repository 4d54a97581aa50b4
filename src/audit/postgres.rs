//! The audit log in a PostgreSQL database, shared by several writers (service instances).
//!
//! Several writers never collide: decision ids are UUIDs (version 7) made by each writer, so
//! no sequence is shared, and the schema is created or migrated under a transaction-scoped
//! advisory lock, so two instances starting at once do not both create it. A group of
//! records is one `INSERT ... SELECT FROM unnest(...)` statement: one round trip and one
//! commit per group. `Durability::Process` sets `synchronous_commit = off` for the session
//! (a commit is in the server's memory, safe from a crash of this process but not of the
//! server); `Durability::PowerLoss` (the default) keeps the server's setting.

use postgres::fallible_iterator::FallibleIterator as _;
use postgres::{Client, NoTls, Row};

use super::schema::{COLUMNS, META, MIGRATIONS, SCHEMA_VERSION, parse_version};
use super::store::{Prunable, row_record};
use super::{AuditError, DecisionRecord, Durability, queue::Sink};

/// The advisory lock key under which the schema is prepared (any fixed number: "audit").
const SCHEMA_LOCK: i64 = 0x0061_7564_6974;

/// An open PostgreSQL audit log.
pub struct PgLog {
    client: Client,
    /// The URL without its password, for messages.
    target: String,
}

impl std::fmt::Debug for PgLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgLog")
            .field("target", &self.target)
            .finish()
    }
}

impl PgLog {
    /// Connect to `url` and bring the database's log to [`SCHEMA_VERSION`]. Must not be called
    /// on an async runtime's thread (the client blocks); `AuditLog::open` connects on its own
    /// writer thread.
    pub fn open(url: &str, durability: Durability) -> Result<PgLog, AuditError> {
        let target = redact(url);
        let client = Client::connect(url, NoTls).map_err(|e| AuditError::Open {
            target: target.clone(),
            message: e.to_string(),
        })?;
        let mut log = PgLog { client, target };
        if durability == Durability::Process {
            log.client
                .batch_execute("SET synchronous_commit = off")
                .map_err(|e| log.err(e))?;
        }
        log.prepare()?;
        Ok(log)
    }

    fn err(&self, e: postgres::Error) -> AuditError {
        AuditError::Storage {
            target: self.target.clone(),
            message: e.to_string(),
        }
    }

    fn prepare(&mut self) -> Result<(), AuditError> {
        let target = self.target.clone();
        let storage = |e: postgres::Error| AuditError::Storage {
            target: target.clone(),
            message: e.to_string(),
        };
        let mut tx = self.client.transaction().map_err(storage)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])
            .map_err(storage)?;
        tx.batch_execute(META).map_err(storage)?;
        let v = tx
            .query_opt("SELECT value FROM meta WHERE key = 'audit_schema'", &[])
            .map_err(storage)?;
        let mut version = match v {
            Some(row) => {
                let text: String = row.try_get(0).map_err(storage)?;
                parse_version(&text).map_err(|v| AuditError::BadValue {
                    what: "schema version",
                    value: v,
                })?
            }
            None => 0,
        };
        if version > SCHEMA_VERSION {
            return Err(AuditError::NewerSchema {
                target: target.clone(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        while version < SCHEMA_VERSION {
            if let Some(sql) = usize::try_from(version)
                .ok()
                .and_then(|i| MIGRATIONS.get(i))
            {
                tx.batch_execute(sql).map_err(storage)?;
            }
            version += 1;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('audit_schema', $1) \
                 ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                &[&version.to_string()],
            )
            .map_err(storage)?;
        }
        tx.commit().map_err(storage)
    }

    /// The record with this id, if the log holds it.
    pub fn get(&mut self, id: &str) -> Result<Option<DecisionRecord>, AuditError> {
        let sql = format!("SELECT {COLUMNS} FROM decision WHERE decision_id = $1");
        let row = self
            .client
            .query_opt(&sql, &[&id])
            .map_err(|e| self.err(e))?;
        row.map(|r| self.record(&r)).transpose()
    }

    fn record(&self, r: &Row) -> Result<DecisionRecord, AuditError> {
        let mut cols = Vec::with_capacity(10);
        for i in 0..9 {
            cols.push(r.try_get::<_, String>(i).map_err(|e| self.err(e))?);
        }
        let state: Option<String> = r.try_get(9).map_err(|e| self.err(e))?;
        row_record(cols, state)
    }

    /// How many records the log holds.
    pub fn count(&mut self) -> Result<u64, AuditError> {
        let row = self
            .client
            .query_one("SELECT count(*) FROM decision", &[])
            .map_err(|e| self.err(e))?;
        let n: i64 = row.try_get(0).map_err(|e| self.err(e))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Every record recorded before `before` (RFC 3339 text), oldest first, without its input;
    /// streamed, not held in memory.
    pub fn recorded_before(
        &mut self,
        before: &str,
        each: &mut dyn FnMut(Prunable) -> Result<(), AuditError>,
    ) -> Result<(), AuditError> {
        let target = self.target.clone();
        let storage = |e: postgres::Error| AuditError::Storage {
            target: target.clone(),
            message: e.to_string(),
        };
        let mut rows = self
            .client
            .query_raw(
                "SELECT decision_id, recorded_at, result FROM decision \
                 WHERE recorded_at < $1 ORDER BY recorded_at",
                [before],
            )
            .map_err(storage)?;
        while let Some(r) = rows.next().map_err(storage)? {
            each(Prunable {
                decision_id: r.try_get(0).map_err(storage)?,
                recorded_at: r.try_get(1).map_err(storage)?,
                result: r.try_get(2).map_err(storage)?,
            })?;
        }
        Ok(())
    }

    /// Delete these records in one statement; how many there were.
    pub fn delete(&mut self, ids: &[String]) -> Result<u64, AuditError> {
        self.client
            .execute("DELETE FROM decision WHERE decision_id = ANY($1)", &[&ids])
            .map_err(|e| self.err(e))
    }
}

impl Sink for PgLog {
    fn write(&mut self, records: &[DecisionRecord]) -> Result<(), AuditError> {
        let col = |f: &dyn Fn(&DecisionRecord) -> String| records.iter().map(f).collect::<Vec<_>>();
        let ids = col(&|r| r.decision_id.clone());
        let times = col(&|r| r.recorded_at_text());
        let origins = col(&|r| r.origin.as_str().to_string());
        let inputs = col(&|r| r.input.clone());
        let hashes = col(&|r| r.input_sha256.clone());
        let results = col(&|r| r.result.clone());
        let versions = col(&|r| r.engine_version.clone());
        let packs = col(&|r| r.pack_digest.clone());
        let lists = col(&|r| r.list_snapshots_json());
        let states: Vec<Option<String>> = records.iter().map(|r| r.state_id.clone()).collect();
        let sql = format!(
            "INSERT INTO decision ({COLUMNS}) SELECT * FROM unnest($1::text[], $2::text[], \
             $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], \
             $10::text[])"
        );
        self.client
            .execute(
                &sql,
                &[
                    &ids, &times, &origins, &inputs, &hashes, &results, &versions, &packs, &lists,
                    &states,
                ],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }
}

/// A connection URL as messages show it: the password replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}
