//! Ingesting a row-level change log of published versions: `sdn_versions.csv` (one row per
//! version seen: `committed_utc, commit, bytes, sha256, rows, added, removed, modified, note`)
//! and `sdn_changes.csv` (one row per operation: `committed_utc, commit, op, ent_num,
//! sdn_row`, the full row after an `ADD` or `MOD`). Each row is read by the list's own
//! importer, so a logged version of a record is the record a snapshot would hold.
//!
//! The log is checked as it is read (each version's counts of added, removed and modified
//! rows and its row total against the operations, an `ADD` of a present id, a `MOD` or `DEL`
//! of an absent one); any problem is a located error and nothing is stored. Versions the store
//! holds already are skipped, so ingesting the same log twice is a no-op.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use rusqlite::params;
use serde::Serialize;

use super::snapshot::put_body;
use super::{Store, StoreError, import_rows};
use crate::diagnostic::{Code, Diagnostic};
use crate::lists::config::ListConfig;
use crate::lists::decode::{RecordLines, line_loc};
use crate::lists::record::ListRecord;

/// The versions file of a change log folder.
pub const VERSIONS_FILE: &str = "sdn_versions.csv";
/// The operations file of a change log folder.
pub const CHANGES_FILE: &str = "sdn_changes.csv";

/// What ingesting a change log did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LogIngest {
    /// Versions in the log.
    pub versions: usize,
    /// Versions stored now.
    pub versions_added: usize,
    /// Versions the store held already (skipped).
    pub versions_known: usize,
    /// Operations stored now.
    pub changes_added: usize,
    /// Problems found; when there is one, nothing was stored.
    #[serde(skip)]
    pub errors: Vec<Diagnostic>,
}

/// One version of the log.
struct Version {
    at: String,
    commit: String,
    sha256: String,
    rows: usize,
    counts: [usize; 3],
    note: String,
    line: u64,
}

/// One operation of the log, its row read into a record.
struct Change {
    commit: String,
    op: &'static str,
    id: String,
    record: Option<ListRecord>,
    line: u64,
}

impl Store {
    /// Ingest the change log in `dir` (`sdn_versions.csv`, `sdn_changes.csv`) for the list
    /// `config` names. Unreadable files are an `Err`; problems in them are `errors` in the
    /// result, and then nothing is stored.
    pub fn add_log(&mut self, dir: &Path, config: &ListConfig) -> Result<LogIngest, StoreError> {
        let mut out = LogIngest::default();
        let versions = read_versions(&dir.join(VERSIONS_FILE), &mut out.errors)?;
        let changes = read_changes(&dir.join(CHANGES_FILE), config, &mut out.errors)?;
        check(
            &versions,
            &changes,
            &dir.join(VERSIONS_FILE),
            &mut out.errors,
        );
        out.versions = versions.len();
        if !out.errors.is_empty() {
            return Ok(out);
        }
        let mut by_commit: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
        for c in &changes {
            by_commit.entry(c.commit.as_str()).or_default().push(c);
        }
        let source = dir.join(CHANGES_FILE).display().to_string();
        let tx = self.conn_mut().transaction()?;
        for v in &versions {
            let inserted = tx.execute(
                "INSERT INTO log_version (list, at, version, sha256, rows, note, source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
                params![
                    config.id,
                    v.at,
                    v.commit,
                    v.sha256,
                    v.rows as i64,
                    v.note,
                    source
                ],
            )?;
            if inserted == 0 {
                out.versions_known += 1;
                continue;
            }
            out.versions_added += 1;
            let vid = tx.last_insert_rowid();
            for c in by_commit.get(v.commit.as_str()).into_iter().flatten() {
                let body = match &c.record {
                    Some(r) => Some(put_body(&tx, r)?),
                    None => None,
                };
                tx.prepare_cached(
                    "INSERT INTO log_change (version, record_id, op, body, line)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![vid, c.id, c.op, body, c.line as i64])?;
                out.changes_added += 1;
            }
        }
        tx.commit()?;
        Ok(out)
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, StoreError> {
    crate::source::read_bytes(path, "the change log")
        .map_err(|d| StoreError::History(format!("{}: {}", d.location(), d.message)))
}

fn reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes)
}

/// The fields of a CSV row by header name; a missing column is a located error.
fn field<'r>(
    row: &'r csv::StringRecord,
    headers: &csv::StringRecord,
    name: &str,
    file: &str,
    line: u64,
    errors: &mut Vec<Diagnostic>,
) -> &'r str {
    match headers
        .iter()
        .position(|h| h == name)
        .and_then(|i| row.get(i))
    {
        Some(v) => v,
        None => {
            errors.push(Diagnostic::error(
                Code::ListRow,
                &line_loc(file, line),
                format!("no `{name}` column"),
            ));
            ""
        }
    }
}

/// A well-formed row of a change-log CSV, with what reading its fields needs.
struct LogRow<'a> {
    row: &'a csv::StringRecord,
    headers: &'a csv::StringRecord,
    file: &'a str,
    line: u64,
}

/// Every row of a change-log CSV, in order, with its line. A row the CSV reader refuses is a
/// located error and is not handed on.
fn each_row(
    path: &Path,
    errors: &mut Vec<Diagnostic>,
    mut each: impl FnMut(LogRow<'_>, &mut Vec<Diagnostic>),
) -> Result<(), StoreError> {
    let file = path.display().to_string();
    let bytes = read_file(path)?;
    let mut lines = RecordLines::new(&bytes);
    let mut rd = reader(&bytes);
    let headers = rd.headers().cloned().unwrap_or_default();
    for row in rd.records() {
        match row {
            Ok(row) => {
                let line = lines.at(row.position());
                let r = LogRow {
                    row: &row,
                    headers: &headers,
                    file: &file,
                    line,
                };
                each(r, errors);
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(Diagnostic::error(
                    Code::ListRow,
                    &line_loc(&file, line),
                    e.to_string(),
                ));
            }
        }
    }
    Ok(())
}

fn read_versions(path: &Path, errors: &mut Vec<Diagnostic>) -> Result<Vec<Version>, StoreError> {
    let mut out = Vec::new();
    each_row(path, errors, |r, errors| {
        let (file, line) = (r.file, r.line);
        let mut f = |n: &str| field(r.row, r.headers, n, file, line, errors).to_string();
        let (at, commit, sha256, note) = (f("committed_utc"), f("commit"), f("sha256"), f("note"));
        let nums: Vec<String> = ["rows", "added", "removed", "modified"]
            .iter()
            .map(|n| f(n))
            .collect();
        let parsed: Vec<Option<usize>> = nums.iter().map(|n| n.parse().ok()).collect();
        if crate::lists::import::iso_date(&at).is_none() || parsed.iter().any(Option::is_none) {
            errors.push(Diagnostic::error(
                Code::ListRow,
                &line_loc(file, line),
                format!("a version row needs a date-time and four counts, not `{at}`, {nums:?}"),
            ));
            return;
        }
        let n = |i: usize| parsed.get(i).copied().flatten().unwrap_or(0);
        out.push(Version {
            at,
            commit,
            sha256,
            rows: n(0),
            counts: [n(1), n(2), n(3)],
            note,
            line,
        });
    })?;
    Ok(out)
}

fn read_changes(
    path: &Path,
    config: &ListConfig,
    errors: &mut Vec<Diagnostic>,
) -> Result<Vec<Change>, StoreError> {
    let mut out = Vec::new();
    each_row(path, errors, |r, errors| {
        let (file, line) = (r.file, r.line);
        let mut f = |n: &str| field(r.row, r.headers, n, file, line, errors).to_string();
        let (commit, op, id, body) = (f("commit"), f("op"), f("ent_num"), f("sdn_row"));
        let at = line_loc(file, line);
        let op = match op.as_str() {
            "ADD" => "add",
            "MOD" => "modify",
            "DEL" => "delete",
            other => {
                errors.push(Diagnostic::error(
                    Code::ListRow,
                    &at,
                    format!("unknown operation `{other}` (ADD, MOD or DEL)"),
                ));
                return;
            }
        };
        let record = if op == "delete" {
            None
        } else {
            read_row(&body, &id, file, line, config, errors)
        };
        if op != "delete" && record.is_none() {
            return;
        }
        out.push(Change {
            commit,
            op,
            id,
            record,
            line,
        });
    })?;
    Ok(out)
}

/// A logged row read by the list's importer: exactly one record, with the operation's id.
fn read_row(
    row: &str,
    id: &str,
    file: &str,
    line: u64,
    config: &ListConfig,
    errors: &mut Vec<Diagnostic>,
) -> Option<ListRecord> {
    let name = format!("{file}:{line}");
    let mut import = import_rows(format!("{row}\r\n").as_bytes(), &name, config);
    let at = line_loc(file, line);
    if let Some(e) = import.errors.first() {
        errors.push(Diagnostic::error(
            Code::ListRow,
            &at,
            format!("the logged row cannot be read: {}", e.message),
        ));
        return None;
    }
    match import.records.pop() {
        Some(mut r) if import.records.is_empty() && r.id == id => {
            r.line = u32::try_from(line).unwrap_or(0);
            Some(r)
        }
        _ => {
            errors.push(Diagnostic::error(
                Code::ListRow,
                &at,
                format!("the logged row is not one record with id `{id}`"),
            ));
            None
        }
    }
}

/// Replay the log: every version's counts and row total match its operations; no `ADD` of a
/// present id, no `MOD`/`DEL` of an absent one; no operation of a version not listed.
fn check(versions: &[Version], changes: &[Change], path: &Path, errors: &mut Vec<Diagnostic>) {
    let file = path.display().to_string();
    let mut by_commit: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for c in changes {
        by_commit.entry(c.commit.as_str()).or_default().push(c);
    }
    let listed: HashSet<&str> = versions.iter().map(|v| v.commit.as_str()).collect();
    for c in changes
        .iter()
        .filter(|c| !listed.contains(c.commit.as_str()))
    {
        errors.push(Diagnostic::error(
            Code::ListRow,
            &line_loc(&file, c.line),
            format!(
                "an operation of version `{}`, which the versions file does not list",
                c.commit
            ),
        ));
    }
    let mut present: HashSet<&str> = HashSet::new();
    for v in versions {
        let mut counts = [0usize; 3];
        for c in by_commit.get(v.commit.as_str()).into_iter().flatten() {
            let (slot, ok) = match c.op {
                "add" => (0, present.insert(c.id.as_str())),
                "delete" => (1, present.remove(c.id.as_str())),
                _ => (2, present.contains(c.id.as_str())),
            };
            counts[slot] += 1;
            if !ok {
                errors.push(Diagnostic::error(
                    Code::ListRow,
                    &line_loc(&file, c.line),
                    format!(
                        "`{}` of record `{}`, which the replay {} at that version",
                        c.op,
                        c.id,
                        if slot == 0 {
                            "holds already"
                        } else {
                            "does not hold"
                        }
                    ),
                ));
            }
        }
        // A version with a note (an empty scrape) publishes no rows and changes nothing.
        let rows_ok = !v.note.is_empty() || present.len() == v.rows;
        if counts != v.counts || !rows_ok {
            errors.push(Diagnostic::error(
                Code::ListRow,
                &line_loc(&file, v.line),
                format!(
                    "version `{}` says {} rows ({} added, {} removed, {} modified); its operations give {} rows ({} added, {} removed, {} modified)",
                    v.commit, v.rows, v.counts[0], v.counts[1], v.counts[2],
                    present.len(), counts[0], counts[1], counts[2]
                ),
            ));
        }
    }
}
