//! Command-line parsing and dispatch. Results go to stdout, diagnostics to stderr.
//!
//! Exit codes, one rule for every command: 0 success; 1 a file could not be read or written
//! (missing, unreadable, a full disk); 2 usage error; 3 a file was read and is invalid (rule
//! packs, scenarios, lists, malformed records); 4 scenario expectations failed; 5 `diff` found
//! changes. A run that meets several reports the lowest non-zero one ([`combine`]).

mod batch;
mod check;
mod diff;
mod diff_ndjson;
mod diff_stream;
mod eval;
pub(crate) mod explain;
mod import;
mod lists;
mod log;
mod log_replay;
pub(crate) mod lookup;
mod output;
mod screen;
#[cfg(feature = "serve")]
mod serve;
mod test;
mod workload;

use std::ffi::OsString;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use interdict::diagnostic::{Diagnostic, Diagnostics};
use interdict::model::JurisdictionIdx;
use interdict::model::pack::Pack;
use interdict::model::ruleset::RuleSet;
use interdict::model::values::{Date, parse_date};
use interdict::render::diagnostic::DiagnosticText as _;

/// Why a command did not succeed; the exit code comes from this value ([`CliError::code`]).
/// The message has been printed already: commands report as they go, so the error carries
/// only the kind of failure. Ordered by code: [`combine`] keeps the most fundamental.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CliError {
    /// A file could not be read or written (missing, unreadable, a full disk): exit 1.
    Operational,
    /// The command line asks for something impossible: exit 2.
    Usage,
    /// A file was read and is invalid (packs, scenarios, lists, records): exit 3.
    InvalidInput,
    /// Scenario expectations failed: exit 4.
    ExpectationsFailed,
    /// `diff` found changes: exit 5.
    Changed,
}

impl CliError {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            CliError::Operational => 1,
            CliError::Usage => 2,
            CliError::InvalidInput => 3,
            CliError::ExpectationsFailed => 4,
            CliError::Changed => 5,
        }
    }
}

/// What a command returns: success, or the failure that sets the exit code.
pub type CliResult = Result<(), CliError>;

/// The exit code of success.
const EXIT_OK: u8 = 0;

/// The exit-code rule, appended to every command's help.
macro_rules! exit_codes {
    () => {
        "\n\nExit codes: 0 ok; 1 a file cannot be read or written (missing, unreadable, disk full); 2 usage;\n\
3 a file was read and is invalid (packs, scenarios, lists, records); 4 expectations failed;\n\
5 diff found changes. The same rule holds for every command; when several apply, the lowest\n\
non-zero code wins."
    };
}

#[derive(Parser, Debug)]
#[command(
    name = "interdict",
    version,
    about = "A sanctions-policy rules engine: what a designation implies for a payment or a company, with citations",
    long_about = "interdict evaluates transactions and entities against sanctions law encoded as TOML rule packs \
(U.S., EU, UK, Canada), and explains every conclusion down to the rule and its legal source.\n\n\
The default rule packs are embedded; --rules DIR uses others.",
    after_help = concat!("Examples:\n  \
interdict eval tests/scenarios/us/seed-cartels-2025.toml\n  \
interdict eval --format json --jurisdiction us my-scenario.toml\n  \
interdict test                      # run every scenario under tests/scenarios/\n  \
interdict check rules/              # validate rule packs\n  \
interdict explain party acme-holdings --scenario my-scenario.toml\n  \
interdict import ofac-sdn SDN.CSV > sdn.toml\n  \
interdict lookup --list SDN.CSV CJNG   # match a name against a list\n  \
interdict lists add SDN.CSV --list us-ofac-sdn-csv --published 2024-05-03   # keep a list version\n  \
interdict diff my-scenario.toml --designate cjng=us.glomag@2025-02-20\n  \
interdict batch --world world.toml --transactions txs.ndjson --out decisions.ndjson", exit_codes!())
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Evaluate the transactions of scenario files and explain each decision
    #[command(
        after_help = concat!("Examples:\n  interdict eval tests/scenarios/us/seed-cartels-2025.toml\n  interdict eval --as-of 2025-01-31 --trace seed.toml\n  interdict eval --format json a.toml b.toml > decisions.json\n  interdict eval --as-of today my-case.toml", exit_codes!())
    )]
    Eval(eval::EvalArgs),
    /// Run scenario expectations like a test suite (default: tests/scenarios/)
    #[command(
        after_help = concat!("Examples:\n  interdict test\n  interdict test tests/scenarios/us/ my-case.toml", exit_codes!())
    )]
    Test(test::TestArgs),
    /// Validate rule packs: schema, references, citations (default: the embedded packs)
    #[command(
        after_help = concat!("Examples:\n  interdict check\n  interdict check rules/\n  interdict check --error-format json my-pack/\n  interdict check --deep\n  interdict check --deep --add-rules my-pack/ --emit-counterexamples findings/\n\nWithout --deep the packs are loaded and validated; --deep also proves the invariants\nthey declare and looks for conflicts, dead rules and shadowed exceptions (docs/consistency.md).", exit_codes!())
    )]
    Check(check::CheckArgs),
    /// Explain why a party is or is not blocked (the ownership witness)
    #[command(subcommand, after_help = concat!("See `interdict explain party --help` and `interdict explain transaction --help`.", exit_codes!()))]
    Explain(explain::ExplainCommand),
    /// Compare the same transactions under two worlds: which decisions change, and why
    #[command(
        after_help = concat!("Worlds A and B start from the same scenarios and rule packs. Overlays on the command line edit world B:\n  \
--designate PARTY[,PARTY]=PROGRAM[,PROGRAM][@FROM[..UNTIL]]   add designations\n  \
--delist PARTY=PROGRAM@DATE     end designations on DATE (without @DATE: remove them entirely)\n  \
--own 'OWNER>OWNED=SHARE[@FROM[..UNTIL]]'   set a holding (quoted: `>` is a shell redirection)\n  \
--disown 'OWNER>OWNED[@DATE]'   end a holding on DATE (without @DATE: remove it entirely)\n\
Removals apply before additions; overlay files (--overlay-a, --overlay-b) apply first, in the order written.\n\n\
Examples:\n  \
interdict diff seed.toml --designate carteles-unidos=us.sdgt@2025-02-10\n  \
interdict diff seed.toml --overlay-a tests/whatif/kingpin-eo14059-only.toml\n  \
interdict diff seed.toml --as-of-a 2025-02-19          # a past decision against today's law\n  \
interdict diff seed.toml --rules-a old-rules/ --rules-b rules/ --format json\n  \
interdict diff world.toml --transactions payments.ndjson --designate acme=us.sdgt@2025-03-01\n  \
interdict diff world.toml --transactions - --format ndjson --designate acme=us.sdgt@2025-03-01 < payments.ndjson\n\n\
With --transactions only the transactions that change are named (--list-unchanged names the others);\n\
--format ndjson writes one record per change and a summary record with counts by jurisdiction and\n\
from/to disposition. An issue that leaves only an exposure amount or a due date unknown is a warning.", exit_codes!())
    )]
    Diff(Box<diff::DiffArgs>),
    /// Import a sanctions list file as a list document scenarios can load
    #[command(subcommand, after_help = concat!("See `interdict import ofac-sdn --help` and `interdict import list --help`.", exit_codes!()))]
    Import(import::ImportCommand),
    /// The list store: add list files as versioned snapshots, compare them, follow a record
    #[command(subcommand, after_help = concat!("See `interdict lists add --help`, `lists ls`, `lists diff`, `lists history` and `lists add-history`.\n\
The store is one SQLite file: --store PATH, else INTERDICT_STORE, else $XDG_DATA_HOME/interdict/lists.sqlite\n\
or ~/.local/share/interdict/lists.sqlite (docs/lists.md, \"The list store\").", exit_codes!()))]
    Lists(lists::ListsCommand),
    /// Match a name (or an identifier) against a sanctions list, with scores and why
    #[command(
        after_help = concat!("Examples:\n  interdict lookup --list SDN.CSV CJNG\n  interdict lookup --list SDN.CSV \"Cartel de Jalisco Nueva Generation\"\n  interdict lookup --list SDN.CSV --id AD005831\n  interdict lookup --list sdn.toml --threshold 0.85 --format json \"GUZMAN LOERA, Joaquin\"\n\nNo list is embedded: name one with --list (an SDN CSV or a list document from `import`). Names are compared after\nnormalisation (case, diacritics, punctuation, word order, legal-form words); see docs/lists.md.", exit_codes!())
    )]
    Lookup(lookup::LookupArgs),
    /// Screen a name (and identifiers) against every list in the store at once
    #[command(
        after_help = concat!("Examples:\n  interdict lists add SDN.CSV --list us-ofac-sdn && interdict screen \"Usama bin Laden\"\n  interdict screen --id passport:AB123456 --born 1957 \"Joaquin Guzman\"\n  interdict screen --as-of 2024-05-02 --format json \"CJNG\"\n  interdict screen --file un=consolidated.xml \"Al-Qaida\"\n\nOutcomes: match (an exact strong name or an equal identifier), review (token or fuzzy), excluded (an\nidentifier or the year of birth contradicts), discarded (a weak alias alone; shown with --show-discarded).\nA hit is advice to a person, never a block by itself (docs/lists.md, \"Screening across lists\").", exit_codes!())
    )]
    Screen(screen::ScreenArgs),
    /// Decide a file of transactions (NDJSON or CSV) against one world, in parallel (lookbacks)
    #[command(
        after_help = concat!("Examples:\n  interdict batch --world world.toml --transactions txs.ndjson --out decisions.ndjson\n  interdict batch --world world.toml --transactions txs.csv --jobs 2 --on-error stop\n  interdict workload --seed 1 --out target/workload && interdict batch --world target/workload/world.toml --transactions target/workload/transactions.ndjson --out /dev/null\n\nOne compact decision record per transaction, in input order (docs/batch.md). The full explanation of a\ntransaction is `interdict eval`. `--transactions -` reads standard input as a stream (one decision out per\nrecord in). --out is written to a temporary file renamed into place only when the run completes; an --out\nthat is one of the inputs is refused. A malformed record (skipped or stopped at) exits 3.", exit_codes!())
    )]
    Batch(Box<batch::BatchArgs>),
    /// The audit trail: show a recorded decision, replay it under its packs and today's,
    /// prune what no record-keeping period requires
    #[command(
        subcommand,
        after_help = concat!("Examples:\n  interdict log show 0190f5c2-... --audit audit.sqlite\n  interdict log replay 0190f5c2-... --audit audit.sqlite --world world.toml\n  interdict log prune --before 2015-01-01 --audit postgres://interdict@db/audit\n\nThe log is --audit TARGET or $INTERDICT_AUDIT: an SQLite file or a postgres:// URL (docs/audit.md).", exit_codes!())
    )]
    Log(log::LogCommand),
    /// Write the deterministic benchmark workload: a world file and its transactions
    #[command(
        after_help = concat!("Examples:\n  interdict workload --seed 1 --out target/workload\n  interdict workload --seed 7 --entities 10000 --edges 15000 --transactions 100000 --csv --out /tmp/w\n\nIt copies the SDN snapshot of the lists folder (INTERDICT_LISTS_DIR, default ../shared/data/lists) unless --sdn says otherwise.", exit_codes!())
    )]
    Workload(workload::WorkloadArgs),
    /// Serve decisions, screening, party status and what-if comparisons over HTTP
    #[cfg(feature = "serve")]
    #[command(
        after_help = concat!("Examples:\n  interdict serve --world tests/scenarios/us/seed-cartels-2025.toml\n  interdict serve --world world.toml --list SDN.CSV --listen 127.0.0.1:9000 --admin-token-file token\n  curl -s localhost:8080/v1/decisions -d @request.json\n\nListens on loopback unless --listen says otherwise. SIGHUP, POST /v1/admin/reload (with the token) or a\nchanged source file reload the rule packs, world and lists; a reload that fails keeps the state in use.\nSIGTERM or Ctrl-C finish the requests in flight, then stop. The API: docs/service.md, /openapi.json.", exit_codes!())
    )]
    Serve(Box<serve::ServeArgs>),
}

/// Where rule packs come from.
#[derive(Args, Debug, Clone, Default)]
pub struct RuleSource {
    /// Use the rule packs in DIR instead of the embedded ones (repeatable)
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Add the rule packs in DIR to the embedded ones (repeatable)
    #[arg(long = "add-rules", value_name = "DIR")]
    pub add_rules: Vec<PathBuf>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// The formats of a decision report (`eval`, `explain`): one model, three renderings.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    #[default]
    Text,
    Json,
    /// One self-contained HTML page (no network needed to view it)
    Html,
}

/// The layout of text written to standard output: on a terminal, its width and colour
/// (unless `NO_COLOR` is set to anything); to a file or a pipe, a fixed width and no colour.
pub fn text_layout() -> interdict::render::layout::Layout {
    use std::io::IsTerminal as _;
    if !std::io::stdout().is_terminal() {
        return interdict::render::layout::Layout::default();
    }
    interdict::render::layout::Layout {
        width: terminal_width().unwrap_or(interdict::render::layout::FIXED_WIDTH),
        colour: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// The terminal's width: `COLUMNS` when the shell exports it, else what `stty size` says of
/// the controlling terminal.
fn terminal_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return Some(n);
    }
    let tty = std::fs::File::open("/dev/tty").ok()?;
    let out = std::process::Command::new("stty")
        .arg("size")
        .stdin(tty)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    String::from_utf8(out.stdout)
        .ok()?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Write an HTML page, or say why it could not be written.
pub fn emit_html(page: Result<String, interdict::render::html::HtmlError>) -> CliResult {
    match page {
        Ok(html) => {
            emit(&html);
            Ok(())
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(CliError::Operational)
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum ErrorFormat {
    #[default]
    Human,
    Json,
}

/// Parse and run; returns the process exit code.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                CliError::Usage.code()
            } else {
                EXIT_OK
            });
        }
    };
    let result = match cli.command {
        Command::Eval(a) => eval::run(a),
        Command::Test(a) => test::run(a),
        Command::Check(a) => check::run(a),
        Command::Explain(c) => explain::run(c),
        Command::Diff(a) => diff::run(*a),
        Command::Import(c) => import::run(c),
        Command::Lists(c) => lists::run(c),
        Command::Lookup(a) => lookup::run(a),
        Command::Screen(a) => screen::run(a),
        Command::Batch(a) => batch::run(*a),
        Command::Log(c) => log::run(c),
        Command::Workload(a) => workload::run(a),
        #[cfg(feature = "serve")]
        Command::Serve(a) => serve::run(*a),
    };
    ExitCode::from(result.err().map_or(EXIT_OK, CliError::code))
}

/// Load rule packs (the rule set and its reference world) from the chosen source, printing
/// problems.
pub fn load_pack(src: &RuleSource, errfmt: ErrorFormat) -> Result<Pack, CliError> {
    let result = if !src.rules.is_empty() {
        let mut dirs = src.rules.clone();
        dirs.extend(src.add_rules.iter().cloned());
        interdict::scenario::pack::load_dirs(&dirs, false)
    } else if !src.add_rules.is_empty() {
        interdict::scenario::pack::load_dirs(&src.add_rules, true)
    } else {
        interdict::scenario::pack::load_embedded()
    };
    match result {
        Ok((pack, warnings)) => {
            print_diagnostics(&warnings, errfmt);
            Ok(pack)
        }
        Err(d) => {
            print_diagnostics(&d, errfmt);
            eprintln!("error: the rule packs have {} error(s)", d.error_count());
            Err(exit_for(&d))
        }
    }
}

/// The exit code for a failed load: 1 when a file could not be read at all (missing,
/// unreadable), 3 when what was read is invalid. One rule for every command.
pub fn exit_for(d: &Diagnostics) -> CliError {
    if d.iter().any(|x| {
        x.severity == interdict::diagnostic::Severity::Error
            && matches!(
                x.code,
                interdict::diagnostic::Code::Io | interdict::diagnostic::Code::NotFound
            )
    }) {
        CliError::Operational
    } else {
        CliError::InvalidInput
    }
}

/// The exit code of a run that met several outcomes: the most fundamental one, i.e. the
/// lowest code other than 0 (an unreadable file before invalid input before failed
/// expectations before changes).
pub fn combine(a: CliResult, b: CliError) -> CliResult {
    Err(a.err().map_or(b, |a| a.min(b)))
}

pub fn print_diagnostics(d: &Diagnostics, errfmt: ErrorFormat) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for x in d.iter() {
        print_diagnostic(&mut err, x, errfmt);
    }
}

pub fn print_diagnostic(out: &mut impl std::io::Write, d: &Diagnostic, errfmt: ErrorFormat) {
    match errfmt {
        ErrorFormat::Human => {
            let _ = writeln!(out, "{}", d.render());
        }
        ErrorFormat::Json => {
            let _ = writeln!(out, "{}", serde_json::to_string(d).unwrap_or_default());
        }
    }
}

/// Parse a `--as-of` date: YYYY-MM-DD, or `today` (the system clock, UTC). Every command
/// reads it the same way.
pub fn parse_as_of(s: &str) -> Result<Date, interdict::model::values::ValueError> {
    if s.trim() == "today" {
        Ok(explain::today())
    } else {
        parse_date(s)
    }
}

/// Resolve `--jurisdiction` names; unknown names are a usage error with a suggestion.
pub fn jurisdictions(
    rs: &RuleSet,
    names: &[String],
) -> Result<Option<Vec<JurisdictionIdx>>, CliError> {
    if names.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for n in names {
        match rs.jurisdiction_by_id(n) {
            Some(j) => out.push(j),
            None => {
                let known: Vec<&str> = rs.jurisdictions.iter().map(|j| j.id.as_str()).collect();
                let help = interdict::diagnostic::did_you_mean(n, known.iter().copied())
                    .unwrap_or_else(|| format!("known jurisdictions: {}", known.join(", ")));
                eprintln!("error: unknown jurisdiction `{n}`: {help}");
                return Err(CliError::Usage);
            }
        }
    }
    Ok(Some(out))
}

/// Write to stdout, ignoring a closed pipe.
pub fn emit(text: &str) {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
