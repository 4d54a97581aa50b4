//! CSV input: the columns, the header row, and splitting one line into its fields (a CSV
//! record is one line, so the lines can be cut apart before they are read).

use std::borrow::Cow;

use super::{TxRecord, bounded, not_utf8};
use crate::scenario::transaction;

/// The CSV columns, in the order `workload` writes them. Any order is accepted on input;
/// `id`, `date` and `type` are required.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "date",
    "type",
    "amount",
    "currency",
    "goods",
    "personal_use",
    "originator",
    "originator_bank",
    "intermediaries",
    "beneficiary_bank",
    "beneficiary",
    "signatory",
    "agent",
    "shipper",
    "vessel",
    "aircraft",
    "others",
    "licenses",
    "knowing",
    "description",
];

/// Separator of the values of a list column in CSV (`goods`, `intermediaries`, ...).
pub const CSV_LIST_SEPARATOR: char = ';';

/// Column positions of a CSV header.
#[derive(Debug, Clone)]
pub struct CsvHeader {
    /// For each name of [`CSV_COLUMNS`], its position in the file.
    positions: Vec<Option<usize>>,
}

impl CsvHeader {
    /// Check a header row: every column known, none twice, the required ones present.
    pub fn parse(fields: &csv::StringRecord) -> Result<CsvHeader, String> {
        let mut positions = vec![None; CSV_COLUMNS.len()];
        for (i, name) in fields.iter().enumerate() {
            let name = name.trim();
            match CSV_COLUMNS.iter().position(|c| *c == name) {
                Some(k) => {
                    if positions.get(k).copied().flatten().is_some() {
                        return Err(format!("column `{name}` appears twice in the header"));
                    }
                    if let Some(slot) = positions.get_mut(k) {
                        *slot = Some(i);
                    }
                }
                None => {
                    let help = transaction::suggestion(name, CSV_COLUMNS.iter().copied())
                        .unwrap_or_else(|| format!("known columns: {}", CSV_COLUMNS.join(", ")));
                    return Err(format!("unknown column `{name}` in the header: {help}"));
                }
            }
        }
        for required in ["id", "date", "type"] {
            let k = CSV_COLUMNS.iter().position(|c| *c == required);
            if k.and_then(|k| positions.get(k).copied().flatten())
                .is_none()
            {
                return Err(format!("the header has no `{required}` column"));
            }
        }
        Ok(CsvHeader { positions })
    }

    fn field<'r>(&self, row: &'r csv::StringRecord, name: &str) -> Option<&'r str> {
        let k = CSV_COLUMNS.iter().position(|c| *c == name)?;
        let i = self.positions.get(k).copied().flatten()?;
        row.get(i).filter(|s| !s.is_empty())
    }

    /// The record a CSV row holds (empty cells are absent values).
    pub fn record<'r>(&self, row: &'r csv::StringRecord) -> Result<TxRecord<'r>, String> {
        if row.len() != self.positions.iter().flatten().count() {
            return Err(format!(
                "{} fields where the header has {}",
                row.len(),
                self.positions.iter().flatten().count()
            ));
        }
        let one = |name: &str| self.field(row, name).map(Cow::Borrowed);
        let list = |name: &str| -> Vec<Cow<'r, str>> {
            self.field(row, name)
                .map(|s| {
                    s.split(CSV_LIST_SEPARATOR)
                        .map(str::trim)
                        .filter(|x| !x.is_empty())
                        .map(Cow::Borrowed)
                        .collect()
                })
                .unwrap_or_default()
        };
        let personal_use = match self.field(row, "personal_use") {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(other) => {
                return Err(format!(
                    "`personal_use` must be `true` or `false`, not `{other}`"
                ));
            }
        };
        Ok(TxRecord {
            id: one("id").unwrap_or_default(),
            date: one("date").unwrap_or_default(),
            tx_type: one("type").unwrap_or_default(),
            amount: one("amount"),
            currency: one("currency"),
            goods: list("goods"),
            personal_use,
            originator: one("originator"),
            originator_bank: one("originator_bank"),
            intermediaries: list("intermediaries"),
            beneficiary_bank: one("beneficiary_bank"),
            beneficiary: one("beneficiary"),
            signatory: one("signatory"),
            agent: one("agent"),
            shipper: one("shipper"),
            vessel: one("vessel"),
            aircraft: one("aircraft"),
            others: list("others"),
            licenses: list("licenses"),
            knowing: list("knowing"),
            description: one("description"),
        })
    }
}

/// Splits one line of CSV into its fields. A CSV record is one line: a quote left open at the
/// end of a line is an error of that line, never a field that swallows the records after it.
/// One splitter per thread; its buffers are reused from line to line.
#[derive(Debug)]
pub struct CsvLine {
    reader: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    record: csv::StringRecord,
}

impl Default for CsvLine {
    fn default() -> CsvLine {
        CsvLine {
            reader: csv_core::Reader::new(),
            out: Vec::new(),
            ends: Vec::new(),
            record: csv::StringRecord::new(),
        }
    }
}

impl CsvLine {
    /// The fields of `line` (without its line ending).
    pub fn split(&mut self, line: &[u8]) -> Result<&csv::StringRecord, String> {
        let text = std::str::from_utf8(line).map_err(|e| not_utf8(&e))?;
        // Quotes inside a quoted field are doubled, so a line whose quotes are all closed
        // holds an even number of them.
        if line.iter().filter(|b| **b == b'"').count() % 2 == 1 {
            return Err(
                "a quote opened on this line is not closed on it: a CSV record is one line, and a field cannot hold a line break"
                    .into(),
            );
        }
        self.reader.reset();
        self.out.resize(line.len() + 1, 0);
        let fields = 2 + line.iter().filter(|b| **b == b',').count();
        self.ends.resize(fields, 0);
        let (mut input, mut written, mut ended) = (line, 0usize, 0usize);
        loop {
            let (out, ends) = (
                self.out.get_mut(written..).unwrap_or_default(),
                self.ends.get_mut(ended..).unwrap_or_default(),
            );
            let (result, nin, nout, nend) = self.reader.read_record(input, out, ends);
            input = input.get(nin..).unwrap_or_default();
            written += nout;
            ended += nend;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::Record if input.is_empty() => break,
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => {
                    return Err(
                        "a carriage return inside the line: a CSV record is one line".into(),
                    );
                }
                // Cannot happen (the buffers hold the whole line), but never loop on it.
                csv_core::ReadRecordResult::OutputFull
                | csv_core::ReadRecordResult::OutputEndsFull => {
                    return Err(format!("the line cannot be split ({} bytes)", text.len()));
                }
            }
        }
        self.record.clear();
        let mut start = 0;
        for &end in self.ends.get(..ended).unwrap_or_default() {
            let field = self.out.get(start..end).unwrap_or_default();
            self.record
                .push_field(std::str::from_utf8(field).map_err(|e| not_utf8(&e))?);
            start = end;
        }
        Ok(&self.record)
    }
}

/// The header row of a CSV input (its first line).
pub fn read_csv_header(line: &[u8]) -> Result<CsvHeader, String> {
    let text = line.strip_suffix(b"\n").unwrap_or(line);
    let text = text.strip_suffix(b"\r").unwrap_or(text);
    let text = text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(text);
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(bounded(
            "the first line is empty: a CSV input starts with a header row".into(),
        ));
    }
    let mut split = CsvLine::default();
    let row = split
        .split(text)
        .map_err(|m| bounded(format!("unreadable header: {m}")))?;
    CsvHeader::parse(row).map_err(bounded)
}
