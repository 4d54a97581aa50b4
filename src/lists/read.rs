//! Reading an OFAC SDN CSV file into entries, accounting for every row.
//!
//! Every data row becomes an entry or a located error (`LIST_ROW`, with the file and line)
//! and a counted skip; the reader never stops at the first problem and never panics. A row
//! is refused when it does not have the twelve columns, when its entry number is not a
//! positive integer or repeats an earlier one, when it has no name or an unknown type, or
//! when a field holds a stray quote, a line break or a control character: OFAC writes none
//! of these, and each is the mark of a damaged file (an unclosed quote swallows the lines
//! after it into one field).

use std::collections::HashMap;
use std::path::Path;

use super::decode::{decode, line_loc};
use super::entry::{EntryType, SdnEntry};
use super::remarks;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};

/// The columns of an SDN row, in order.
pub(crate) const COLUMNS: [&str; 12] = [
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
];

/// What reading found, besides the entries.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReadStats {
    /// Data rows in the file: entries plus skipped rows.
    pub rows: usize,
    /// Rows read into entries.
    pub entries: usize,
    /// Rows refused with an error.
    pub skipped: usize,
    /// Empty lines between rows (they carry no data).
    pub blank_lines: usize,
    /// The encoding the bytes were read in (`windows-1252`, `UTF-8`...).
    pub encoding: &'static str,
    /// The file ended with OFAC's Ctrl-Z end-of-file marker.
    pub eof_marker: bool,
}

/// The entries of a list file, its statistics and every problem found.
#[derive(Debug, Clone, Default)]
pub struct SdnRead {
    /// The entries read, in file order.
    pub entries: Vec<SdnEntry>,
    /// How many rows were read, skipped and blank, and the encoding.
    pub stats: ReadStats,
    /// Every problem found, each located at its row.
    pub diagnostics: Diagnostics,
}

impl SdnRead {
    /// Whether a row was refused: the list is incomplete.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }
}

/// Read a list file from disk. An unreadable file is an `Err` with one diagnostic.
pub fn read_path(path: &Path) -> Result<SdnRead, Diagnostics> {
    match crate::source::read_bytes(path, "the list file") {
        Ok(bytes) => Ok(read(&bytes, &path.display().to_string())),
        Err(e) => {
            let mut d = Diagnostics::new();
            d.push(e);
            Err(d)
        }
    }
}

/// Read the bytes of an SDN CSV file named `file` (for locations).
pub fn read(bytes: &[u8], file: &str) -> SdnRead {
    let mut out = SdnRead::default();
    let Some(decoded) = decode(bytes, file, &mut out.diagnostics) else {
        return out;
    };
    out.stats.encoding = decoded.encoding;
    out.stats.eof_marker = decoded.eof_marker;
    let text = decoded.text.as_bytes();
    // One row per line: reserve once rather than grow.
    out.entries
        .reserve(text.iter().filter(|&&b| b == b'\n').count() + 1);

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut record = csv::ByteRecord::new();
    let mut seen: HashMap<u32, u64> = HashMap::new();
    // The line the next row would start on with no empty lines in between.
    let mut expected_line = 1u64;
    let mut lines = super::decode::RecordLines::new(text);
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                out.diagnostics.push(Diagnostic::error(
                    Code::ListRow,
                    &line_loc(file, line),
                    format!("the CSV reader stopped: {e}"),
                ));
                break;
            }
        }
        let line = lines.at(record.position());
        let breaks = if record.as_slice().contains(&b'\n') {
            record.as_slice().iter().filter(|&&b| b == b'\n').count() as u64
        } else {
            0
        };
        // The reader skips empty lines; count them so every line is accounted for.
        out.stats.blank_lines += line.saturating_sub(expected_line) as usize;
        expected_line = line + 1 + breaks;

        if record.len() == 1 && record.get(0) == Some(b"\x1a") {
            out.diagnostics.push(
                Diagnostic::error(Code::ListRow, &line_loc(file, line), "an end-of-file marker (Ctrl-Z) in the middle of the file")
                    .with_help("the file may be two files joined together; the rows after the marker were read"),
            );
            continue;
        }
        out.stats.rows += 1;
        match row(&record, line, file, &mut seen) {
            Ok(entry) => out.entries.push(entry),
            Err(d) => {
                out.stats.skipped += 1;
                out.diagnostics.push(d);
            }
        }
    }
    out.stats.entries = out.entries.len();
    out
}

fn row_error(file: &str, line: u64, msg: String) -> Diagnostic {
    Diagnostic::error(Code::ListRow, &line_loc(file, line), msg)
}

/// The field text, `None` for OFAC's null marker `-0- `.
fn field(record: &csv::ByteRecord, i: usize) -> Option<&str> {
    // The reader only sees text decoded to UTF-8, so a field is always valid UTF-8.
    let s = record.get(i).and_then(|b| std::str::from_utf8(b).ok())?;
    if s.trim() == "-0-" { None } else { Some(s) }
}

fn row(
    record: &csv::ByteRecord,
    line: u64,
    file: &str,
    seen: &mut HashMap<u32, u64>,
) -> Result<SdnEntry, Diagnostic> {
    check_shape(record, line, file)?;
    let ent_num = entry_number(record, line, file, seen)?;
    let name = match field(record, 1) {
        Some(n) if !n.trim().is_empty() => n.to_string(),
        _ => {
            return Err(row_error(
                file,
                line,
                format!("entry {ent_num} has no name"),
            ));
        }
    };
    let type_text = field(record, 2);
    let Some(entry_type) = EntryType::parse_column(type_text) else {
        return Err(row_error(
            file,
            line,
            format!(
                "entry {ent_num} has the unknown type `{}`",
                type_text.unwrap_or_default()
            ),
        )
        .with_help("SDN_Type is `individual`, `vessel`, `aircraft`, or `-0- ` for an entity"));
    };
    let tags = field(record, 3).map(split_tags).unwrap_or_default();
    if tags.is_empty() {
        return Err(
            row_error(file, line, format!("entry {ent_num} has no program tag")).with_help(
                "every SDN entry is listed under at least one program (`SDGT`, `FTO`, ...)",
            ),
        );
    }
    let own = |i: usize| field(record, i).map(str::to_string);
    let mut entry = SdnEntry {
        ent_num,
        name,
        entry_type,
        tags,
        title: own(4),
        call_sign: own(5),
        vessel_type: own(6),
        tonnage: own(7),
        grt: own(8),
        vessel_flag: own(9),
        vessel_owner: own(10),
        remarks: own(11),
        aliases: Vec::new(),
        dates_of_birth: Vec::new(),
        places_of_birth: Vec::new(),
        nationalities: Vec::new(),
        citizenships: Vec::new(),
        identifiers: Vec::new(),
        linked_to: Vec::new(),
        secondary_sanctions: Vec::new(),
        attributes: Vec::new(),
        unparsed: Vec::new(),
        line: u32::try_from(line).unwrap_or(u32::MAX),
    };
    if let Some(r) = &entry.remarks {
        remarks::parse(r, entry.title.as_deref()).fill(&mut entry);
    }
    seen.insert(ent_num, line);
    Ok(entry)
}

/// A row has every column, each field on one line, unquoted, free of control characters.
fn check_shape(record: &csv::ByteRecord, line: u64, file: &str) -> Result<(), Diagnostic> {
    if record.len() != COLUMNS.len() {
        let spans = record
            .iter()
            .map(|f| f.iter().filter(|&&b| b == b'\n').count())
            .sum::<usize>();
        let d = row_error(
            file,
            line,
            format!(
                "the row has {} field(s); an SDN row has {}",
                record.len(),
                COLUMNS.len()
            ),
        );
        return Err(if spans > 0 {
            d.with_help(format!(
                "a quote is not closed: the row runs on over {} more line(s), to line {}",
                spans,
                line + spans as u64
            ))
        } else {
            d.with_help(format!("the columns are {}", COLUMNS.join(", ")))
        });
    }
    for (i, raw) in record.iter().enumerate() {
        // One pass finds the rare field that needs a closer look.
        if !raw.iter().any(|&b| b < 0x20 || b == b'"') {
            continue;
        }
        let col = COLUMNS.get(i).copied().unwrap_or("?");
        if raw.contains(&b'"') {
            return Err(row_error(
                file,
                line,
                format!("field `{col}` holds a stray quote: the row is badly quoted"),
            ));
        }
        if raw.iter().any(|&b| b == b'\n' || b == b'\r') {
            return Err(row_error(
                file,
                line,
                format!("field `{col}` holds a line break: a quote is not closed"),
            )
            .with_help("OFAC writes every row on one line"));
        }
        if let Some(c) = raw.iter().find(|&&b| b < 0x20 && b != b'\t') {
            return Err(row_error(
                file,
                line,
                format!("field `{col}` holds the control character 0x{c:02X}"),
            ));
        }
    }
    Ok(())
}

/// The row's entry number: a positive integer not seen before in the file.
fn entry_number(
    record: &csv::ByteRecord,
    line: u64,
    file: &str,
    seen: &HashMap<u32, u64>,
) -> Result<u32, Diagnostic> {
    let num_text = field(record, 0).unwrap_or_default();
    let ent_num = match num_text.trim().parse::<u32>() {
        Ok(n) if n > 0 => n,
        _ => {
            return Err(row_error(
                file,
                line,
                format!("`{num_text}` is not an entry number (a positive integer)"),
            ));
        }
    };
    if let Some(first) = seen.get(&ent_num) {
        return Err(
            row_error(file, line, format!("entry number {ent_num} appears twice"))
                .with_help(format!("first at line {first}")),
        );
    }
    Ok(ent_num)
}

/// Split the program column: OFAC joins tags as `SDGT] [FTO` (the outer brackets missing).
pub(crate) fn split_tags(column: &str) -> Vec<String> {
    column
        .split("] [")
        .map(|t| {
            t.trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .trim()
        })
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_on_the_joined_brackets() {
        assert_eq!(
            split_tags("FTO] [SDGT] [SYRIA"),
            vec!["FTO", "SDGT", "SYRIA"]
        );
        assert_eq!(split_tags("[TCO]"), vec!["TCO"]);
        assert!(split_tags(" ").is_empty());
    }

    #[test]
    fn a_good_row_becomes_an_entry() {
        let r = read(
            b"4697,\"HIZBALLAH\",-0- ,\"FTO] [SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'LH'.\"\r\n\x1a",
            "t.csv",
        );
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert_eq!(r.stats.rows, 1);
        let e = &r.entries[0];
        assert_eq!(
            (e.ent_num, e.name.as_str(), e.entry_type),
            (4697, "HIZBALLAH", EntryType::Entity)
        );
        assert_eq!(e.tags, vec!["FTO", "SDGT"]);
        assert_eq!(e.aliases[0].name, "LH");
        assert_eq!(e.line, 1);
    }

    #[test]
    fn blank_lines_are_counted() {
        let row = |n: u32| {
            format!("{n},\"X{n}\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n")
        };
        let text = format!("{}\r\n\r\n{}\x1a", row(1), row(2));
        let r = read(text.as_bytes(), "t.csv");
        assert_eq!(r.stats.blank_lines, 2);
        assert_eq!(r.entries[1].line, 4);
    }
}
