//! `interdict diff --transactions FILE --format ndjson`: the comparison in one streaming pass.
//!
//! The records are read a chunk at a time (as `batch` reads them: one line, one record),
//! lowered against both worlds, compared with `whatif::compare`, and each chunk's changed
//! decisions written as NDJSON before the next chunk is read. Memory depends on the chunk and
//! the worlds, never on the number of transactions; the summary record comes last.

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader, IsTerminal as _, Read, Write as _};
use std::sync::Arc;

use super::ErrorFormat;
use super::diff_ndjson::{ChangeRecord, Summary, count};
use super::{CliError, CliResult};
use interdict::batch::InputFormat;
use interdict::batch::input::{
    CsvHeader, LineParser, RecordError, Resolver, blank_transaction, read_csv_header,
};
use interdict::model::world::Transaction;
use interdict::whatif::parties::DatePair;
use interdict::whatif::{self, Side};

/// Records per comparison: large enough that the per-chunk setup of a comparison is noise.
const CHUNK: usize = 8192;
/// Messages of malformed records printed at most (all are counted).
const SHOWN: usize = 100;

/// The input of a streaming diff.
pub struct Input {
    pub reader: Box<dyn Read>,
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
    let mut reader = BufReader::with_capacity(1 << 20, input.reader);
    let name = input.name.as_str();
    let header = read_header(&mut reader, name, input.format, errfmt)?;
    let mut state = State {
        parser: LineParser::new(header.as_ref()),
        resolvers: (
            Resolver::new(a.engine.rules(), a.engine.world()),
            Resolver::new(b.engine.rules(), b.engine.world()),
        ),
        file: Arc::from(name),
        line: if header.is_some() { 2 } else { 1 },
        malformed: 0,
        open_issues: false,
        parties: BTreeSet::new(),
        sum: Summary {
            record: "summary",
            ..Summary::default()
        },
    };
    let bar = std::io::stderr()
        .is_terminal()
        .then(|| super::batch::progress_bar(input.size));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut raw = Vec::new();
    let mut extra = extra;
    loop {
        let (mut txs_a, mut txs_b) = (Vec::with_capacity(CHUNK), Vec::with_capacity(CHUNK));
        let mut read = 0u64;
        while txs_a.len() < CHUNK {
            raw.clear();
            match reader.read_until(b'\n', &mut raw) {
                Ok(0) => break,
                Ok(n) => read += n as u64,
                Err(e) => {
                    eprintln!("error: cannot read {name}: {e}");
                    return Err(CliError::Operational);
                }
            }
            state.take(&raw, &mut txs_a, &mut txs_b, errfmt, name);
        }
        if read == 0 {
            break;
        }
        let side_a = Side {
            engine: a.engine,
            transactions: &txs_a,
            options: a.options.clone(),
        };
        let side_b = Side {
            engine: b.engine,
            transactions: &txs_b,
            options: b.options.clone(),
        };
        let c = whatif::compare(&side_a, &side_b, extra.take());
        let text = state.record(&c, scenario, errfmt);
        if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            eprintln!("error: cannot write standard output: {e}");
            return Err(CliError::Operational);
        }
        if let Some(bar) = &bar {
            bar.inc(read);
            bar.set_message(format!("{} compared", state.sum.compared));
        }
    }
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    state.finish(&mut out, name)
}

/// The CSV header (the first line) of a CSV input; `None` for NDJSON.
fn read_header(
    reader: &mut BufReader<Box<dyn Read>>,
    name: &str,
    format: InputFormat,
    errfmt: ErrorFormat,
) -> Result<Option<CsvHeader>, CliError> {
    Ok(match format {
        InputFormat::Ndjson => None,
        InputFormat::Csv => {
            let mut first = Vec::new();
            if let Err(e) = reader.read_until(b'\n', &mut first) {
                eprintln!("error: cannot read {name}: {e}");
                return Err(CliError::Operational);
            }
            match read_csv_header(&first) {
                Ok(h) => Some(h),
                Err(m) => {
                    for d in RecordError::new(1, m).diagnostics(name) {
                        super::print_diagnostic(&mut std::io::stderr(), &d, errfmt);
                    }
                    return Err(CliError::InvalidInput);
                }
            }
        }
    })
}

struct State<'h, 'w> {
    parser: LineParser<'h>,
    resolvers: (Resolver<'w>, Resolver<'w>),
    file: Arc<str>,
    line: u64,
    malformed: usize,
    open_issues: bool,
    /// Parties whose status differs (jurisdiction, party): bounded by the worlds.
    parties: BTreeSet<(String, String)>,
    sum: Summary,
}

impl State<'_, '_> {
    /// Count one chunk's comparison into the summary and return its change records.
    fn record(&mut self, c: &whatif::Comparison, scenario: &str, errfmt: ErrorFormat) -> String {
        let mut text = String::new();
        for change in &c.changed {
            count(&mut self.sum, change);
            let rec = ChangeRecord {
                record: "change",
                scenario,
                change,
            };
            text.push_str(&serde_json::to_string(&rec).unwrap_or_default());
            text.push('\n');
        }
        self.sum.compared += c.compared;
        self.sum.issues += c.issues.len();
        for p in &c.parties {
            self.parties
                .insert((p.jurisdiction.clone(), p.party.clone()));
        }
        for i in &c.issues {
            self.open_issues |= super::diff::report_issue(i, errfmt);
        }
        text
    }

    /// Lower one line against both worlds; a malformed record is reported and counted.
    fn take(
        &mut self,
        raw: &[u8],
        txs_a: &mut Vec<Transaction>,
        txs_b: &mut Vec<Transaction>,
        errfmt: ErrorFormat,
        name: &str,
    ) {
        let line = self.line;
        self.line += 1;
        let Some(rec) = self.parser.parse(raw) else {
            return;
        };
        let (mut ta, mut tb) = (blank_transaction(), blank_transaction());
        let lowered = rec.map_err(|m| RecordError::new(line, m)).and_then(|r| {
            self.resolvers.0.lower_into(&r, line, &self.file, &mut ta)?;
            self.resolvers.1.lower_into(&r, line, &self.file, &mut tb)
        });
        match lowered {
            Ok(()) => {
                txs_a.push(ta);
                txs_b.push(tb);
            }
            Err(e) => {
                self.malformed += 1;
                if self.malformed <= SHOWN {
                    for d in e.diagnostics(name) {
                        super::print_diagnostic(&mut std::io::stderr(), &d, errfmt);
                    }
                }
            }
        }
    }

    /// Write the summary record and return the exit code.
    fn finish(mut self, out: &mut impl std::io::Write, name: &str) -> CliResult {
        self.sum.unchanged = self.sum.compared.saturating_sub(self.sum.changed);
        self.sum.parties_changed = self.parties.len();
        self.sum.malformed = self.malformed;
        let line = serde_json::to_string(&self.sum).unwrap_or_default();
        if let Err(e) = writeln!(out, "{line}").and_then(|()| out.flush()) {
            eprintln!("error: cannot write standard output: {e}");
            return Err(CliError::Operational);
        }
        if self.malformed > 0 {
            eprintln!(
                "error: {name} has {} malformed record(s); they were not compared",
                self.malformed
            );
            Err(CliError::InvalidInput)
        } else if self.open_issues {
            Err(CliError::InvalidInput)
        } else if self.sum.changed > 0 || self.sum.parties_changed > 0 {
            Err(CliError::Changed)
        } else {
            Ok(())
        }
    }
}
