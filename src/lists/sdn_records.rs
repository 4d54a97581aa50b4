//! The OFAC SDN CSV (`read`) as the record model every other list uses (`ListRecord`, by the
//! `ofac-csv` importer's conversion), so that the list store holds SDN snapshots like any other
//! list's, refusing a file cut short (no end-of-file marker). Nothing is dropped: fixed columns
//! the record model has no field for become labelled attributes, and the remarks are kept
//! verbatim beside their parsed facts.

use super::config::ListConfig;
use super::record::ListImport;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Loc;

/// The format name of the SDN CSV in list configurations (`lists/us-ofac-sdn-csv.toml`).
pub const FORMAT: &str = "ofac-csv";

/// Whether a file must end with OFAC's end-of-file marker to be complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// A whole published file: without the Ctrl-Z line it may be cut short, and is refused
    /// (the reader takes a last row cut inside its quoted remarks for a whole row).
    Marked,
    /// Rows taken out of a file (a change log's): no marker expected.
    Unmarked,
}

/// Read the bytes of an SDN CSV file into records, every row accounted for (the refused ones
/// as errors), the tags given by `config`.
pub fn import_bytes(bytes: &[u8], name: &str, config: &ListConfig, ending: Ending) -> ListImport {
    let read = super::read::read(bytes, name);
    let cut = ending == Ending::Marked && !read.stats.eof_marker && !read.diagnostics.has_errors();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    if cut {
        errors.push(Diagnostic::error(
            Code::ListRow,
            &Loc::file(name.to_string()),
            "the file does not end with OFAC's end-of-file marker (Ctrl-Z): it may be cut short, and is not taken as a whole list",
        ));
    }
    for d in read.diagnostics.into_vec() {
        if d.is_error() {
            errors.push(d);
        } else {
            warnings.push(d);
        }
    }
    let mut out = ListImport {
        list: config.id.clone(),
        file: name.to_string(),
        published: None,
        // One conversion of an SDN entry to a record, the importer's (`ofac-csv`).
        records: read
            .entries
            .into_iter()
            .map(super::import::ofac_csv::record)
            .collect(),
        seen: read.stats.entries + read.stats.skipped,
        errors,
        warnings,
        ..ListImport::default()
    };
    config.apply(&mut out);
    out
}
