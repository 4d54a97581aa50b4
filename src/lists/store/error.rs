//! What can go wrong with the list store, as one error type. Every message names the store
//! file or the list file concerned; none is read from a library's words.

use std::path::PathBuf;

use chrono::NaiveDate;

/// A failure of the list store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No location for the store: no `--store`, no `INTERDICT_STORE`, no data folder.
    #[error(
        "no place for the list store: give --store PATH, or set INTERDICT_STORE, XDG_DATA_HOME or HOME"
    )]
    NoDataDir,
    /// The store's folder could not be created.
    #[error("cannot create the list store's folder `{path}`: {source}")]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The store file could not be opened or read as SQLite (a corrupt or foreign file).
    #[error("`{path}` is not a readable list store: {source}")]
    Open {
        /// The store file.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// An SQLite file holding tables, but not interdict's.
    #[error("`{path}` is an SQLite file but not an interdict list store (it has no `meta` table)")]
    NotAStore {
        /// The store file.
        path: PathBuf,
    },
    /// A store written by a newer interdict.
    #[error(
        "the list store `{path}` has schema version {found}; this interdict reads versions up to {supported}: use a newer interdict"
    )]
    NewerSchema {
        /// The store file.
        path: PathBuf,
        /// The version the store says.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// The `meta` table's schema version is not a number.
    #[error("the list store `{path}` has an unreadable schema version `{found}`")]
    BadSchema {
        /// The store file.
        path: PathBuf,
        /// What the table holds.
        found: String,
    },
    /// A query failed on an open store.
    #[error("the list store failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file gives no publication date and none was given.
    #[error(
        "`{file}` does not say when it was published: give the date with --published YYYY-MM-DD (interdict does not guess it from the file name)"
    )]
    NoPublicationDate {
        /// The list file.
        file: String,
    },
    /// The date given contradicts the date the file gives.
    #[error("`{file}` says it was published on {in_file}, but --published says {given}")]
    PublicationDateConflict {
        /// The list file.
        file: String,
        /// The file's own date.
        in_file: NaiveDate,
        /// The date given.
        given: NaiveDate,
    },
    /// The import refused records: a snapshot is only ever stored complete.
    #[error(
        "`{file}` was not imported cleanly ({errors} error(s), the first: {first}); the store keeps complete snapshots only"
    )]
    ImportFailed {
        /// The list file.
        file: String,
        /// How many errors the import reported.
        errors: usize,
        /// The first error's location and message.
        first: String,
    },
    /// Two records of one file have the same id: the snapshot could not key them.
    #[error("record id `{id}` occurs more than once in `{file}`")]
    DuplicateRecord {
        /// The list file.
        file: String,
        /// The repeated id.
        id: String,
    },
    /// A stored record is not a record any more (the file was altered).
    #[error("a stored record (`{id}`) cannot be read back: {source}")]
    CorruptRecord {
        /// The record's id.
        id: String,
        /// What the JSON reader said.
        source: serde_json::Error,
    },
    /// A record could not be written as JSON.
    #[error("a record (`{id}`) cannot be written: {source}")]
    Encode {
        /// The record's id.
        id: String,
        /// What the JSON writer said.
        source: serde_json::Error,
    },
    /// A stored value is not what the schema promises (a date that is not a date).
    #[error("the list store holds an unreadable {what} `{value}`")]
    BadValue {
        /// What the value is.
        what: &'static str,
        /// The value.
        value: String,
    },
    /// A snapshot reference names no snapshot.
    #[error("no snapshot `{reference}` in the store{known}")]
    UnknownSnapshot {
        /// The reference as given.
        reference: String,
        /// The snapshots there are, for the message.
        known: String,
    },
    /// A snapshot reference is not a number nor `LIST@YYYY-MM-DD`.
    #[error("`{0}` is not a snapshot: give its number (from `lists ls`) or LIST@YYYY-MM-DD")]
    BadReference(String),
    /// `LIST@DATE` names several snapshots.
    #[error("`{reference}` names {count} snapshots ({ids}): give the snapshot number")]
    AmbiguousSnapshot {
        /// The reference as given.
        reference: String,
        /// How many.
        count: usize,
        /// Their numbers.
        ids: String,
    },
    /// A change log could not be read.
    #[error("{0}")]
    History(String),
}
