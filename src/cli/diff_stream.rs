//! `interdict diff --transactions FILE` (NDJSON output): the comparison in one streaming pass
//! on every core.
//!
//! The records go through the batch pipeline (`interdict::batch::run_job`: a reader cutting
//! chunks, workers, an in-order writer, a bounded number of chunks in flight); each worker
//! lowers a record against both worlds and compares its decisions with a shared
//! `whatif::PairDiffer`, which lets world B decide only transactions whose parties the change
//! reaches. Changed decisions are written as NDJSON in input order; the summary record comes
//! last. Memory depends on the chunks in flight and the worlds, never on the number of
//! transactions: what is kept across chunks is counts, the distinct evaluation dates (for the
//! parties' statuses) and the first issues to print.

use std::collections::BTreeSet;
use std::io::{IsTerminal as _, Read};
use std::sync::Arc;

use super::ErrorFormat;
use super::diff_ndjson::{ChangeRecord, Summary, count};
use super::{CliError, CliResult};
use interdict::batch::input::{Resolver, TxRecord, blank_transaction};
use interdict::batch::{BatchError, Config, Counts, Event, InputFormat, Job, RecordError};
use interdict::model::world::Transaction;
use interdict::whatif::compare::EvalIssue;
use interdict::whatif::parties::DatePair;
use interdict::whatif::{PairDiffer, PairScratch, Side};

/// Evaluation issues printed at most (all are counted).
const SHOWN: usize = 100;

/// The input of a streaming diff.
pub struct Input {
    pub reader: Box<dyn Read + Send>,
    pub name: String,
    pub format: InputFormat,
    /// Bytes, for the progress bar (0 when unknown).
    pub size: u64,
}

/// Compare every record of `input` under the two sides (their `transactions` are ignored),
/// writing NDJSON to stdout. Returns the exit code.
pub fn run(
    a: &Side,
    b: &Side,
    extra: Option<DatePair>,
    input: Input,
    scenario: &str,
    errfmt: ErrorFormat,
) -> CliResult {
    let differ = PairDiffer::new(a, b);
    let job = DiffJob {
        differ: &differ,
        scenario,
        same_lowering: differ.reach().is_some(),
    };
    let cfg = Config::new(input.format);
    let name = input.name.as_str();
    let bar = std::io::stderr()
        .is_terminal()
        .then(|| super::batch::progress_bar(input.size));
    let mut on_event = |e: Event| match e {
        Event::Malformed(err) => {
            let print = || {
                for d in err.diagnostics(name) {
                    super::print_diagnostic(&mut std::io::stderr(), &d, errfmt);
                }
            };
            match &bar {
                Some(b) => b.suspend(print),
                None => print(),
            }
        }
        Event::Progress { bytes, decided } => {
            if let Some(b) = &bar {
                b.set_position(bytes);
                b.set_message(format!("{decided} compared"));
            }
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = interdict::batch::run_job(&job, input.reader, name, &mut out, &cfg, &mut on_event);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let mut counts = match result {
        Ok((counts, _)) => counts,
        Err(e) => return Err(failed(&e, name)),
    };
    counts.dates.extend(extra);
    finish(counts, &differ, &mut out, name, errfmt)
}

fn failed(e: &BatchError, name: &str) -> CliError {
    match e {
        BatchError::Read(e) => {
            eprintln!("error: cannot read {name}: {e}");
            CliError::Operational
        }
        BatchError::Write(e) => {
            eprintln!("error: cannot write standard output: {e}");
            CliError::Operational
        }
        // A diff records nothing in an audit log; the arm is here for the type's sake.
        BatchError::Audit(e) => {
            eprintln!("error: the audit log failed: {e}");
            CliError::Operational
        }
        BatchError::Header(m) => {
            for d in RecordError::new(1, m.clone()).diagnostics(name) {
                super::print_diagnostic(&mut std::io::stderr(), &d, ErrorFormat::Human);
            }
            CliError::InvalidInput
        }
    }
}

/// What a stream counts: the summary's figures, the dates the worlds were read at, and the
/// first issues (in input order) to print.
struct DiffCounts {
    sum: Summary,
    malformed: usize,
    blank_lines: u64,
    /// Transactions world B decided (the others keep world A's decision).
    decided_twice: usize,
    dates: BTreeSet<DatePair>,
    shown: Vec<EvalIssue>,
    /// An issue left a disposition open (an error of the run).
    open_issues: bool,
}

impl DiffCounts {
    fn new() -> DiffCounts {
        DiffCounts {
            sum: Summary {
                record: "summary",
                ..Summary::default()
            },
            malformed: 0,
            blank_lines: 0,
            decided_twice: 0,
            dates: BTreeSet::new(),
            shown: Vec::new(),
            open_issues: false,
        }
    }
}

impl Counts for DiffCounts {
    fn add(&mut self, o: &Self) {
        let (s, t) = (&mut self.sum, &o.sum);
        s.compared += t.compared;
        s.changed += t.changed;
        s.issues += t.issues;
        for (k, n) in &t.overall {
            *s.overall.entry(k.clone()).or_default() += n;
        }
        for (j, m) in &t.by_jurisdiction {
            let row = s.by_jurisdiction.entry(j.clone()).or_default();
            for (k, n) in m {
                *row.entry(k.clone()).or_default() += n;
            }
        }
        self.malformed += o.malformed;
        self.blank_lines += o.blank_lines;
        self.decided_twice += o.decided_twice;
        self.dates.extend(o.dates.iter().copied());
        let room = SHOWN.saturating_sub(self.shown.len());
        self.shown.extend(o.shown.iter().take(room).cloned());
        self.open_issues |= o.open_issues;
    }
    fn malformed(&mut self) {
        self.malformed += 1;
    }
    fn blank_line(&mut self) {
        self.blank_lines += 1;
    }
    fn handled(&self) -> u64 {
        self.sum.compared as u64
    }
}

struct DiffJob<'d> {
    differ: &'d PairDiffer<'d>,
    scenario: &'d str,
    /// Both worlds resolve a record alike (same packs and parties): lowered once.
    same_lowering: bool,
}

struct DiffWorker<'d> {
    differ: &'d PairDiffer<'d>,
    scenario: &'d str,
    resolvers: (Resolver<'d>, Option<Resolver<'d>>),
    file: Arc<str>,
    txs: (Transaction, Transaction),
    scratch: PairScratch,
}

impl<'d> Job for DiffJob<'d> {
    type Counts = DiffCounts;
    type Worker = DiffWorker<'d>;
    fn worker(&self, file: Arc<str>) -> DiffWorker<'d> {
        let (a, b) = self.differ.sides();
        let resolver_b =
            (!self.same_lowering).then(|| Resolver::new(b.engine.rules(), b.engine.world()));
        DiffWorker {
            differ: self.differ,
            scenario: self.scenario,
            resolvers: (
                Resolver::new(a.engine.rules(), a.engine.world()),
                resolver_b,
            ),
            file,
            txs: (blank_transaction(), blank_transaction()),
            scratch: PairScratch::default(),
        }
    }
    fn counts(&self) -> DiffCounts {
        DiffCounts::new()
    }
}

impl interdict::batch::RecordWorker for DiffWorker<'_> {
    type Counts = DiffCounts;
    fn record(
        &mut self,
        line: u64,
        rec: TxRecord<'_>,
        out: &mut Vec<u8>,
        c: &mut DiffCounts,
    ) -> Result<(), RecordError> {
        let (ta, tb) = &mut self.txs;
        self.resolvers.0.lower_into(&rec, line, &self.file, ta)?;
        if let Some(rb) = &self.resolvers.1 {
            rb.lower_into(&rec, line, &self.file, tb)?;
        }
        let tb = if self.resolvers.1.is_some() {
            &*tb
        } else {
            &*ta
        };
        let r = self.differ.pair(&mut self.scratch, ta, tb);
        c.sum.compared += 1;
        c.decided_twice += usize::from(r.decided_twice);
        c.dates.insert(r.evaluated);
        c.sum.issues += r.issues.len();
        for i in r.issues {
            c.open_issues |= i.leaves_disposition_open;
            if c.shown.len() < SHOWN {
                c.shown.push(i);
            }
        }
        if let Some(change) = &r.change {
            count(&mut c.sum, change);
            let rec = ChangeRecord {
                record: "change",
                scenario: self.scenario,
                change,
            };
            if serde_json::to_writer(&mut *out, &rec).is_ok() {
                out.push(b'\n');
            }
        }
        Ok(())
    }
}

/// Print the issues kept, write the summary record and return the exit code.
fn finish(
    mut c: DiffCounts,
    differ: &PairDiffer,
    out: &mut impl std::io::Write,
    name: &str,
    errfmt: ErrorFormat,
) -> CliResult {
    for i in &c.shown {
        super::diff::report_issue(i, errfmt);
    }
    if c.sum.issues > c.shown.len() {
        eprintln!(
            "note: {} more evaluation issue(s) not shown",
            c.sum.issues - c.shown.len()
        );
    }
    c.sum.unchanged = c.sum.compared.saturating_sub(c.sum.changed);
    c.sum.parties_changed = differ.party_change_count(&c.dates);
    c.sum.malformed = c.malformed;
    c.sum.decided_twice = Some(c.decided_twice);
    let line = serde_json::to_string(&c.sum).unwrap_or_default();
    if let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush()) {
        eprintln!("error: cannot write standard output: {e}");
        return Err(CliError::Operational);
    }
    if c.malformed > 0 {
        eprintln!(
            "error: {name} has {} malformed record(s); they were not compared",
            c.malformed
        );
        Err(CliError::InvalidInput)
    } else if c.open_issues {
        Err(CliError::InvalidInput)
    } else if c.sum.changed > 0 || c.sum.parties_changed > 0 {
        Err(CliError::Changed)
    } else {
        Ok(())
    }
}
