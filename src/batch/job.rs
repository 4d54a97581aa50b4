//! What a pipeline does per record (`Job`, one `RecordWorker` per worker thread) and what it
//! counts (`Counts`): `batch` decides (`BatchJob`), `diff --transactions` compares.

use std::sync::Arc;

use super::input::{RecordError, Resolver, TxRecord, blank_transaction};
use super::record::write_record;
use super::summary::Tally;
use crate::eval::{Engine, EvalOptions, Scratch};

/// The work a pipeline does on each record, and the counts it keeps.
pub trait Job: Sync {
    /// Counts of a chunk, added up in input order into the run's.
    type Counts: Counts;
    /// One worker thread's state (its buffers, reused from one record to the next).
    type Worker: RecordWorker<Counts = Self::Counts>;
    /// A worker for the input named `file` (each worker its own copy of the name: a shared
    /// `Arc` would be one counter that every core writes to for every record).
    fn worker(&self, file: Arc<str>) -> Self::Worker;
    /// Counts with nothing counted yet.
    fn counts(&self) -> Self::Counts;
}

/// A worker: one record in, its output lines appended to `out`, its counts kept.
pub trait RecordWorker {
    /// The counts it keeps.
    type Counts;
    /// Handle the record of `line`; a record that cannot be lowered is returned as its error
    /// (the pipeline reports and counts it).
    fn record(
        &mut self,
        line: u64,
        rec: TxRecord<'_>,
        out: &mut Vec<u8>,
        counts: &mut Self::Counts,
    ) -> Result<(), RecordError>;
}

/// What every job counts besides its own figures.
pub trait Counts: Send {
    /// Add the counts of a later chunk.
    fn add(&mut self, other: &Self);
    /// One malformed record (reported with its line, not handled).
    fn malformed(&mut self);
    /// One line holding only white space.
    fn blank_line(&mut self);
    /// Records handled so far (for progress).
    fn handled(&self) -> u64;
}

impl Counts for Tally {
    fn add(&mut self, other: &Self) {
        Tally::add(self, other);
    }
    fn malformed(&mut self) {
        self.records += 1;
        self.skipped += 1;
    }
    fn blank_line(&mut self) {
        self.blank_lines += 1;
    }
    fn handled(&self) -> u64 {
        self.decided
    }
}

/// How a run of any job went, besides its counts.
#[derive(Debug, Clone)]
pub struct RunStats {
    /// Time spent reading, handling and writing.
    pub elapsed: std::time::Duration,
    /// Worker threads used.
    pub jobs: usize,
    /// Set when `--on-error stop` ended the run at a malformed record (its line).
    pub stopped_at: Option<u64>,
    /// Malformed records whose message was not printed (only the first ones are).
    pub errors_not_shown: u64,
}

/// `interdict batch`'s job: decide each record under one engine and write its decision record.
pub(super) struct BatchJob<'e> {
    pub(super) engine: &'e Engine,
    pub(super) opts: &'e EvalOptions,
}

/// One worker thread's state for [`BatchJob`].
pub(super) struct BatchWorker<'e> {
    engine: &'e Engine,
    opts: &'e EvalOptions,
    resolver: Resolver<'e>,
    file: Arc<str>,
    tx: crate::model::world::Transaction,
    scratch: Scratch,
}

impl<'e> Job for BatchJob<'e> {
    type Counts = Tally;
    type Worker = BatchWorker<'e>;
    fn worker(&self, file: Arc<str>) -> BatchWorker<'e> {
        BatchWorker {
            engine: self.engine,
            opts: self.opts,
            resolver: Resolver::new(self.engine.rules(), self.engine.world()),
            file,
            tx: blank_transaction(),
            scratch: Scratch::default(),
        }
    }
    fn counts(&self) -> Tally {
        Tally::new(self.engine.rules().jurisdictions.len())
    }
}

impl RecordWorker for BatchWorker<'_> {
    type Counts = Tally;
    fn record(
        &mut self,
        line: u64,
        rec: TxRecord<'_>,
        out: &mut Vec<u8>,
        tally: &mut Tally,
    ) -> Result<(), RecordError> {
        self.resolver
            .lower_into(&rec, line, &self.file, &mut self.tx)?;
        let d = self
            .engine
            .evaluate_with(&self.tx, self.opts, &mut self.scratch);
        write_record(out, self.engine.rules(), self.engine.world(), d);
        tally.count(d);
        Ok(())
    }
}
