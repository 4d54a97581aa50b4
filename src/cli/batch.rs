//! `interdict batch`: decide a file of transactions against one world (lookbacks).

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};

use super::output::Output;
use super::{CliError, CliResult};
use super::{ErrorFormat, RuleSource, load_pack, print_diagnostic, print_diagnostics};
use interdict::batch::{self, BatchError, Config, Event, InputFormat, OnError};
use interdict::diagnostic::{Code, Diagnostic};
use interdict::eval::EvalOptions;
use interdict::source::{Loc, io_diagnostic};

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    Ndjson,
    Csv,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum OnErrorArg {
    /// Report and count the malformed record, go on
    #[default]
    Skip,
    /// Report it and stop (the decisions before it are written)
    Stop,
}

#[derive(Args, Debug)]
pub struct BatchArgs {
    /// The world: a scenario file whose parties, designations, edges, lists, exchange rates and
    /// specific licenses are used (its own transactions are not evaluated)
    #[arg(long, value_name = "WORLD.toml")]
    pub world: PathBuf,
    /// The transactions: NDJSON (one object per line) or CSV with a header row
    #[arg(long, value_name = "FILE")]
    pub transactions: PathBuf,
    /// Worker threads (default: every core)
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Write the decision records here (default: stdout)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Evaluate as the law and the lists stood on this date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = super::parse_as_of)]
    pub as_of: Option<interdict::model::values::Date>,
    /// Input format (default: from the file extension, .csv or .ndjson/.jsonl)
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormatArg>,
    /// What to do with a malformed record
    #[arg(long, value_enum, default_value_t = OnErrorArg::Skip)]
    pub on_error: OnErrorArg,
    /// Only these jurisdictions (repeatable), e.g. --jurisdiction us
    #[arg(long = "jurisdiction", value_name = "J")]
    pub jurisdictions: Vec<String>,
    /// No progress bar, even on a terminal
    #[arg(long)]
    pub quiet: bool,
    /// Record every decision in this audit log (an SQLite file, or a postgres:// URL); a
    /// decision is printed only once the log has committed it
    #[arg(long, value_name = "TARGET")]
    pub audit: Option<String>,
    #[command(flatten)]
    pub source: RuleSource,
    /// Format of diagnostics on stderr
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
}

/// The format of a transactions file: as given, or from its extension.
pub fn input_format(
    given: Option<InputFormatArg>,
    path: &std::path::Path,
) -> Result<InputFormat, CliError> {
    match given {
        Some(InputFormatArg::Ndjson) => Ok(InputFormat::Ndjson),
        Some(InputFormatArg::Csv) => Ok(InputFormat::Csv),
        None => InputFormat::from_path(path).ok_or_else(|| {
            eprintln!(
                "error: cannot tell the format of `{}` from its extension: give --input-format ndjson or csv",
                path.display()
            );
            CliError::Usage
        }),
    }
}

/// The world the records are decided in, its warnings printed; its own transactions are not
/// evaluated (a note says so).
fn load_world(
    a: &BatchArgs,
    pack: &interdict::model::pack::Pack,
    name: &str,
) -> Result<batch::LoadedWorld, CliError> {
    let world = match batch::load_world(&a.world, pack) {
        Ok(w) => w,
        Err(d) => {
            print_diagnostics(&d, a.error_format);
            eprintln!(
                "error: {} has {} error(s)",
                a.world.display(),
                d.error_count()
            );
            return Err(super::exit_for(&d));
        }
    };
    for w in &world.scenario.warnings {
        print_diagnostic(&mut std::io::stderr(), w, a.error_format);
    }
    if !world.scenario.transactions.is_empty() {
        eprintln!(
            "note: the {} transaction(s) of {} are not evaluated: batch decides the records of {name}",
            world.scenario.transactions.len(),
            a.world.display(),
        );
    }
    Ok(world)
}

/// The transactions to read (a file, or standard input with `-`) and their size in bytes
/// (0 when unknown), for the progress bar.
fn open_transactions(
    a: &BatchArgs,
    stdin: bool,
) -> Result<(Box<dyn std::io::Read + Send>, u64), CliError> {
    Ok(if stdin {
        (Box::new(std::io::stdin()), 0)
    } else {
        match std::fs::File::open(&a.transactions) {
            Ok(f) => {
                let size = f.metadata().map(|m| m.len()).unwrap_or(0);
                (Box::new(f), size)
            }
            Err(e) => {
                let d = io_diagnostic(&a.transactions, "the transactions", &e);
                print_diagnostic(&mut std::io::stderr(), &d, a.error_format);
                return Err(CliError::Operational);
            }
        }
    })
}

pub fn run(a: BatchArgs) -> CliResult {
    let pack = load_pack(&a.source, a.error_format)?;
    let rules = &pack.rules;
    let jurisdictions = super::jurisdictions(rules, &a.jurisdictions)?;
    let stdin = a.transactions == std::path::Path::new("-");
    let format = match (stdin, a.input_format) {
        (true, None) => InputFormat::Ndjson,
        _ => input_format(a.input_format, &a.transactions)?,
    };
    if a.jobs == Some(0) {
        eprintln!("error: --jobs must be at least 1");
        return Err(CliError::Usage);
    }
    let out = open_output(&a)?;

    let name = if stdin {
        "<stdin>".to_string()
    } else {
        a.transactions.display().to_string()
    };
    let loading = Instant::now();
    let world = load_world(&a, &pack, &name)?;
    let engine = &world.engine;
    eprintln!(
        "batch: world {} loaded in {:.2} s ({} parties, {} designations, {} ownership and {} control edges)",
        a.world.display(),
        loading.elapsed().as_secs_f64(),
        engine.world().parties.len(),
        engine.world().designations.len(),
        engine.world().ownership.len(),
        engine.world().control.len()
    );
    let (input, size) = open_transactions(&a, stdin)?;

    let mut cfg = config(&a, format, &world, jurisdictions.clone());
    cfg.audit = a
        .audit
        .as_ref()
        .map(|t| open_audit(t, &a.world, &pack))
        .transpose()?;
    let bar = (!a.quiet && !stdin && std::io::stderr().is_terminal()).then(|| progress_bar(size));
    let errfmt = a.error_format;
    let mut on_event = |e: Event| match e {
        Event::Malformed(err) => {
            let print = || {
                for d in err.diagnostics(&name) {
                    print_diagnostic(&mut std::io::stderr(), &d, errfmt);
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
                b.set_message(format!("{decided} decisions"));
            }
        }
    };
    let mut out = out;
    let result = batch::run(engine, input, &name, &mut out, &cfg, &mut on_event);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let result = close_audit(cfg.audit.take(), result);
    finish(
        result,
        out,
        &name,
        engine.rules(),
        jurisdictions.as_deref(),
        errfmt,
    )
}

/// How the pipeline runs: the options given, the world's as-of date unless one is given.
fn config(
    a: &BatchArgs,
    format: InputFormat,
    world: &batch::LoadedWorld,
    jurisdictions: Option<Vec<interdict::model::JurisdictionIdx>>,
) -> Config {
    let mut cfg = Config::new(format);
    if let Some(n) = a.jobs {
        cfg.jobs = n;
    }
    cfg.on_error = match a.on_error {
        OnErrorArg::Skip => OnError::Skip,
        OnErrorArg::Stop => OnError::Stop,
    };
    cfg.opts = EvalOptions {
        trace: false,
        as_of: a.as_of.or(world.scenario.as_of),
        evaluated_on: world.scenario.evaluated_on,
        jurisdictions,
    };
    cfg
}

/// Report how the run ended and put its output in place, or not: only a run that read its
/// whole input replaces the output file.
fn finish(
    result: Result<batch::Summary, BatchError>,
    out: Output,
    name: &str,
    rules: &interdict::model::ruleset::RuleSet,
    jurisdictions: Option<&[interdict::model::JurisdictionIdx]>,
    errfmt: ErrorFormat,
) -> CliResult {
    let out_name = out.name();
    match result {
        Ok(summary) => {
            eprint!(
                "{}",
                interdict::render::batch::summary(&summary, rules, jurisdictions)
            );
            if let Some(line) = summary.stopped_at {
                match out.keep_partial() {
                    Some(p) => eprintln!(
                        "error: stopped at line {line} of {name}: {out_name} was not written; the decisions before that line are in {}",
                        p.display()
                    ),
                    None => eprintln!(
                        "error: stopped at line {line} of {name}: the output holds only the decisions before that line"
                    ),
                }
                return Err(CliError::InvalidInput);
            }
            if let Err(m) = out.commit() {
                eprintln!("error: {m}");
                return Err(CliError::Operational);
            }
            if summary.tally.skipped > 0 {
                eprintln!(
                    "error: {} malformed record(s) in {name} were not decided (exit code 3)",
                    summary.tally.skipped
                );
                Err(CliError::InvalidInput)
            } else {
                Ok(())
            }
        }
        Err(BatchError::Header(m)) => {
            let loc = Loc {
                line: 1,
                column: 1,
                ..Loc::file(name.to_string())
            };
            let d = Diagnostic::error(Code::InvalidValue, &loc, m);
            print_diagnostic(&mut std::io::stderr(), &d, errfmt);
            Err(CliError::InvalidInput)
        }
        Err(BatchError::Read(e)) => {
            eprintln!("error: cannot read {name}: {e}; {out_name} was not written");
            Err(CliError::Operational)
        }
        Err(BatchError::Write(e)) => {
            eprintln!("error: cannot write {out_name}: {e}");
            Err(CliError::Operational)
        }
        Err(BatchError::Audit(e)) => {
            eprintln!("error: {e}; {out_name} was not written");
            Err(CliError::Operational)
        }
    }
}

/// The output, refused before anything is read when it is an input (it would destroy it).
fn open_output(a: &BatchArgs) -> Result<Output, CliError> {
    let mut inputs = vec![a.world.as_path(), a.transactions.as_path()];
    inputs.extend(a.source.rules.iter().map(PathBuf::as_path));
    inputs.extend(a.source.add_rules.iter().map(PathBuf::as_path));
    Output::open(a.out.as_deref(), &inputs).map_err(|(code, m)| {
        eprintln!("error: {m}");
        code
    })
}

/// Close the run's audit log (committing what is left); a failure fails a run that succeeded.
fn close_audit(
    audit: Option<batch::Audit>,
    result: Result<batch::Summary, BatchError>,
) -> Result<batch::Summary, BatchError> {
    let Some(a) = audit else {
        return result;
    };
    let target = a.log.target().to_string();
    match a.log.close() {
        Err(e) if result.is_ok() => Err(BatchError::Audit(e)),
        Ok(()) if result.is_ok() => {
            eprintln!("audit: every decision printed is recorded in {target}");
            result
        }
        _ => result,
    }
}

/// The audit log of a run: its records name the packs by digest and the world by the digest
/// of the world file (which `log replay` asks for).
fn open_audit(
    target: &str,
    world: &std::path::Path,
    pack: &interdict::model::pack::Pack,
) -> Result<batch::Audit, CliError> {
    let log = super::log::open_log(target)?;
    let state_id = match std::fs::read(world) {
        Ok(bytes) => Some(super::log::world_state_id(&bytes)),
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", world.display());
            return Err(CliError::Operational);
        }
    };
    Ok(batch::Audit {
        log,
        pack_digest: pack.digest.to_string(),
        state_id,
        list_snapshots: super::log::file_lists(world),
    })
}

pub(super) fn progress_bar(size: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(size);
    let style = indicatif::ProgressStyle::with_template(
        "{elapsed_precise} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, ETA {eta}) {msg}",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}
