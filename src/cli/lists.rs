//! `interdict lists ...`: the list store. Add a list file as a snapshot, list snapshots,
//! compare two, follow one record through them, ingest a change log of published versions.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde::Serialize;

use super::{CliError, CliResult, ErrorFormat, Format, emit, print_diagnostic};
use interdict::lists::config::{ListConfig, embedded_list};
use interdict::lists::store::update::{Source, Stage, UpdateOptions, UpdateOutcome};
use interdict::lists::store::{self, AddOutcome, Store, StoreError};
use interdict::model::values::parse_date;
use interdict::render::list_store as text;

#[derive(Subcommand, Debug)]
pub enum ListsCommand {
    /// Add a list file to the store as a new snapshot (the same bytes again change nothing)
    #[command(after_help = "Examples:\n  \
interdict lists add sdn_2024-05-02.csv --list us-ofac-sdn-csv --published 2024-05-02\n  \
interdict lists add consolidated.xml --list un\n\n\
The publication date is the file's own when it gives one; otherwise --published must say it\n\
(it is never guessed from the file name). A file whose import refuses a record is not stored.\n\
Lists: the ids of lists/*.toml, as `interdict import --help` lists them.")]
    Add(AddArgs),
    /// List the snapshots in the store
    #[command(after_help = "Examples:\n  interdict lists ls\n  interdict lists ls --format json")]
    Ls(LsArgs),
    /// Compare two snapshots: records added, removed, and changed with the fields that changed
    #[command(after_help = "Examples:\n  \
interdict lists diff us-ofac-sdn-csv@2024-05-02 us-ofac-sdn-csv@2024-05-03\n  \
interdict lists diff 1 2 --format json\n\n\
A snapshot is its number (from `lists ls`) or LIST@YYYY-MM-DD. Exit code 5 when they differ.")]
    Diff(DiffArgs),
    /// Follow one record through every snapshot and the change log; its listing date
    #[command(after_help = "Examples:\n  \
interdict lists history 7489\n  \
interdict lists history --list us-ofac-sdn-csv 36 --format json\n\n\
The listing date is the publisher's (`listed`) when the list gives one; otherwise the first date\n\
the store saw the record (`first_seen`), from its snapshots or an ingested change log.")]
    History(HistoryArgs),
    /// Ingest a row-level change log of published versions (the SDN history folder)
    #[command(after_help = "Examples:\n  \
interdict lists add-history ../shared/data/lists/us_ofac/sdn_history --list us-ofac-sdn-csv\n\n\
The folder holds sdn_versions.csv and sdn_changes.csv. The log is replayed and checked first\n\
(every version's counts); any problem stores nothing. Versions held already are skipped.")]
    AddHistory(AddHistoryArgs),
    /// Download each configured list from its publisher; store it if it changed and verifies
    #[command(after_help = "Examples:\n  \
interdict lists update\n  \
interdict lists update --list un --list uk-ofsi\n  \
interdict lists update --list us-ofac-sdn-csv --source-url http://127.0.0.1:8080/SDN.CSV --timeout 2\n\n\
Sources are the URLs of lists/*.toml. A download is stored as a new snapshot only when it\n\
verifies (HTTP 200 read to its end within --timeout, a content type fitting the format, an\n\
import refusing no record, at least --min-ratio of the previous snapshot's records) and its\n\
bytes changed; a bad download is reported and never replaces the snapshot before it.\n\
Exit codes: 0 every list verified (stored or unchanged); 1 a download failed; 3 a downloaded\n\
file did not verify.")]
    Update(UpdateArgs),
}

/// Options every `lists` command takes.
#[derive(Args, Debug)]
pub struct StoreArgs {
    /// The store file (default: INTERDICT_STORE, else $XDG_DATA_HOME/interdict/lists.sqlite,
    /// else ~/.local/share/interdict/lists.sqlite)
    #[arg(long, value_name = "PATH")]
    pub store: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// The list file
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The list configuration that says how to read it
    #[arg(long, value_name = "ID")]
    pub list: String,
    /// The publication date, when the file does not give it (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Debug)]
pub struct LsArgs {
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The older snapshot: a number or LIST@YYYY-MM-DD
    #[arg(value_name = "A")]
    pub a: String,
    /// The newer snapshot
    #[arg(value_name = "B")]
    pub b: String,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// The list's id for the record (`7489` for an SDN entry)
    #[arg(value_name = "ENTRY")]
    pub entry: String,
    /// The list (needed only when several lists know the id)
    #[arg(long, value_name = "ID")]
    pub list: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Debug)]
pub struct AddHistoryArgs {
    /// The folder holding sdn_versions.csv and sdn_changes.csv
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The list whose rows the log holds
    #[arg(long, value_name = "ID")]
    pub list: String,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args, Debug)]
pub struct UpdateArgs {
    /// Update only this list (repeatable; default: every list whose configuration has a URL)
    #[arg(long, value_name = "ID")]
    pub list: Vec<String>,
    /// Fetch the one --list from this URL instead of its publisher's
    #[arg(long, value_name = "URL")]
    pub source_url: Option<String>,
    /// The longest one download may take, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    pub timeout: u64,
    /// Refuse a file with fewer records than this share of the previous snapshot's
    #[arg(long, value_name = "RATIO", default_value = "0.9")]
    pub min_ratio: rust_decimal::Decimal,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub fn run(c: ListsCommand) -> CliResult {
    match c {
        ListsCommand::Add(a) => add(a),
        ListsCommand::Ls(a) => ls(a),
        ListsCommand::Diff(a) => diff(a),
        ListsCommand::History(a) => history(a),
        ListsCommand::AddHistory(a) => add_history(a),
        ListsCommand::Update(a) => update(a),
    }
}

/// The exit code of a store error: its files unreadable is 1, what was read invalid is 3,
/// a wrong reference is 2.
pub(crate) fn fail(e: &StoreError) -> CliError {
    eprintln!("error: {e}");
    match e {
        StoreError::Open {
            source: rusqlite::Error::SqliteFailure(f, _),
            ..
        } if matches!(
            f.code,
            rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
        ) =>
        {
            CliError::InvalidInput
        }
        StoreError::NoDataDir
        | StoreError::CreateDir { .. }
        | StoreError::Open { .. }
        | StoreError::Sqlite(_)
        | StoreError::History(_) => CliError::Operational,
        StoreError::NoPublicationDate { .. }
        | StoreError::UnknownSnapshot { .. }
        | StoreError::BadReference(_)
        | StoreError::AmbiguousSnapshot { .. } => CliError::Usage,
        _ => CliError::InvalidInput,
    }
}

/// Open the store, creating it.
fn open(a: &StoreArgs) -> Result<Store, CliError> {
    let path = store::path::resolve(a.store.as_deref()).map_err(|e| fail(&e))?;
    Store::open(&path).map_err(|e| fail(&e))
}

/// Open the store for reading: a store that does not exist yet says so, and is not created.
pub(crate) fn open_existing(a: &StoreArgs) -> Result<Store, CliError> {
    let path = store::path::resolve(a.store.as_deref()).map_err(|e| fail(&e))?;
    if !path.exists() {
        eprintln!(
            "error: no list has been added: there is no list store at `{}`\n  add a list with: interdict lists add FILE --list ID",
            path.display()
        );
        return Err(CliError::Operational);
    }
    Store::open(&path).map_err(|e| fail(&e))
}

pub(crate) fn config(id: &str, errfmt: ErrorFormat) -> Result<ListConfig, CliError> {
    embedded_list(id).map_err(|d| {
        print_diagnostic(&mut std::io::stderr(), &d, errfmt);
        CliError::Usage
    })
}

pub(crate) fn json_out<T: Serialize>(v: &T) -> CliResult {
    match serde_json::to_string_pretty(v) {
        Ok(t) => {
            emit(&format!("{t}\n"));
            Ok(())
        }
        Err(e) => {
            eprintln!("error: cannot write JSON: {e}");
            Err(CliError::Operational)
        }
    }
}

fn add(a: AddArgs) -> CliResult {
    let errfmt = a.store.error_format;
    let config = config(&a.list, errfmt)?;
    let published = match a.published.as_deref().map(parse_date).transpose() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: --published: {e}");
            return Err(CliError::Usage);
        }
    };
    let bytes = read_file(&a.file, errfmt)?;
    let mut st = open(&a.store)?;
    let name = a.file.display().to_string();
    let sha = store::sha256_hex(&bytes);
    let outcome = match st.find_by_hash(&config.id, &sha) {
        Ok(Some(s)) => AddOutcome::AlreadyStored(s),
        Ok(None) => {
            let import = store::import_any(&bytes, &name, &config);
            for d in import.warnings.iter().chain(&import.errors) {
                print_diagnostic(&mut std::io::stderr(), d, errfmt);
            }
            st.add_import(&import, &sha, published)
                .map_err(|e| fail(&e))?
        }
        Err(e) => return Err(fail(&e)),
    };
    let (verb, s) = match &outcome {
        AddOutcome::Added(s) => ("added", s),
        AddOutcome::AlreadyStored(s) => ("already stored, nothing changed", s),
    };
    match a.store.format {
        Format::Json => json_out(&serde_json::json!({ "outcome": verb, "snapshot": s })),
        Format::Text => {
            emit(&format!("{verb}: {}\n", text::snapshot_line(s)));
            Ok(())
        }
    }
}

fn read_file(path: &Path, errfmt: ErrorFormat) -> Result<Vec<u8>, CliError> {
    interdict::source::read_bytes(path, "the list file").map_err(|d| {
        print_diagnostic(&mut std::io::stderr(), &d, errfmt);
        CliError::Operational
    })
}

fn ls(a: LsArgs) -> CliResult {
    let st = open_existing(&a.store)?;
    let all = st.snapshots().map_err(|e| fail(&e))?;
    match a.store.format {
        Format::Json => json_out(&all),
        Format::Text => {
            emit(&text::snapshots(&all));
            Ok(())
        }
    }
}

fn diff(a: DiffArgs) -> CliResult {
    let st = open_existing(&a.store)?;
    let sa = st.snapshot(&a.a).map_err(|e| fail(&e))?;
    let sb = st.snapshot(&a.b).map_err(|e| fail(&e))?;
    if sa.list != sb.list {
        eprintln!(
            "warning: the snapshots are of different lists (`{}`, `{}`): records are matched by id",
            sa.list, sb.list
        );
    }
    let d = st.diff(&sa, &sb).map_err(|e| fail(&e))?;
    match a.store.format {
        Format::Json => json_out(&d)?,
        Format::Text => emit(&text::diff(&d)),
    }
    if d.is_empty() {
        Ok(())
    } else {
        Err(CliError::Changed)
    }
}

fn history(a: HistoryArgs) -> CliResult {
    let st = open_existing(&a.store)?;
    let list = match a.list {
        Some(l) => l,
        None => {
            let lists = st.lists_with(&a.entry).map_err(|e| fail(&e))?;
            match lists.as_slice() {
                [one] => one.clone(),
                [] => {
                    eprintln!("error: no list in the store has a record `{}`", a.entry);
                    return Err(CliError::Usage);
                }
                many => {
                    eprintln!(
                        "error: several lists have a record `{}` ({}): say which with --list",
                        a.entry,
                        many.join(", ")
                    );
                    return Err(CliError::Usage);
                }
            }
        }
    };
    let h = st.history(&list, &a.entry).map_err(|e| fail(&e))?;
    match a.store.format {
        Format::Json => json_out(&h),
        Format::Text => {
            emit(&text::history(&h));
            Ok(())
        }
    }
}

fn add_history(a: AddHistoryArgs) -> CliResult {
    let errfmt = a.store.error_format;
    let config = config(&a.list, errfmt)?;
    let mut st = open(&a.store)?;
    let r = st.add_log(&a.dir, &config).map_err(|e| fail(&e))?;
    for d in &r.errors {
        print_diagnostic(&mut std::io::stderr(), d, errfmt);
    }
    if !r.errors.is_empty() {
        eprintln!(
            "error: {} problem(s) in the change log; nothing stored",
            r.errors.len()
        );
        return Err(CliError::InvalidInput);
    }
    match a.store.format {
        Format::Json => json_out(&r),
        Format::Text => {
            emit(&format!(
                "{} versions in the log: {} stored now ({} operations), {} held already\n",
                r.versions, r.versions_added, r.changes_added, r.versions_known
            ));
            Ok(())
        }
    }
}

/// The sources an update fetches: the lists named (or every configured one with a URL), at
/// their configured URL or the one override.
fn sources(a: &UpdateArgs) -> Result<Vec<Source>, CliError> {
    let errfmt = a.store.error_format;
    let configs = if a.list.is_empty() {
        interdict::lists::config::embedded().map_err(|d| {
            print_diagnostic(&mut std::io::stderr(), &d, errfmt);
            CliError::InvalidInput
        })?
    } else {
        let mut v = Vec::new();
        for id in &a.list {
            v.push(config(id, errfmt)?);
        }
        v
    };
    if a.source_url.is_some() && configs.len() != 1 {
        eprintln!("error: --source-url needs exactly one --list");
        return Err(CliError::Usage);
    }
    let mut out = Vec::new();
    for c in configs {
        match a.source_url.clone().or_else(|| c.url.clone()) {
            Some(url) => out.push(Source { config: c, url }),
            None if a.list.is_empty() => {}
            None => {
                eprintln!(
                    "error: list `{}` has no URL in its configuration: give --source-url",
                    c.id
                );
                return Err(CliError::Usage);
            }
        }
    }
    Ok(out)
}

fn update(a: UpdateArgs) -> CliResult {
    if a.min_ratio < rust_decimal::Decimal::ZERO || a.min_ratio > rust_decimal::Decimal::ONE {
        eprintln!("error: --min-ratio must be between 0 and 1");
        return Err(CliError::Usage);
    }
    let sources = sources(&a)?;
    let mut st = open(&a.store)?;
    let options = UpdateOptions {
        timeout: std::time::Duration::from_secs(a.timeout.max(1)),
        min_ratio: a.min_ratio,
        today: super::explain::today(),
    };
    let mut result = Ok(());
    let mut report = Vec::new();
    for s in &sources {
        let outcome = st.update(s, &options).map_err(|e| fail(&e))?;
        if let UpdateOutcome::Refused { stage, reason } = &outcome {
            eprintln!(
                "error: {} from {}: refused, nothing stored: {reason}",
                s.config.id, s.url
            );
            let code = match stage {
                Stage::Download => CliError::Operational,
                Stage::Verify => CliError::InvalidInput,
            };
            result = super::combine(result, code);
        }
        report.push((s.config.id.clone(), s.url.clone(), outcome));
    }
    match a.store.format {
        Format::Json => {
            let v: Vec<_> = report
                .iter()
                .map(|(list, url, o)| serde_json::json!({ "list": list, "url": url, "result": o }))
                .collect();
            json_out(&v)?;
        }
        Format::Text => {
            let mut t = String::new();
            for (list, url, o) in &report {
                let line = match o {
                    UpdateOutcome::Added { snapshot } => {
                        format!("added: {}", text::snapshot_line(snapshot))
                    }
                    UpdateOutcome::Unchanged { snapshot } => {
                        format!("unchanged: {}", text::snapshot_line(snapshot))
                    }
                    UpdateOutcome::Refused { reason, .. } => format!("refused: {reason}"),
                };
                t.push_str(&format!("{list} ({url}): {line}\n"));
            }
            emit(&t);
        }
    }
    result
}
