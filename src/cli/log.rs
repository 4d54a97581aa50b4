//! `interdict log`: the audit trail read back. `show` prints a recorded decision, `replay`
//! decides it again from its recorded input under the recorded packs (found by digest) and
//! under today's, and says what differs; `prune` deletes what the packs' record-keeping
//! periods no longer require (a dry run unless `--apply`). docs/audit.md.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{CliError, CliResult, ErrorFormat, Format, RuleSource, load_pack};
use interdict::audit::{AuditLog, AuditOptions, AuditStore, AuditTarget, DecisionRecord, Origin};
use interdict::model::pack::Pack;

#[derive(Subcommand, Debug)]
pub enum LogCommand {
    /// Print a recorded decision: its input, its result, the packs and lists that made it
    Show(ShowArgs),
    /// Decide a recorded decision again, under the recorded packs and under today's, and show
    /// what differs
    Replay(ReplayArgs),
    /// Delete records older than a date that no record-keeping period requires any more
    /// (a dry run unless --apply)
    Prune(PruneArgs),
}

#[derive(Args, Debug)]
pub struct LogTarget {
    /// The audit log: an SQLite file or a postgres:// URL (default: $INTERDICT_AUDIT)
    #[arg(long, value_name = "TARGET")]
    pub audit: Option<String>,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// The decision's id
    pub id: String,
    #[command(flatten)]
    pub target: LogTarget,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// The decision's id
    pub id: String,
    #[command(flatten)]
    pub target: LogTarget,
    /// The rule packs the decision was made under, when not the embedded ones (repeatable);
    /// they are used only if their digest is the recorded one
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// The world file of a batch decision (its digest is checked against the record)
    #[arg(long, value_name = "WORLD.toml")]
    pub world: Option<PathBuf>,
    /// Format of diagnostics on stderr
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    #[command(flatten)]
    pub target: LogTarget,
    /// Consider the records recorded before this day (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", value_parser = super::parse_as_of)]
    pub before: interdict::model::values::Date,
    /// Judge the retention periods on this day (default: today)
    #[arg(long, value_name = "DATE", value_parser = super::parse_as_of)]
    pub on: Option<interdict::model::values::Date>,
    /// Delete them (without it, only say what would be deleted)
    #[arg(long)]
    pub apply: bool,
    #[command(flatten)]
    pub source: RuleSource,
    /// Format of diagnostics on stderr
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
}

pub fn run(c: LogCommand) -> CliResult {
    match c {
        LogCommand::Show(a) => show(a),
        LogCommand::Replay(a) => super::log_replay::replay(a),
        LogCommand::Prune(a) => prune(a),
    }
}

/// The log a command names: `--audit`, else `$INTERDICT_AUDIT`.
fn target(t: &LogTarget) -> Result<AuditTarget, CliError> {
    match t
        .audit
        .clone()
        .or_else(|| std::env::var("INTERDICT_AUDIT").ok())
    {
        Some(s) if !s.is_empty() => Ok(AuditTarget::parse(&s)),
        _ => {
            eprintln!("error: no audit log: give --audit TARGET or set INTERDICT_AUDIT");
            Err(CliError::Usage)
        }
    }
}

/// Open an audit log for writing (`batch --audit`, `eval --audit`).
pub fn open_log(target: &str) -> Result<AuditLog, CliError> {
    AuditLog::open(&AuditTarget::parse(target), AuditOptions::default()).map_err(|e| {
        eprintln!("error: {e}");
        CliError::Operational
    })
}

/// What a batch record names its world by: the digest of the world file's bytes.
pub fn world_state_id(bytes: &[u8]) -> String {
    format!("world:{}", interdict::source::sha256_hex(bytes))
}

/// The list versions a world or scenario file names (`[lists] ofac = PATH`), by the sha256
/// of their bytes. A list that cannot be read is left out: loading the world reports it.
pub fn file_lists(file: &std::path::Path) -> Vec<interdict::audit::ListSnapshot> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Vec::new();
    };
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let base = file.parent().unwrap_or(std::path::Path::new(""));
    let lists = doc.get("lists").and_then(|l| l.as_table());
    lists
        .into_iter()
        .flat_map(|t| t.values())
        .filter_map(|v| v.as_str())
        .filter_map(|written| {
            let path = interdict::lists::dir::resolve(base, written);
            let bytes = std::fs::read(&path).ok()?;
            Some(interdict::audit::ListSnapshot {
                list: written.to_string(),
                sha256: interdict::source::sha256_hex(&bytes),
            })
        })
        .collect()
}

/// Open the log named, for reading.
pub(super) fn open_store(t: &LogTarget) -> Result<AuditStore, CliError> {
    let target = target(t)?;
    if let AuditTarget::Sqlite(p) = &target
        && !p.exists()
    {
        eprintln!("error: no audit log at {}", p.display());
        return Err(CliError::Operational);
    }
    AuditStore::open(&target, &AuditOptions::default()).map_err(|e| {
        eprintln!("error: {e}");
        CliError::Operational
    })
}

/// The record with this id, or an error saying there is none.
pub(super) fn fetch(t: &LogTarget, id: &str) -> Result<DecisionRecord, CliError> {
    let mut store = open_store(t)?;
    match store.get(id) {
        Ok(Some(r)) => Ok(r),
        Ok(None) => {
            eprintln!("error: no decision `{id}` in the audit log");
            Err(CliError::Operational)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(CliError::Operational)
        }
    }
}

fn show(a: ShowArgs) -> CliResult {
    let r = fetch(&a.target, &a.id)?;
    let text = match a.format {
        Format::Text => show_text(&r),
        Format::Json => {
            let v = serde_json::json!({
                "decision_id": r.decision_id,
                "recorded_at": r.recorded_at_text(),
                "origin": r.origin,
                "input": r.input,
                "input_sha256": r.input_sha256,
                "result": serde_json::from_str::<serde_json::Value>(&r.result)
                    .unwrap_or(serde_json::Value::String(r.result.clone())),
                "engine_version": r.engine_version,
                "pack_digest": r.pack_digest,
                "list_snapshots": r.list_snapshots,
                "state_id": r.state_id,
            });
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
    };
    super::emit(&text);
    Ok(())
}

fn show_text(r: &DecisionRecord) -> String {
    let mut t = String::new();
    t.push_str(&format!("decision  {}\n", r.decision_id));
    t.push_str(&format!("recorded  {}\n", r.recorded_at_text()));
    t.push_str(&format!("origin    {}\n", r.origin.as_str()));
    t.push_str(&format!("engine    interdict {}\n", r.engine_version));
    t.push_str(&format!("packs     {}\n", r.pack_digest));
    if let Some(s) = &r.state_id {
        t.push_str(&format!("state     {s}\n"));
    }
    for l in &r.list_snapshots {
        t.push_str(&format!("list      {} sha256:{}\n", l.list, l.sha256));
    }
    let input_ok = interdict::source::sha256_hex(r.input.as_bytes()) == r.input_sha256;
    t.push_str(&format!(
        "input     sha256:{} ({})\n",
        r.input_sha256,
        if input_ok {
            "matches the input"
        } else {
            "DOES NOT MATCH the input: the record was altered"
        }
    ));
    for line in r.input.lines() {
        t.push_str(&format!("  {line}\n"));
    }
    t.push_str("result\n");
    let pretty = serde_json::from_str::<serde_json::Value>(&r.result)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| r.result.clone());
    for line in pretty.lines() {
        t.push_str(&format!("  {line}\n"));
    }
    t
}

fn prune(a: PruneArgs) -> CliResult {
    let pack = load_pack(&a.source, a.error_format)?;
    if !interdict::audit::retention::has_record_keeping(&pack.rules) {
        eprintln!(
            "error: the rule packs set no record-keeping period (an obligation with `retain_years`): nothing says how long records are kept, so none is pruned"
        );
        return Err(CliError::InvalidInput);
    }
    let on = a.on.unwrap_or_else(|| {
        chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).date_naive()
    });
    let mut store = open_store(&a.target)?;
    let Pruning {
        delete,
        kept,
        kept_until,
        considered,
    } = prunable(&mut store, &pack, a.before, on)?;
    let mut out = format!(
        "{considered} record(s) recorded before {}; {kept} still kept by the packs' record-keeping periods on {on}{}\n",
        a.before,
        kept_until
            .map(|d| format!(" (the latest until {d})"))
            .unwrap_or_default()
    );
    if let Some((years, id)) = interdict::audit::retention::longest_period(&pack.rules, on) {
        out.push_str(&format!(
            "the longest period in force on {on}: {years} years ({id})\n"
        ));
    }
    if a.apply {
        let mut n = 0;
        for part in delete.chunks(10_000) {
            n += store.delete(part).map_err(|e| {
                eprintln!("error: {e}");
                CliError::Operational
            })?;
        }
        out.push_str(&format!("deleted {n} record(s)\n"));
    } else {
        out.push_str(&format!(
            "would delete {} record(s) (a dry run: --apply deletes them)\n",
            delete.len()
        ));
    }
    super::emit(&out);
    Ok(())
}

/// What pruning found among the records before a date.
struct Pruning {
    /// The records that may go.
    delete: Vec<String>,
    /// How many must stay.
    kept: u64,
    /// The latest day one of them must stay until.
    kept_until: Option<chrono::NaiveDate>,
    /// How many were looked at.
    considered: u64,
}

/// The records before `before` that may go, and those that must stay.
fn prunable(
    store: &mut AuditStore,
    pack: &Pack,
    before: interdict::model::values::Date,
    on: interdict::model::values::Date,
) -> Result<Pruning, CliError> {
    let cutoff = format!("{before}T00:00:00Z");
    let mut found = Pruning {
        delete: Vec::new(),
        kept: 0,
        kept_until: None,
        considered: 0,
    };
    let result = store.recorded_before(&cutoff, &mut |p| {
        found.considered += 1;
        let at = interdict::audit::record::parse_time(&p.recorded_at).ok_or(
            interdict::audit::AuditError::BadValue {
                what: "time",
                value: p.recorded_at.clone(),
            },
        )?;
        match interdict::audit::retention::keep_until(&pack.rules, at, &p.result) {
            Some(until) if until >= on => {
                found.kept += 1;
                found.kept_until = found.kept_until.max(Some(until));
            }
            _ => found.delete.push(p.decision_id),
        }
        Ok(())
    });
    result.map_err(|e| {
        eprintln!("error: {e}");
        CliError::Operational
    })?;
    Ok(found)
}

/// Whether a record came from a command `replay` can decide again.
pub(super) fn replayable(r: &DecisionRecord) -> bool {
    matches!(r.origin, Origin::Batch | Origin::Eval)
}
