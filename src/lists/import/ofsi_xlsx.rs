//! The UK OFSI Consolidated List as OFSI publishes it in Excel (ConList.xlsx): the first sheet,
//! row for row in the layout of ConList.csv. The cells are written out as that CSV's text (dates
//! as `dd/mm/yyyy`, whole numbers without a decimal point) and read by the CSV importer, so the
//! two forms give the same records (`tests/it/lists_ofsi_xlsx.rs` compares them on the shared
//! files). A row's line in errors is its line in that CSV text: the sheet's row number until a
//! cell above it holds a line break (OFSI's `Other Information` often does), later than it after.

use std::io::Cursor;

use calamine::{Data, Reader as _, Xlsx};

use crate::diagnostic::{Code, Diagnostic};
use crate::lists::decode::line_loc;
use crate::lists::record::ListImport;
use crate::source::SourceFile;

/// An xlsx file is a zip archive: it starts with a local file header.
pub fn looks_like_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Read a whole workbook.
pub fn read(bytes: &[u8], name: &str) -> ListImport {
    match sheet_as_csv(bytes) {
        Ok(text) => super::ofsi::read(&SourceFile::new(name.to_string(), text)),
        Err(message) => ListImport {
            file: name.to_string(),
            errors: vec![
                Diagnostic::error(Code::ListRow, &line_loc(name, 1), message)
                    .with_help("is this OFSI's ConList.xlsx (or ConList.csv)?"),
            ],
            ..ListImport::default()
        },
    }
}

/// The first sheet as CSV text, one line per sheet row from the sheet's first row (empty rows
/// kept, so that line numbers are row numbers).
fn sheet_as_csv(bytes: &[u8]) -> Result<String, String> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("not a readable xlsx workbook: {e}"))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| "the workbook has no sheet".to_string())?
        .map_err(|e| format!("the first sheet cannot be read: {e}"))?;
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let first_row = range.start().map_or(0, |(r, _)| r);
    for _ in 0..first_row {
        out.write_record([""]).map_err(|e| e.to_string())?;
    }
    for row in range.rows() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        out.write_record(&cells).map_err(|e| e.to_string())?;
    }
    let bytes = out.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// A cell as ConList.csv writes it.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => d.as_datetime().map_or_else(
            || d.as_f64().to_string(),
            |t| t.format("%d/%m/%Y").to_string(),
        ),
        Data::Error(e) => format!("#{e:?}"),
    }
}
