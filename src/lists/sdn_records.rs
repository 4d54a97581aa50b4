//! The OFAC SDN CSV (`read`) as the record model every other list uses (`ListRecord`), so
//! that the list store holds SDN snapshots like any other list's. Nothing is dropped: fixed
//! columns the record model has no field for become labelled attributes, and the remarks are
//! kept verbatim beside their parsed facts.

use super::config::ListConfig;
use super::entry::SdnEntry;
use super::record::{Link, LinkKind, ListImport, ListName, ListRecord, Strength};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Loc;

/// The format name of the SDN CSV in list configurations (`lists/us-ofac-sdn-csv.toml`).
pub const FORMAT: &str = "ofac-sdn-csv";

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
        records: read.entries.iter().map(to_record).collect(),
        seen: read.stats.entries + read.stats.skipped,
        errors,
        warnings,
        unmapped_regimes: Default::default(),
    };
    config.apply(&mut out);
    out
}

/// One SDN entry as a record: id = `ent_num`, regimes = the program tags.
pub fn to_record(e: &SdnEntry) -> ListRecord {
    let mut r = ListRecord::new(e.ent_num.to_string(), e.entry_type, e.name.clone(), e.line);
    r.aliases = e
        .aliases
        .iter()
        .map(|a| ListName {
            name: a.name.clone(),
            kind: a.kind,
            // The CSV has no quality marker: every alias may match alone.
            strength: Strength::Strong,
            script: None,
        })
        .collect();
    r.regimes = e.tags.clone();
    r.dates_of_birth = e.dates_of_birth.clone();
    r.places_of_birth = e.places_of_birth.clone();
    r.nationalities = e.nationalities.clone();
    r.identifiers = e.identifiers.clone();
    r.links = e
        .linked_to
        .iter()
        .map(|name| Link {
            kind: LinkKind::Other,
            to_id: None,
            to_name: Some(name.clone()),
            text: format!("Linked To: {name}"),
        })
        .collect();
    let columns = [
        ("Title", &e.title),
        ("Call Sign", &e.call_sign),
        ("Vessel Type", &e.vessel_type),
        ("Tonnage", &e.tonnage),
        ("GRT", &e.grt),
        ("Vessel Flag", &e.vessel_flag),
        ("Vessel Owner", &e.vessel_owner),
    ];
    for (label, value) in columns {
        if let Some(v) = value {
            r.attribute(label, v.as_str());
        }
    }
    for c in &e.citizenships {
        r.attribute("Citizenship", c.as_str());
    }
    for s in &e.secondary_sanctions {
        r.attribute("Secondary sanctions", s.as_str());
    }
    r.attributes.extend(e.attributes.iter().cloned());
    if let Some(remarks) = &e.remarks {
        r.attribute("Remarks", remarks.as_str());
    }
    r.unparsed = e.unparsed.clone();
    r
}
