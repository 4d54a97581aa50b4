//! The UK OFSI Consolidated List CSV (ConList.csv, and the xlsx converted cell for cell): a
//! `Last Updated,dd/mm/yyyy` line, a header, then one row per name variant. Rows are grouped
//! by `Group ID` into one record per target; every distinct value of every column is kept.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::lists::decode::line_loc;
use crate::lists::entry::{AliasKind, EntryType, Identifier};
use crate::lists::record::{ListImport, ListName, ListRecord, Strength};
use crate::source::SourceFile;

use super::dmy_date;

/// The columns a record needs; the others are kept as attributes.
const REQUIRED: [&str; 5] = ["Name 6", "Group Type", "Alias Type", "Regime", "Group ID"];
const NAME_COLUMNS: [&str; 6] = ["Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6"];
/// Columns that describe one name variant rather than the target.
const PER_NAME: [&str; 12] = [
    "Name 1",
    "Name 2",
    "Name 3",
    "Name 4",
    "Name 5",
    "Name 6",
    "Title",
    "Name Non-Latin Script",
    "Non-Latin Script Type",
    "Non-Latin Script Language",
    "Alias Type",
    "Alias Quality",
];

struct Row {
    line: u64,
    cells: BTreeMap<String, String>,
}

impl Row {
    fn get(&self, col: &str) -> &str {
        self.cells.get(col).map_or("", |s| s.trim())
    }

    fn name(&self) -> String {
        NAME_COLUMNS
            .iter()
            .map(|c| self.get(c))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Read a whole file.
pub fn read(file: &SourceFile) -> ListImport {
    let name = file.name().to_string();
    let mut out = ListImport {
        file: name.clone(),
        ..ListImport::default()
    };
    let text = file.text();
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    match first.trim_end().strip_prefix("Last Updated,") {
        Some(d) => out.published = dmy_date(d.trim_end_matches(',')),
        None => out.warnings.push(Diagnostic::warning(
            Code::ListRow,
            &line_loc(&name, 1),
            "the first line is not `Last Updated,dd/mm/yyyy`: no publication date",
        )),
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(rest.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            out.errors.push(Diagnostic::error(
                Code::ListRow,
                &line_loc(&name, 2),
                format!("no header line: {e}"),
            ));
            return out;
        }
    };
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        out.errors.push(
            Diagnostic::error(
                Code::ListRow,
                &line_loc(&name, 2),
                format!("the header lacks {}", missing.join(", ")),
            )
            .with_help("is this an OFSI ConList.csv (second line: Name 6,Name 1,...)?"),
        );
        return out;
    }
    let (order, mut groups) = group_rows(&mut reader, &header, &name, &mut out);
    for id in order {
        let Some(rows) = groups.remove(&id) else {
            continue;
        };
        out.seen += 1;
        match record(&name, &id, &rows, &header) {
            Ok(r) => out.records.push(r),
            Err(d) => out.errors.push(d),
        }
    }
    out
}

/// The rows of the file by `Group ID`, in order of first appearance. A row that cannot be read
/// or has no group is a located error and counts as a refused record; rows with every cell
/// empty are counted in a warning.
fn group_rows(
    reader: &mut csv::Reader<&[u8]>,
    header: &[String],
    name: &str,
    out: &mut ListImport,
) -> (Vec<String>, BTreeMap<String, Vec<Row>>) {
    let mut groups: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut blank = 0;
    for rec in reader.records() {
        let row = match row(rec, header, name) {
            Ok(Some(r)) => r,
            Ok(None) => {
                blank += 1;
                continue;
            }
            Err(d) => {
                out.seen += 1;
                out.errors.push(d);
                continue;
            }
        };
        let id = row.get("Group ID").to_string();
        if !groups.contains_key(&id) {
            order.push(id.clone());
        }
        groups.entry(id).or_default().push(row);
    }
    if blank > 0 {
        out.warnings.push(Diagnostic::warning(
            Code::ListRow,
            &line_loc(name, 0),
            format!("{blank} row(s) with every cell empty"),
        ));
    }
    (order, groups)
}

/// One CSV row: `None` when every cell is empty.
fn row(
    rec: Result<csv::StringRecord, csv::Error>,
    header: &[String],
    name: &str,
) -> Result<Option<Row>, Diagnostic> {
    let rec = rec.map_err(|e| {
        let line = e.position().map_or(0, |p| p.line() + 1);
        Diagnostic::error(
            Code::ListRow,
            &line_loc(name, line),
            format!("an unreadable row: {e}"),
        )
    })?;
    let line = rec.position().map_or(0, |p| p.line() + 1);
    if rec.iter().all(|c| c.trim().is_empty()) {
        return Ok(None);
    }
    if rec.len() != header.len() {
        return Err(Diagnostic::error(
            Code::ListRow,
            &line_loc(name, line),
            format!("{} fields, the header has {}", rec.len(), header.len()),
        ));
    }
    let cells = header
        .iter()
        .cloned()
        .zip(rec.iter().map(str::to_string))
        .collect();
    let row = Row { line, cells };
    if row.get("Group ID").is_empty() {
        return Err(Diagnostic::error(
            Code::ListRow,
            &line_loc(name, line),
            "a row without a `Group ID`",
        ));
    }
    Ok(Some(row))
}

fn record(file: &str, id: &str, rows: &[Row], header: &[String]) -> Result<ListRecord, Diagnostic> {
    let first = rows.first().ok_or_else(|| {
        Diagnostic::error(
            Code::ListRow,
            &line_loc(file, 0),
            format!("group {id} has no rows"),
        )
    })?;
    let err = |line: u64, msg: String| {
        Diagnostic::error(
            Code::ListRow,
            &line_loc(file, line),
            format!("group {id}: {msg}"),
        )
    };
    let primary = rows
        .iter()
        .find(|r| r.get("Alias Type") == "Primary name")
        .unwrap_or(first);
    let name = primary.name();
    if name.is_empty() {
        return Err(err(primary.line, "no name (`Name 6` is empty)".into()));
    }
    let kind = match primary.get("Group Type") {
        "Individual" => EntryType::Individual,
        "Entity" => EntryType::Entity,
        "Ship" => EntryType::Vessel,
        other => {
            return Err(err(primary.line, format!("unknown `Group Type` `{other}`"))
                .with_help("expected Individual, Entity or Ship"));
        }
    };
    let mut r = ListRecord::new(id.to_string(), kind, name.clone(), primary.line as u32);
    for row in rows {
        names(&mut r, row, &name);
        let regime = row.get("Regime");
        if regime.is_empty() {
            return Err(err(row.line, "no `Regime`".into()));
        }
        if !r.regimes.iter().any(|g| g == regime) {
            r.regimes.push(regime.to_string());
        }
        let listed = row.get("Listed On");
        if !listed.is_empty() {
            let d = dmy_date(listed).ok_or_else(|| {
                err(
                    row.line,
                    format!("`Listed On` `{listed}` is not a date dd/mm/yyyy"),
                )
            })?;
            r.listed_on = Some(r.listed_on.map_or(d, |x| x.min(d)));
        }
    }
    target_facts(&mut r, rows, header);
    Ok(r)
}

/// The row's name and non-Latin name as aliases (the primary name itself excepted).
fn names(r: &mut ListRecord, row: &Row, primary: &str) {
    let strength = if row.get("Alias Quality").starts_with("Low") {
        Strength::Weak
    } else {
        Strength::Strong
    };
    let kind = if row.get("Alias Type") == "FKA" {
        AliasKind::Fka
    } else {
        AliasKind::Aka
    };
    let n = row.name();
    if !n.is_empty() && n != primary && !r.aliases.iter().any(|a| a.name == n) {
        r.aliases.push(ListName {
            name: n,
            kind,
            strength,
            script: None,
        });
    }
    let nl = row.get("Name Non-Latin Script");
    if !nl.is_empty() && !r.aliases.iter().any(|a| a.name == nl) {
        let script = [
            row.get("Non-Latin Script Type"),
            row.get("Non-Latin Script Language"),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        r.aliases.push(ListName {
            name: nl.to_string(),
            kind,
            strength,
            script: Some(script),
        });
    }
    let title = row.get("Title");
    if !title.is_empty()
        && !r
            .attributes
            .iter()
            .any(|a| a.label == "Title" && a.value == title)
    {
        r.attribute("Title", title.to_string());
    }
}

/// Every distinct value of the target's columns, typed where the model has a field.
fn target_facts(r: &mut ListRecord, rows: &[Row], header: &[String]) {
    let skip = ["Regime", "Listed On", "Group ID", "Group Type"];
    for col in header
        .iter()
        .filter(|c| !PER_NAME.contains(&c.as_str()) && !skip.contains(&c.as_str()))
    {
        let mut seen: Vec<&str> = Vec::new();
        for row in rows {
            let v = row.get(col);
            if !v.is_empty() && !seen.contains(&v) {
                seen.push(v);
            }
        }
        for v in seen {
            match col.as_str() {
                "DOB" => r.dates_of_birth.push(v.to_string()),
                "Nationality" => r.nationalities.push(v.to_string()),
                "Town of Birth" | "Country of Birth" => r.places_of_birth.push(v.to_string()),
                "Passport Number" | "National Identification Number" => {
                    r.identifiers.push(Identifier {
                        kind: if col == "Passport Number" {
                            "Passport".into()
                        } else {
                            "National ID No.".into()
                        },
                        value: v.to_string(),
                        country: None,
                        issued: None,
                        expires: None,
                    })
                }
                _ => r.attribute(col, v.to_string()),
            }
        }
    }
}
