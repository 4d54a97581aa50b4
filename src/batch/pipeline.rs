//! The parallel pipeline: a reader cuts the input into chunks, workers decide them, and the
//! calling thread writes the chunks' records back in input order.
//!
//! Memory does not grow with the input: a fixed number of tokens bounds the chunks in flight
//! (read but not yet written), so the reader waits when the writer falls behind, and the
//! reordering buffer never holds more than that many chunks. Every record is decided on its own
//! (nothing is carried from one record to the next), which is why splitting an input into parts
//! gives the same records as one run.
//!
//! What a worker does with a record is a [`Job`]: `interdict batch` decides it under one world
//! (`BatchJob`), `interdict diff --transactions` under two; the reading, chunking, ordering and
//! bounding are the same for both.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::input::{CsvHeader, InputFormat, LineParser, RecordError, read_csv_header};
use super::job::BatchJob;
pub use super::job::{Counts, Job, RecordWorker, RunStats};
use super::summary::Summary;
use crate::audit::{AuditError, AuditLog, DecisionRecord, ListSnapshot, Origin};
use crate::eval::{Engine, EvalOptions};

/// What to do with a malformed record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// Report it, count it, go on.
    Skip,
    /// Report it and end the run there (the records before it are written).
    Stop,
}

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Worker threads evaluating chunks (default: the available parallelism).
    pub jobs: usize,
    /// NDJSON or CSV.
    pub format: InputFormat,
    /// What a malformed record does: skipped and reported, or the end of the run.
    pub on_error: OnError,
    /// The evaluation options (as-of date, jurisdictions) of every transaction.
    pub opts: EvalOptions,
    /// Records per chunk: the unit of work handed to a worker.
    pub chunk_records: usize,
    /// Messages of malformed records printed at most (all are counted).
    pub max_errors_shown: u64,
    /// Where every decision is recorded, if anywhere (`batch --audit`).
    pub audit: Option<Audit>,
}

/// The audit trail of a batch run: every decision is recorded, and its record is written to
/// the output only once the log has committed it, so a decision printed is a decision kept.
#[derive(Debug, Clone)]
pub struct Audit {
    /// The log.
    pub log: AuditLog,
    /// The digest of the packs deciding (`Pack::digest`).
    pub pack_digest: String,
    /// What names the world the records are decided in (the world file's digest).
    pub state_id: Option<String>,
    /// The list versions of the world.
    pub list_snapshots: Vec<ListSnapshot>,
}

impl Config {
    /// The defaults for `format`: all cores, malformed records skipped, default evaluation options.
    pub fn new(format: InputFormat) -> Config {
        Config {
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            format,
            on_error: OnError::Skip,
            opts: EvalOptions::default(),
            chunk_records: 2048,
            max_errors_shown: 100,
            audit: None,
        }
    }
}

/// What the pipeline tells its caller as it goes.
#[derive(Debug)]
pub enum Event<'a> {
    /// A malformed record (only the first `max_errors_shown` are reported this way).
    Malformed(&'a RecordError),
    /// Input consumed so far (bytes) and decisions written.
    Progress {
        /// Bytes of input read.
        bytes: u64,
        /// Decision records written.
        decided: u64,
    },
}

/// Why a run could not go through.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The input could not be read (the caller knows its name).
    #[error("cannot read the input: {0}")]
    Read(io::Error),
    /// The output could not be written (a full disk, a closed pipe).
    #[error("cannot write the output: {0}")]
    Write(io::Error),
    /// The CSV header cannot be used, so no record can be read.
    #[error("line 1: {0}")]
    Header(String),
    /// The audit log did not commit a decision: the run stops before printing it.
    #[error("{0}")]
    Audit(AuditError),
}

/// Consecutive lines of the input (either format: one line, one record), each ending with
/// `\n` (the last one of the input may not).
struct Chunk {
    seq: u64,
    first_line: u64,
    end_offset: u64,
    lines: Vec<u8>,
}

struct Done<C> {
    seq: u64,
    end_offset: u64,
    out: Vec<u8>,
    tally: C,
    errors: Vec<RecordError>,
    /// The audit records of the chunk's decisions (none without `--audit`).
    records: Vec<DecisionRecord>,
    /// A malformed record ended this chunk under `--on-error stop`.
    stop: bool,
}

/// Decide every record of `input`, writing one line per decision to `out` in input order.
pub fn run<R: Read + Send, W: Write>(
    engine: &Engine,
    input: R,
    input_name: &str,
    out: &mut W,
    cfg: &Config,
    events: &mut dyn FnMut(Event),
) -> Result<Summary, BatchError> {
    let job = BatchJob {
        engine,
        opts: &cfg.opts,
    };
    let (tally, stats) = run_job(&job, input, input_name, out, cfg, events)?;
    Ok(Summary {
        tally,
        elapsed: stats.elapsed,
        jobs: stats.jobs,
        stopped_at: stats.stopped_at,
        errors_not_shown: stats.errors_not_shown,
    })
}

/// Run `job` over every record of `input` on `cfg.jobs` workers, writing each chunk's output
/// to `out` in input order; returns the counts of the whole input. `cfg.opts` is the job's to
/// read or not.
pub fn run_job<J: Job, R: Read + Send, W: Write>(
    job: &J,
    input: R,
    input_name: &str,
    out: &mut W,
    cfg: &Config,
    events: &mut dyn FnMut(Event),
) -> Result<(J::Counts, RunStats), BatchError> {
    let started = Instant::now();
    let jobs = cfg.jobs.max(1);
    let in_flight = jobs * 4;
    let mut input = BufReader::with_capacity(1 << 20, input);
    let (header, header_line) = match cfg.format {
        InputFormat::Csv => read_header(&mut input).map(|(h, l)| (Some(h), l))?,
        InputFormat::Ndjson => (None, Vec::new()),
    };
    // A CSV row is recorded with its header, so that the record reads alone.
    let (header, audit_prefix) = (header.as_ref(), header_line.as_slice());

    let (chunk_tx, chunk_rx) = sync_channel::<Chunk>(in_flight);
    let (done_tx, done_rx) = sync_channel::<Done<J::Counts>>(in_flight);
    let (token_tx, token_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = token_tx.send(());
    }
    let chunk_rx = Mutex::new(chunk_rx);
    let stop = AtomicBool::new(false);

    let mut collector = Collector::new(cfg, job.counts(), token_tx);

    let read_result = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let start = Position {
                line: if header.is_some() { 2 } else { 1 },
                offset: audit_prefix.len() as u64,
            };
            read_chunks(input, start, cfg.chunk_records, chunk_tx, token_rx)
        });
        for _ in 0..jobs {
            let done_tx = done_tx.clone();
            let (chunk_rx, stop) = (&chunk_rx, &stop);
            let header = (header, audit_prefix);
            scope.spawn(move || work(job, cfg, header, input_name, chunk_rx, done_tx, stop));
        }
        drop(done_tx);
        for done in done_rx {
            if stop.load(Ordering::Relaxed) {
                continue; // drain what the workers still finish
            }
            collector.receive(done, out, &stop, events);
        }
        collector.token_tx = None;
        reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the input reader thread failed")))
    });
    if let Some(e) = collector.failure() {
        return Err(e);
    }
    read_result.map_err(BatchError::Read)?;
    out.flush().map_err(BatchError::Write)?;
    Ok((
        collector.total,
        RunStats {
            elapsed: started.elapsed(),
            jobs,
            stopped_at: collector.stopped_at,
            errors_not_shown: collector.not_shown,
        },
    ))
}

/// The writing end of the pipeline: finished chunks put back in input order, written and
/// counted; each chunk written returns a token to the reader, so at most `in_flight` chunks
/// are ever in memory.
struct Collector<'a, C> {
    max_errors_shown: u64,
    total: C,
    /// The line of the malformed record that stopped the run (`--on-error stop`).
    stopped_at: Option<u64>,
    shown: u64,
    not_shown: u64,
    write_error: Option<io::Error>,
    audit_error: Option<AuditError>,
    /// The audit log, whose commit a chunk waits for before it is written.
    audit: Option<&'a AuditLog>,
    /// `None` once the run stops: the reader then reads no further.
    token_tx: Option<SyncSender<()>>,
    /// Chunks finished ahead of their turn, by sequence number.
    pending: BTreeMap<u64, Done<C>>,
    /// The sequence number of the next chunk to write.
    next: u64,
}

impl<'a, C: Counts> Collector<'a, C> {
    fn new(cfg: &'a Config, total: C, token_tx: SyncSender<()>) -> Self {
        Collector {
            max_errors_shown: cfg.max_errors_shown,
            total,
            stopped_at: None,
            shown: 0,
            not_shown: 0,
            write_error: None,
            audit_error: None,
            audit: cfg.audit.as_ref().map(|a| &a.log),
            token_tx: Some(token_tx),
            pending: BTreeMap::new(),
            next: 0,
        }
    }

    /// How the run failed, if it did: an audit log that did not commit, or an output that
    /// could not be written.
    fn failure(&mut self) -> Option<BatchError> {
        let audit = self.audit_error.take().map(BatchError::Audit);
        audit.or_else(|| self.write_error.take().map(BatchError::Write))
    }

    /// Take one finished chunk and write every chunk whose turn has come.
    fn receive<W: Write>(
        &mut self,
        done: Done<C>,
        out: &mut W,
        stop: &AtomicBool,
        events: &mut dyn FnMut(Event),
    ) {
        self.pending.insert(done.seq, done);
        while let Some(d) = self.pending.remove(&self.next) {
            self.next += 1;
            if let Err(e) = self.commit(d.records) {
                self.audit_error = Some(e);
                self.halt(stop);
                break;
            }
            if let Err(e) = out.write_all(&d.out) {
                self.write_error = Some(e);
                self.halt(stop);
                break;
            }
            self.total.add(&d.tally);
            for e in &d.errors {
                if self.shown < self.max_errors_shown {
                    self.shown += 1;
                    events(Event::Malformed(e));
                } else {
                    self.not_shown += 1;
                }
            }
            events(Event::Progress {
                bytes: d.end_offset,
                decided: self.total.handled(),
            });
            if d.stop {
                self.stopped_at = d.errors.last().map(|e| e.line);
                self.halt(stop);
                break;
            }
            if let Some(t) = &self.token_tx {
                let _ = t.send(());
            }
        }
        // A reader of a stream (a pipe) sees each decision as soon as its record is decided.
        if self.write_error.is_none()
            && self.pending.is_empty()
            && let Err(e) = out.flush()
        {
            self.write_error = Some(e);
            self.halt(stop);
        }
    }

    /// Record a chunk's decisions and wait until the log has committed them (receipts resolve
    /// in order: the last one's is everyone's).
    fn commit(&self, records: Vec<DecisionRecord>) -> Result<(), AuditError> {
        let Some(log) = self.audit else {
            return Ok(());
        };
        let mut last = None;
        for r in records {
            last = Some(log.submit(r)?);
        }
        last.map_or(Ok(()), |r| r.wait())
    }

    /// Stop the run: workers skip what is left, the reader gets no more tokens.
    fn halt(&mut self, stop: &AtomicBool) {
        stop.store(true, Ordering::Relaxed);
        self.token_tx = None;
    }
}

/// The CSV header (the first line) and the line itself.
fn read_header<R: Read>(input: &mut BufReader<R>) -> Result<(CsvHeader, Vec<u8>), BatchError> {
    let mut line = Vec::new();
    let n = input
        .read_until(b'\n', &mut line)
        .map_err(BatchError::Read)?;
    if n == 0 {
        return Err(BatchError::Header(
            "the file is empty: a CSV input starts with a header row".into(),
        ));
    }
    let header = read_csv_header(&line).map_err(BatchError::Header)?;
    Ok((header, line))
}

/// Where the reader is in the input.
struct Position {
    line: u64,
    offset: u64,
}

/// The reader thread: cut the input into chunks of lines, waiting for a token before each.
/// A chunk ends at `chunk_records` lines, or earlier when no more input is buffered: a stream
/// (a pipe) is decided as it comes, never held back to fill a chunk.
fn read_chunks<R: Read>(
    mut input: BufReader<R>,
    mut at: Position,
    chunk_records: usize,
    chunks: SyncSender<Chunk>,
    tokens: Receiver<()>,
) -> io::Result<()> {
    let mut seq = 0u64;
    loop {
        if tokens.recv().is_err() {
            return Ok(());
        }
        let mut buf = Vec::with_capacity(chunk_records.min(1 << 12) * 256);
        let first_line = at.line;
        let mut n = 0;
        while n < chunk_records {
            let read = input.read_until(b'\n', &mut buf)?;
            if read == 0 {
                break;
            }
            at.offset += read as u64;
            at.line += 1;
            n += 1;
            if input.buffer().is_empty() {
                break;
            }
        }
        if n == 0 {
            return Ok(());
        }
        let chunk = Chunk {
            seq,
            first_line,
            end_offset: at.offset,
            lines: buf,
        };
        seq += 1;
        if chunks.send(chunk).is_err() {
            return Ok(());
        }
    }
}

/// A worker: handle chunks until the reader is done.
fn work<J: Job>(
    job: &J,
    cfg: &Config,
    (header, audit_prefix): (Option<&CsvHeader>, &[u8]),
    input_name: &str,
    chunks: &Mutex<Receiver<Chunk>>,
    done: SyncSender<Done<J::Counts>>,
    stop: &AtomicBool,
) {
    let mut worker = job.worker(Arc::from(input_name));
    let mut parser = LineParser::new(header);
    loop {
        let chunk = match chunks.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok(chunk) = chunk else { return };
        let mut result = Done {
            seq: chunk.seq,
            end_offset: chunk.end_offset,
            out: Vec::new(),
            tally: job.counts(),
            errors: Vec::new(),
            records: Vec::new(),
            stop: false,
        };
        if stop.load(Ordering::Relaxed) {
            if done.send(result).is_err() {
                return;
            }
            continue;
        }
        result.out.reserve(chunk.lines.len());
        for (this, raw) in (chunk.first_line..).zip(chunk.lines.split_inclusive(|b| *b == b'\n')) {
            let Some(rec) = parser.parse(raw) else {
                result.tally.blank_line();
                continue;
            };
            let start = result.out.len();
            let handled = rec
                .map_err(|m| RecordError::new(this, m))
                .and_then(|rec| worker.record(this, rec, &mut result.out, &mut result.tally));
            match handled {
                Ok(()) => {
                    if let Some(a) = &cfg.audit {
                        let decided = result.out.get(start..).unwrap_or_default();
                        result
                            .records
                            .push(audit_record(a, audit_prefix, raw, decided));
                    }
                }
                Err(error) => {
                    result.tally.malformed();
                    result.errors.push(error);
                    if cfg.on_error == OnError::Stop {
                        result.stop = true;
                        break;
                    }
                }
            }
        }
        if done.send(result).is_err() {
            return;
        }
    }
}

/// The audit record of one decision: the line as received (a CSV row after its header line),
/// the decision record as written.
fn audit_record(a: &Audit, prefix: &[u8], raw: &[u8], written: &[u8]) -> DecisionRecord {
    let text = |b: &[u8]| {
        let b = b.strip_suffix(b"\n").unwrap_or(b);
        let b = b.strip_suffix(b"\r").unwrap_or(b);
        String::from_utf8_lossy(b).into_owned()
    };
    let input = if prefix.is_empty() {
        text(raw)
    } else {
        let mut t = String::from_utf8_lossy(prefix).into_owned();
        t.push_str(&text(raw));
        t
    };
    let mut r = DecisionRecord::new(Origin::Batch, input, text(written), &a.pack_digest);
    r.state_id.clone_from(&a.state_id);
    r.list_snapshots.clone_from(&a.list_snapshots);
    r
}
