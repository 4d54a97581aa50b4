//! What can go wrong with the audit trail, as one error type; every message names the log.

/// A failure of the audit trail.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The log could not be opened or created.
    #[error("cannot open the audit log `{target}`: {message}")]
    Open {
        /// The log (a path or a URL without its password).
        target: String,
        /// Why.
        message: String,
    },
    /// An SQLite file that is not an audit log (tables but no `meta`, or another kind).
    #[error("`{target}` is not an interdict audit log ({why})")]
    NotALog {
        /// The log.
        target: String,
        /// What was found instead.
        why: String,
    },
    /// A log written by a newer interdict.
    #[error(
        "the audit log `{target}` has schema version {found}; this interdict reads versions up to {supported}: use a newer interdict"
    )]
    NewerSchema {
        /// The log.
        target: String,
        /// The version the log says.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// Writing or reading records failed on an open log.
    #[error("the audit log `{target}` failed: {message}")]
    Storage {
        /// The log.
        target: String,
        /// What the database said.
        message: String,
    },
    /// A stored value is not what the schema promises.
    #[error("the audit log holds an unreadable {what} `{value}`")]
    BadValue {
        /// What the value is.
        what: &'static str,
        /// The value.
        value: String,
    },
    /// The log was closed (or its writer stopped) before the record was committed.
    #[error("the audit log is closed: the record was not committed")]
    Closed,
    /// The batch holding this record could not be committed.
    #[error("the record was not committed: {0}")]
    CommitFailed(String),
}
