//! The store's schema, versioned in the `meta` table, and its migrations. Each migration takes
//! the store from one version to the next, in one transaction; a store newer than this build
//! is refused rather than read wrongly.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension as _};

use super::StoreError;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

/// `MIGRATIONS[i]` takes a store from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1: snapshots, their records (bodies shared between snapshots), the change log.
    "
    CREATE TABLE snapshot (
        id INTEGER PRIMARY KEY,
        list TEXT NOT NULL,
        published TEXT NOT NULL,          -- YYYY-MM-DD
        published_from TEXT NOT NULL,     -- 'file', 'given' or 'downloaded'
        sha256 TEXT NOT NULL,             -- of the file's bytes
        added_at TEXT NOT NULL,           -- RFC 3339, UTC
        file TEXT NOT NULL,
        records INTEGER NOT NULL,
        UNIQUE (list, sha256)
    );
    -- One record's JSON (`ListRecord`, line 0), stored once however many snapshots hold it.
    CREATE TABLE body (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        json TEXT NOT NULL
    );
    CREATE TABLE record (
        snapshot INTEGER NOT NULL REFERENCES snapshot(id),
        record_id TEXT NOT NULL,
        body INTEGER NOT NULL REFERENCES body(id),
        line INTEGER NOT NULL,
        PRIMARY KEY (snapshot, record_id)
    ) WITHOUT ROWID;
    CREATE INDEX record_by_id ON record(record_id);
    -- A change log of published versions (one row per version) and its row-level operations.
    CREATE TABLE log_version (
        id INTEGER PRIMARY KEY,
        list TEXT NOT NULL,
        at TEXT NOT NULL,                 -- when the version was seen, RFC 3339 UTC
        version TEXT NOT NULL,            -- the log's own id for it
        sha256 TEXT NOT NULL,             -- of the published file
        rows INTEGER NOT NULL,
        note TEXT NOT NULL,
        source TEXT NOT NULL,             -- the log file it came from
        UNIQUE (list, version)
    );
    CREATE TABLE log_change (
        version INTEGER NOT NULL REFERENCES log_version(id),
        record_id TEXT NOT NULL,
        op TEXT NOT NULL,                 -- 'add', 'modify' or 'delete'
        body INTEGER REFERENCES body(id), -- the record after the change; none for 'delete'
        line INTEGER NOT NULL,            -- in the log file
        PRIMARY KEY (version, record_id)
    ) WITHOUT ROWID;
    CREATE INDEX log_change_by_id ON log_change(record_id);
    ",
];

/// Bring an opened store to [`SCHEMA_VERSION`]: create it when empty, migrate it when older,
/// refuse it when newer or foreign.
pub fn prepare(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let open_err = |source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    };
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(open_err)?;
    let has_meta: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(open_err)?
        > 0;
    let mut version = if has_meta {
        read_version(conn, path)?
    } else if tables == 0 {
        0
    } else {
        return Err(StoreError::NotAStore {
            path: path.to_path_buf(),
        });
    };
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    while version < SCHEMA_VERSION {
        let tx = conn.transaction()?;
        if version == 0 {
            tx.execute_batch(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
            )?;
        }
        let step = usize::try_from(version)
            .ok()
            .and_then(|i| MIGRATIONS.get(i));
        if let Some(sql) = step {
            tx.execute_batch(sql)?;
        }
        version += 1;
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?1)",
            [version.to_string()],
        )?;
        tx.commit()?;
    }
    Ok(())
}

/// The schema version the `meta` table records (0 when it records none).
fn read_version(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    let v: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
    match v {
        None => Ok(0),
        Some(s) => s.trim().parse().map_err(|_| StoreError::BadSchema {
            path: path.to_path_buf(),
            found: s,
        }),
    }
}
