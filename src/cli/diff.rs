//! `interdict diff`: the same transactions under two worlds, and only what changes.
//!
//! World A and world B start from the same scenario files and rule packs. They differ by rule
//! packs (`--rules-a`, `--rules-b`, `--add-rules-a`, `--add-rules-b`), by overlay files
//! (`--overlay-a`, `--overlay-b`), by overlays on the command line (they edit world B), or by
//! the date each is read at (`--as-of-a`, `--as-of-b`).

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use super::{CliError, CliResult};
use super::{ErrorFormat, RuleSource, emit, load_pack, print_diagnostics};
use interdict::diagnostic::Diagnostics;
use interdict::eval::{Engine, EvalOptions};
use interdict::model::JurisdictionIdx;
use interdict::model::pack::Pack;
use interdict::model::values::Date;
use interdict::scenario::Scenario;
use interdict::whatif::overlay::{Flag, Overlay};
use interdict::whatif::parties::DatePair;
use interdict::whatif::{self, DiffReport, ScenarioDiff, Side, WorldSpec};

#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum DiffFormat {
    #[default]
    Text,
    Json,
    Ndjson,
    /// One self-contained HTML page
    Html,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Scenario files whose transactions are compared (with --transactions: the worlds only)
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Compare the transactions of this batch file (NDJSON or CSV, as for `interdict batch`;
    /// `-` is standard input) instead of the scenarios' own
    #[arg(long, value_name = "FILE")]
    pub transactions: Option<PathBuf>,
    /// Format of --transactions (default: from the file extension, .csv or .ndjson/.jsonl)
    #[arg(long, value_enum, value_name = "FORMAT", requires = "transactions")]
    pub input_format: Option<super::batch::InputFormatArg>,
    #[command(flatten)]
    pub source: RuleSource,
    /// World A uses the rule packs in DIR (instead of --rules or the embedded ones; repeatable)
    #[arg(long = "rules-a", value_name = "DIR")]
    pub rules_a: Vec<PathBuf>,
    /// World B uses the rule packs in DIR (instead of --rules or the embedded ones; repeatable)
    #[arg(long = "rules-b", value_name = "DIR")]
    pub rules_b: Vec<PathBuf>,
    /// World A adds the rule packs in DIR, e.g. an imported list (repeatable)
    #[arg(long = "add-rules-a", value_name = "DIR")]
    pub add_rules_a: Vec<PathBuf>,
    /// World B adds the rule packs in DIR, e.g. an updated list (repeatable)
    #[arg(long = "add-rules-b", value_name = "DIR")]
    pub add_rules_b: Vec<PathBuf>,
    /// Apply the overlay FILE to world A (repeatable, in order)
    #[arg(long = "overlay-a", value_name = "FILE")]
    pub overlay_a: Vec<PathBuf>,
    /// Apply the overlay FILE to world B (repeatable, in order)
    #[arg(long = "overlay-b", visible_alias = "overlay", value_name = "FILE")]
    pub overlay_b: Vec<PathBuf>,
    /// World B: add designations, e.g. cjng=us.fto@2025-02-20 or a,b=us.sdgt@2025-02-20..2025-06-01
    #[arg(long = "designate", value_name = "PARTY=PROGRAM[@DATE]")]
    pub designate: Vec<String>,
    /// World B: end designations on DATE, or without a date remove them entirely
    #[arg(
        long = "delist",
        visible_alias = "undesignate",
        value_name = "PARTY=PROGRAM[@DATE]"
    )]
    pub delist: Vec<String>,
    /// World B: set a holding, e.g. 'cjng>acme=50@2025-01-01' (quote it: `>` is a shell redirection)
    #[arg(long = "own", value_name = "OWNER>OWNED=SHARE[@DATE]")]
    pub own: Vec<String>,
    /// World B: end a holding on DATE, or without a date remove it entirely
    #[arg(long = "disown", value_name = "OWNER>OWNED[@DATE]")]
    pub disown: Vec<String>,
    /// Read both worlds as the law and the lists stood on DATE (YYYY-MM-DD or `today`)
    #[arg(long, value_name = "DATE", value_parser = parse_when)]
    pub as_of: Option<Date>,
    /// Read world A as of DATE (a past decision)
    #[arg(long, value_name = "DATE", value_parser = parse_when)]
    pub as_of_a: Option<Date>,
    /// Read world B as of DATE
    #[arg(long, value_name = "DATE", value_parser = parse_when)]
    pub as_of_b: Option<Date>,
    /// Only these jurisdictions (repeatable), e.g. --jurisdiction us
    #[arg(long = "jurisdiction", value_name = "J")]
    pub jurisdictions: Vec<String>,
    /// Output format: text, one JSON report, or NDJSON (one record per changed transaction,
    /// then a summary record; the default with --transactions, streamed on every core)
    #[arg(long, value_enum)]
    pub format: Option<DiffFormat>,
    /// Name only the transactions that change (the default with --transactions)
    #[arg(long, conflicts_with = "list_unchanged")]
    pub changed_only: bool,
    /// Also list the ids of the transactions that do not change
    #[arg(long)]
    pub list_unchanged: bool,
    /// Format of diagnostics on stderr
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
}

fn parse_when(s: &str) -> Result<Date, interdict::model::values::ValueError> {
    super::parse_as_of(s)
}

/// The rule packs of one side: `--rules-X` (else `--rules`, else embedded), then the
/// `--add-rules` and `--add-rules-X` directories.
fn side_source(common: &RuleSource, rules: &[PathBuf], add: &[PathBuf]) -> RuleSource {
    RuleSource {
        rules: if rules.is_empty() {
            common.rules.clone()
        } else {
            rules.to_vec()
        },
        add_rules: common.add_rules.iter().chain(add).cloned().collect(),
    }
}

fn describe(src: &RuleSource) -> Vec<String> {
    let mut v: Vec<String> = if src.rules.is_empty() {
        vec!["embedded".into()]
    } else {
        src.rules.iter().map(|p| p.display().to_string()).collect()
    };
    v.extend(src.add_rules.iter().map(|p| p.display().to_string()));
    v
}

fn same_source(a: &RuleSource, b: &RuleSource) -> bool {
    a.rules == b.rules && a.add_rules == b.add_rules
}

/// Overlay files, then the command-line edits: removals before additions, so that
/// `--delist x=p --designate x=p@DATE` moves a designation's date.
fn read_overlays(a: &DiffArgs) -> Result<(Vec<Overlay>, Vec<Overlay>), Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut files = |paths: &[PathBuf]| -> Vec<Overlay> {
        paths
            .iter()
            .filter_map(|p| match whatif::read_file(p) {
                Ok(o) => Some(o),
                Err(d) => {
                    diags.extend(d);
                    None
                }
            })
            .collect()
    };
    let side_a = files(&a.overlay_a);
    let mut side_b = files(&a.overlay_b);
    let inline = [
        (Flag::Delist, &a.delist),
        (Flag::Disown, &a.disown),
        (Flag::Designate, &a.designate),
        (Flag::Own, &a.own),
    ];
    for (flag, values) in inline {
        for v in values {
            match whatif::parse_flag(flag, v) {
                Ok(o) => side_b.push(o),
                Err(d) => diags.extend(d),
            }
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok((side_a, side_b))
    }
}

pub fn run(a: DiffArgs) -> CliResult {
    let (overlays_a, overlays_b) = match read_overlays(&a) {
        Ok(x) => x,
        Err(d) => {
            print_diagnostics(&d, a.error_format);
            eprintln!("error: the overlays have {} error(s)", d.error_count());
            return Err(super::exit_for(&d));
        }
    };
    let src_a = side_source(&a.source, &a.rules_a, &a.add_rules_a);
    let src_b = side_source(&a.source, &a.rules_b, &a.add_rules_b);
    let pack_a = load_pack(&src_a, a.error_format)?;
    let pack_b = if same_source(&src_a, &src_b) {
        pack_a.clone()
    } else {
        load_pack(&src_b, a.error_format)?
    };
    let js_a = super::jurisdictions(&pack_a.rules, &a.jurisdictions)?;
    let js_b = super::jurisdictions(&pack_b.rules, &a.jurisdictions)?;
    // NDJSON over one world file streams: read, decide under both worlds and write a chunk at
    // a time on every core, whatever the number of transactions.
    let streaming = format(&a) == DiffFormat::Ndjson && a.scenarios.len() == 1;
    let mut stream_input = match (&a.transactions, streaming) {
        (Some(p), true) => Some(open_stream(p, a.input_format)?),
        _ => None,
    };
    let batch = a
        .transactions
        .as_ref()
        .filter(|_| stream_input.is_none())
        .map(|p| read_batch(p, a.input_format))
        .transpose()?;
    let mut scenarios = Vec::new();
    let mut spec_as_of = (None, None);
    for path in &a.scenarios {
        let (mut s_a, mut s_b) = load_worlds(&a, path, (&pack_a, &pack_b), batch.as_ref())?;
        let (edits_a, edits_b) =
            edit_worlds(&a, (&overlays_a[..], &overlays_b[..]), &mut s_a, &mut s_b)?;
        let as_of_a = a.as_of_a.or(a.as_of).or(s_a.as_of);
        let as_of_b = a.as_of_b.or(a.as_of).or(s_b.as_of);
        spec_as_of = (as_of_a, as_of_b);
        let engine_a = Engine::new(s_a.rules.clone(), s_a.world.clone());
        let engine_b = Engine::new(s_b.rules.clone(), s_b.world.clone());
        let side_a = side(&engine_a, &s_a, as_of_a, js_a.clone());
        let side_b = side(&engine_b, &s_b, as_of_b, js_b.clone());
        let extra = match (as_of_a, as_of_b) {
            (Some(x), Some(y)) => Some(DatePair { a: x, b: y }),
            _ => None,
        };
        if let Some(input) = stream_input.take() {
            let scenario = path.display().to_string();
            return super::diff_stream::run(
                &side_a,
                &side_b,
                extra,
                input,
                &scenario,
                a.error_format,
            );
        }
        let comparison = whatif::compare(&side_a, &side_b, extra);
        scenarios.push(ScenarioDiff {
            scenario: s_a.name.clone(),
            path: path.display().to_string(),
            edits_a,
            edits_b,
            comparison,
        });
    }
    let report = DiffReport::new(
        spec(&src_a, &overlays_a, spec_as_of.0),
        spec(&src_b, &overlays_b, spec_as_of.1),
        scenarios,
    );
    finish(&a, report)
}

/// The output format asked for; without one, NDJSON for a batch of transactions (unless the
/// unchanged ones are to be listed) and text otherwise.
fn format(a: &DiffArgs) -> DiffFormat {
    match a.format {
        Some(f) => f,
        None if a.transactions.is_some() && !a.list_unchanged => DiffFormat::Ndjson,
        None => DiffFormat::Text,
    }
}

/// How a report names one world: its rules, its overlays and its as-of date.
fn spec(src: &RuleSource, overlays: &[Overlay], as_of: Option<Date>) -> WorldSpec {
    WorldSpec {
        rules: describe(src),
        overlays: overlays.iter().map(|o| o.label.clone()).collect(),
        as_of,
    }
}

/// A scenario loaded under both packs (once, when they are the same), its transactions
/// replaced by the batch's if one is given.
fn load_worlds(
    a: &DiffArgs,
    path: &std::path::Path,
    (pack_a, pack_b): (&Pack, &Pack),
    batch: Option<&(String, interdict::batch::InputFormat, Vec<u8>)>,
) -> Result<(Scenario, Scenario), CliError> {
    let mut s_a = load(path, pack_a, a.error_format)?;
    // With the same packs, both worlds start from one load (and share its rule set, so
    // decisions compare as plain values).
    let mut s_b = if Arc::ptr_eq(&pack_a.rules, &pack_b.rules) {
        s_a.clone()
    } else {
        load(path, pack_b, a.error_format)?
    };
    if let Some((name, format, text)) = batch {
        for s in [&mut s_a, &mut s_b] {
            if !replace_transactions(s, name, *format, text, a.error_format) {
                return Err(CliError::InvalidInput);
            }
        }
    }
    Ok((s_a, s_b))
}

/// Apply each side's overlays to its world.
fn edit_worlds(
    a: &DiffArgs,
    (overlays_a, overlays_b): (&[Overlay], &[Overlay]),
    s_a: &mut Scenario,
    s_b: &mut Scenario,
) -> Result<(Vec<whatif::AppliedEdit>, Vec<whatif::AppliedEdit>), CliError> {
    match (
        apply(overlays_a, s_a, "A", a.error_format),
        apply(overlays_b, s_b, "B", a.error_format),
    ) {
        (Some(x), Some(y)) => Ok((x, y)),
        _ => Err(CliError::InvalidInput),
    }
}

/// One world's side of the comparison: its engine, its transactions and the options for it.
fn side<'e>(
    engine: &'e Engine,
    s: &'e Scenario,
    as_of: Option<Date>,
    jurisdictions: Option<Vec<JurisdictionIdx>>,
) -> Side<'e> {
    Side {
        engine,
        transactions: &s.transactions,
        options: EvalOptions {
            trace: false,
            as_of,
            jurisdictions,
            ..EvalOptions::default()
        },
    }
}

/// Print the report in the format asked for; the exit code says whether anything changed
/// or an evaluation problem left a decision open.
fn finish(a: &DiffArgs, mut report: DiffReport) -> CliResult {
    let invalid = report_issues(&report, a.error_format);
    // A batch of transactions is mostly unchanged: text names only the changes unless asked
    // (JSON keeps its `unchanged` array unless --changed-only; NDJSON never lists them).
    let format = format(a);
    let changed_only = a.changed_only
        || (a.transactions.is_some()
            && !a.list_unchanged
            && matches!(format, DiffFormat::Text | DiffFormat::Html));
    if changed_only {
        for s in &mut report.scenarios {
            s.comparison.unchanged.clear();
        }
    }
    match format {
        DiffFormat::Text => emit(&interdict::render::whatif::render(&report)),
        DiffFormat::Json => emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        )),
        DiffFormat::Ndjson => emit(&super::diff_ndjson::render(&report)),
        DiffFormat::Html => super::emit_html(interdict::render::html::diff(&report))?,
    }
    if invalid {
        Err(CliError::InvalidInput)
    } else if report.changed {
        Err(CliError::Changed)
    } else {
        Ok(())
    }
}

/// Print the evaluation issues of both worlds; true if one leaves a decision open. An issue
/// that only leaves a consequence's detail unknown (an exposure amount that cannot be
/// converted, a due date past a calendar) is a warning: the decision stands, and shows it.
fn report_issues(report: &DiffReport, errfmt: ErrorFormat) -> bool {
    let mut invalid = false;
    for s in &report.scenarios {
        for i in &s.comparison.issues {
            invalid |= report_issue(i, errfmt);
        }
    }
    invalid
}

/// Print one evaluation issue; true if it leaves a disposition open (an error).
pub(super) fn report_issue(i: &whatif::compare::EvalIssue, errfmt: ErrorFormat) -> bool {
    let message = format!(
        "transaction `{}` in `{}`, world {}: {}",
        i.transaction, i.jurisdiction, i.world, i.message
    );
    let open = i.leaves_disposition_open;
    let d = if open {
        interdict::diagnostic::Diagnostic::error(i.code, &i.at, message)
    } else {
        interdict::diagnostic::Diagnostic::warning(i.code, &i.at, message)
    };
    super::print_diagnostic(&mut std::io::stderr(), &d, errfmt);
    open
}

/// Load a scenario, printing its warnings, or its errors.
fn load(
    path: &std::path::Path,
    pack: &Pack,
    errfmt: ErrorFormat,
) -> Result<interdict::scenario::Scenario, CliError> {
    match interdict::scenario::load_path(path, pack) {
        Ok(s) => {
            for w in &s.warnings {
                super::print_diagnostic(&mut std::io::stderr(), w, errfmt);
            }
            Ok(s)
        }
        Err(d) => {
            print_diagnostics(&d, errfmt);
            eprintln!("error: {} has {} error(s)", path.display(), d.error_count());
            Err(super::exit_for(&d))
        }
    }
}

/// Apply one side's overlays to a scenario's world, printing every problem.
fn apply(
    overlays: &[Overlay],
    s: &mut interdict::scenario::Scenario,
    side: &str,
    errfmt: ErrorFormat,
) -> Option<Vec<whatif::AppliedEdit>> {
    if overlays.is_empty() {
        return Some(Vec::new());
    }
    // Both sides may share one loaded world: the first edit copies it for this side.
    match whatif::apply_all(overlays, &s.rules, std::sync::Arc::make_mut(&mut s.world)) {
        Ok(edits) => Some(edits),
        Err(d) => {
            print_diagnostics(&d, errfmt);
            eprintln!(
                "error: the overlays of world {side} do not apply to {}",
                s.path.display()
            );
            None
        }
    }
}

/// The batch file (or standard input) opened for a streaming diff.
fn open_stream(
    path: &std::path::Path,
    format: Option<super::batch::InputFormatArg>,
) -> Result<super::diff_stream::Input, CliError> {
    if path == std::path::Path::new("-") {
        let format = match format {
            None => interdict::batch::InputFormat::Ndjson,
            Some(_) => super::batch::input_format(format, path)?,
        };
        return Ok(super::diff_stream::Input {
            reader: Box::new(std::io::stdin()),
            name: "<stdin>".into(),
            format,
            size: 0,
        });
    }
    let format = super::batch::input_format(format, path)?;
    match std::fs::File::open(path) {
        Ok(f) => Ok(super::diff_stream::Input {
            size: f.metadata().map(|m| m.len()).unwrap_or(0),
            reader: Box::new(f),
            name: path.display().to_string(),
            format,
        }),
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", path.display());
            Err(CliError::Operational)
        }
    }
}

/// The batch file's name, format and bytes (`-`: standard input, NDJSON unless said otherwise).
/// The bytes are not checked as a whole: a line that is not UTF-8 is an error of its record.
fn read_batch(
    path: &std::path::Path,
    format: Option<super::batch::InputFormatArg>,
) -> Result<(String, interdict::batch::InputFormat, Vec<u8>), CliError> {
    if path == std::path::Path::new("-") {
        let format = match format {
            None => interdict::batch::InputFormat::Ndjson,
            Some(_) => super::batch::input_format(format, path)?,
        };
        let mut bytes = Vec::new();
        return match std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes) {
            Ok(_) => Ok(("<stdin>".into(), format, bytes)),
            Err(e) => {
                eprintln!("error: cannot read standard input: {e}");
                Err(CliError::Operational)
            }
        };
    }
    let format = super::batch::input_format(format, path)?;
    match std::fs::read(path) {
        Ok(bytes) => Ok((path.display().to_string(), format, bytes)),
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", path.display());
            Err(CliError::Operational)
        }
    }
}

/// Replace a scenario's transactions by the batch file's, resolved against its world. A diff
/// must compare every record, so a malformed one fails the run (each is reported).
fn replace_transactions(
    s: &mut interdict::scenario::Scenario,
    name: &str,
    format: interdict::batch::InputFormat,
    bytes: &[u8],
    errfmt: ErrorFormat,
) -> bool {
    let (txs, errors) =
        interdict::batch::read_transactions(bytes, name, format, &s.rules, &s.world);
    for d in errors.iter().flat_map(|e| e.diagnostics(name)) {
        super::print_diagnostic(&mut std::io::stderr(), &d, errfmt);
    }
    if !errors.is_empty() {
        eprintln!(
            "error: {name} has {} malformed record(s) for the world of {}",
            errors.len(),
            s.path.display()
        );
        return false;
    }
    s.transactions = txs;
    true
}
