//! The audit trail: every decision recorded, with its input, its result and the law and lists
//! that made it, in SQLite (one file, the default) or PostgreSQL (shared by several writers).
//!
//! | module | concern |
//! |---|---|
//! | `record` | `DecisionRecord`: one decision as recorded, its id and origin |
//! | `queue` | the bounded queue, the writer thread's group commits, receipts |
//! | `schema` | the schema both databases share, versioned in `meta` |
//! | `sqlite` | the SQLite log (WAL, durability settings) |
//! | `postgres` | the PostgreSQL log (several writers, advisory-locked migrations) |
//! | `store` | reading a log back: one record, records before a date, deleting |
//! | `retention` | how long the packs' record-keeping obligations keep a record |
//!
//! Deciders `submit` records to an [`AuditLog`]; one writer thread commits what is queued in
//! groups (one transaction per group), and each record's [`Receipt`] resolves only when its
//! group is committed: a decision is acknowledged after its receipt, so an acknowledged
//! decision survives `kill -9`. A full queue makes `submit` wait (back-pressure); nothing is
//! dropped. docs/audit.md describes the commands built on it.

mod error;
pub mod postgres;
mod queue;
pub mod record;
pub mod retention;
pub mod schema;
pub mod sqlite;
pub mod store;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub use error::AuditError;
pub use queue::{Receipt, Sink};
pub use record::{DecisionRecord, ListSnapshot, Origin};
pub use store::{AuditStore, Prunable};

/// Where the log is: an SQLite file, or a PostgreSQL database by URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditTarget {
    /// One SQLite file (created when absent).
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (`postgres://` or `postgresql://`).
    Postgres(String),
}

impl AuditTarget {
    /// A target as given on the command line: a `postgres://` or `postgresql://` URL, else a
    /// path.
    pub fn parse(s: &str) -> AuditTarget {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            AuditTarget::Postgres(s.to_string())
        } else {
            AuditTarget::Sqlite(PathBuf::from(s))
        }
    }
}

impl std::fmt::Display for AuditTarget {
    /// The path, or the URL without its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditTarget::Sqlite(p) => write!(f, "{}", p.display()),
            AuditTarget::Postgres(url) => f.write_str(&postgres::redact(url)),
        }
    }
}

/// What a commit survives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// A crash of this process (`kill -9`), not of the machine: the commit is handed to the
    /// operating system (SQLite `synchronous=NORMAL` in WAL mode) or the database server
    /// (PostgreSQL `synchronous_commit = off`) without waiting for the disk.
    Process,
    /// A power cut too: every commit waits for the disk (SQLite `synchronous=FULL`, the
    /// server's own `synchronous_commit`).
    #[default]
    PowerLoss,
}

/// How a log is run.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// Records queued at most before `submit` waits (back-pressure).
    pub capacity: usize,
    /// Records committed at most in one transaction.
    pub max_batch: usize,
    /// What a commit survives.
    pub durability: Durability,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            capacity: 65_536,
            max_batch: 8_192,
            durability: Durability::default(),
        }
    }
}

/// The audit log a decider writes to: cheap to clone and share between threads (one queue
/// and one writer thread behind an `Arc`). Dropping the last clone flushes and stops it, as
/// [`AuditLog::close`] does.
#[derive(Clone)]
pub struct AuditLog {
    writer: Arc<queue::Writer>,
    target: Arc<str>,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog")
            .field("target", &self.target)
            .finish()
    }
}

impl AuditLog {
    /// Open (or create) the log at `target` and start its writer thread. The database is
    /// opened on that thread (the PostgreSQL client must not run on an async runtime's
    /// thread); an error opening it is returned here.
    pub fn open(target: &AuditTarget, opts: AuditOptions) -> Result<Self, AuditError> {
        let t = target.clone();
        let durability = opts.durability;
        Self::start(target.to_string(), opts, move || {
            AuditStore::open(
                &t,
                &AuditOptions {
                    durability,
                    ..AuditOptions::default()
                },
            )
            .map(|s| Box::new(s) as Box<dyn Sink>)
        })
    }

    /// A log over any [`Sink`] (a test's slow or failing one), opened on the writer thread.
    pub fn with_sink<F>(name: &str, opts: AuditOptions, open: F) -> Result<Self, AuditError>
    where
        F: FnOnce() -> Result<Box<dyn Sink>, AuditError> + Send + 'static,
    {
        Self::start(name.to_string(), opts, open)
    }

    fn start<F>(name: String, opts: AuditOptions, open: F) -> Result<Self, AuditError>
    where
        F: FnOnce() -> Result<Box<dyn Sink>, AuditError> + Send + 'static,
    {
        let shared = queue::Shared::new(opts.capacity, opts.max_batch);
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let for_thread = Arc::clone(&shared);
        let handle = std::thread::Builder::new()
            .name("audit-writer".into())
            .spawn(move || match open() {
                Ok(mut sink) => {
                    let _ = ready_tx.send(Ok(()));
                    for_thread.run_writer(sink.as_mut());
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            })
            .map_err(|e| AuditError::Open {
                target: name.clone(),
                message: e.to_string(),
            })?;
        let opened = ready_rx.recv().unwrap_or(Err(AuditError::Closed));
        let writer = queue::Writer {
            shared,
            thread: Mutex::new(Some(handle)),
        };
        match opened {
            Ok(()) => Ok(AuditLog {
                writer: Arc::new(writer),
                target: Arc::from(name),
            }),
            Err(e) => {
                let _ = writer.shutdown();
                Err(e)
            }
        }
    }

    /// Queue a record, blocking while the queue is full (back-pressure, never a drop). The
    /// receipt resolves when the record is committed. Not for an async runtime's thread: use
    /// [`AuditLog::submit_async`] there.
    pub fn submit(&self, r: DecisionRecord) -> Result<Receipt, AuditError> {
        self.writer.shared.submit(r)
    }

    /// Queue a record, waiting for room without blocking a runtime thread.
    pub async fn submit_async(&self, r: DecisionRecord) -> Result<Receipt, AuditError> {
        self.writer.shared.submit_async(r).await
    }

    /// Records submitted and not yet committed (for metrics).
    pub fn backlog(&self) -> usize {
        self.writer.shared.backlog()
    }

    /// The log as messages name it (a path, or a URL without its password).
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Flush: commit everything queued and stop the writer. Other clones can no longer
    /// submit. An error says a group failed to commit during the log's life.
    pub fn close(self) -> Result<(), AuditError> {
        self.writer.shutdown()
    }
}
