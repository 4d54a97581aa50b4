//! The list store: versioned snapshots of published lists in one SQLite file, their records,
//! and change logs of published versions, from which listing dates the lists do not give are
//! derived.
//!
//! | module | concern |
//! |---|---|
//! | `path` | where the store file is (`--store`, `INTERDICT_STORE`, the data folder) |
//! | `schema` | the schema version (`meta`), explicit migrations, refusing newer stores |
//! | `error` | `StoreError`, every way the store can fail |
//! | `snapshot` | adding a file as a snapshot (a no-op for the same bytes), listing, references |
//! | `diff` | what changed between two snapshots, field by field |
//! | `history` | one record through every snapshot and the change log; listing dates |
//! | `log` | ingesting a row-level change log of published versions (the SDN history) |
//! | `update` | downloading configured lists, verifying them, storing changed ones |
//!
//! A snapshot is stored only complete: an import that refused a record is refused whole.
//! Records are stored as the JSON of `ListRecord` (its `line` apart), each distinct body once,
//! so consecutive snapshots of a list cost little more than their changes.
//! docs/lists.md ("The list store") describes the commands built on it.

pub mod diff;
mod error;
pub mod history;
pub mod log;
pub mod path;
pub mod schema;
pub mod snapshot;
pub mod update;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub use error::StoreError;
pub use snapshot::{AddOutcome, DateFrom, Snapshot};

use super::config::ListConfig;
use super::record::ListImport;
use super::sdn_records::Ending;

/// An open list store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Open the store at `path`, creating it (and its folder) when absent, migrating it when
    /// older; a corrupt, foreign or newer file is an error, never a panic.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let mut conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        // Foreign keys checked; a busy store waited for briefly rather than failed at once.
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
            .map_err(open_err)?;
        schema::prepare(&mut conn, path)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

pub use crate::source::sha256_hex;

/// Import a whole list file's bytes with the importer its configuration names, whatever the
/// format (the SDN CSV included; without its end-of-file marker it is refused as cut short).
pub fn import_any(bytes: &[u8], name: &str, config: &ListConfig) -> ListImport {
    import_with(bytes, name, config, Ending::Marked)
}

/// Import rows taken out of a list file (a change log's): no end-of-file marker expected.
pub(crate) fn import_rows(bytes: &[u8], name: &str, config: &ListConfig) -> ListImport {
    import_with(bytes, name, config, Ending::Unmarked)
}

fn import_with(bytes: &[u8], name: &str, config: &ListConfig, ending: Ending) -> ListImport {
    if config.format == super::sdn_records::FORMAT {
        super::sdn_records::import_bytes(bytes, name, config, ending)
    } else {
        super::import::import_bytes(bytes, name, config)
    }
}
