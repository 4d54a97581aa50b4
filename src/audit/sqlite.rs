//! The audit log in one SQLite file (the default).
//!
//! Durability: the file is in WAL mode. With `Durability::Process` a commit is written to the
//! WAL (the operating system holds it) without waiting for the disk (`synchronous=NORMAL`):
//! killing the process, even with SIGKILL, loses nothing committed, but a power cut or an
//! operating system crash may lose the last commits. With `Durability::PowerLoss` (the
//! default) every commit waits for the disk (`synchronous=FULL`); group commits keep that
//! affordable (one flush per group, not per record).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension as _, params};

use super::schema::{COLUMNS, META, MIGRATIONS, SCHEMA_VERSION, parse_version};
use super::store::{Prunable, row_record};
use super::{AuditError, DecisionRecord, Durability, queue::Sink};

/// An open SQLite audit log.
pub struct SqliteLog {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for SqliteLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteLog")
            .field("path", &self.path)
            .finish()
    }
}

impl SqliteLog {
    /// Open the log at `path`, creating it (and its folder) when absent; a corrupt, foreign
    /// or newer file is an error.
    pub fn open(path: &Path, durability: Durability) -> Result<SqliteLog, AuditError> {
        let target = path.display().to_string();
        let open_err = |e: &dyn std::fmt::Display| AuditError::Open {
            target: target.clone(),
            message: e.to_string(),
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| open_err(&e))?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| open_err(&e))?;
        let sync = match durability {
            Durability::Process => "NORMAL",
            Durability::PowerLoss => "FULL",
        };
        // The first statement reads the file: a file that is not SQLite fails here.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| not_a_log(&target, &e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(open_err(&format!("journal mode {mode}, not WAL")));
        }
        conn.execute_batch(&format!(
            "PRAGMA synchronous = {sync}; PRAGMA busy_timeout = 10000;"
        ))
        .map_err(|e| open_err(&e))?;
        let mut log = SqliteLog {
            conn,
            path: path.to_path_buf(),
        };
        log.prepare()?;
        Ok(log)
    }

    fn err(&self, e: rusqlite::Error) -> AuditError {
        AuditError::Storage {
            target: self.path.display().to_string(),
            message: e.to_string(),
        }
    }

    /// Bring the file to [`SCHEMA_VERSION`]: create the tables when it is empty, refuse it
    /// when it is foreign or newer.
    fn prepare(&mut self) -> Result<(), AuditError> {
        let target = self.path.display().to_string();
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(|e| not_a_log(&target, &e))?;
        let has_meta: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| not_a_log(&target, &e))?;
        let mut version = if has_meta > 0 {
            let v: Option<String> = self
                .conn
                .query_row(
                    "SELECT value FROM meta WHERE key = 'audit_schema'",
                    [],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| self.err(e))?;
            match v {
                Some(v) => parse_version(&v).map_err(|v| AuditError::BadValue {
                    what: "schema version",
                    value: v,
                })?,
                None if tables > 1 => {
                    return Err(AuditError::NotALog {
                        target,
                        why: "its `meta` table records no audit schema".into(),
                    });
                }
                None => 0,
            }
        } else if tables == 0 {
            0
        } else {
            return Err(AuditError::NotALog {
                target,
                why: "an SQLite file with other tables and no `meta` table".into(),
            });
        };
        if version > SCHEMA_VERSION {
            return Err(AuditError::NewerSchema {
                target,
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        while version < SCHEMA_VERSION {
            let tx = self.conn.transaction().map_err(|e| storage(&target, e))?;
            tx.execute_batch(META).map_err(|e| storage(&target, e))?;
            if let Some(sql) = usize::try_from(version)
                .ok()
                .and_then(|i| MIGRATIONS.get(i))
            {
                tx.execute_batch(sql).map_err(|e| storage(&target, e))?;
            }
            version += 1;
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_schema', ?1)",
                [version.to_string()],
            )
            .map_err(|e| storage(&target, e))?;
            tx.commit().map_err(|e| storage(&target, e))?;
        }
        Ok(())
    }

    /// The record with this id, if the log holds it.
    pub fn get(&self, id: &str) -> Result<Option<DecisionRecord>, AuditError> {
        let sql = format!("SELECT {COLUMNS} FROM decision WHERE decision_id = ?1");
        let row = self
            .conn
            .query_row(&sql, [id], |r| {
                let mut cols = Vec::with_capacity(10);
                for i in 0..9 {
                    cols.push(r.get::<_, String>(i)?);
                }
                Ok((cols, r.get::<_, Option<String>>(9)?))
            })
            .optional()
            .map_err(|e| self.err(e))?;
        row.map(|(cols, state)| row_record(cols, state)).transpose()
    }

    /// How many records the log holds.
    pub fn count(&self) -> Result<u64, AuditError> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM decision", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Every record recorded before `before` (RFC 3339 text), oldest first, without its input.
    pub fn recorded_before(
        &self,
        before: &str,
        each: &mut dyn FnMut(Prunable) -> Result<(), AuditError>,
    ) -> Result<(), AuditError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT decision_id, recorded_at, result FROM decision \
                 WHERE recorded_at < ?1 ORDER BY recorded_at",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([before]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let p = Prunable {
                decision_id: r.get(0).map_err(|e| self.err(e))?,
                recorded_at: r.get(1).map_err(|e| self.err(e))?,
                result: r.get(2).map_err(|e| self.err(e))?,
            };
            each(p)?;
        }
        Ok(())
    }

    /// Delete these records in one transaction; how many there were.
    pub fn delete(&mut self, ids: &[String]) -> Result<u64, AuditError> {
        let target = self.path.display().to_string();
        let tx = self.conn.transaction().map_err(|e| storage(&target, e))?;
        let mut n = 0;
        {
            let mut stmt = tx
                .prepare_cached("DELETE FROM decision WHERE decision_id = ?1")
                .map_err(|e| storage(&target, e))?;
            for id in ids {
                n += stmt.execute([id]).map_err(|e| storage(&target, e))? as u64;
            }
        }
        tx.commit().map_err(|e| storage(&target, e))?;
        Ok(n)
    }
}

impl Sink for SqliteLog {
    fn write(&mut self, records: &[DecisionRecord]) -> Result<(), AuditError> {
        let target = self.path.display().to_string();
        let tx = self.conn.transaction().map_err(|e| storage(&target, e))?;
        {
            let mut stmt = tx
                .prepare_cached(&format!(
                    "INSERT INTO decision ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                ))
                .map_err(|e| storage(&target, e))?;
            for r in records {
                stmt.execute(params![
                    r.decision_id,
                    r.recorded_at_text(),
                    r.origin.as_str(),
                    r.input,
                    r.input_sha256,
                    r.result,
                    r.engine_version,
                    r.pack_digest,
                    r.list_snapshots_json(),
                    r.state_id,
                ])
                .map_err(|e| storage(&target, e))?;
            }
        }
        tx.commit().map_err(|e| storage(&target, e))
    }
}

fn storage(target: &str, e: rusqlite::Error) -> AuditError {
    AuditError::Storage {
        target: target.to_string(),
        message: e.to_string(),
    }
}

fn not_a_log(target: &str, e: &rusqlite::Error) -> AuditError {
    AuditError::NotALog {
        target: target.to_string(),
        why: e.to_string(),
    }
}
